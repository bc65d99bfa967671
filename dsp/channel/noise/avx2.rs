//! AVX2 + FMA kernel of the noise stream: the eight xoshiro128++ lanes are the
//! eight 32-bit lanes of one `ymm` register, and Box–Muller runs in `f32` with
//! polynomial `ln`, `sin` and `cos`.
//!
//! - RNG: add, shift/shift/or for the rotations, xor — all native in AVX2, so a
//!   block costs two register steps and the `u32` values equal the scalar ones.
//! - `ln u1`: exponent/mantissa split (`u1 = 2^e m`, `m ∈ [√½, √2)`, by
//!   subtracting the bits of `√½` as musl's `logf` does) and Cephes `logf`'s
//!   degree-8 polynomial in `f = m − 1`, by Estrin's scheme. For `u1 ≥ √½` the
//!   reduced argument is `f = −v` with `v = 1 − u1 = !a · 2^-32` (exact in the
//!   integer domain) instead of `(1 − v) − 1`, which keeps `−2 ln u1 ≈ 2v`
//!   accurate to a few ulps even when `u1` is within `2^-32` of 1 — rounding `u1`
//!   itself to `f32` would lose everything below `2^-24` and give radii wrong by
//!   up to `2.4e-4`.
//! - `sin`/`cos` of `2π u2`: the quadrant and the remainder come exactly from the
//!   integer `b` (`q = (b + 2^29) >> 30`, remainder in `[−2^29, 2^29)`), so the
//!   polynomials (Cephes `sinf`/`cosf`, `|φ| ≤ π/4`) see no range-reduction error.
//!
//! The `avx512` file is the same computation on two blocks at once and reuses the
//! helpers below for an odd last block.
//!
//! Safety: the two entry points are `unsafe fn` shims with `#[target_feature]`; the
//! bodies are safe `#[target_feature]` functions (stable Rust refuses
//! `#[inline(always)]` with `#[target_feature]`, and a body *without* the feature
//! would need `unsafe` around every intrinsic). The only `unsafe` blocks besides the
//! shims are the unaligned loads and stores through references to arrays of the
//! right size.

use super::{Lanes, BLOCK, LANES};
use std::arch::x86_64::*;

/// `2^-32`, the weight of one step of a 32-bit uniform.
pub(crate) const TWO_M32: f32 = 1.0 / 4_294_967_296.0;
/// `2π · 2^-32`: radians per step of the 32-bit phase.
pub(crate) const TAU_M32: f32 = (std::f64::consts::TAU / 4_294_967_296.0) as f32;
/// `√½`, where the mantissa reduction of `ln` switches to `2m − 1`.
pub(crate) const SQRT_HALF: f32 = std::f32::consts::FRAC_1_SQRT_2;
/// The bits of `√½`.
pub(crate) const SQRT_HALF_BITS: i32 = SQRT_HALF.to_bits() as i32;
/// Sign and exponent fields of an `f32`.
pub(crate) const EXPONENT_MASK: i32 = 0xFF80_0000_u32 as i32;
/// The sign bit of an `f32`.
pub(crate) const SIGN_BIT: i32 = 0x8000_0000_u32 as i32;
/// The top two bits of a 32-bit phase: its quadrant.
pub(crate) const QUADRANT_MASK: i32 = 0xC000_0000_u32 as i32;
/// `ln 2` split in two (Cephes): `LN2_HI` has few mantissa bits so `e · LN2_HI` is exact.
pub(crate) const LN2_HI: f32 = 0.693_359_4;
/// The rest of `ln 2`.
pub(crate) const LN2_LO: f32 = -2.121_944_4e-4;
/// Cephes `logf`: `ln(1 + f) ≈ f − f²/2 + f³ P(f)`, `P` highest power first.
pub(crate) const LOG_P: [f32; 9] = [
    7.037_683_6e-2,
    -1.151_461e-1,
    1.167_699_9e-1,
    -1.242_014_1e-1,
    1.424_932_3e-1,
    -1.666_805_8e-1,
    2.000_071_5e-1,
    -2.499_999_4e-1,
    3.333_333e-1,
];
/// Cephes `sinf` on `|φ| ≤ π/4`: `sin φ ≈ φ + φ z S(z)`, `z = φ²`, highest power first.
pub(crate) const SIN_P: [f32; 3] = [-1.951_529_6e-4, 8.332_161e-3, -1.666_665_5e-1];
/// Cephes `cosf` on `|φ| ≤ π/4`: `cos φ ≈ 1 − z/2 + z² C(z)`, highest power first.
pub(crate) const COS_P: [f32; 3] = [2.443_315_7e-5, -1.388_731_6e-3, 4.166_664_6e-2];

/// Writes `out.len()` blocks of the stream and advances `lanes`.
///
/// # Safety
/// The CPU must support AVX2 and FMA ([`crate::cpu::Backend::Avx2`] is available).
#[target_feature(enable = "avx2,fma")]
pub(crate) unsafe fn fill(lanes: &mut Lanes, out: &mut [[f32; BLOCK]]) {
    run::<false>(lanes, out, 0.0)
}

/// Adds `sigma` times `x.len()` blocks of the stream to `x` and advances `lanes`.
///
/// # Safety
/// The CPU must support AVX2 and FMA ([`crate::cpu::Backend::Avx2`] is available).
#[target_feature(enable = "avx2,fma")]
pub(crate) unsafe fn add_scaled(lanes: &mut Lanes, x: &mut [[f32; BLOCK]], sigma: f32) {
    run::<true>(lanes, x, sigma)
}

#[target_feature(enable = "avx2,fma")]
#[inline]
fn run<const ADD: bool>(lanes: &mut Lanes, out: &mut [[f32; BLOCK]], sigma: f32) {
    let mut s = load_state(lanes);
    let sigma = _mm256_set1_ps(sigma);
    let (pairs, odd) = out.as_chunks_mut::<2>();
    for [blk0, blk1] in pairs {
        let a0 = next(&mut s);
        let b0 = next(&mut s);
        let a1 = next(&mut s);
        let b1 = next(&mut s);
        let (cos0, sin0) = box_muller(a0, b0);
        let (cos1, sin1) = box_muller(a1, b1);
        emit::<ADD>(blk0, cos0, sin0, sigma);
        emit::<ADD>(blk1, cos1, sin1, sigma);
    }
    for blk in odd {
        let a = next(&mut s);
        let b = next(&mut s);
        let (cos, sin) = box_muller(a, b);
        emit::<ADD>(blk, cos, sin, sigma);
    }
    store_state(lanes, s);
}

/// The lanes' state, one register per state word.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(crate) fn load_state(lanes: &Lanes) -> [__m256i; 4] {
    lanes.s.map(|w| {
        // SAFETY: `w` is 8 readable `u32`s (32 bytes); `loadu` needs no alignment.
        unsafe { _mm256_loadu_si256(w.as_ptr().cast()) }
    })
}

/// Writes the registers back into the lanes' state.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(crate) fn store_state(lanes: &mut Lanes, s: [__m256i; 4]) {
    for (w, v) in lanes.s.iter_mut().zip(s) {
        // SAFETY: `w` is 8 writable `u32`s (32 bytes); `storeu` needs no alignment.
        unsafe { _mm256_storeu_si256(w.as_mut_ptr().cast(), v) }
    }
}

/// Stores one block (`cos` lanes then `sin` lanes), or adds `sigma` times it to `blk`.
#[target_feature(enable = "avx2,fma")]
#[inline]
pub(crate) fn emit<const ADD: bool>(
    blk: &mut [f32; BLOCK],
    cos: __m256,
    sin: __m256,
    sigma: __m256,
) {
    let p = blk.as_mut_ptr();
    // SAFETY: `blk` is 16 readable and writable `f32`s: `p` and `p + 8` each start 8
    // of them; `loadu`/`storeu` need no alignment.
    unsafe {
        if ADD {
            // A product then a sum, not an FMA: the leftover samples of a block are
            // added with the same two roundings in `Sink::apply`, which keeps the
            // output independent of the chunking bit for bit.
            let lo = _mm256_add_ps(_mm256_loadu_ps(p), _mm256_mul_ps(sigma, cos));
            let hi = _mm256_add_ps(_mm256_loadu_ps(p.add(LANES)), _mm256_mul_ps(sigma, sin));
            _mm256_storeu_ps(p, lo);
            _mm256_storeu_ps(p.add(LANES), hi);
        } else {
            _mm256_storeu_ps(p, cos);
            _mm256_storeu_ps(p.add(LANES), sin);
        }
    }
}

#[target_feature(enable = "avx2,fma")]
#[inline]
fn rotl<const L: i32, const R: i32>(x: __m256i) -> __m256i {
    _mm256_or_si256(_mm256_slli_epi32::<L>(x), _mm256_srli_epi32::<R>(x))
}

/// One xoshiro128++ step of the eight lanes.
#[target_feature(enable = "avx2,fma")]
#[inline]
fn next(s: &mut [__m256i; 4]) -> __m256i {
    let [s0, s1, s2, s3] = *s;
    let out = _mm256_add_epi32(rotl::<7, 25>(_mm256_add_epi32(s0, s3)), s0);
    let t = _mm256_slli_epi32::<9>(s1);
    let s2 = _mm256_xor_si256(s2, s0);
    let s3 = _mm256_xor_si256(s3, s1);
    let s1 = _mm256_xor_si256(s1, s2);
    let s0 = _mm256_xor_si256(s0, s3);
    let s2 = _mm256_xor_si256(s2, t);
    let s3 = rotl::<11, 21>(s3);
    *s = [s0, s1, s2, s3];
    out
}

/// The parts of Box–Muller that are the same formulas at every register width,
/// written once so that the AVX2 and AVX-512 kernels run the same operations in the
/// same order, with the same fused multiply-adds (and so give the same bits):
/// `box_muller`, `minus_two_ln` and `sin_cos_poly` as safe `#[target_feature]` fns
/// on the float vector `$v` (integer vector `$vi`), with `$ops` a module naming
/// that width's intrinsics `set1`, `add`, `mul`, `fmadd`, `fmsub` and `fnmadd`.
/// `radius` and `cos_sin_turn`, where the widths differ (blends against mask
/// registers), are written per file.
macro_rules! box_muller_polys {
    ($features:literal, $v:ty, $vi:ty, $ops:ident) => {
        /// Box–Muller of a register of pairs: `(r cos θ, r sin θ)` from the `u1`
        /// bits `a` and the `u2` bits `b` (see [`super::scalar::box_muller`] for the
        /// definition).
        #[target_feature(enable = $features)]
        #[inline]
        pub(crate) fn box_muller(a: $vi, b: $vi) -> ($v, $v) {
            use $ops::mul;
            let r = radius(a);
            let (cos, sin) = cos_sin_turn(b);
            (mul(r, cos), mul(r, sin))
        }

        /// `−2 (e·ln 2 + ln(1 + f))` for `f ∈ [√½ − 1, √2 − 1)`: Cephes `logf`'s
        /// polynomial, `ln(1 + f) ≈ f − f²/2 + f³ P(f)`, with every term times −2
        /// (exact).
        ///
        /// Latency, not the number of operations, limits this kernel, so `P` goes by
        /// Estrin's scheme (depth 4 instead of 8 dependent FMAs) and the terms are
        /// summed as `(f³P' + f² − 2e·ln2_lo) + (−2e·ln2_hi − 2f)`, the second group
        /// computed while `P` is. Costs one rounding at the size of the result more
        /// than Cephes' order (`≤ 1` ulp of `−2 ln u1`, harmless under `√`).
        #[target_feature(enable = $features)]
        #[inline]
        fn minus_two_ln(f: $v, e: $v) -> $v {
            use $ops::{add, fmadd, fmsub, mul, set1};
            // c(k): the coefficient of f^k in −2·P(f).
            let c = |k: usize| set1(-2.0 * LOG_P[8 - k]);
            let z = mul(f, f);
            let z2 = mul(z, z);
            let p01 = fmadd(c(1), f, c(0));
            let p23 = fmadd(c(3), f, c(2));
            let p45 = fmadd(c(5), f, c(4));
            let p67 = fmadd(c(7), f, c(6));
            let p03 = fmadd(p23, z, p01);
            let p47 = fmadd(p67, z, p45);
            let p48 = fmadd(c(8), z2, p47);
            let p = fmadd(p48, z2, p03);
            let f3 = mul(f, z);
            let small = fmadd(e, set1(-2.0 * LN2_LO), z);
            let big = fmsub(e, set1(-2.0 * LN2_HI), add(f, f));
            add(fmadd(p, f3, small), big)
        }

        /// `(sin φ, cos φ)` for `|φ| ≤ π/4`: Cephes `sinf`/`cosf`'s polynomials.
        #[target_feature(enable = $features)]
        #[inline]
        fn sin_cos_poly(phi: $v) -> ($v, $v) {
            use $ops::{fmadd, fnmadd, mul, set1};
            let z = mul(phi, phi);

            let s = fmadd(set1(SIN_P[0]), z, set1(SIN_P[1]));
            let s = fmadd(s, z, set1(SIN_P[2]));
            let sin = fmadd(mul(s, z), phi, phi);

            let k = fmadd(set1(COS_P[0]), z, set1(COS_P[1]));
            let k = fmadd(k, z, set1(COS_P[2]));
            let one_minus = fnmadd(set1(0.5), z, set1(1.0));
            let cos = fmadd(k, mul(z, z), one_minus);
            (sin, cos)
        }
    };
}
pub(crate) use box_muller_polys;

/// The AVX2 intrinsics of [`box_muller_polys!`].
mod ops256 {
    pub(super) use std::arch::x86_64::{
        _mm256_add_ps as add, _mm256_fmadd_ps as fmadd, _mm256_fmsub_ps as fmsub,
        _mm256_fnmadd_ps as fnmadd, _mm256_mul_ps as mul, _mm256_set1_ps as set1,
    };
}

box_muller_polys!("avx2,fma", __m256, __m256i, ops256);

/// `√(−2 ln u1)` with `u1 = (a + 1)·2^-32`.
#[target_feature(enable = "avx2,fma")]
#[inline]
fn radius(a: __m256i) -> __m256 {
    let one = _mm256_set1_ps(1.0);
    let step = _mm256_set1_ps(TWO_M32);
    // All ones where the top bit of `a` is set, i.e. where u1 > 1/2.
    let upper = _mm256_srai_epi32::<31>(a);
    // `a` where u1 <= 1/2, `!a = 2^32 − 1 − a` where u1 > 1/2: below 2^31 either
    // way, so the signed conversion is right.
    let z = _mm256_cvtepi32_ps(_mm256_xor_si256(a, upper));
    // Upper lanes: v = 1 − u1 = !a·2^-32, rounded once (relative error 2^-24).
    let v = _mm256_mul_ps(z, step);
    // u1 itself: (a + 1)·2^-32 on lower lanes, 1 − v on upper ones.
    let u1 = _mm256_blendv_ps(
        _mm256_fmadd_ps(z, step, step),
        _mm256_sub_ps(one, v),
        _mm256_castsi256_ps(upper),
    );
    // u1 = 2^e·m with m ∈ [√½, √2): subtracting the bits of √½ makes the exponent
    // field borrow exactly where m < √½ (musl's `logf` reduction, split at √½).
    let bits = _mm256_castps_si256(u1);
    let off = _mm256_sub_epi32(bits, _mm256_set1_epi32(SQRT_HALF_BITS));
    let e = _mm256_srai_epi32::<23>(off);
    let m = _mm256_sub_epi32(
        bits,
        _mm256_and_si256(off, _mm256_set1_epi32(EXPONENT_MASK)),
    );
    let f = _mm256_sub_ps(_mm256_castsi256_ps(m), one);
    // Upper lanes with e = 0 (u1 ≥ √½): f = u1 − 1 = −v, with v's single relative
    // rounding, not (1 − v) − 1 with an absolute one of 2^-25 — this keeps
    // −2 ln u1 ≈ 2v right to a few ulps as u1 → 1.
    let near = _mm256_and_si256(upper, _mm256_cmpeq_epi32(e, _mm256_setzero_si256()));
    let f = _mm256_blendv_ps(
        f,
        _mm256_sub_ps(_mm256_setzero_ps(), v),
        _mm256_castsi256_ps(near),
    );
    _mm256_sqrt_ps(minus_two_ln(f, _mm256_cvtepi32_ps(e)))
}

/// `(cos 2πu2, sin 2πu2)` with `u2 = b·2^-32`.
#[target_feature(enable = "avx2,fma")]
#[inline]
fn cos_sin_turn(b: __m256i) -> (__m256, __m256) {
    // The top two bits of c = b + 2^29 are the nearest quadrant q, and
    // b − q·2^30 ∈ [−2^29, 2^29) is the remainder: exact, in wrapping integers.
    let c = _mm256_add_epi32(b, _mm256_set1_epi32(1 << 29));
    let rem = _mm256_sub_epi32(b, _mm256_and_si256(c, _mm256_set1_epi32(QUADRANT_MASK)));
    let phi = _mm256_mul_ps(_mm256_cvtepi32_ps(rem), _mm256_set1_ps(TAU_M32));
    let (sin, cos) = sin_cos_poly(phi);

    // θ = qπ/2 + φ: odd q (bit 30 of c, shifted to the sign for blendv) swaps sin
    // and cos; sin θ < 0 for q ∈ {2, 3} (bit 31 of c), cos θ < 0 for q ∈ {1, 2}
    // (bit 31 of c + 2^30).
    let odd = _mm256_castsi256_ps(_mm256_slli_epi32::<1>(c));
    let cos_t = _mm256_blendv_ps(cos, sin, odd);
    let sin_t = _mm256_blendv_ps(sin, cos, odd);
    let sign = _mm256_set1_epi32(SIGN_BIT);
    let sin_sign = _mm256_and_si256(c, sign);
    let cos_sign = _mm256_and_si256(_mm256_add_epi32(c, _mm256_set1_epi32(1 << 30)), sign);
    (
        _mm256_xor_ps(cos_t, _mm256_castsi256_ps(cos_sign)),
        _mm256_xor_ps(sin_t, _mm256_castsi256_ps(sin_sign)),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{check_stream_against_scalar, scalar, Awgn, Lanes, SIMD_TOLERANCE};
    use super::*;
    use crate::cpu::Backend;

    fn skip() -> bool {
        let missing = !Backend::Avx2.is_available();
        if missing {
            eprintln!("skipped: this CPU lacks AVX2 + FMA");
        }
        missing
    }

    #[target_feature(enable = "avx2,fma")]
    fn box_muller_arrays(a: &[u32; 8], b: &[u32; 8]) -> [f32; 16] {
        let lanes = Lanes {
            s: [*a, *b, [0; 8], [0; 8]],
        };
        let s = load_state(&lanes);
        let (cos, sin) = box_muller(s[0], s[1]);
        let mut out = [0f32; 16];
        emit::<false>(&mut out, cos, sin, _mm256_setzero_ps());
        out
    }

    /// Largest `|simd − scalar| / max(1, |scalar|)` over the pairs `(a[i], b[i])`.
    fn worst_box_muller_error(a: &[u32], b: &[u32]) -> f32 {
        let mut worst = 0f32;
        for (a, b) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
            let (a, b) = (a.try_into().unwrap(), b.try_into().unwrap());
            // SAFETY: the callers return early when AVX2 + FMA are missing.
            let got = unsafe { box_muller_arrays(a, b) };
            for l in 0..8 {
                let (cos, sin) = scalar::box_muller(a[l], b[l]);
                for (g, w) in [(got[l], cos), (got[8 + l], sin)] {
                    assert!(g.is_finite(), "a = {:#x}, b = {:#x}: {g}", a[l], b[l]);
                    worst = worst.max((g - w).abs() / w.abs().max(1.0));
                }
            }
        }
        worst
    }

    #[test]
    fn box_muller_edges_match_scalar() {
        if skip() {
            return;
        }
        // u1 at 2^-32, near 1/2, near the √½ switch, near 1; θ at every quadrant
        // boundary and the reduction boundaries (±2^29 around each).
        let mut edges_a = vec![
            0,
            1,
            2,
            3,
            0x7FFF_FFFE,
            0x7FFF_FFFF,
            0x8000_0000,
            0x8000_0001,
        ];
        edges_a.extend([u32::MAX, u32::MAX - 1, u32::MAX - 2, u32::MAX - 1000]);
        let switch = ((1.0 - SQRT_HALF as f64) * 4_294_967_296.0) as u32;
        edges_a.extend((0..8).map(|i| u32::MAX - switch - 4 + i));
        edges_a.extend((0..8).map(|i| (SQRT_HALF as f64 * 4_294_967_296.0) as u32 - 4 + i));
        let mut edges_b = vec![];
        for q in 0..8u32 {
            for d in [0u32, 1, 2, u32::MAX, u32::MAX - 1] {
                edges_b.push((q << 29).wrapping_add(d));
            }
        }
        let (mut a, mut b) = (vec![], vec![]);
        for &x in &edges_a {
            for &y in &edges_b {
                a.push(x);
                b.push(y);
            }
        }
        while a.len() % 8 != 0 {
            a.push(0);
            b.push(0);
        }
        let worst = worst_box_muller_error(&a, &b);
        eprintln!("avx2 Box–Muller edges: worst relative error {worst:e}");
        assert!(worst <= SIMD_TOLERANCE, "worst relative error {worst:e}");
    }

    #[test]
    fn box_muller_sweep_matches_scalar() {
        if skip() {
            return;
        }
        // 2^21 pairs spread over the whole u32 square by a Weyl sequence.
        let n = 1 << 21;
        let a: Vec<u32> = (0..n as u32).map(|i| i.wrapping_mul(2047)).collect();
        let b: Vec<u32> = (0..n as u32).map(|i| i.wrapping_mul(0x9E37_79B9)).collect();
        let worst = worst_box_muller_error(&a, &b);
        eprintln!("avx2 Box–Muller sweep: worst relative error {worst:e}");
        assert!(worst <= SIMD_TOLERANCE, "worst relative error {worst:e}");
    }

    #[test]
    fn stream_matches_scalar_within_tolerance() {
        if skip() {
            return;
        }
        check_stream_against_scalar(Backend::Avx2, 42, (1 << 20) + 13);
    }

    #[test]
    fn awgn_matches_scalar_within_tolerance() {
        if skip() {
            return;
        }
        let x: Vec<f32> = (0..100_003).map(|i| (i % 4) as f32 - 1.5).collect();
        let sigma = 0.7;
        let mut reference = Awgn::new(sigma, 9)
            .unwrap()
            .with_backend(Backend::Scalar)
            .unwrap();
        let mut simd = Awgn::new(sigma, 9)
            .unwrap()
            .with_backend(Backend::Avx2)
            .unwrap();
        let want = reference.process(&x).unwrap();
        let got = simd.process(&x).unwrap();
        for ((g, w), x) in got.iter().zip(&want).zip(&x) {
            // The noise within tolerance, plus one rounding of the sum.
            let noise = (w - x) / sigma;
            let bound = sigma * SIMD_TOLERANCE * noise.abs().max(1.0)
                + 2.0 * f32::EPSILON * (w.abs() + x.abs() + sigma * noise.abs());
            assert!((g - w).abs() <= bound, "{g} vs {w}");
        }
    }
}
