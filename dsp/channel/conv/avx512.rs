//! AVX-512 shim of the direct convolution: sixteen `f32` lanes per `zmm` register.
//! The arithmetic is in [`super::fma`], the same chain per output as AVX2, so both
//! give the same bits.

/// See [`super::fma::correlate`].
///
/// # Safety
/// The CPU must support AVX-512F/VL and FMA: call only with a stored
/// [`crate::cpu::Backend::Avx512`], which is handed out only after detection.
#[target_feature(enable = "avx512f,avx512vl,fma")]
pub(super) unsafe fn correlate(rev: &[f32], x: &[f32], out: &mut [f32]) {
    super::fma::correlate::<16>(rev, x, out)
}
