//! The scalar reference of the fused sampler: one symbol at a time, the interpolator
//! of [`crate::cdr::interp`], the slicer's table, and the two sums in sixteen partial
//! sums reduced by the fixed tree of [`tree`] — the order the SIMD kernels follow, so
//! they give the same bits.

use super::{MmSums, Slicer, LANES};
use crate::cdr::interp::scalar::{cubic, linear, split};
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
    let mut acc_sq = [0.0f32; LANES];
    let mut acc_mm = [0.0f32; LANES];
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
