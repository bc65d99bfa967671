//! AVX-512 shims of the FFE kernels: the register-blocked body of `fma.rs` compiled
//! with AVX-512 VL, whose 32 vector registers hold tiles of [`U`] = 16 output
//! vectors. The vectors stay 8 lanes wide (`ymm`): Zen 4 runs a 16-lane FMA as two
//! 8-lane halves, so `zmm` adds no FMA throughput, and 8-lane vectors give twice the
//! reuse of each input load (see `fma.rs`). The bits equal the AVX2 backend's.

/// Output vectors per tile: 16 accumulators, two broadcast taps and the input
/// vector use 19 of the 32 registers.
const U: usize = 16;

/// `out[i] = Σ_j fma-chain rev[j] · x[i + j]`, see [`super::fma::fir`].
///
/// # Panics
/// If `x.len() < out.len() + rev.len() − 1` (and `out` is not empty).
///
/// # Safety
/// The CPU must support AVX-512F/VL and FMA: call only with a stored
/// [`crate::cpu::Backend::Avx512`], which is handed out only after detection.
#[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
pub(crate) unsafe fn fir(rev: &[f32], x: &[f32], out: &mut [f32]) {
    // SAFETY: this function is compiled with AVX2 and FMA (and more), which the
    // caller guarantees.
    unsafe { super::fma::fir::<U>(rev, x, out) }
}

/// See [`super::fma::fir_decim`].
///
/// # Safety
/// As for [`fir`].
#[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
pub(super) unsafe fn fir_decim(rev: &[f32], x: &[f32], m: usize, out: &mut [f32]) {
    // SAFETY: compiled with AVX2 and FMA, which the caller guarantees.
    unsafe { super::fma::fir_decim(rev, x, m, out) }
}

/// See [`crate::error::all_finite`].
///
/// # Safety
/// As for [`fir`].
#[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
pub(super) unsafe fn all_finite(x: &[f32]) -> bool {
    crate::error::all_finite(x)
}
