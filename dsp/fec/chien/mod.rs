//! Chien search: the roots of the error locator among the positions of the code.
//!
//! - `scalar.rs` — the reference ([`chien_search`]): the terms `λ_k α^(−k e)` are
//!   stepped by one table multiplication per position, stopping at the expected
//!   number of roots.
//! - `avx2.rs`, `avx512.rs` — shims around the bit-sliced search of
//!   `crate::fec::bitslice`: one bit per *position* (256 or 512 positions per
//!   register), the code's powers `α^(−k e)` precomputed as bit planes at
//!   construction, `Λ` evaluated as `Σ_k λ_k · A_k` with one subset-table product
//!   per coefficient, the roots read off as the zero lanes.
//!
//! Only the `n` transmitted positions are searched, never the `1023 − n` positions
//! that shortening pads with zeros: a locator with a root there has fewer roots in
//! range than its degree, and the decoder reports a failure.

use std::sync::Arc;

use crate::cpu::Backend;
use crate::fec::bitslice::ChienTable;

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
mod scalar;

pub use scalar::chien_search;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fec::gf;

    #[test]
    fn bit_sliced_search_equals_the_reference() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for (n, two_t) in [(544usize, 30usize), (528, 14), (100, 64), (1023, 22)] {
            for backend in Backend::available() {
                let chien = Chien::new(backend, n, two_t);
                for trial in 0..60 {
                    // Locators with roots at chosen positions (some past n), or random.
                    let deg = 1 + (next() as usize) % two_t;
                    let mut lambda = vec![1u16];
                    if trial % 3 == 0 {
                        lambda.extend((0..deg).map(|_| (next() % 1024) as u16));
                    } else {
                        for _ in 0..deg {
                            let e = (next() as usize) % (gf::ORDER);
                            let x = gf::alpha_pow(e as i64);
                            let mut nl = vec![0u16; lambda.len() + 1];
                            for (i, &c) in lambda.iter().enumerate() {
                                nl[i] ^= c;
                                nl[i + 1] ^= gf::mul(c, x);
                            }
                            lambda = nl;
                        }
                    }
                    let (mut want, mut got) = (Vec::new(), Vec::new());
                    chien_search(&lambda, n, usize::MAX, &mut want);
                    chien.search(&lambda, n, usize::MAX, &mut got);
                    assert_eq!(got, want, "{backend:?} n={n} {lambda:?}");
                    chien_search(&lambda, n, 2, &mut want);
                    chien.search(&lambda, n, 2, &mut got);
                    assert_eq!(got, want);
                }
            }
        }
    }
}

/// The Chien search of one code on one backend, chosen at construction.
#[derive(Debug, Clone)]
pub(crate) enum Chien {
    /// The reference, for the scalar backend and for codes with `2t > 64`.
    Scalar,
    /// Bit-sliced on AVX2 (256 positions per register).
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    Avx2(Arc<ChienTable<4>>),
    /// Bit-sliced on AVX-512VL (256 positions per `ymm`, 32 registers).
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    Avx512(Arc<ChienTable<4>>),
}

impl Chien {
    /// The scalar search for every code; the bit-sliced one on AVX2/AVX-512 for
    /// codes with `2t ≤ 64` (the precomputed powers grow with `2t · n`).
    pub(crate) fn new(backend: Backend, n: usize, two_t: usize) -> Chien {
        if two_t > ChienTable::<4>::MAX_DEGREE {
            return Chien::Scalar;
        }
        match backend {
            Backend::Scalar => Chien::Scalar,
            Backend::Avx2 => Chien::Avx2(Arc::new(ChienTable::new(n, two_t))),
            Backend::Avx512 => Chien::Avx512(Arc::new(ChienTable::new(n, two_t))),
        }
    }

    /// The indices `i < n` with `Λ(α^−(n−1−i)) = 0`, ascending, at most `max_roots`.
    pub(crate) fn search(
        &self,
        lambda: &[u16],
        n: usize,
        max_roots: usize,
        roots: &mut Vec<usize>,
    ) {
        match self {
            // SAFETY: `Chien::Avx2`/`Avx512` are built only from a backend that
            // `Backend::require`/`Backend::detect` found on this CPU.
            #[cfg(target_arch = "x86_64")]
            Chien::Avx2(t) if lambda.len() <= t.max_degree() + 1 => unsafe {
                avx2::chien_search(t, lambda, max_roots, roots)
            },
            #[cfg(target_arch = "x86_64")]
            Chien::Avx512(t) if lambda.len() <= t.max_degree() + 1 => unsafe {
                avx512::chien_search(t, lambda, max_roots, roots)
            },
            _ => chien_search(lambda, n, max_roots, roots),
        }
    }
}
