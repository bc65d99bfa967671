//! AVX-512 kernel of the FFE: sixteen `f32` lanes per `zmm` register, register-blocked.
//!
//! A tile of `K` output vectors (`16·K` outputs) keeps its `K` accumulators in
//! registers for the whole tap loop; per tap, the tap is broadcast once and each
//! accumulator takes one fused multiply-add with an unaligned load of the input
//! window (`x[i + j + 16·t ..]`), folded into the FMA as a memory operand. Tiles of 8
//! vectors, then single vectors, then one masked vector for the last `< 16` outputs
//! (masked-off lanes are neither read nor written), so there is no scalar tail.
//!
//! Every output is the chain `acc = fma(x[i + j], rev[j], acc)` for `j = 0, 1, …`
//! from `acc = 0`, whatever path computes it, which is what keeps the output
//! independent of chunk boundaries bit for bit — and equal, bit for bit, to the AVX2
//! kernel, which computes the same chain.

use std::arch::x86_64::*;

/// Lanes per vector.
const L: usize = 16;
/// Output vectors per tile: 8 accumulators + the broadcast tap use 9 of the 32
/// `zmm` registers; more tiles gave no gain (the FMA port is the bound).
const K: usize = 8;

/// `out[i] = Σ_j fma-chain rev[j] · x[i + j]`.
///
/// # Panics
/// If `x.len() < out.len() + rev.len() − 1` (and `out` is not empty).
///
/// # Safety
/// The CPU must support AVX-512F and FMA: call only with a stored
/// [`crate::cpu::Backend::Avx512`], which is handed out only after detection.
#[target_feature(enable = "avx512f,avx512vl,fma")]
pub(crate) unsafe fn fir(rev: &[f32], x: &[f32], out: &mut [f32]) {
    body(rev, x, out)
}

#[target_feature(enable = "avx512f,avx512vl,fma")]
fn body(rev: &[f32], x: &[f32], out: &mut [f32]) {
    let len = out.len();
    if len == 0 || rev.is_empty() {
        out.fill(0.0);
        return;
    }
    let n = rev.len();
    assert!(x.len() >= len + n - 1, "fir: input shorter than the window");
    let (xp, cp, op) = (x.as_ptr(), rev.as_ptr(), out.as_mut_ptr());
    let mut i = 0;
    // SAFETY (all loads and stores below): output `i + t·16 + l < len` reads inputs
    // `i + t·16 + l + j ≤ len − 1 + n − 1 < x.len()` (asserted above) and taps `j < n`;
    // the masked loads and stores touch only lanes `l < len − i`.
    while i + K * L <= len {
        let mut acc = [_mm512_setzero_ps(); K];
        for j in 0..n {
            let c = _mm512_set1_ps(unsafe { *cp.add(j) });
            let p = unsafe { xp.add(i + j) };
            for (t, a) in acc.iter_mut().enumerate() {
                *a = _mm512_fmadd_ps(unsafe { _mm512_loadu_ps(p.add(t * L)) }, c, *a);
            }
        }
        for (t, a) in acc.iter().enumerate() {
            unsafe { _mm512_storeu_ps(op.add(i + t * L), *a) };
        }
        i += K * L;
    }
    while i + L <= len {
        let mut a = _mm512_setzero_ps();
        for j in 0..n {
            let c = _mm512_set1_ps(unsafe { *cp.add(j) });
            a = _mm512_fmadd_ps(unsafe { _mm512_loadu_ps(xp.add(i + j)) }, c, a);
        }
        unsafe { _mm512_storeu_ps(op.add(i), a) };
        i += L;
    }
    if i < len {
        let m: __mmask16 = (1u32 << (len - i)) as u16 - 1;
        let mut a = _mm512_setzero_ps();
        for j in 0..n {
            let c = _mm512_set1_ps(unsafe { *cp.add(j) });
            a = _mm512_fmadd_ps(unsafe { _mm512_maskz_loadu_ps(m, xp.add(i + j)) }, c, a);
        }
        unsafe { _mm512_mask_storeu_ps(op.add(i), m, a) };
    }
}

/// See [`super::fma::fir_decim`].
///
/// # Safety
/// As for [`fir`].
#[target_feature(enable = "avx512f,avx512vl,fma")]
pub(super) unsafe fn fir_decim(rev: &[f32], x: &[f32], m: usize, out: &mut [f32]) {
    super::fma::fir_decim(rev, x, m, out)
}
