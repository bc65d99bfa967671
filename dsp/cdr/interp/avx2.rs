//! AVX2 kernel of the interpolators: eight grid positions per `ymm` register, the
//! four (cubic) or two (linear) neighbours of each fetched with `vgatherdps`, then
//! the polynomial with the scalar reference's multiplies and adds in the same order
//! (cubic: Lagrange weights from `mu`, [`super::scalar::cubic_weights`]) — so the
//! result is bit for bit the scalar one.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

use super::InterpKind;

/// See [`super::scalar::grid`]; same preconditions on `x`, `start` and `step`.
///
/// # Safety
/// The CPU must support AVX2: call only with a stored [`crate::cpu::Backend::Avx2`]
/// (or `Avx512`), which is handed out only after detection. The support of every
/// position must lie inside `x` (the gathers are not bounds-checked); the callers in
/// [`super`] check it.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn grid(kind: InterpKind, x: &[f32], start: f32, step: f32, out: &mut [f32]) {
    let n = out.len();
    let full = n / 8 * 8;
    let iota = _mm256_setr_ps(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0);
    let vstart = _mm256_set1_ps(start);
    let vstep = _mm256_set1_ps(step);
    let one = _mm256_set1_epi32(1);
    let base = x.as_ptr();
    let mut k = 0;
    while k < full {
        let kf = _mm256_add_ps(iota, _mm256_set1_ps(k as f32));
        let p = _mm256_add_ps(vstart, _mm256_mul_ps(kf, vstep));
        let i = _mm256_cvttps_epi32(p);
        let mu = _mm256_sub_ps(p, _mm256_cvtepi32_ps(i));
        // SAFETY: every index i−1..=i+2 (cubic) or i..=i+1 (linear) is inside `x`,
        // the caller's precondition; the base pointer is `x`'s start.
        let y = unsafe {
            let d1 = _mm256_i32gather_ps::<4>(base, i);
            let i2 = _mm256_add_epi32(i, one);
            let d2 = _mm256_i32gather_ps::<4>(base, i2);
            match kind {
                InterpKind::Linear => _mm256_add_ps(_mm256_mul_ps(_mm256_sub_ps(d2, d1), mu), d1),
                InterpKind::Cubic => {
                    let d0 = _mm256_i32gather_ps::<4>(base, _mm256_sub_epi32(i, one));
                    let d3 = _mm256_i32gather_ps::<4>(base, _mm256_add_epi32(i2, one));
                    let w = cubic_weights(mu);
                    _mm256_add_ps(
                        _mm256_add_ps(_mm256_mul_ps(w[0], d0), _mm256_mul_ps(w[1], d1)),
                        _mm256_add_ps(_mm256_mul_ps(w[2], d2), _mm256_mul_ps(w[3], d3)),
                    )
                }
            }
        };
        // SAFETY: k + 8 <= n = out.len().
        unsafe { _mm256_storeu_ps(out.as_mut_ptr().add(k), y) };
        k += 8;
    }
    // The tail: the scalar reference, which gives the same bits.
    for (j, o) in out[full..].iter_mut().enumerate() {
        let (i, mu) = super::scalar::split(start, step, full + j);
        *o = match kind {
            InterpKind::Linear => super::scalar::linear(x[i], x[i + 1], mu),
            InterpKind::Cubic => super::scalar::cubic(x[i - 1], x[i], x[i + 1], x[i + 2], mu),
        };
    }
}

/// [`super::scalar::cubic_weights`] on eight fractions, same operations in the same
/// order.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
pub(crate) fn cubic_weights(mu: __m256) -> [__m256; 4] {
    let one = _mm256_set1_ps(1.0);
    let a = _mm256_add_ps(mu, one);
    let c = _mm256_sub_ps(mu, one);
    let d = _mm256_sub_ps(mu, _mm256_set1_ps(2.0));
    let bc = _mm256_mul_ps(mu, c);
    let ad = _mm256_mul_ps(a, d);
    [
        _mm256_mul_ps(_mm256_mul_ps(bc, d), _mm256_set1_ps(-1.0 / 6.0)),
        _mm256_mul_ps(_mm256_mul_ps(ad, c), _mm256_set1_ps(0.5)),
        _mm256_mul_ps(_mm256_mul_ps(ad, mu), _mm256_set1_ps(-0.5)),
        _mm256_mul_ps(_mm256_mul_ps(bc, a), _mm256_set1_ps(1.0 / 6.0)),
    ]
}
