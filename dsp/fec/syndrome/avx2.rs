//! AVX2 shim: the bit-sliced kernel with 256-codeword groups (`W = 4`, one `ymm`
//! register per plane). The body is generic and `#[inline(always)]`; compiled
//! inside this `#[target_feature]` function its `[u64; 4]` operations become
//! `vpxor`/`vpand`/`vpsrlq`/`vpsllq` on `ymm` registers.

use crate::fec::bitslice::{self, SlicedCode};

/// Syndromes of `count` words (see `bitslice::syndrome_batch`), 256 at a time.
///
/// # Safety
/// The CPU must support AVX2 (a stored [`crate::cpu::Backend::Avx2`] proves it).
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn syndrome_batch(
    code: &SlicedCode,
    words: &[u16],
    n: usize,
    count: usize,
    syndromes: &mut [u16],
) {
    bitslice::syndrome_batch::<4>(code, words, n, count, syndromes)
}
