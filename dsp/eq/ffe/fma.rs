//! The decimating (fractionally spaced) body shared by the SIMD backends, in safe
//! Rust and `#[inline(always)]` so that it is compiled inside each backend's
//! `#[target_feature]` shim (`avx2.rs`, `avx512.rs`), where `f32::mul_add` becomes
//! one `vfmadd`. Each output is the chain `acc = fma(x[i·m + j], rev[j], acc)` for
//! `j = 0, 1, …` from `acc = 0` — the chain of the symbol-spaced kernels, so
//! `m = 1` gives their bits.

/// Decimating form: `out[i] = Σ_j fma-chain rev[j] · x[i·m + j]` (fractionally spaced
/// FFE). One output at a time; the same chain as the `fir` kernels, so `m = 1` gives their bits.
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
