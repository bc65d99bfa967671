//! Systematic encoding: the parity `m(x)·x^(2t) mod g(x)` of messages.
//!
//! - `scalar.rs` — the reference shift register ([`parity`]), one codeword at a time.
//! - `avx2.rs` — the shim around the bit-sliced kernels of `fec::bitslice` for
//!   both SIMD backends (AVX-512 with its own plane type, `syndrome::Ymm512`), 256 codewords at once, one bit of each per register lane:
//!   for `2t ≤ 64` the message is evaluated at the `2t` roots of `g` by Horner's
//!   rule and the parity interpolated from those values by a fixed matrix; for
//!   larger `2t` the shift register of `g(x)` is run bit-sliced (see the module
//!   docs of [`crate::fec`]).
//!
//! Batches of fewer than [`SIMD_MIN_BATCH`] codewords always take the scalar path
//! (a bit-sliced group costs the same whatever its fill).

use crate::cpu::Backend;
use crate::fec::bitslice::SlicedCode;
#[cfg(target_arch = "x86_64")]
use crate::fec::syndrome::{Ymm, Ymm512};

#[cfg(target_arch = "x86_64")]
mod avx2;
mod scalar;

pub use scalar::parity;

/// Below this many codewords a batch is encoded (or its syndromes computed) by
/// the scalar reference whatever the backend.
pub const SIMD_MIN_BATCH: usize = 32;

/// Parity of `count` messages (rows of `k` symbols) to
/// `out[c·out_stride .. c·out_stride + 2t]`. Returns whether every message
/// symbol is `< 1024`; if not, `out` is garbage and the caller reports the error.
#[allow(clippy::too_many_arguments)]
pub(crate) fn parity_batch(
    backend: Backend,
    generator: &[u16],
    code: &SlicedCode,
    messages: &[u16],
    k: usize,
    count: usize,
    out: &mut [u16],
    out_stride: usize,
) -> bool {
    let two_t = generator.len() - 1;
    match backend {
        // SAFETY: a `ReedSolomon` stores `Avx2`/`Avx512` only after
        // `Backend::require` or `Backend::detect` found the CPU features.
        #[cfg(target_arch = "x86_64")]
        Backend::Avx2 if count >= SIMD_MIN_BATCH => unsafe {
            avx2::parity_batch::<Ymm>(code, messages, k, count, out, out_stride)
        },
        #[cfg(target_arch = "x86_64")]
        Backend::Avx512 if count >= SIMD_MIN_BATCH => unsafe {
            avx2::parity_batch::<Ymm512>(code, messages, k, count, out, out_stride)
        },
        _ => {
            if !crate::fec::bitslice::in_range(&messages[..count * k]) {
                return false;
            }
            for c in 0..count {
                parity(
                    generator,
                    &messages[c * k..(c + 1) * k],
                    &mut out[c * out_stride..c * out_stride + two_t],
                );
            }
            true
        }
    }
}
