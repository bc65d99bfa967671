//! AVX-512 shims of the FFE: sixteen `f32` lanes per `zmm` register. The arithmetic is
//! in [`super::fma`], the same chain per output as AVX2, so both give the same bits.

/// See [`super::fma::fir`].
///
/// # Safety
/// The CPU must support AVX-512F and FMA: call only with a stored
/// [`crate::cpu::Backend::Avx512`], which is handed out only after detection.
#[target_feature(enable = "avx512f,avx512vl,fma")]
pub(super) unsafe fn fir(rev: &[f32], x: &[f32], out: &mut [f32]) {
    super::fma::fir::<16>(rev, x, out)
}

/// See [`super::fma::fir_decim`].
///
/// # Safety
/// As for [`fir`].
#[target_feature(enable = "avx512f,avx512vl,fma")]
pub(super) unsafe fn fir_decim(rev: &[f32], x: &[f32], m: usize, out: &mut [f32]) {
    super::fma::fir_decim(rev, x, m, out)
}
