//! The scalar reference of the noise kernel: plain Rust, `f64` transcendentals.
//!
//! This file *is* the definition of the stream (see the module docs of
//! [`super`]): the eight xoshiro128++ lanes run one after the other in a loop and
//! Box–Muller is evaluated with `std`'s `f64` `ln`, `sqrt` and `sin_cos` before
//! rounding to `f32`, so that it is obviously right. The SIMD files must produce
//! the same `u32` values bit for bit and the same samples within
//! [`super::SIMD_TOLERANCE`].

use super::{Lanes, BLOCK, LANES};
use std::f64::consts::TAU;

/// The increment of splitmix64: 2^64 / φ, rounded to odd.
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// `2^-32`, the weight of one step of a 32-bit uniform.
const TWO_M32: f64 = 1.0 / 4_294_967_296.0;

/// The output function of splitmix64 (Steele, Lea and Flood 2014; Stafford's
/// "mix13" constants): a bijection of `u64` with full avalanche.
pub(crate) fn mix64(z: u64) -> u64 {
    let z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One splitmix64 output: advance the Weyl counter, then mix.
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(GOLDEN_GAMMA);
    mix64(*state)
}

/// One xoshiro128++ step (Blackman and Vigna 2019) of every lane, lane 0 first.
///
/// `lanes.s[w][l]` is word `w` of lane `l`; the result holds the eight outputs.
pub(crate) fn next(lanes: &mut Lanes) -> [u32; LANES] {
    let [s0, s1, s2, s3] = &mut lanes.s;
    let mut out = [0u32; LANES];
    for l in 0..LANES {
        out[l] = s0[l].wrapping_add(s3[l]).rotate_left(7).wrapping_add(s0[l]);
        let t = s1[l] << 9;
        s2[l] ^= s0[l];
        s3[l] ^= s1[l];
        s1[l] ^= s2[l];
        s0[l] ^= s3[l];
        s2[l] ^= t;
        s3[l] = s3[l].rotate_left(11);
    }
    out
}

/// Box–Muller of one pair of uniforms given as 32-bit integers: `(r cos θ, r sin θ)`.
///
/// `u1 = (a + 1)·2^-32 ∈ (0, 1]`, `u2 = b·2^-32 ∈ [0, 1)`, `r = √(−2 ln u1)`,
/// `θ = 2π u2`; everything in `f64`, rounded once to `f32` at the end.
pub(crate) fn box_muller(a: u32, b: u32) -> (f32, f32) {
    let u1 = (a as f64 + 1.0) * TWO_M32;
    let u2 = b as f64 * TWO_M32;
    let r = (-2.0 * u1.ln()).sqrt();
    let (sin, cos) = (TAU * u2).sin_cos();
    ((r * cos) as f32, (r * sin) as f32)
}

/// One block of the stream: two steps of the eight lanes, sixteen samples.
///
/// Sample `l` is `r_l cos θ_l` and sample `8 + l` is `r_l sin θ_l`, where lane
/// `l`'s first output gives `u1` and its second output gives `u2`.
pub(crate) fn block(lanes: &mut Lanes, out: &mut [f32; BLOCK]) {
    let a = next(lanes);
    let b = next(lanes);
    for l in 0..LANES {
        let (cos, sin) = box_muller(a[l], b[l]);
        out[l] = cos;
        out[LANES + l] = sin;
    }
}

/// Writes `out.len()` blocks of the stream.
pub(crate) fn fill(lanes: &mut Lanes, out: &mut [[f32; BLOCK]]) {
    for blk in out {
        block(lanes, blk);
    }
}

/// Adds `sigma` times `x.len()` blocks of the stream to `x`: `x + sigma·n`,
/// a product then a sum (no fused multiply-add, like every backend).
pub(crate) fn add_scaled(lanes: &mut Lanes, x: &mut [[f32; BLOCK]], sigma: f32) {
    let mut noise = [0f32; BLOCK];
    for blk in x {
        block(lanes, &mut noise);
        for (x, n) in blk.iter_mut().zip(&noise) {
            *x += sigma * n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro128plusplus_matches_the_reference_sequence() {
        // The first outputs of xoshiro128++ from the state {1, 2, 3, 4}: the test
        // vector of rand_xoshiro, produced there with Vigna's xoshiro128plusplus.c.
        let mut lanes = Lanes {
            s: [[1; LANES], [2; LANES], [3; LANES], [4; LANES]],
        };
        let expected = [
            641, 1573767, 3222811527, 3517856514, 836907274, 4247214768, 3867114732, 1355841295,
            495546011, 621204420,
        ];
        for want in expected {
            assert_eq!(next(&mut lanes), [want; LANES]);
        }
    }

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // splitmix64 from state 1234567: the published sequence of Rosetta Code's
        // "Pseudo-random numbers/Splitmix64" task.
        let mut s = 1234567u64;
        let expected = [
            6457827717110365317,
            3203168211198807973,
            9817491932198370423,
            4593380528125082431,
            16408922859458223821,
        ];
        for want in expected {
            assert_eq!(splitmix64(&mut s), want);
        }
    }

    #[test]
    fn box_muller_extremes() {
        // u1 = 2^-32: the largest radius, √(64 ln 2) ≈ 6.6604.
        let (c, s) = box_muller(0, 0);
        assert_eq!(c, (64.0 * 2f64.ln()).sqrt() as f32);
        assert_eq!(s, 0.0);
        // u1 = 1: radius 0.
        let (c, s) = box_muller(u32::MAX, 12345);
        assert_eq!((c.abs(), s.abs()), (0.0, 0.0));
        // θ = π/2 and π.
        let (c, s) = box_muller(0, 1 << 30);
        assert!(c.abs() < 1e-6 && (s - 6.660_437).abs() < 1e-5, "{c} {s}");
        let (c, s) = box_muller(0, 1 << 31);
        assert!((c + 6.660_437).abs() < 1e-5 && s.abs() < 1e-6, "{c} {s}");
    }
}
