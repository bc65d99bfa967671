//! AVX2 + FMA shims of the FFE: eight `f32` lanes per `ymm` register, four registers
//! of outputs per tap broadcast. The arithmetic is in [`super::fma`].

/// See [`super::fma::fir`].
///
/// # Safety
/// The CPU must support AVX2 and FMA: call only with a stored
/// [`crate::cpu::Backend::Avx2`], which is handed out only after detection.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn fir(rev: &[f32], x: &[f32], out: &mut [f32]) {
    super::fma::fir::<8>(rev, x, out)
}

/// See [`super::fma::fir_decim`].
///
/// # Safety
/// As for [`fir`].
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn fir_decim(rev: &[f32], x: &[f32], m: usize, out: &mut [f32]) {
    super::fma::fir_decim(rev, x, m, out)
}
