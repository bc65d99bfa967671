//! The scalar reference of the interpolators: one output at a time, the Farrow
//! polynomial in a fixed order of separate multiplies and adds (no fused
//! multiply-add), so the SIMD kernels, written with the same operations in the same
//! order, give the same bits.

use super::InterpKind;

/// Cubic Lagrange interpolation between `d1` and `d2` at fraction `mu` in `[0, 1)`,
/// from the four samples `d0..d3` at offsets −1, 0, 1, 2, in the Farrow form of
/// Erup, Gardner and Harris (1993): `((c3·μ + c2)·μ + c1)·μ + d1`.
#[inline(always)]
pub(crate) fn cubic(d0: f32, d1: f32, d2: f32, d3: f32, mu: f32) -> f32 {
    let c3 = (d3 - d0) * (1.0 / 6.0) + (d1 - d2) * 0.5;
    let c2 = (d0 + d2) * 0.5 - d1;
    let c1 = ((d2 - d1) - c3) - c2;
    ((c3 * mu + c2) * mu + c1) * mu + d1
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
