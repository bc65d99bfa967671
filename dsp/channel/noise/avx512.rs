//! AVX-512 kernel of the noise stream: the AVX2 computation widened to two blocks
//! per `zmm` register.
//!
//! The eight xoshiro128++ lanes stay in one `ymm` register (their recurrence is
//! serial, so sixteen lanes would be a different stream); AVX-512VL gives the
//! rotations as one instruction (`vprold`). Four steps make the `u1` and `u2` bits
//! of blocks `k` and `k + 1`, joined as `[block k | block k+1]` in `zmm`, and
//! Box–Muller runs sixteen pairs at once with mask registers in place of blends.
//! Two 128-bit shuffles put the results back in stream order
//! (`cos_k, sin_k, cos_k+1, sin_k+1`). Every arithmetic step is the one of
//! `avx2.rs`, in the same order with the same fused multiply-adds, so the two
//! backends give the same bits; an odd last block goes through the AVX2 helpers.
//!
//! Safety: as in `avx2.rs` — `unsafe fn` shims with `#[target_feature]` and a
//! `# Safety` section, safe `#[target_feature]` bodies, and `unsafe` blocks only for
//! unaligned loads and stores through references to arrays of the right size.

use super::avx2::{
    self, COS_P, EXPONENT_MASK, LN2_HI, LN2_LO, LOG_P, QUADRANT_MASK, SIGN_BIT, SIN_P,
    SQRT_HALF_BITS, TAU_M32, TWO_M32,
};
use super::{Lanes, BLOCK};
use std::arch::x86_64::*;

/// Writes `out.len()` blocks of the stream and advances `lanes`.
///
/// # Safety
/// The CPU must support AVX-512 F/BW/DQ/VL and FMA ([`crate::cpu::Backend::Avx512`]
/// is available).
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,fma")]
pub(crate) unsafe fn fill(lanes: &mut Lanes, out: &mut [[f32; BLOCK]]) {
    run::<false>(lanes, out, 0.0)
}

/// Adds `sigma` times `x.len()` blocks of the stream to `x` and advances `lanes`.
///
/// # Safety
/// The CPU must support AVX-512 F/BW/DQ/VL and FMA ([`crate::cpu::Backend::Avx512`]
/// is available).
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,fma")]
pub(crate) unsafe fn add_scaled(lanes: &mut Lanes, x: &mut [[f32; BLOCK]], sigma: f32) {
    run::<true>(lanes, x, sigma)
}

#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,fma")]
#[inline]
fn run<const ADD: bool>(lanes: &mut Lanes, out: &mut [[f32; BLOCK]], sigma: f32) {
    let mut s = avx2::load_state(lanes);
    let sigma16 = _mm512_set1_ps(sigma);
    let (pairs, odd) = out.as_chunks_mut::<2>();
    for [blk0, blk1] in pairs {
        let a0 = next(&mut s);
        let b0 = next(&mut s);
        let a1 = next(&mut s);
        let b1 = next(&mut s);
        let (cos, sin) = box_muller(join(a0, a1), join(b0, b1));
        // [cos_k | cos_k+1], [sin_k | sin_k+1] -> [cos_k | sin_k], [cos_k+1 | sin_k+1].
        emit::<ADD>(blk0, _mm512_shuffle_f32x4::<0x44>(cos, sin), sigma16);
        emit::<ADD>(blk1, _mm512_shuffle_f32x4::<0xEE>(cos, sin), sigma16);
    }
    for blk in odd {
        let a = next(&mut s);
        let b = next(&mut s);
        let (cos, sin) = avx2::box_muller(a, b);
        avx2::emit::<ADD>(blk, cos, sin, _mm256_set1_ps(sigma));
    }
    avx2::store_state(lanes, s);
}

/// `[lo | hi]` as one register.
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,fma")]
#[inline]
fn join(lo: __m256i, hi: __m256i) -> __m512i {
    _mm512_inserti64x4::<1>(_mm512_castsi256_si512(lo), hi)
}

/// Stores one block, or adds `sigma` times it to `blk` (a product then a sum, as in
/// every backend).
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,fma")]
#[inline]
fn emit<const ADD: bool>(blk: &mut [f32; BLOCK], n: __m512, sigma: __m512) {
    let p = blk.as_mut_ptr();
    // SAFETY: `blk` is 16 readable and writable `f32`s; `loadu`/`storeu` need no
    // alignment.
    unsafe {
        if ADD {
            _mm512_storeu_ps(
                p,
                _mm512_add_ps(_mm512_loadu_ps(p), _mm512_mul_ps(sigma, n)),
            );
        } else {
            _mm512_storeu_ps(p, n);
        }
    }
}

/// One xoshiro128++ step of the eight lanes, with native rotations.
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,fma")]
#[inline]
fn next(s: &mut [__m256i; 4]) -> __m256i {
    let [s0, s1, s2, s3] = *s;
    let out = _mm256_add_epi32(_mm256_rol_epi32::<7>(_mm256_add_epi32(s0, s3)), s0);
    let t = _mm256_slli_epi32::<9>(s1);
    let s2 = _mm256_xor_si256(s2, s0);
    let s3 = _mm256_xor_si256(s3, s1);
    let s1 = _mm256_xor_si256(s1, s2);
    let s0 = _mm256_xor_si256(s0, s3);
    let s2 = _mm256_xor_si256(s2, t);
    let s3 = _mm256_rol_epi32::<11>(s3);
    *s = [s0, s1, s2, s3];
    out
}

/// The AVX-512 intrinsics of [`avx2::box_muller_polys!`].
mod ops512 {
    pub(super) use std::arch::x86_64::{
        _mm512_add_ps as add, _mm512_fmadd_ps as fmadd, _mm512_fmsub_ps as fmsub,
        _mm512_fnmadd_ps as fnmadd, _mm512_mul_ps as mul, _mm512_set1_ps as set1,
    };
}

// Box–Muller of sixteen pairs, `minus_two_ln` and `sin_cos_poly` on `zmm`.
avx2::box_muller_polys!(
    "avx512f,avx512bw,avx512dq,avx512vl,fma",
    __m512,
    __m512i,
    ops512
);

/// `√(−2 ln u1)` with `u1 = (a + 1)·2^-32` (see `avx2::radius`).
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,fma")]
#[inline]
fn radius(a: __m512i) -> __m512 {
    let one = _mm512_set1_ps(1.0);
    let step = _mm512_set1_ps(TWO_M32);
    let upper = _mm512_movepi32_mask(a);
    let z = _mm512_cvtepi32_ps(_mm512_xor_si512(a, _mm512_srai_epi32::<31>(a)));
    let v = _mm512_mul_ps(z, step);
    let u1 = _mm512_mask_blend_ps(upper, _mm512_fmadd_ps(z, step, step), _mm512_sub_ps(one, v));
    let bits = _mm512_castps_si512(u1);
    let off = _mm512_sub_epi32(bits, _mm512_set1_epi32(SQRT_HALF_BITS));
    let e = _mm512_srai_epi32::<23>(off);
    let m = _mm512_sub_epi32(
        bits,
        _mm512_and_si512(off, _mm512_set1_epi32(EXPONENT_MASK)),
    );
    let f = _mm512_sub_ps(_mm512_castsi512_ps(m), one);
    let near = _mm512_mask_cmpeq_epi32_mask(upper, e, _mm512_setzero_si512());
    let f = _mm512_mask_sub_ps(f, near, _mm512_setzero_ps(), v);
    _mm512_sqrt_ps(minus_two_ln(f, _mm512_cvtepi32_ps(e)))
}

/// `(cos 2πu2, sin 2πu2)` with `u2 = b·2^-32` (see `avx2::cos_sin_turn`).
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,fma")]
#[inline]
fn cos_sin_turn(b: __m512i) -> (__m512, __m512) {
    let c = _mm512_add_epi32(b, _mm512_set1_epi32(1 << 29));
    let rem = _mm512_sub_epi32(b, _mm512_and_si512(c, _mm512_set1_epi32(QUADRANT_MASK)));
    let phi = _mm512_mul_ps(_mm512_cvtepi32_ps(rem), _mm512_set1_ps(TAU_M32));
    let (sin, cos) = sin_cos_poly(phi);

    let odd = _mm512_test_epi32_mask(c, _mm512_set1_epi32(1 << 30));
    let cos_t = _mm512_mask_blend_ps(odd, cos, sin);
    let sin_t = _mm512_mask_blend_ps(odd, sin, cos);
    let sign = _mm512_set1_epi32(SIGN_BIT);
    let sin_sign = _mm512_and_si512(c, sign);
    let cos_sign = _mm512_and_si512(_mm512_add_epi32(c, _mm512_set1_epi32(1 << 30)), sign);
    (
        _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(cos_t), cos_sign)),
        _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(sin_t), sin_sign)),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{check_stream_against_scalar, Awgn, Gaussian};
    use crate::cpu::Backend;

    fn skip() -> bool {
        let missing = !Backend::Avx512.is_available();
        if missing {
            eprintln!("skipped: this CPU lacks AVX-512 F/BW/DQ/VL + FMA");
        }
        missing
    }

    #[test]
    fn stream_matches_scalar_within_tolerance() {
        if skip() {
            assert!(Gaussian::with_backend(1, Backend::Avx512).is_err());
            return;
        }
        // Odd length: pairs of blocks, an odd block and a leftover.
        check_stream_against_scalar(Backend::Avx512, 42, (1 << 20) + 16 + 13);
    }

    #[test]
    fn same_bits_as_avx2() {
        if skip() || !Backend::Avx2.is_available() {
            return;
        }
        let n = 100_000 + 16 + 5;
        let mut a = Gaussian::with_backend(3, Backend::Avx2).unwrap();
        let mut b = Gaussian::with_backend(3, Backend::Avx512).unwrap();
        let (mut x, mut y) = (vec![0f32; n], vec![0f32; n]);
        a.fill(&mut x);
        b.fill(&mut y);
        assert!(x.iter().zip(&y).all(|(x, y)| x.to_bits() == y.to_bits()));
    }

    #[test]
    fn awgn_matches_avx2() {
        if skip() || !Backend::Avx2.is_available() {
            return;
        }
        let x: Vec<f32> = (0..50_001).map(|i| (i % 4) as f32 - 1.5).collect();
        let mut a = Awgn::new(0.3, 5)
            .unwrap()
            .with_backend(Backend::Avx2)
            .unwrap();
        let mut b = Awgn::new(0.3, 5)
            .unwrap()
            .with_backend(Backend::Avx512)
            .unwrap();
        let (x, y) = (a.process(&x).unwrap(), b.process(&x).unwrap());
        assert!(x.iter().zip(&y).all(|(x, y)| x.to_bits() == y.to_bits()));
    }
}
