//! AVX-512 shim: the bit-sliced kernel with 512-codeword groups (`W = 8`, one
//! `zmm` register per plane; `vpternlogq` merges the XOR pairs). Not run on
//! machines without AVX-512; its tests skip there.

use crate::fec::bitslice::{self, SlicedCode};

/// Syndromes of `count` words (see `bitslice::syndrome_batch`), 512 at a time.
///
/// # Safety
/// The CPU must support AVX-512 F/BW (a stored [`crate::cpu::Backend::Avx512`]
/// proves it).
#[target_feature(enable = "avx512f,avx512bw")]
pub(crate) unsafe fn syndrome_batch(
    code: &SlicedCode,
    words: &[u16],
    n: usize,
    count: usize,
    syndromes: &mut [u16],
) {
    bitslice::syndrome_batch::<8>(code, words, n, count, syndromes)
}
