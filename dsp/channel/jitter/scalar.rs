//! The scalar reference of the jitter resampler: Catmull–Rom cubic interpolation,
//! one output at a time, multiply then add in the order of the formula.

/// Catmull–Rom interpolation between `p1` and `p2` at fraction `t ∈ [0, 1)`, with
/// the neighbours `p0`, `p3` giving the tangents `(p2 − p0)/2` and `(p3 − p1)/2`:
///
/// `y = p1 + t/2 · (p2 − p0 + t · (2p0 − 5p1 + 4p2 − p3 + t · (3(p1 − p2) + p3 − p0)))`.
///
/// At `t = 0` it returns `p1` exactly.
#[inline(always)]
pub(crate) fn catmull_rom(p0: f32, p1: f32, p2: f32, p3: f32, t: f32) -> f32 {
    let c3 = 3.0 * (p1 - p2) + p3 - p0;
    let c2 = 2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3;
    let c1 = p2 - p0;
    p1 + 0.5 * t * (c1 + t * (c2 + t * c3))
}

/// `out[j] = catmull_rom(x[idx[j]], x[idx[j] + 1], x[idx[j] + 2], x[idx[j] + 3], frac[j])`.
///
/// The caller guarantees `idx[j] + 3 < x.len()` and equal lengths of `idx`, `frac`, `out`.
pub(crate) fn interpolate(x: &[f32], idx: &[u32], frac: &[f32], out: &mut [f32]) {
    for ((o, &i), &t) in out.iter_mut().zip(idx).zip(frac) {
        let i = i as usize;
        *o = catmull_rom(x[i], x[i + 1], x[i + 2], x[i + 3], t);
    }
}
