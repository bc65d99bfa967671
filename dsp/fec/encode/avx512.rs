//! AVX-512 shim: the bit-sliced kernel with 512-codeword groups (`W = 8`, one
//! `zmm` register per plane; `vpternlogq` merges the XOR pairs). Not run on
//! machines without AVX-512; its tests skip there.

use crate::fec::bitslice::{self, SlicedCode};

/// Parity of `count` messages (see `bitslice::parity_batch`), 512 at a time.
///
/// # Safety
/// The CPU must support AVX-512 F/BW (a stored [`crate::cpu::Backend::Avx512`]
/// proves it).
#[target_feature(enable = "avx512f,avx512bw")]
pub(crate) unsafe fn parity_batch(
    code: &SlicedCode,
    messages: &[u16],
    k: usize,
    count: usize,
    out: &mut [u16],
    out_stride: usize,
) {
    bitslice::parity_batch::<8>(code, messages, k, count, out, out_stride)
}
