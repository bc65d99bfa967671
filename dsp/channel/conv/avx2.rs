//! AVX2 + FMA shim of the direct convolution: eight `f32` lanes per `ymm` register.
//! The arithmetic is in [`super::fma`].

/// See [`super::fma::correlate`].
///
/// # Safety
/// The CPU must support AVX2 and FMA: call only with a stored
/// [`crate::cpu::Backend::Avx2`], which is handed out only after detection.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn correlate(rev: &[f32], x: &[f32], out: &mut [f32]) {
    super::fma::correlate::<8>(rev, x, out)
}
