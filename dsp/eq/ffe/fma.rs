//! The body shared by the SIMD backends: the FFE as fused multiply-adds on lane
//! arrays, written in safe Rust and `#[inline(always)]` so that it is compiled inside
//! each backend's `#[target_feature]` shim (`avx2.rs`, `avx512.rs`), where LLVM turns
//! the `[f32; L]` operations into `ymm`/`zmm` FMAs.
//!
//! Every output is the same chain `acc = fma(x[i + j], rev[j], acc)` for `j = 0, 1, …`
//! starting from `acc = 0`, whether it is computed in a vector lane or in the scalar
//! tail (`f32::mul_add` is exactly rounded, so both give the same bits). That is what
//! makes the SIMD output independent of chunk boundaries, bit for bit.

/// Output vectors computed together: `TILE · L` outputs share each tap broadcast.
const TILE: usize = 8;

/// `out[i] = Σ_j fma-chain rev[j] · x[i + j]`; `x.len() ≥ out.len() + rev.len() − 1`.
#[inline(always)]
pub(super) fn fir<const L: usize>(rev: &[f32], x: &[f32], out: &mut [f32]) {
    let n = rev.len();
    let mut i = 0;
    while i + TILE * L <= out.len() {
        let mut acc = [[0.0f32; L]; TILE];
        for (j, &c) in rev.iter().enumerate() {
            let xs = &x[i + j..i + j + TILE * L];
            for (t, a) in acc.iter_mut().enumerate() {
                for (l, v) in a.iter_mut().enumerate() {
                    *v = xs[t * L + l].mul_add(c, *v);
                }
            }
        }
        for (t, a) in acc.iter().enumerate() {
            out[i + t * L..i + (t + 1) * L].copy_from_slice(a);
        }
        i += TILE * L;
    }
    while i + L <= out.len() {
        let mut acc = [0.0f32; L];
        for (j, &c) in rev.iter().enumerate() {
            let xs = &x[i + j..i + j + L];
            for (l, v) in acc.iter_mut().enumerate() {
                *v = xs[l].mul_add(c, *v);
            }
        }
        out[i..i + L].copy_from_slice(&acc);
        i += L;
    }
    for (o, xs) in out[i..].iter_mut().zip(x[i..].windows(n)) {
        *o = fma_dot(rev, xs);
    }
}

/// Decimating form: `out[i] = Σ_j fma-chain rev[j] · x[i·m + j]` (fractionally spaced
/// FFE). One output at a time; the same chain as [`fir`], so `m = 1` gives its bits.
#[inline(always)]
pub(super) fn fir_decim(rev: &[f32], x: &[f32], m: usize, out: &mut [f32]) {
    for (i, o) in out.iter_mut().enumerate() {
        *o = fma_dot(rev, &x[i * m..i * m + rev.len()]);
    }
}

#[inline(always)]
fn fma_dot(rev: &[f32], xs: &[f32]) -> f32 {
    let mut acc = 0.0f32;
    for (&c, &v) in rev.iter().zip(xs) {
        acc = v.mul_add(c, acc);
    }
    acc
}
