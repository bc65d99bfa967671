//! AVX2 + FMA shim of the jitter resampler: eight outputs per `ymm` register, the
//! four neighbours fetched with `vgatherdps`, the Catmull–Rom polynomial in Horner
//! form with fused multiply-adds.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

/// See [`super::scalar::interpolate`]; same contract.
///
/// # Safety
/// The CPU must support AVX2 and FMA: call only with a stored
/// [`crate::cpu::Backend::Avx2`] (or `Avx512`), handed out only after detection.
/// The caller guarantees `idx[j] + 3 < x.len() <= i32::MAX` for every `j`, so
/// that every gathered address lies inside `x`.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn interpolate(x: &[f32], idx: &[u32], frac: &[f32], out: &mut [f32]) {
    debug_assert!(idx.len() == out.len() && frac.len() == out.len());
    debug_assert!(idx.iter().all(|&i| (i as usize) + 3 < x.len()));
    // SAFETY: see the loop; the features are enabled by the caller's guarantee.
    let lanes = unsafe {
        let n = out.len();
        let lanes = n / 8 * 8;
        let base = x.as_ptr();
        let (half, two, three, four, five) = (
            _mm256_set1_ps(0.5),
            _mm256_set1_ps(2.0),
            _mm256_set1_ps(3.0),
            _mm256_set1_ps(4.0),
            _mm256_set1_ps(5.0),
        );
        let one_i = _mm256_set1_epi32(1);
        let mut j = 0;
        while j < lanes {
            // SAFETY: j + 8 <= n = idx.len() = frac.len() = out.len(); the gathers read
            // x[idx + 0..=3], inside x by the caller's guarantee.
            let i0 = _mm256_loadu_si256(idx.as_ptr().add(j) as *const __m256i);
            let i1 = _mm256_add_epi32(i0, one_i);
            let i2 = _mm256_add_epi32(i1, one_i);
            let i3 = _mm256_add_epi32(i2, one_i);
            let p0 = _mm256_i32gather_ps::<4>(base, i0);
            let p1 = _mm256_i32gather_ps::<4>(base, i1);
            let p2 = _mm256_i32gather_ps::<4>(base, i2);
            let p3 = _mm256_i32gather_ps::<4>(base, i3);
            let t = _mm256_loadu_ps(frac.as_ptr().add(j));
            // c3 = 3(p1 − p2) + p3 − p0
            let c3 = _mm256_fmadd_ps(three, _mm256_sub_ps(p1, p2), _mm256_sub_ps(p3, p0));
            // c2 = 2p0 − 5p1 + 4p2 − p3
            let c2 = _mm256_sub_ps(
                _mm256_fmadd_ps(four, p2, _mm256_fnmadd_ps(five, p1, _mm256_mul_ps(two, p0))),
                p3,
            );
            let c1 = _mm256_sub_ps(p2, p0);
            let h = _mm256_fmadd_ps(t, _mm256_fmadd_ps(t, c3, c2), c1);
            let y = _mm256_fmadd_ps(_mm256_mul_ps(half, t), h, p1);
            _mm256_storeu_ps(out.as_mut_ptr().add(j), y);
            j += 8;
        }
        lanes
    };
    // The tail through the same arithmetic (padded to a register with index 0,
    // inside x since x.len() > 3), so that every output is the same bits wherever
    // the chunk boundaries fall.
    let rest = out.len() - lanes;
    if rest > 0 {
        let mut ti = [0u32; 8];
        let mut tf = [0f32; 8];
        let mut to = [0f32; 8];
        ti[..rest].copy_from_slice(&idx[lanes..]);
        tf[..rest].copy_from_slice(&frac[lanes..]);
        // SAFETY: as for the whole call; the padding index 0 is inside x.
        unsafe { interpolate(x, &ti, &tf, &mut to) };
        out[lanes..].copy_from_slice(&to[..rest]);
    }
}
