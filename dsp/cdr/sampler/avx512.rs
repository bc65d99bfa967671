//! AVX-512 kernel of the fused sampler: sixteen symbols per `zmm` register, the
//! whole of a default block (`update_every` = 16) in one pass.
//!
//! The four neighbours of each position are fetched as two 8-byte pairs
//! (`x[i−1], x[i]` and `x[i+1], x[i+2]`) with `vgatherdpd` — half the gathered
//! elements of four 4-byte gathers — eight symbols per gather; the symbols are dealt
//! to the two gathers of a pair (0, 1, 4, 5, … and 2, 3, 6, 7, …) so that one
//! `vshufps` per neighbour puts them back in order. Slicer: three compares into mask
//! registers, a count, the level from a 4-entry table by `vpermps`. The detector's
//! previous sample comes from the previous register by `valignd`. The cubic weights
//! depend on the fractions only and are computed while the gathers load. Same
//! operations in the same order as [`super::scalar`], so the same bits.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

use super::{MmSums, Slicer};
use crate::cdr::interp::InterpKind;

/// The tree reduction of [`super::scalar::tree`] on one register.
///
/// # Safety
/// As for [`mm_block`].
#[inline(always)]
unsafe fn tree(v: __m512) -> f32 {
    // SAFETY: the caller runs with AVX-512 F/DQ/VL enabled (see `mm_block`).
    unsafe {
        let r8 = _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps::<1>(v));
        let r4 = _mm_add_ps(_mm256_castps256_ps128(r8), _mm256_extractf128_ps::<1>(r8));
        let r2 = _mm_add_ps(r4, _mm_movehl_ps(r4, r4));
        let r1 = _mm_add_ss(r2, _mm_shuffle_ps::<1>(r2, r2));
        _mm_cvtss_f32(r1)
    }
}

/// See [`super::scalar::mm_block`]; same preconditions.
///
/// Always inlined, without target features of its own, so that it melts into the
/// CDR's loop compiled for AVX-512 (`Cdr::process_avx512`): the loop waits for each
/// block's sums, and a call would return them through memory.
///
/// # Safety
/// Call only from code compiled with AVX-512 F/BW/DQ/VL, AVX2 and FMA enabled
/// (`#[target_feature]`) on a CPU that has them (a stored
/// [`crate::cpu::Backend::Avx512`], handed out only after detection); elsewhere the
/// intrinsics are not inlined (slow, but correct on such a CPU). Every position's
/// support must lie inside `x` (the gathers are not bounds-checked); `symbols` is as
/// long as `data`.
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
    // repeat lane 0); the masked stores write lanes k..k+rem.min(16) of `data` and
    // `symbols`.
    unsafe {
        let c = Consts {
            base: x.as_ptr(),
            iota: _mm512_setr_ps(
                0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0,
                15.0,
            ),
            // Symbols of the first and second gather of a pair (see the module doc).
            deal_a: _mm512_setr_epi32(0, 1, 4, 5, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0),
            deal_b: _mm512_setr_epi32(2, 3, 6, 7, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0),
            vstart: _mm512_set1_ps(start),
            vstep: _mm512_set1_ps(step),
            one_i: _mm512_set1_epi32(1),
            one8: _mm256_set1_epi32(1),
            t: _mm512_set1_ps(sl.threshold),
            neg_t: _mm512_set1_ps(-sl.threshold),
            zero: _mm512_setzero_ps(),
            inv_amp: _mm512_set1_ps(sl.inv_amp),
            table: _mm512_castps128_ps512(_mm_setr_ps(
                sl.levels[0],
                sl.levels[1],
                sl.levels[2],
                sl.levels[3],
            )),
        };
        let neg_zero = _mm512_set1_ps(-0.0);
        // The first register apart: its partial sums start at −0 (x + −0 = x), which
        // the compiler folds away — one add less on the loop's critical path.
        let (mut acc_sq, mut acc_mm) = (neg_zero, neg_zero);
        let (mut py, mut pl) = step16(
            &c,
            kind,
            n,
            0,
            &mut acc_sq,
            &mut acc_mm,
            _mm512_set1_ps(prev.0),
            _mm512_set1_ps(prev.1),
            data,
            symbols,
        );
        let mut k = 16;
        while k < n {
            (py, pl) = step16(
                &c,
                kind,
                n,
                k,
                &mut acc_sq,
                &mut acc_mm,
                py,
                pl,
                data,
                symbols,
            );
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
}

/// The kernel's constants.
struct Consts {
    base: *const f32,
    iota: __m512,
    deal_a: __m512i,
    deal_b: __m512i,
    vstart: __m512,
    vstep: __m512,
    one_i: __m512i,
    one8: __m256i,
    t: __m512,
    neg_t: __m512,
    zero: __m512,
    inv_amp: __m512,
    table: __m512,
}

/// One register of sixteen symbols from `k` of `n`: the partial sums updated, the
/// samples and decisions stored; returns the samples and levels (the next
/// register's previous ones).
///
/// # Safety
/// As for [`mm_block`], with `c` built from its arguments.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn step16(
    c: &Consts,
    kind: InterpKind,
    n: usize,
    k: usize,
    acc_sq: &mut __m512,
    acc_mm: &mut __m512,
    py: __m512,
    pl: __m512,
    data: &mut [f32],
    symbols: &mut [u8],
) -> (__m512, __m512) {
    // SAFETY: see `mm_block`.
    unsafe {
        let rem = n - k;
        let m: __mmask16 = if rem >= 16 {
            0xffff
        } else {
            ((1u32 << rem) - 1) as u16
        };
        let kf = _mm512_add_ps(c.iota, _mm512_set1_ps(k as f32));
        let p = _mm512_add_ps(c.vstart, _mm512_mul_ps(kf, c.vstep));
        let i = _mm512_cvttps_epi32(p);
        let mu = _mm512_sub_ps(p, _mm512_cvtepi32_ps(i));
        // Lanes past the end read the first lane's (valid) neighbours.
        let i = if rem < 16 {
            _mm512_mask_mov_epi32(_mm512_permutexvar_epi32(_mm512_setzero_si512(), i), m, i)
        } else {
            i
        };
        let ia = _mm512_castsi512_si256(_mm512_permutexvar_epi32(c.deal_a, i));
        let ib = _mm512_castsi512_si256(_mm512_permutexvar_epi32(c.deal_b, i));
        let y = match kind {
            InterpKind::Linear => {
                let a = _mm512_castpd_ps(_mm512_i32gather_pd::<4>(ia, c.base as *const _));
                let b = _mm512_castpd_ps(_mm512_i32gather_pd::<4>(ib, c.base as *const _));
                let d1 = _mm512_shuffle_ps::<0x88>(a, b);
                let d2 = _mm512_shuffle_ps::<0xdd>(a, b);
                _mm512_add_ps(_mm512_mul_ps(_mm512_sub_ps(d2, d1), mu), d1)
            }
            InterpKind::Cubic => {
                // The weights need only `mu`: computed while the gathers load.
                let w = cubic_weights(mu);
                let (ia0, ib0) = (_mm256_sub_epi32(ia, c.one8), _mm256_sub_epi32(ib, c.one8));
                let (ia2, ib2) = (_mm256_add_epi32(ia, c.one8), _mm256_add_epi32(ib, c.one8));
                let a01 = _mm512_castpd_ps(_mm512_i32gather_pd::<4>(ia0, c.base as *const _));
                let b01 = _mm512_castpd_ps(_mm512_i32gather_pd::<4>(ib0, c.base as *const _));
                let a23 = _mm512_castpd_ps(_mm512_i32gather_pd::<4>(ia2, c.base as *const _));
                let b23 = _mm512_castpd_ps(_mm512_i32gather_pd::<4>(ib2, c.base as *const _));
                let d0 = _mm512_shuffle_ps::<0x88>(a01, b01);
                let d1 = _mm512_shuffle_ps::<0xdd>(a01, b01);
                let d2 = _mm512_shuffle_ps::<0x88>(a23, b23);
                let d3 = _mm512_shuffle_ps::<0xdd>(a23, b23);
                _mm512_add_ps(
                    _mm512_add_ps(_mm512_mul_ps(w[0], d0), _mm512_mul_ps(w[1], d1)),
                    _mm512_add_ps(_mm512_mul_ps(w[2], d2), _mm512_mul_ps(w[3], d3)),
                )
            }
        };
        let s = _mm512_maskz_mov_epi32(_mm512_cmp_ps_mask::<_CMP_GE_OQ>(y, c.neg_t), c.one_i);
        let s = _mm512_mask_add_epi32(s, _mm512_cmp_ps_mask::<_CMP_GE_OQ>(y, c.zero), s, c.one_i);
        let s = _mm512_mask_add_epi32(s, _mm512_cmp_ps_mask::<_CMP_GE_OQ>(y, c.t), s, c.one_i);
        let l = _mm512_permutexvar_ps(s, c.table);
        let e = _mm512_mul_ps(_mm512_sub_ps(y, l), c.inv_amp);
        *acc_sq = _mm512_mask_add_ps(*acc_sq, m, *acc_sq, _mm512_mul_ps(e, e));
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
        *acc_mm = _mm512_mask_add_ps(*acc_mm, m, *acc_mm, term);
        _mm512_mask_storeu_ps(data.as_mut_ptr().add(k) as *mut _, m, y);
        _mm512_mask_cvtepi32_storeu_epi8(symbols.as_mut_ptr().add(k) as *mut _, m, s);
        (y, l)
    }
}

/// [`super::scalar::cubic_weights`] on sixteen fractions, same operations in the
/// same order.
///
/// # Safety
/// As for [`mm_block`].
#[inline(always)]
unsafe fn cubic_weights(mu: __m512) -> [__m512; 4] {
    // SAFETY: the caller runs with AVX-512 F enabled (see `mm_block`).
    unsafe {
        let one = _mm512_set1_ps(1.0);
        let a = _mm512_add_ps(mu, one);
        let c = _mm512_sub_ps(mu, one);
        let d = _mm512_sub_ps(mu, _mm512_set1_ps(2.0));
        let bc = _mm512_mul_ps(mu, c);
        let ad = _mm512_mul_ps(a, d);
        [
            _mm512_mul_ps(_mm512_mul_ps(bc, d), _mm512_set1_ps(-1.0 / 6.0)),
            _mm512_mul_ps(_mm512_mul_ps(ad, c), _mm512_set1_ps(0.5)),
            _mm512_mul_ps(_mm512_mul_ps(ad, mu), _mm512_set1_ps(-0.5)),
            _mm512_mul_ps(_mm512_mul_ps(bc, a), _mm512_set1_ps(1.0 / 6.0)),
        ]
    }
}

/// See [`super::scalar::all_finite`]: the largest magnitude's bits over 64 samples a
/// step in four registers (`vpandd` + `vpmaxud`), the tail sixteen at a time with
/// masked loads. Always inlined, like [`mm_block`]: the CDR checks the samples just
/// ahead of each block, and inlined the loads overlap with the block's work.
///
/// # Safety
/// As for [`mm_block`] (the CPU features only).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) unsafe fn all_finite(x: &[f32]) -> bool {
    // SAFETY: the CPU features are the caller's precondition; the loads read
    // `x[k..k + 16]` with k + 16 <= x.len(), or the masked lanes below x.len().
    unsafe {
        let abs = _mm512_set1_epi32(0x7fff_ffff);
        let mut m = [_mm512_setzero_si512(); 4];
        let n = x.len() / 64 * 64;
        let p = x.as_ptr();
        let mut k = 0;
        while k < n {
            for (j, mj) in m.iter_mut().enumerate() {
                let v = _mm512_loadu_si512(p.add(k + 16 * j) as *const _);
                *mj = _mm512_max_epu32(*mj, _mm512_and_si512(v, abs));
            }
            k += 64;
        }
        while k < x.len() {
            let rem = (x.len() - k).min(16);
            let live = ((1u32 << rem) - 1) as __mmask16;
            let v = _mm512_maskz_loadu_epi32(live, p.add(k) as *const _);
            m[0] = _mm512_max_epu32(m[0], _mm512_and_si512(v, abs));
            k += 16;
        }
        let m = _mm512_max_epu32(_mm512_max_epu32(m[0], m[1]), _mm512_max_epu32(m[2], m[3]));
        _mm512_cmp_epu32_mask::<_MM_CMPINT_NLT>(m, _mm512_set1_epi32(0x7f80_0000)) == 0
    }
}
