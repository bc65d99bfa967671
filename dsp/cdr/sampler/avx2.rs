//! AVX2 kernel of the fused sampler: eight symbols per `ymm` register, the sums in
//! two registers of partial sums (lanes 0–7 and 8–15 of the scalar reference's
//! sixteen), so it gives the scalar bits.
//!
//! Neighbours as 8-byte pairs with `vgatherdpd` (four symbols per gather, dealt
//! 0, 1, 4, 5 and 2, 3, 6, 7 so that `vshufps` restores the order), the slicer by
//! three compares and a 4-entry `vpermps` table, the previous sample by a lane
//! rotation — see the AVX-512 kernel's notes.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

use super::{MmSums, Slicer};
use crate::cdr::interp::InterpKind;

/// The tree reduction of [`super::scalar::tree`] on partial sums 0–7 (`lo`) and
/// 8–15 (`hi`), in registers: the sum is on the loop's critical path.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn tree(lo: __m256, hi: __m256) -> f32 {
    let r8 = _mm256_add_ps(lo, hi);
    let r4 = _mm_add_ps(_mm256_castps256_ps128(r8), _mm256_extractf128_ps::<1>(r8));
    let r2 = _mm_add_ps(r4, _mm_movehl_ps(r4, r4));
    let r1 = _mm_add_ss(r2, _mm_shuffle_ps::<1>(r2, r2));
    _mm_cvtss_f32(r1)
}

/// See [`super::scalar::mm_block`]; same preconditions.
///
/// # Safety
/// The CPU must support AVX2: call only with a stored [`crate::cpu::Backend::Avx2`]
/// (or `Avx512`), handed out only after detection. Every position's support must lie
/// inside `x` (the gathers are not bounds-checked); `symbols` is as long as `data`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
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
    let iota_i = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    let iota = _mm256_cvtepi32_ps(iota_i);
    let deal_a = _mm256_setr_epi32(0, 1, 4, 5, 0, 0, 0, 0);
    let deal_b = _mm256_setr_epi32(2, 3, 6, 7, 0, 0, 0, 0);
    let rot = _mm256_setr_epi32(7, 0, 1, 2, 3, 4, 5, 6);
    // Byte 0 of each 32-bit lane to the low four bytes of each 128-bit half.
    let pick = _mm256_setr_epi8(
        0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 4, 8, 12, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1,
    );
    let join = _mm256_setr_epi32(0, 4, 0, 0, 0, 0, 0, 0);
    let vstart = _mm256_set1_ps(start);
    let vstep = _mm256_set1_ps(step);
    let sixth = _mm256_set1_ps(1.0 / 6.0);
    let half = _mm256_set1_ps(0.5);
    let one4 = _mm_set1_epi32(1);
    let t = _mm256_set1_ps(sl.threshold);
    let neg_t = _mm256_set1_ps(-sl.threshold);
    let zero = _mm256_setzero_ps();
    let inv_amp = _mm256_set1_ps(sl.inv_amp);
    let table = _mm256_setr_ps(
        sl.levels[0],
        sl.levels[1],
        sl.levels[2],
        sl.levels[3],
        0.0,
        0.0,
        0.0,
        0.0,
    );
    let mut py = _mm256_set1_ps(prev.0);
    let mut pl = _mm256_set1_ps(prev.1);
    // Partial sums of lanes 0–7 and 8–15 of the reference's sixteen.
    let (mut sq_lo, mut sq_hi, mut mm_lo, mut mm_hi) = (zero, zero, zero, zero);
    let mut k = 0;
    while k < n {
        let rem = n - k;
        let high = (k / 8) % 2 == 1;
        let live = _mm256_castsi256_ps(_mm256_cmpgt_epi32(
            _mm256_set1_epi32(rem.min(8) as i32),
            iota_i,
        ));
        let kf = _mm256_add_ps(iota, _mm256_set1_ps(k as f32));
        let p = _mm256_add_ps(vstart, _mm256_mul_ps(kf, vstep));
        let i = _mm256_cvttps_epi32(p);
        let mu = _mm256_sub_ps(p, _mm256_cvtepi32_ps(i));
        let i = if rem < 8 {
            // Lanes past the end read the first lane's (valid) neighbours.
            let i0 = _mm256_permutevar8x32_epi32(i, _mm256_setzero_si256());
            _mm256_blendv_epi8(i0, i, _mm256_castps_si256(live))
        } else {
            i
        };
        let ia = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(i, deal_a));
        let ib = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(i, deal_b));
        let y = match kind {
            InterpKind::Linear => {
                // SAFETY: i..=i+1 inside `x` for every lane (the caller's precondition;
                // lanes past the end repeat lane 0).
                let (a, b) = unsafe {
                    (
                        _mm256_castpd_ps(_mm256_i32gather_pd::<4>(base as *const _, ia)),
                        _mm256_castpd_ps(_mm256_i32gather_pd::<4>(base as *const _, ib)),
                    )
                };
                let d1 = _mm256_shuffle_ps::<0x88>(a, b);
                let d2 = _mm256_shuffle_ps::<0xdd>(a, b);
                _mm256_add_ps(_mm256_mul_ps(_mm256_sub_ps(d2, d1), mu), d1)
            }
            InterpKind::Cubic => {
                let (ia0, ib0) = (_mm_sub_epi32(ia, one4), _mm_sub_epi32(ib, one4));
                let (ia2, ib2) = (_mm_add_epi32(ia, one4), _mm_add_epi32(ib, one4));
                // SAFETY: i−1..=i+2 inside `x` for every lane, as above.
                let (a01, b01, a23, b23) = unsafe {
                    (
                        _mm256_castpd_ps(_mm256_i32gather_pd::<4>(base as *const _, ia0)),
                        _mm256_castpd_ps(_mm256_i32gather_pd::<4>(base as *const _, ib0)),
                        _mm256_castpd_ps(_mm256_i32gather_pd::<4>(base as *const _, ia2)),
                        _mm256_castpd_ps(_mm256_i32gather_pd::<4>(base as *const _, ib2)),
                    )
                };
                let d0 = _mm256_shuffle_ps::<0x88>(a01, b01);
                let d1 = _mm256_shuffle_ps::<0xdd>(a01, b01);
                let d2 = _mm256_shuffle_ps::<0x88>(a23, b23);
                let d3 = _mm256_shuffle_ps::<0xdd>(a23, b23);
                let c3 = _mm256_add_ps(
                    _mm256_mul_ps(_mm256_sub_ps(d3, d0), sixth),
                    _mm256_mul_ps(_mm256_sub_ps(d1, d2), half),
                );
                let c2 = _mm256_sub_ps(_mm256_mul_ps(_mm256_add_ps(d0, d2), half), d1);
                let c1 = _mm256_sub_ps(_mm256_sub_ps(_mm256_sub_ps(d2, d1), c3), c2);
                let r = _mm256_add_ps(_mm256_mul_ps(c3, mu), c2);
                let r = _mm256_add_ps(_mm256_mul_ps(r, mu), c1);
                _mm256_add_ps(_mm256_mul_ps(r, mu), d1)
            }
        };
        // Compares give −1 per threshold passed.
        let c1 = _mm256_castps_si256(_mm256_cmp_ps::<_CMP_GE_OQ>(y, neg_t));
        let c2 = _mm256_castps_si256(_mm256_cmp_ps::<_CMP_GE_OQ>(y, zero));
        let c3 = _mm256_castps_si256(_mm256_cmp_ps::<_CMP_GE_OQ>(y, t));
        let s = _mm256_sub_epi32(
            _mm256_setzero_si256(),
            _mm256_add_epi32(_mm256_add_epi32(c1, c2), c3),
        );
        let l = _mm256_permutevar8x32_ps(table, s);
        let e = _mm256_mul_ps(_mm256_sub_ps(y, l), inv_amp);
        let acc_sq = if high { &mut sq_hi } else { &mut sq_lo };
        let sq = _mm256_add_ps(*acc_sq, _mm256_mul_ps(e, e));
        *acc_sq = _mm256_blendv_ps(*acc_sq, sq, live);
        let yp = _mm256_blend_ps::<1>(
            _mm256_permutevar8x32_ps(y, rot),
            _mm256_permutevar8x32_ps(py, rot),
        );
        let lp = _mm256_blend_ps::<1>(
            _mm256_permutevar8x32_ps(l, rot),
            _mm256_permutevar8x32_ps(pl, rot),
        );
        let term = _mm256_sub_ps(_mm256_mul_ps(yp, l), _mm256_mul_ps(y, lp));
        let acc_mm = if high { &mut mm_hi } else { &mut mm_lo };
        let mm = _mm256_add_ps(*acc_mm, term);
        *acc_mm = _mm256_blendv_ps(*acc_mm, mm, live);
        let bytes = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(s, pick), join);
        let bytes = _mm_cvtsi128_si64(_mm256_castsi256_si128(bytes)).to_le_bytes();
        if rem >= 8 {
            // SAFETY: k + 8 <= n = data.len().
            unsafe { _mm256_storeu_ps(data.as_mut_ptr().add(k), y) };
            symbols[k..k + 8].copy_from_slice(&bytes);
        } else {
            let mut tmp = [0.0f32; 8];
            // SAFETY: `tmp` holds eight floats.
            unsafe { _mm256_storeu_ps(tmp.as_mut_ptr(), y) };
            data[k..].copy_from_slice(&tmp[..rem]);
            symbols[k..].copy_from_slice(&bytes[..rem]);
        }
        py = y;
        pl = l;
        k += 8;
    }
    let last = _mm256_set1_epi32(((n - 1) % 8) as i32);
    let last_y = _mm256_cvtss_f32(_mm256_permutevar8x32_ps(py, last));
    let last_l = _mm256_cvtss_f32(_mm256_permutevar8x32_ps(pl, last));
    MmSums {
        sq: tree(sq_lo, sq_hi),
        mm: tree(mm_lo, mm_hi),
        last: (last_y, last_l),
    }
}

/// See [`super::scalar::all_finite`]: the largest magnitude's bits over 32 samples a
/// step in four registers (`vpand` + `vpmaxud`), the tail in the scalar form.
///
/// # Safety
/// As for [`mm_block`] (the CPU features only).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
pub(crate) unsafe fn all_finite(x: &[f32]) -> bool {
    let abs = _mm256_set1_epi32(0x7fff_ffff);
    let mut m = [_mm256_setzero_si256(); 4];
    let n = x.len() / 32 * 32;
    let p = x.as_ptr();
    let mut k = 0;
    while k < n {
        for (j, mj) in m.iter_mut().enumerate() {
            // SAFETY: k + 8·j + 8 <= n <= x.len().
            let v = unsafe { _mm256_loadu_si256(p.add(k + 8 * j) as *const __m256i) };
            *mj = _mm256_max_epu32(*mj, _mm256_and_si256(v, abs));
        }
        k += 32;
    }
    let m = _mm256_max_epu32(_mm256_max_epu32(m[0], m[1]), _mm256_max_epu32(m[2], m[3]));
    // Unsigned m >= 0x7f80_0000 ⟺ max(m, 0x7f80_0000) == m.
    let lim = _mm256_set1_epi32(0x7f80_0000);
    let big = _mm256_movemask_epi8(_mm256_cmpeq_epi32(_mm256_max_epu32(m, lim), m));
    big == 0 && super::scalar::all_finite(&x[n..])
}
