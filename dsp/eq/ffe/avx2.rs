//! AVX2 + FMA kernel of the FFE: eight `f32` lanes per `ymm` register, register-blocked
//! as the AVX-512 kernel (see `avx512.rs`): tiles of `K` output vectors whose
//! accumulators stay in registers over the tap loop, one broadcast per tap, the
//! unaligned input loads folded into the FMAs; then single vectors, then one masked
//! vector (`vmaskmovps`) for the last `< 8` outputs.
//!
//! Every output is the chain `acc = fma(x[i + j], rev[j], acc)` for `j = 0, 1, …`
//! from `acc = 0`: bit-exact chunk invariance, and the same bits as AVX-512.

use std::arch::x86_64::*;

/// Lanes per vector.
const L: usize = 8;
/// Output vectors per tile: 8 accumulators, the broadcast tap and the loads fit in the
/// 16 `ymm` registers.
const K: usize = 8;

/// `out[i] = Σ_j fma-chain rev[j] · x[i + j]`.
///
/// # Panics
/// If `x.len() < out.len() + rev.len() − 1` (and `out` is not empty).
///
/// # Safety
/// The CPU must support AVX2 and FMA: call only with a stored
/// [`crate::cpu::Backend::Avx2`], which is handed out only after detection.
#[target_feature(enable = "avx2,fma")]
pub(crate) unsafe fn fir(rev: &[f32], x: &[f32], out: &mut [f32]) {
    body(rev, x, out)
}

#[target_feature(enable = "avx2,fma")]
fn body(rev: &[f32], x: &[f32], out: &mut [f32]) {
    let len = out.len();
    if len == 0 || rev.is_empty() {
        out.fill(0.0);
        return;
    }
    let n = rev.len();
    assert!(x.len() >= len + n - 1, "fir: input shorter than the window");
    let (xp, cp, op) = (x.as_ptr(), rev.as_ptr(), out.as_mut_ptr());
    let mut i = 0;
    // SAFETY (all loads and stores below): output `i + t·8 + l < len` reads inputs
    // `i + t·8 + l + j ≤ len − 1 + n − 1 < x.len()` (asserted above) and taps `j < n`;
    // the masked loads and stores touch only lanes `l < len − i`.
    while i + K * L <= len {
        let mut acc = [_mm256_setzero_ps(); K];
        for j in 0..n {
            let c = _mm256_set1_ps(unsafe { *cp.add(j) });
            let p = unsafe { xp.add(i + j) };
            for (t, a) in acc.iter_mut().enumerate() {
                *a = _mm256_fmadd_ps(unsafe { _mm256_loadu_ps(p.add(t * L)) }, c, *a);
            }
        }
        for (t, a) in acc.iter().enumerate() {
            unsafe { _mm256_storeu_ps(op.add(i + t * L), *a) };
        }
        i += K * L;
    }
    while i + L <= len {
        let mut a = _mm256_setzero_ps();
        for j in 0..n {
            let c = _mm256_set1_ps(unsafe { *cp.add(j) });
            a = _mm256_fmadd_ps(unsafe { _mm256_loadu_ps(xp.add(i + j)) }, c, a);
        }
        unsafe { _mm256_storeu_ps(op.add(i), a) };
        i += L;
    }
    if i < len {
        let lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        let m = _mm256_cmpgt_epi32(_mm256_set1_epi32((len - i) as i32), lanes);
        let mut a = _mm256_setzero_ps();
        for j in 0..n {
            let c = _mm256_set1_ps(unsafe { *cp.add(j) });
            a = _mm256_fmadd_ps(unsafe { _mm256_maskload_ps(xp.add(i + j), m) }, c, a);
        }
        unsafe { _mm256_maskstore_ps(op.add(i), m, a) };
    }
}

/// See [`super::fma::fir_decim`].
///
/// # Safety
/// As for [`fir`].
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn fir_decim(rev: &[f32], x: &[f32], m: usize, out: &mut [f32]) {
    super::fma::fir_decim(rev, x, m, out)
}
