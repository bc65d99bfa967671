//! The scalar reference of the interpolators: one output at a time, the polynomial
//! in a fixed order of separate multiplies and adds (no fused multiply-add), so the
//! SIMD kernels, written with the same operations in the same order, give the same
//! bits.

use super::InterpKind;

/// The cubic Lagrange weights of the samples at offsets −1, 0, 1, 2 for the fraction
/// `mu` in `[0, 1)`: `w0 = −μ(μ−1)(μ−2)/6`, `w1 = (μ+1)(μ−1)(μ−2)/2`,
/// `w2 = −(μ+1)μ(μ−2)/2`, `w3 = (μ+1)μ(μ−1)/6`.
///
/// They depend on `mu` alone, which the CDR knows before the samples arrive from
/// memory: weighting the samples then takes one multiply and two adds after the
/// loads, where the Farrow form's Horner steps take six (the CDR's loop is
/// latency-bound). Same operations in the same order in every kernel.
#[inline(always)]
pub(crate) fn cubic_weights(mu: f32) -> [f32; 4] {
    let (a, c, d) = (mu + 1.0, mu - 1.0, mu - 2.0);
    let bc = mu * c;
    let ad = a * d;
    [
        (bc * d) * (-1.0 / 6.0),
        (ad * c) * 0.5,
        (ad * mu) * -0.5,
        (bc * a) * (1.0 / 6.0),
    ]
}

/// Cubic Lagrange interpolation between `d1` and `d2` at fraction `mu` in `[0, 1)`,
/// from the four samples `d0..d3` at offsets −1, 0, 1, 2: the polynomial of the cubic
/// Farrow interpolator (Erup, Gardner and Harris, 1993), evaluated as the weighted
/// sum `(w0·d0 + w1·d1) + (w2·d2 + w3·d3)` ([`cubic_weights`]).
#[inline(always)]
pub(crate) fn cubic(d0: f32, d1: f32, d2: f32, d3: f32, mu: f32) -> f32 {
    let w = cubic_weights(mu);
    (w[0] * d0 + w[1] * d1) + (w[2] * d2 + w[3] * d3)
}

/// Linear interpolation between `d1` and `d2` at fraction `mu`.
#[inline(always)]
pub(crate) fn linear(d1: f32, d2: f32, mu: f32) -> f32 {
    (d2 - d1) * mu + d1
}

/// The sample position `start + k·step` as the f32 value every backend computes,
/// and its split into an integer index and a fraction in `[0, 1)`.
///
/// Positions are non-negative, so truncation is the floor (what `cvttps2dq` does).
#[inline(always)]
pub(crate) fn split(start: f32, step: f32, k: usize) -> (usize, f32) {
    let p = start + (k as f32) * step;
    let i = p as i32;
    (i as usize, p - i as f32)
}

/// `out[k] = x(start + k·step)` on a regular grid of positions (in samples).
///
/// Every position's support must lie inside `x`: for cubic, `1 ≤ start` and
/// `start + (out.len() − 1)·step + 2 < x.len()` (linear: `0 ≤ start`,
/// `… + 1 < x.len()`); the safe API checks it.
pub(crate) fn grid(kind: InterpKind, x: &[f32], start: f32, step: f32, out: &mut [f32]) {
    match kind {
        InterpKind::Linear => {
            for (k, o) in out.iter_mut().enumerate() {
                let (i, mu) = split(start, step, k);
                *o = linear(x[i], x[i + 1], mu);
            }
        }
        InterpKind::Cubic => {
            for (k, o) in out.iter_mut().enumerate() {
                let (i, mu) = split(start, step, k);
                *o = cubic(x[i - 1], x[i], x[i + 1], x[i + 2], mu);
            }
        }
    }
}
