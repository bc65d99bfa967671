//! AVX2 shim: the bit-sliced kernel with 256-codeword groups (`W = 4`, one `ymm`
//! register per plane). The body is generic and `#[inline(always)]`; compiled
//! inside this `#[target_feature]` function its `[u64; 4]` operations become
//! `vpxor`/`vpand`/`vpsrlq`/`vpsllq` on `ymm` registers.
//!
//! The AVX-512 backend runs this same shim with the `Ymm512` plane of
//! `syndrome/avx512.rs` (Horner chunks compiled with AVX-512VL, GFNI transposes
//! where the CPU has them): the two backends differ only in the plane type.

use crate::fec::bitslice::{self, Plane, SlicedCode};

/// Parity of `count` messages (see `bitslice::parity_batch`), 256 at a time, with
/// plane `P`: `Ymm` (AVX2 backend) or `Ymm512` (AVX-512 backend).
///
/// # Safety
/// The CPU must support AVX2, and everything `P` needs: AVX2 for `Ymm`, AVX-512
/// for `Ymm512` (a stored [`crate::cpu::Backend::Avx2`] or
/// [`crate::cpu::Backend::Avx512`] proves it).
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn parity_batch<P: Plane<4>>(
    code: &SlicedCode,
    messages: &[u16],
    k: usize,
    count: usize,
    out: &mut [u16],
    out_stride: usize,
) -> bool {
    bitslice::parity_batch::<4, P>(code, messages, k, count, out, out_stride)
}
