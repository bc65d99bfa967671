//! The body shared by the SIMD backends of the direct convolution: fused
//! multiply-adds on lane arrays in safe Rust, `#[inline(always)]` so that it is
//! compiled inside each backend's `#[target_feature]` shim (`avx2.rs`, `avx512.rs`),
//! where LLVM turns the `[f32; L]` operations into `ymm`/`zmm` FMAs.
//!
//! Every output is the same chain `acc = fma(x[i + j], rev[j], acc)` for
//! `j = 0, 1, …` from `acc = 0`, in a vector lane or in the scalar tail alike
//! (`f32::mul_add` is exactly rounded), so the result does not depend on where the
//! chunk boundaries fall, bit for bit.
//!
//! A tile of `TILE · L` outputs shares each tap broadcast: per tap, `TILE` unaligned
//! loads and `TILE` FMAs, which keeps both of Zen 3's FMA pipes and both load ports
//! busy; the accumulators (`TILE` registers) stay in registers.

const TILE: usize = 6;

/// `out[i] = Σ_j fma-chain rev[j] · x[i + j]`; `x.len() ≥ out.len() + rev.len() − 1`.
#[inline(always)]
pub(super) fn correlate<const L: usize>(rev: &[f32], x: &[f32], out: &mut [f32]) {
    let n = rev.len();
    let mut i = 0;
    while i + TILE * L <= out.len() {
        let mut acc = [[0.0f32; L]; TILE];
        let xs = &x[i..i + TILE * L + n - 1];
        for (j, &c) in rev.iter().enumerate() {
            let w = &xs[j..j + TILE * L];
            for (t, a) in acc.iter_mut().enumerate() {
                let v: &[f32; L] = w[t * L..(t + 1) * L].try_into().unwrap();
                for l in 0..L {
                    a[l] = v[l].mul_add(c, a[l]);
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
            let v: &[f32; L] = x[i + j..i + j + L].try_into().unwrap();
            for l in 0..L {
                acc[l] = v[l].mul_add(c, acc[l]);
            }
        }
        out[i..i + L].copy_from_slice(&acc);
        i += L;
    }
    for (o, xs) in out[i..].iter_mut().zip(x[i..].windows(n)) {
        let mut acc = 0.0f32;
        for (&c, &v) in rev.iter().zip(xs) {
            acc = v.mul_add(c, acc);
        }
        *o = acc;
    }
}
