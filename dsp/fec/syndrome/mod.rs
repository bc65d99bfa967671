//! Syndromes `S_j = r(α^j)`, `j = 0 … 2t−1`, of received words.
//!
//! - `scalar.rs` — the reference: Horner's rule at each root ([`syndromes`]).
//! - `avx2.rs` — the shim around the bit-sliced kernels of `fec::bitslice` for
//!   both SIMD backends, generic over the plane type; `avx512.rs` — the AVX-512
//!   backend's plane, `Ymm512`, and the kernels it routes to AVX-512 code: for `2t ≤ 64`, Horner's rule at the `2t` roots over 256
//!   words at once, multiplication by `α^j` as `j` plane rotations (one XOR each);
//!   for larger `2t`, the remainder `r(x) mod g(x)` by the encoder's divider,
//!   evaluated at the roots (every root of `g` is a root of every multiple of `g`,
//!   so `r(α^j) = (r mod g)(α^j)`). A group whose syndromes (or remainders) are
//!   all zero is stored as zeros at once. `avx2.rs` also holds `Ymm`, the `ymm`
//!   register type the kernels compute with.

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
#[cfg(target_arch = "x86_64")]
pub(crate) use avx512::Ymm512;
pub use scalar::syndromes;

/// Syndromes of `count` words (rows of `n` symbols), `2t` per word to `out`.
/// Returns whether every symbol is `< 1024`; if not, `out` is garbage and the
/// caller reports the error (the SIMD kernels see bits 10–15 in their
/// transposes, so the check costs no pass of its own).
pub(crate) fn syndrome_batch(
    backend: Backend,
    code: &SlicedCode,
    words: &[u16],
    n: usize,
    count: usize,
    out: &mut [u16],
) -> bool {
    let two_t = code.two_t;
    match backend {
        // SAFETY: a `ReedSolomon` stores `Avx2`/`Avx512` only after
        // `Backend::require` or `Backend::detect` found the CPU features.
        #[cfg(target_arch = "x86_64")]
        Backend::Avx2 if count >= SIMD_MIN_BATCH => unsafe {
            avx2::syndrome_batch::<Ymm>(code, words, n, count, out)
        },
        #[cfg(target_arch = "x86_64")]
        Backend::Avx512 if count >= SIMD_MIN_BATCH => unsafe {
            avx2::syndrome_batch::<Ymm512>(code, words, n, count, out)
        },
        _ => {
            if !crate::fec::bitslice::in_range(&words[..count * n]) {
                return false;
            }
            for c in 0..count {
                syndromes(
                    &words[c * n..(c + 1) * n],
                    &mut out[c * two_t..(c + 1) * two_t],
                );
            }
            true
        }
    }
}
