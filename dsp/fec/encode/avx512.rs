//! AVX-512 shim: for now the same code as the AVX2 shim — the bit-sliced kernel on
//! 256-codeword groups (`W = 4`, `ymm`) compiled for AVX2 only. Measured on Zen 4
//! (thread CPU time), every AVX-512 build of the generic body was slower: with
//! `zmm` (`W = 8`) twice the L1 working set and gathers for table look-ups; with
//! AVX-512VL on `ymm` (32 registers, `vpternlogq`) LLVM vectorises the 64×64
//! transposes *across rows* with `vpgatherqq`/`vpscatterqq`, which are slow there
//! (encode 4.4 vs 6.8 Gbit/s); and Zen 4 runs `zmm` XORs as two halves and
//! `vpternlogq` at half the rate of `vpxor`, so the XOR-bound kernels gain little.
//! Not run on machines without AVX-512; its tests skip there.

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
