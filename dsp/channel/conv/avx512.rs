//! AVX-512 shims of the fast FIR algorithm's polyphase split and recombination
//! (`ffa.rs`): sixteen groups of four inputs per step, moved between the sample
//! order and the four phases by `vpermt2ps` in registers (two rounds of two-source
//! permutes: a 4 × 16 transpose), the additions in the same order as the scalar
//! [`super::ffa::split`] and [`super::ffa::combine`], so the bits are theirs.

use std::arch::x86_64::*;

/// Groups of four per step (one `zmm` per phase).
const G: usize = 16;

/// Index vectors of the two transpose rounds.
#[inline(always)]
fn indices() -> [__m512i; 4] {
    // SAFETY (of the intrinsics): only called from functions compiled with AVX-512F.
    unsafe {
        [
            // [phase 0 of groups 0..8 | phase 1 of groups 0..8] of two vectors.
            _mm512_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29),
            _mm512_setr_epi32(2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31),
            // Low halves of two vectors, then high halves.
            _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23),
            _mm512_setr_epi32(8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31),
        ]
    }
}

/// See [`super::ffa::split_block`].
///
/// # Safety
/// The CPU must support AVX-512F: call only with a stored
/// [`crate::cpu::Backend::Avx512`], which is handed out only after detection.
#[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
pub(super) unsafe fn split_block(s: &mut [&mut [f32]; 9], i: usize, x: &[f32]) -> bool {
    let n = x.len() / 4;
    let [q01, q23, lo, hi] = indices();
    let sp: [*mut f32; 9] = s.each_mut().map(|v| v[i..i + n].as_mut_ptr());
    let xp = x.as_ptr();
    let abs = _mm512_set1_epi32(0x7fff_ffff);
    // The largest |x| bit pattern so far (integer max: NaN compares too).
    let mut top = _mm512_setzero_si512();
    let mut j = 0;
    // SAFETY: step j reads x[4j .. 4j + 64] ≤ x[..4n] and writes stream samples
    // j .. j + 16 ≤ n of each stream slice `v[i..i + n]` (bounds checked above).
    unsafe {
        while j + G <= n {
            let a = _mm512_loadu_ps(xp.add(4 * j));
            let b = _mm512_loadu_ps(xp.add(4 * j + 16));
            let c = _mm512_loadu_ps(xp.add(4 * j + 32));
            let d = _mm512_loadu_ps(xp.add(4 * j + 48));
            for v in [a, b, c, d] {
                top = _mm512_max_epu32(top, _mm512_and_si512(_mm512_castps_si512(v), abs));
            }
            let ab01 = _mm512_permutex2var_ps(a, q01, b);
            let ab23 = _mm512_permutex2var_ps(a, q23, b);
            let cd01 = _mm512_permutex2var_ps(c, q01, d);
            let cd23 = _mm512_permutex2var_ps(c, q23, d);
            let p0 = _mm512_permutex2var_ps(ab01, lo, cd01);
            let p1 = _mm512_permutex2var_ps(ab01, hi, cd01);
            let p2 = _mm512_permutex2var_ps(ab23, lo, cd23);
            let p3 = _mm512_permutex2var_ps(ab23, hi, cd23);
            let s01 = _mm512_add_ps(p0, p1);
            let s23 = _mm512_add_ps(p2, p3);
            let v = [
                p0,
                p2,
                _mm512_add_ps(p0, p2),
                p1,
                p3,
                _mm512_add_ps(p1, p3),
                s01,
                s23,
                _mm512_add_ps(s01, s23),
            ];
            for (p, v) in sp.iter().zip(v) {
                _mm512_storeu_ps(p.add(j), v);
            }
            j += G;
        }
    }
    for j in j..n {
        let p = &x[4 * j..4 * j + 4];
        super::ffa::split(s, i + j, [p[0], p[1], p[2], p[3]]);
    }
    _mm512_reduce_max_epu32(top) < 0x7f80_0000 && crate::error::all_finite(&x[4 * j..])
}

/// See [`super::ffa::combine_block`].
///
/// # Safety
/// As for [`split_block`].
#[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
pub(super) unsafe fn combine_block(o: &[&[f32]; 9], lo_group: usize, out: &mut [f32]) {
    let n = out.len() / 4;
    let [_, _, lo, hi] = indices();
    // Phase-major to sample order: [p0 p1 p2 p3] of groups 0..4, then 4..8.
    let (g03, g47) = (
        _mm512_setr_epi32(0, 8, 16, 24, 1, 9, 17, 25, 2, 10, 18, 26, 3, 11, 19, 27),
        _mm512_setr_epi32(4, 12, 20, 28, 5, 13, 21, 29, 6, 14, 22, 30, 7, 15, 23, 31),
    );
    let op: [*const f32; 9] = o.each_ref().map(|v| v[lo_group..lo_group + n + 1].as_ptr());
    let yp = out.as_mut_ptr();
    let mut j = 0;
    // SAFETY: step j reads entries j .. j + 17 ≤ n + 1 of each output slice and
    // writes out[4j .. 4j + 64] ≤ out[..4n].
    unsafe {
        while j + G <= n {
            let at = |f: usize| _mm512_loadu_ps(op[f].add(j + 1));
            let before = |f: usize| _mm512_loadu_ps(op[f].add(j));
            let (f0, f2, f3, f5, f6, f8) = (at(0), at(2), at(3), at(5), at(6), at(8));
            let (f1, f4, f7) = (at(1), at(4), at(7));
            let p0 = _mm512_add_ps(f0, before(1));
            let p1 = _mm512_sub_ps(_mm512_sub_ps(f2, f0), f1);
            let q0 = _mm512_add_ps(f3, before(4));
            let q1 = _mm512_sub_ps(_mm512_sub_ps(f5, f3), f4);
            let q1_prev = _mm512_sub_ps(_mm512_sub_ps(before(5), before(3)), before(4));
            let r0 = _mm512_add_ps(f6, before(7));
            let r1 = _mm512_sub_ps(_mm512_sub_ps(f8, f6), f7);
            let y0 = _mm512_add_ps(p0, q1_prev);
            let y1 = _mm512_sub_ps(_mm512_sub_ps(r0, p0), q0);
            let y2 = _mm512_add_ps(p1, q0);
            let y3 = _mm512_sub_ps(_mm512_sub_ps(r1, p1), q1);
            // [y0 | y1] and [y2 | y3] of groups 0..8, then of groups 8..16.
            let a01 = _mm512_permutex2var_ps(y0, lo, y1);
            let a23 = _mm512_permutex2var_ps(y2, lo, y3);
            let b01 = _mm512_permutex2var_ps(y0, hi, y1);
            let b23 = _mm512_permutex2var_ps(y2, hi, y3);
            _mm512_storeu_ps(yp.add(4 * j), _mm512_permutex2var_ps(a01, g03, a23));
            _mm512_storeu_ps(yp.add(4 * j + 16), _mm512_permutex2var_ps(a01, g47, a23));
            _mm512_storeu_ps(yp.add(4 * j + 32), _mm512_permutex2var_ps(b01, g03, b23));
            _mm512_storeu_ps(yp.add(4 * j + 48), _mm512_permutex2var_ps(b01, g47, b23));
            j += G;
        }
    }
    for j in j..n {
        out[4 * j..4 * j + 4].copy_from_slice(&super::ffa::combine(o, lo_group + j));
    }
}
