//! AVX-512 shim: the bit-sliced kernel on 256-codeword groups (`W = 4`) compiled
//! with AVX-512VL: one `ymm` register per plane, but 32 of them (the feedback
//! and the accumulators stay in registers) and `vpternlogq` fusing XOR pairs.
//! The 512-codeword version (`W = 8`, `zmm`) measured slower on Zen 4: twice the
//! L1 working set (512 rows, a 19 KiB register file) and vector gathers emitted
//! for table look-ups. Not run on machines without AVX-512; its tests skip there.

use crate::fec::bitslice::{self, SlicedCode};

/// Syndromes of `count` words (see `bitslice::syndrome_batch`), 256 at a time.
///
/// # Safety
/// The CPU must support AVX-512 F/BW/VL (a stored [`crate::cpu::Backend::Avx512`]
/// proves it).
#[target_feature(enable = "avx512f,avx512bw,avx512vl")]
pub(crate) unsafe fn syndrome_batch(
    code: &SlicedCode,
    words: &[u16],
    n: usize,
    count: usize,
    syndromes: &mut [u16],
) {
    bitslice::syndrome_batch::<4>(code, words, n, count, syndromes)
}
