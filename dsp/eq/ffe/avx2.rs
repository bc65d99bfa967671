//! AVX2 + FMA shims of the FFE kernels: the register-blocked body of `fma.rs`
//! (eight `f32` lanes per `ymm` register) with tiles of [`U`] output vectors — 12
//! accumulators, two broadcast taps and the input vector fit in the 16 `ymm`
//! registers — and the decimating body.

/// Output vectors per tile.
const U: usize = 12;

/// `out[i] = Σ_j fma-chain rev[j] · x[i + j]`, see [`super::fma::fir`].
///
/// # Panics
/// If `x.len() < out.len() + rev.len() − 1` (and `out` is not empty).
///
/// # Safety
/// The CPU must support AVX2 and FMA: call only with a stored
/// [`crate::cpu::Backend::Avx2`], which is handed out only after detection.
#[target_feature(enable = "avx2,fma")]
pub(crate) unsafe fn fir(rev: &[f32], x: &[f32], out: &mut [f32]) {
    // SAFETY: this function is compiled with AVX2 and FMA, which the caller guarantees.
    unsafe { super::fma::fir::<U>(rev, x, out) }
}

/// See [`super::fma::fir_decim`].
///
/// # Safety
/// As for [`fir`].
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn fir_decim(rev: &[f32], x: &[f32], m: usize, out: &mut [f32]) {
    // SAFETY: compiled with AVX2 and FMA, which the caller guarantees.
    unsafe { super::fma::fir_decim(rev, x, m, out) }
}

/// See [`crate::error::all_finite`].
///
/// # Safety
/// As for [`fir`].
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn all_finite(x: &[f32]) -> bool {
    crate::error::all_finite(x)
}
