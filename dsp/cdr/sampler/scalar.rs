//! The scalar reference of the fused sampler: one symbol at a time, the interpolator
//! of [`crate::cdr::interp`], the slicer's table, and the two sums in sixteen partial
//! sums (from −0) reduced by the fixed tree of [`tree`] — the order the SIMD kernels
//! follow, so they give the same bits.
//!
//! [`mm_block_chunked`] is the scalar backend's kernel: the same operations on chunks
//! of sixteen symbols, written as loops over the chunk's lanes that the compiler
//! vectorises at the baseline instruction set (the positions, weights, slicer and
//! sums; only the loads of the neighbours stay one at a time).

use super::{MmSums, Slicer, LANES};
use crate::cdr::interp::scalar::{cubic, cubic_weights, linear, split};
use crate::cdr::interp::InterpKind;

/// The sum of sixteen partial sums in the order of the SIMD reduction: halves added
/// lane by lane (16 → 8 → 4 → 2), then the last two.
#[inline(always)]
pub(crate) fn tree(a: &[f32; LANES]) -> f32 {
    let mut r8 = [0.0f32; 8];
    for j in 0..8 {
        r8[j] = a[j] + a[j + 8];
    }
    let mut r4 = [0.0f32; 4];
    for j in 0..4 {
        r4[j] = r8[j] + r8[j + 4];
    }
    let r2 = [r4[0] + r4[2], r4[1] + r4[3]];
    r2[0] + r2[1]
}

/// See [`super::Sampler::mm_block`]; the positions' support must lie inside `x`.
/// The reference the kernels are tested against (the scalar backend runs
/// [`mm_block_chunked`]).
#[cfg_attr(not(test), allow(dead_code))]
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn mm_block(
    kind: InterpKind,
    x: &[f32],
    start: f32,
    step: f32,
    sl: &Slicer,
    prev: (f32, f32),
    data: &mut [f32],
    symbols: &mut [u8],
) -> MmSums {
    let mut acc_sq = [-0.0f32; LANES];
    let mut acc_mm = [-0.0f32; LANES];
    let (mut py, mut pl) = prev;
    for (k, (d, s)) in data.iter_mut().zip(symbols.iter_mut()).enumerate() {
        let (i, mu) = split(start, step, k);
        let y = match kind {
            InterpKind::Linear => linear(x[i], x[i + 1], mu),
            InterpKind::Cubic => cubic(x[i - 1], x[i], x[i + 1], x[i + 2], mu),
        };
        let sym = sl.symbol(y);
        let l = sl.levels[sym as usize];
        let e = (y - l) * sl.inv_amp;
        acc_sq[k % LANES] += e * e;
        acc_mm[k % LANES] += py * l - y * pl;
        py = y;
        pl = l;
        *d = y;
        *s = sym;
    }
    MmSums {
        sq: tree(&acc_sq),
        mm: tree(&acc_mm),
        last: (py, pl),
    }
}

/// [`mm_block`] on chunks of sixteen symbols (the scalar backend's kernel); same
/// preconditions, same bits.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn mm_block_chunked(
    kind: InterpKind,
    x: &[f32],
    start: f32,
    step: f32,
    sl: &Slicer,
    prev: (f32, f32),
    data: &mut [f32],
    symbols: &mut [u8],
) -> MmSums {
    match kind {
        InterpKind::Linear => chunked::<false>(x, start, step, sl, prev, data, symbols),
        InterpKind::Cubic => chunked::<true>(x, start, step, sl, prev, data, symbols),
    }
}

#[inline(always)]
fn chunked<const CUBIC: bool>(
    x: &[f32],
    start: f32,
    step: f32,
    sl: &Slicer,
    prev: (f32, f32),
    data: &mut [f32],
    symbols: &mut [u8],
) -> MmSums {
    let mut acc_sq = [-0.0f32; LANES];
    let mut acc_mm = [-0.0f32; LANES];
    let (mut py, mut pl) = prev;
    let (t, amp) = (sl.threshold, sl.amplitude);
    for (c, (d16, s16)) in data
        .chunks_mut(LANES)
        .zip(symbols.chunks_mut(LANES))
        .enumerate()
    {
        let n = d16.len();
        let k0 = (c * LANES) as f32;
        // Positions and fractions (vectorised), then the neighbours one at a time.
        let mut idx = [0usize; LANES];
        let mut mu = [0.0f32; LANES];
        for j in 0..LANES {
            let p = start + (k0 + j as f32) * step;
            let i = p as i32;
            idx[j] = i as usize;
            mu[j] = p - i as f32;
        }
        let mut d = [[0.0f32; LANES]; 4];
        for j in 0..n {
            let i = idx[j];
            if CUBIC {
                let w: &[f32; 4] = x[i - 1..i + 3].try_into().expect("four samples");
                for (dd, &v) in d.iter_mut().zip(w) {
                    dd[j] = v;
                }
            } else {
                let w: &[f32; 2] = x[i..i + 2].try_into().expect("two samples");
                d[1][j] = w[0];
                d[2][j] = w[1];
            }
        }
        let mut y = [0.0f32; LANES];
        for j in 0..LANES {
            y[j] = if CUBIC {
                let w = cubic_weights(mu[j]);
                (w[0] * d[0][j] + w[1] * d[1][j]) + (w[2] * d[2][j] + w[3] * d[3][j])
            } else {
                linear(d[1][j], d[2][j], mu[j])
            };
        }
        // The slicer: the level by the expression of `Slicer::new` (the same bits as
        // its table), the sums lane by lane.
        let mut sym = [0u8; LANES];
        let mut l = [0.0f32; LANES];
        for j in 0..LANES {
            let sf = (y[j] >= -t) as u32 as f32
                + (y[j] >= 0.0) as u32 as f32
                + (y[j] >= t) as u32 as f32;
            sym[j] = sf as u8;
            l[j] = amp * (2.0 * sf - 3.0) * (1.0 / 3.0);
        }
        let mut yp = [0.0f32; LANES];
        let mut lp = [0.0f32; LANES];
        yp[0] = py;
        lp[0] = pl;
        yp[1..].copy_from_slice(&y[..LANES - 1]);
        lp[1..].copy_from_slice(&l[..LANES - 1]);
        for j in 0..LANES {
            let e = (y[j] - l[j]) * sl.inv_amp;
            let sq = acc_sq[j] + e * e;
            let mm = acc_mm[j] + (yp[j] * l[j] - y[j] * lp[j]);
            if j < n {
                acc_sq[j] = sq;
                acc_mm[j] = mm;
            }
        }
        d16.copy_from_slice(&y[..n]);
        s16.copy_from_slice(&sym[..n]);
        py = y[n - 1];
        pl = l[n - 1];
    }
    MmSums {
        sq: tree(&acc_sq),
        mm: tree(&acc_mm),
        last: (py, pl),
    }
}

/// Whether every sample is finite; written so that LLVM vectorises it at the width of
/// the caller's target features (an integer maximum of the magnitudes' bits: a
/// non-finite `f32` has all exponent bits set).
#[inline(always)]
pub(crate) fn all_finite(x: &[f32]) -> bool {
    let mut m = [0u32; LANES];
    let n = x.len() / LANES * LANES;
    for c in x[..n].chunks_exact(LANES) {
        for j in 0..LANES {
            m[j] = m[j].max(c[j].to_bits() & 0x7fff_ffff);
        }
    }
    for v in &x[n..] {
        m[0] = m[0].max(v.to_bits() & 0x7fff_ffff);
    }
    m.iter().all(|&b| b < 0x7f80_0000)
}
