//! AVX-512 shim: the bit-sliced encoder on 256-codeword groups with the
//! `Ymm512` plane of `syndrome/avx512.rs` (Horner chunks compiled with
//! AVX-512VL, GFNI transposes where the CPU has them).

use crate::fec::bitslice::{self, SlicedCode};
use crate::fec::syndrome::Ymm512;

/// Parity of `count` messages (see `bitslice::parity_batch`), 256 at a time.
///
/// # Safety
/// The CPU must support AVX-512 (and so AVX2) (a stored [`crate::cpu::Backend::Avx512`]
/// proves it).
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn parity_batch(
    code: &SlicedCode,
    messages: &[u16],
    k: usize,
    count: usize,
    out: &mut [u16],
    out_stride: usize,
) -> bool {
    bitslice::parity_batch::<4, Ymm512>(code, messages, k, count, out, out_stride)
}
