//! AVX2 kernel of the fused sampler: eight symbols per `ymm` register, the sums in
//! two registers of partial sums (lanes 0–7 and 8–15 of the scalar reference's
//! sixteen), so it gives the scalar bits.
//!
//! Neighbours as 8-byte pairs with `vgatherdpd` (four symbols per gather, dealt
//! 0, 1, 4, 5 and 2, 3, 6, 7 so that `vshufps` restores the order), the slicer by
//! three compares and a 4-entry `vpermps` table, the previous sample by a lane
//! rotation, the cubic weights computed from the fractions while the gathers load —
//! see the AVX-512 kernel's notes.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

use super::{MmSums, Slicer};
use crate::cdr::interp::InterpKind;

/// The tree reduction of [`super::scalar::tree`] on partial sums 0–7 (`lo`) and
/// 8–15 (`hi`), in registers: the sum is on the loop's critical path.
///
/// # Safety
/// As for [`mm_block`].
#[inline(always)]
unsafe fn tree(lo: __m256, hi: __m256) -> f32 {
    // SAFETY: the caller runs with AVX2 enabled (see `mm_block`).
    unsafe {
        let r8 = _mm256_add_ps(lo, hi);
        let r4 = _mm_add_ps(_mm256_castps256_ps128(r8), _mm256_extractf128_ps::<1>(r8));
        let r2 = _mm_add_ps(r4, _mm_movehl_ps(r4, r4));
        let r1 = _mm_add_ss(r2, _mm_shuffle_ps::<1>(r2, r2));
        _mm_cvtss_f32(r1)
    }
}

/// See [`super::scalar::mm_block`]; same preconditions.
///
/// Always inlined, without target features of its own, so that it melts into the
/// CDR's loop compiled for AVX2 (`Cdr::process_avx2`): the loop waits for each
/// block's sums, and a call would return them through memory.
///
/// # Safety
/// Call only from code compiled with AVX2 and FMA enabled (`#[target_feature]`) on a
/// CPU that has them (a stored [`crate::cpu::Backend::Avx2`] or `Avx512`, handed out
/// only after detection); elsewhere the intrinsics are not inlined (slow, but correct
/// on such a CPU). Every position's support must lie inside `x` (the gathers are not
/// bounds-checked); `symbols` is as long as `data`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
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
            sq: -0.0,
            mm: -0.0,
            last: prev,
        };
    }
    // SAFETY: the CPU features are the caller's precondition; the gathers read the
    // positions' support, inside `x` by the caller's precondition (lanes past the end
    // repeat lane 0); the stores write `data[k..k + 8]` only when k + 8 <= n.
    unsafe {
        let iota_i = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        let c = Consts {
            base: x.as_ptr(),
            iota_i,
            iota: _mm256_cvtepi32_ps(iota_i),
            deal_a: _mm256_setr_epi32(0, 1, 4, 5, 0, 0, 0, 0),
            deal_b: _mm256_setr_epi32(2, 3, 6, 7, 0, 0, 0, 0),
            rot: _mm256_setr_epi32(7, 0, 1, 2, 3, 4, 5, 6),
            // Byte 0 of each 32-bit lane to the low four bytes of each 128-bit half.
            pick: _mm256_setr_epi8(
                0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 4, 8, 12, -1, -1,
                -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            ),
            join: _mm256_setr_epi32(0, 4, 0, 0, 0, 0, 0, 0),
            vstart: _mm256_set1_ps(start),
            vstep: _mm256_set1_ps(step),
            one4: _mm_set1_epi32(1),
            t: _mm256_set1_ps(sl.threshold),
            neg_t: _mm256_set1_ps(-sl.threshold),
            zero: _mm256_setzero_ps(),
            inv_amp: _mm256_set1_ps(sl.inv_amp),
            table: _mm256_setr_ps(
                sl.levels[0],
                sl.levels[1],
                sl.levels[2],
                sl.levels[3],
                0.0,
                0.0,
                0.0,
                0.0,
            ),
        };
        let neg_zero = _mm256_set1_ps(-0.0);
        // Partial sums 0–7 and 8–15 of the reference's sixteen, from −0 (x + −0 = x:
        // the first two registers' adds fold away).
        let (mut sq_lo, mut sq_hi, mut mm_lo, mut mm_hi) = (neg_zero, neg_zero, neg_zero, neg_zero);
        let (mut py, mut pl) = step8(
            &c,
            kind,
            n,
            0,
            &mut sq_lo,
            &mut mm_lo,
            _mm256_set1_ps(prev.0),
            _mm256_set1_ps(prev.1),
            data,
            symbols,
        );
        if n > 8 {
            (py, pl) = step8(
                &c, kind, n, 8, &mut sq_hi, &mut mm_hi, py, pl, data, symbols,
            );
        }
        let mut k = 16;
        while k < n {
            (py, pl) = step8(
                &c, kind, n, k, &mut sq_lo, &mut mm_lo, py, pl, data, symbols,
            );
            if k + 8 < n {
                (py, pl) = step8(
                    &c,
                    kind,
                    n,
                    k + 8,
                    &mut sq_hi,
                    &mut mm_hi,
                    py,
                    pl,
                    data,
                    symbols,
                );
            }
            k += 16;
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
}

/// The kernel's constants.
struct Consts {
    base: *const f32,
    iota_i: __m256i,
    iota: __m256,
    deal_a: __m256i,
    deal_b: __m256i,
    rot: __m256i,
    pick: __m256i,
    join: __m256i,
    vstart: __m256,
    vstep: __m256,
    one4: __m128i,
    t: __m256,
    neg_t: __m256,
    zero: __m256,
    inv_amp: __m256,
    table: __m256,
}

/// One register of eight symbols from `k` of `n` into the partial sums `acc_sq`,
/// `acc_mm` (lanes 0–7 or 8–15 of the reference's sixteen), the samples and
/// decisions stored; returns the samples and levels (the next register's previous
/// ones).
///
/// # Safety
/// As for [`mm_block`], with `c` built from its arguments.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn step8(
    c: &Consts,
    kind: InterpKind,
    n: usize,
    k: usize,
    acc_sq: &mut __m256,
    acc_mm: &mut __m256,
    py: __m256,
    pl: __m256,
    data: &mut [f32],
    symbols: &mut [u8],
) -> (__m256, __m256) {
    // SAFETY: see `mm_block`.
    unsafe {
        let rem = n - k;
        let live = _mm256_castsi256_ps(_mm256_cmpgt_epi32(
            _mm256_set1_epi32(rem.min(8) as i32),
            c.iota_i,
        ));
        let kf = _mm256_add_ps(c.iota, _mm256_set1_ps(k as f32));
        let p = _mm256_add_ps(c.vstart, _mm256_mul_ps(kf, c.vstep));
        let i = _mm256_cvttps_epi32(p);
        let mu = _mm256_sub_ps(p, _mm256_cvtepi32_ps(i));
        let i = if rem < 8 {
            // Lanes past the end read the first lane's (valid) neighbours.
            let i0 = _mm256_permutevar8x32_epi32(i, _mm256_setzero_si256());
            _mm256_blendv_epi8(i0, i, _mm256_castps_si256(live))
        } else {
            i
        };
        let ia = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(i, c.deal_a));
        let ib = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(i, c.deal_b));
        let y = match kind {
            InterpKind::Linear => {
                let a = _mm256_castpd_ps(_mm256_i32gather_pd::<4>(c.base as *const _, ia));
                let b = _mm256_castpd_ps(_mm256_i32gather_pd::<4>(c.base as *const _, ib));
                let d1 = _mm256_shuffle_ps::<0x88>(a, b);
                let d2 = _mm256_shuffle_ps::<0xdd>(a, b);
                _mm256_add_ps(_mm256_mul_ps(_mm256_sub_ps(d2, d1), mu), d1)
            }
            InterpKind::Cubic => {
                // The weights need only `mu`: computed while the gathers load.
                let w = crate::cdr::interp::avx2::cubic_weights(mu);
                let (ia0, ib0) = (_mm_sub_epi32(ia, c.one4), _mm_sub_epi32(ib, c.one4));
                let (ia2, ib2) = (_mm_add_epi32(ia, c.one4), _mm_add_epi32(ib, c.one4));
                let a01 = _mm256_castpd_ps(_mm256_i32gather_pd::<4>(c.base as *const _, ia0));
                let b01 = _mm256_castpd_ps(_mm256_i32gather_pd::<4>(c.base as *const _, ib0));
                let a23 = _mm256_castpd_ps(_mm256_i32gather_pd::<4>(c.base as *const _, ia2));
                let b23 = _mm256_castpd_ps(_mm256_i32gather_pd::<4>(c.base as *const _, ib2));
                let d0 = _mm256_shuffle_ps::<0x88>(a01, b01);
                let d1 = _mm256_shuffle_ps::<0xdd>(a01, b01);
                let d2 = _mm256_shuffle_ps::<0x88>(a23, b23);
                let d3 = _mm256_shuffle_ps::<0xdd>(a23, b23);
                _mm256_add_ps(
                    _mm256_add_ps(_mm256_mul_ps(w[0], d0), _mm256_mul_ps(w[1], d1)),
                    _mm256_add_ps(_mm256_mul_ps(w[2], d2), _mm256_mul_ps(w[3], d3)),
                )
            }
        };
        // Compares give −1 per threshold passed.
        let c1 = _mm256_castps_si256(_mm256_cmp_ps::<_CMP_GE_OQ>(y, c.neg_t));
        let c2 = _mm256_castps_si256(_mm256_cmp_ps::<_CMP_GE_OQ>(y, c.zero));
        let c3 = _mm256_castps_si256(_mm256_cmp_ps::<_CMP_GE_OQ>(y, c.t));
        let s = _mm256_sub_epi32(
            _mm256_setzero_si256(),
            _mm256_add_epi32(_mm256_add_epi32(c1, c2), c3),
        );
        let l = _mm256_permutevar8x32_ps(c.table, s);
        let e = _mm256_mul_ps(_mm256_sub_ps(y, l), c.inv_amp);
        let sq = _mm256_add_ps(*acc_sq, _mm256_mul_ps(e, e));
        *acc_sq = _mm256_blendv_ps(*acc_sq, sq, live);
        let yp = _mm256_blend_ps::<1>(
            _mm256_permutevar8x32_ps(y, c.rot),
            _mm256_permutevar8x32_ps(py, c.rot),
        );
        let lp = _mm256_blend_ps::<1>(
            _mm256_permutevar8x32_ps(l, c.rot),
            _mm256_permutevar8x32_ps(pl, c.rot),
        );
        let term = _mm256_sub_ps(_mm256_mul_ps(yp, l), _mm256_mul_ps(y, lp));
        let mm = _mm256_add_ps(*acc_mm, term);
        *acc_mm = _mm256_blendv_ps(*acc_mm, mm, live);
        let bytes = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(s, c.pick), c.join);
        let bytes = _mm_cvtsi128_si64(_mm256_castsi256_si128(bytes)).to_le_bytes();
        if rem >= 8 {
            _mm256_storeu_ps(data.as_mut_ptr().add(k), y);
            symbols[k..k + 8].copy_from_slice(&bytes);
        } else {
            let mut tmp = [0.0f32; 8];
            _mm256_storeu_ps(tmp.as_mut_ptr(), y);
            data[k..].copy_from_slice(&tmp[..rem]);
            symbols[k..].copy_from_slice(&bytes[..rem]);
        }
        (y, l)
    }
}

/// See [`super::scalar::all_finite`]: the largest magnitude's bits over 32 samples a
/// step in four registers (`vpand` + `vpmaxud`), the tail in the scalar form. Always
/// inlined, like [`mm_block`]: the CDR checks the samples just ahead of each block,
/// and inlined the loads overlap with the block's work.
///
/// # Safety
/// As for [`mm_block`] (the CPU features only).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) unsafe fn all_finite(x: &[f32]) -> bool {
    // SAFETY: the CPU features are the caller's precondition; the loads read
    // `x[k + 8·j..k + 8·j + 8]` with k + 32 <= n <= x.len().
    unsafe {
        let abs = _mm256_set1_epi32(0x7fff_ffff);
        let mut m = [_mm256_setzero_si256(); 4];
        let n = x.len() / 32 * 32;
        let p = x.as_ptr();
        let mut k = 0;
        while k < n {
            for (j, mj) in m.iter_mut().enumerate() {
                let v = _mm256_loadu_si256(p.add(k + 8 * j) as *const __m256i);
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
}
