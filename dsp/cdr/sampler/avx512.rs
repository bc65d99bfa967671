//! AVX-512 kernel of the fused sampler: sixteen symbols per `zmm` register, the
//! whole of a default block (`update_every` = 16) in one pass.
//!
//! The four neighbours of each position are fetched as two 8-byte pairs
//! (`x[i−1], x[i]` and `x[i+1], x[i+2]`) with `vgatherdpd` — half the gathered
//! elements of four 4-byte gathers — eight symbols per gather; the symbols are dealt
//! to the two gathers of a pair (0, 1, 4, 5, … and 2, 3, 6, 7, …) so that one
//! `vshufps` per neighbour puts them back in order. Slicer: three compares into mask
//! registers, a count, the level from a 4-entry table by `vpermps`. The detector's
//! previous sample comes from the previous register by `valignd`. Same operations in
//! the same order as [`super::scalar`], so the same bits.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

use super::{MmSums, Slicer};
use crate::cdr::interp::InterpKind;

/// The tree reduction of [`super::scalar::tree`] on one register.
#[inline]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2")]
fn tree(v: __m512) -> f32 {
    let r8 = _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps::<1>(v));
    let r4 = _mm_add_ps(_mm256_castps256_ps128(r8), _mm256_extractf128_ps::<1>(r8));
    let r2 = _mm_add_ps(r4, _mm_movehl_ps(r4, r4));
    let r1 = _mm_add_ss(r2, _mm_shuffle_ps::<1>(r2, r2));
    _mm_cvtss_f32(r1)
}

/// See [`super::scalar::mm_block`]; same preconditions.
///
/// # Safety
/// The CPU must support AVX-512 F/DQ/VL/BW: call only with a stored
/// [`crate::cpu::Backend::Avx512`], handed out only after detection. Every
/// position's support must lie inside `x` (the gathers are not bounds-checked);
/// `symbols` is as long as `data`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
#[inline]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn mm_block(
    kind: InterpKind,
    x: &[f32],
    start: f32,
    step: f32,
    sl: &Slicer,
    prev: (f32, f32),
    data: &mut [f32],
    symbols: &mut [u8],
) -> MmSums {
    let n = data.len();
    debug_assert_eq!(symbols.len(), n);
    if n == 0 {
        return MmSums {
            sq: 0.0,
            mm: 0.0,
            last: prev,
        };
    }
    let base = x.as_ptr();
    let iota = _mm512_setr_ps(
        0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0,
    );
    // Symbols of the first and second gather of a pair (see the module doc).
    let deal_a = _mm512_setr_epi32(0, 1, 4, 5, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0);
    let deal_b = _mm512_setr_epi32(2, 3, 6, 7, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0);
    let vstart = _mm512_set1_ps(start);
    let vstep = _mm512_set1_ps(step);
    let sixth = _mm512_set1_ps(1.0 / 6.0);
    let half = _mm512_set1_ps(0.5);
    let one_i = _mm512_set1_epi32(1);
    let t = _mm512_set1_ps(sl.threshold);
    let neg_t = _mm512_set1_ps(-sl.threshold);
    let zero = _mm512_setzero_ps();
    let inv_amp = _mm512_set1_ps(sl.inv_amp);
    let table = _mm512_castps128_ps512(_mm_setr_ps(
        sl.levels[0],
        sl.levels[1],
        sl.levels[2],
        sl.levels[3],
    ));
    let mut py = _mm512_set1_ps(prev.0);
    let mut pl = _mm512_set1_ps(prev.1);
    let mut acc_sq = zero;
    let mut acc_mm = zero;
    let mut k = 0;
    while k < n {
        let rem = n - k;
        let m: __mmask16 = if rem >= 16 {
            0xffff
        } else {
            ((1u32 << rem) - 1) as u16
        };
        let kf = _mm512_add_ps(iota, _mm512_set1_ps(k as f32));
        let p = _mm512_add_ps(vstart, _mm512_mul_ps(kf, vstep));
        let i = _mm512_cvttps_epi32(p);
        let mu = _mm512_sub_ps(p, _mm512_cvtepi32_ps(i));
        // Lanes past the end read the first lane's (valid) neighbours.
        let i = if rem < 16 {
            _mm512_mask_mov_epi32(_mm512_permutexvar_epi32(_mm512_setzero_si512(), i), m, i)
        } else {
            i
        };
        let ia = _mm512_castsi512_si256(_mm512_permutexvar_epi32(deal_a, i));
        let ib = _mm512_castsi512_si256(_mm512_permutexvar_epi32(deal_b, i));
        let one8 = _mm256_set1_epi32(1);
        let y = match kind {
            InterpKind::Linear => {
                // SAFETY: i..=i+1 inside `x` for every lane (the caller's precondition;
                // lanes past the end repeat lane 0).
                let (a, b) = unsafe {
                    (
                        _mm512_castpd_ps(_mm512_i32gather_pd::<4>(ia, base as *const _)),
                        _mm512_castpd_ps(_mm512_i32gather_pd::<4>(ib, base as *const _)),
                    )
                };
                let d1 = _mm512_shuffle_ps::<0x88>(a, b);
                let d2 = _mm512_shuffle_ps::<0xdd>(a, b);
                _mm512_add_ps(_mm512_mul_ps(_mm512_sub_ps(d2, d1), mu), d1)
            }
            InterpKind::Cubic => {
                let (ia0, ib0) = (_mm256_sub_epi32(ia, one8), _mm256_sub_epi32(ib, one8));
                let (ia2, ib2) = (_mm256_add_epi32(ia, one8), _mm256_add_epi32(ib, one8));
                // SAFETY: i−1..=i+2 inside `x` for every lane, as above.
                let (a01, b01, a23, b23) = unsafe {
                    (
                        _mm512_castpd_ps(_mm512_i32gather_pd::<4>(ia0, base as *const _)),
                        _mm512_castpd_ps(_mm512_i32gather_pd::<4>(ib0, base as *const _)),
                        _mm512_castpd_ps(_mm512_i32gather_pd::<4>(ia2, base as *const _)),
                        _mm512_castpd_ps(_mm512_i32gather_pd::<4>(ib2, base as *const _)),
                    )
                };
                let d0 = _mm512_shuffle_ps::<0x88>(a01, b01);
                let d1 = _mm512_shuffle_ps::<0xdd>(a01, b01);
                let d2 = _mm512_shuffle_ps::<0x88>(a23, b23);
                let d3 = _mm512_shuffle_ps::<0xdd>(a23, b23);
                let c3 = _mm512_add_ps(
                    _mm512_mul_ps(_mm512_sub_ps(d3, d0), sixth),
                    _mm512_mul_ps(_mm512_sub_ps(d1, d2), half),
                );
                let c2 = _mm512_sub_ps(_mm512_mul_ps(_mm512_add_ps(d0, d2), half), d1);
                let c1 = _mm512_sub_ps(_mm512_sub_ps(_mm512_sub_ps(d2, d1), c3), c2);
                let r = _mm512_add_ps(_mm512_mul_ps(c3, mu), c2);
                let r = _mm512_add_ps(_mm512_mul_ps(r, mu), c1);
                _mm512_add_ps(_mm512_mul_ps(r, mu), d1)
            }
        };
        let s = _mm512_maskz_mov_epi32(_mm512_cmp_ps_mask::<_CMP_GE_OQ>(y, neg_t), one_i);
        let s = _mm512_mask_add_epi32(s, _mm512_cmp_ps_mask::<_CMP_GE_OQ>(y, zero), s, one_i);
        let s = _mm512_mask_add_epi32(s, _mm512_cmp_ps_mask::<_CMP_GE_OQ>(y, t), s, one_i);
        let l = _mm512_permutexvar_ps(s, table);
        let e = _mm512_mul_ps(_mm512_sub_ps(y, l), inv_amp);
        acc_sq = _mm512_mask_add_ps(acc_sq, m, acc_sq, _mm512_mul_ps(e, e));
        // y_{k−1} and â_{k−1}: the previous register's last lane, then this one's.
        let yp = _mm512_castsi512_ps(_mm512_alignr_epi32::<15>(
            _mm512_castps_si512(y),
            _mm512_castps_si512(py),
        ));
        let lp = _mm512_castsi512_ps(_mm512_alignr_epi32::<15>(
            _mm512_castps_si512(l),
            _mm512_castps_si512(pl),
        ));
        let term = _mm512_sub_ps(_mm512_mul_ps(yp, l), _mm512_mul_ps(y, lp));
        acc_mm = _mm512_mask_add_ps(acc_mm, m, acc_mm, term);
        // SAFETY: lanes k..k+rem.min(16) of `data` and `symbols` (masked stores).
        unsafe {
            _mm512_mask_storeu_ps(data.as_mut_ptr().add(k) as *mut _, m, y);
            _mm512_mask_cvtepi32_storeu_epi8(symbols.as_mut_ptr().add(k) as *mut _, m, s);
        }
        py = y;
        pl = l;
        k += 16;
    }
    // The last symbol's lane in the last register.
    let last = _mm512_set1_epi32(((n - 1) % 16) as i32);
    let last_y = _mm512_cvtss_f32(_mm512_permutexvar_ps(last, py));
    let last_l = _mm512_cvtss_f32(_mm512_permutexvar_ps(last, pl));
    MmSums {
        sq: tree(acc_sq),
        mm: tree(acc_mm),
        last: (last_y, last_l),
    }
}

/// See [`super::scalar::all_finite`]: the largest magnitude's bits over 64 samples a
/// step in four registers (`vpandd` + `vpmaxud`), the tail in the scalar form.
///
/// # Safety
/// As for [`mm_block`] (the CPU features only).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
pub(crate) unsafe fn all_finite(x: &[f32]) -> bool {
    let abs = _mm512_set1_epi32(0x7fff_ffff);
    let mut m = [_mm512_setzero_si512(); 4];
    let n = x.len() / 64 * 64;
    let p = x.as_ptr();
    let mut k = 0;
    while k < n {
        for (j, mj) in m.iter_mut().enumerate() {
            // SAFETY: k + 16·j + 16 <= n <= x.len().
            let v = unsafe { _mm512_loadu_si512(p.add(k + 16 * j) as *const _) };
            *mj = _mm512_max_epu32(*mj, _mm512_and_si512(v, abs));
        }
        k += 64;
    }
    let m = _mm512_max_epu32(_mm512_max_epu32(m[0], m[1]), _mm512_max_epu32(m[2], m[3]));
    let big = _mm512_cmp_epu32_mask::<_MM_CMPINT_NLT>(m, _mm512_set1_epi32(0x7f80_0000));
    big == 0 && super::scalar::all_finite(&x[n..])
}
