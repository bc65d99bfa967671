//! Syndromes `S_j = r(α^j)`, `j = 0 … 2t−1`, of received words.
//!
//! - `scalar.rs` — the reference: Horner's rule at each root ([`syndromes`]).
//! - `avx2.rs`, `avx512.rs` — shims around the bit-sliced kernel of
//!   `fec::bitslice`. It does not evaluate `r(x)` at `2t` points: it
//!   computes the remainder `r(x) mod g(x)` with the encoder's divider (remainder of
//!   the message part plus the received parity), and evaluates that degree-`2t−1`
//!   remainder at the roots, still bit-sliced. Every root of `g` is a root of every
//!   multiple of `g`, so `r(α^j) = (r mod g)(α^j)` exactly; and a group whose
//!   remainders are all zero (no errors in any of its codewords) skips the
//!   evaluation.

use crate::cpu::Backend;
use crate::fec::bitslice::SlicedCode;
use crate::fec::encode::SIMD_MIN_BATCH;

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
mod scalar;

#[cfg(target_arch = "x86_64")]
pub(crate) use avx2::Ymm;
pub use scalar::syndromes;

/// Syndromes of `count` words (rows of `n` symbols), `2t` per word to `out`.
pub(crate) fn syndrome_batch(
    backend: Backend,
    code: &SlicedCode,
    words: &[u16],
    n: usize,
    count: usize,
    out: &mut [u16],
) {
    let two_t = code.two_t;
    match backend {
        // SAFETY: a `ReedSolomon` stores `Avx2`/`Avx512` only after
        // `Backend::require` or `Backend::detect` found the CPU features.
        #[cfg(target_arch = "x86_64")]
        Backend::Avx2 if count >= SIMD_MIN_BATCH => unsafe {
            avx2::syndrome_batch(code, words, n, count, out)
        },
        #[cfg(target_arch = "x86_64")]
        Backend::Avx512 if count >= SIMD_MIN_BATCH => unsafe {
            avx512::syndrome_batch(code, words, n, count, out)
        },
        _ => {
            for c in 0..count {
                syndromes(
                    &words[c * n..(c + 1) * n],
                    &mut out[c * two_t..(c + 1) * two_t],
                );
            }
        }
    }
}
