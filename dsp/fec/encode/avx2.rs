//! AVX2 shim: the bit-sliced kernel with 256-codeword groups (`W = 4`, one `ymm`
//! register per plane). The body is generic and `#[inline(always)]`; compiled
//! inside this `#[target_feature]` function its `[u64; 4]` operations become
//! `vpxor`/`vpand`/`vpsrlq`/`vpsllq` on `ymm` registers.

use crate::fec::bitslice::{self, SlicedCode};
use crate::fec::syndrome::Ymm;

/// Parity of `count` messages (see `bitslice::parity_batch`), 256 at a time.
///
/// # Safety
/// The CPU must support AVX2 (a stored [`crate::cpu::Backend::Avx2`] proves it).
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn parity_batch(
    code: &SlicedCode,
    messages: &[u16],
    k: usize,
    count: usize,
    out: &mut [u16],
    out_stride: usize,
) -> bool {
    bitslice::parity_batch::<4, Ymm>(code, messages, k, count, out, out_stride)
}
