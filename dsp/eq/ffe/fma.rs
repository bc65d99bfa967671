//! The bodies shared by the SIMD backends (`avx2.rs`, `avx512.rs`), `#[inline(always)]`
//! so that each is compiled inside a backend's `#[target_feature]` shim, where the
//! 256-bit intrinsics and `f32::mul_add` become single `vfmadd` instructions.
//!
//! # The register-blocked kernel ([`fir`])
//!
//! Outputs go eight to a `ymm` vector; a tile of `U` output vectors keeps its `U`
//! accumulators in registers while the taps stream past in groups of
//! [`GROUP`] = 16. Within a group, for each `r` in `0..8` the taps `c[r]` and
//! `c[8 + r]` are broadcast once, and each input vector `x[i + 8q + r ..][..8]` is
//! loaded once and feeds two accumulators: output vector `q` with tap `r` and output
//! vector `q − 1` with tap `8 + r`. One unaligned load thus serves two FMAs, which
//! lifts the kernel off the load ports (a 64-byte `zmm` load at an offset that is not
//! a multiple of 16 floats splits across two cache lines: the previous one-load-per-FMA
//! `zmm` kernel ran at about half the FMA rate) onto the FMA ports: on Zen 4, 16 taps
//! run at about 1 output per cycle, the 16 `f32` FMAs per cycle of the two 256-bit
//! FMA pipes (`benches/eq.rs`, `benches/channel.rs`). `ymm` rather than `zmm`: Zen 4
//! executes a `zmm` FMA as two 256-bit halves, so the peak is the same, while the
//! 8-lane vectors give twice the reuse per load for a given number of taps.
//!
//! # The chain of each output
//!
//! Every output is one fused multiply-add chain from `acc = 0` over the taps in
//! [`chain_order`]: group by group (`j0 = 0, 16, 32, …`), and within a group
//! `j = j0 + r` then `j = j0 + 8 + r` for `r = 0, 1, …, 7` (taps `≥ N` skipped). The
//! tile, single-vector, masked-tail and decimating ([`fir_decim`]) paths all follow
//! it, so an output has the same bits whichever path computes it (bit-exact chunk
//! invariance), and the AVX2 and AVX-512 backends give the same bits.

use std::arch::x86_64::*;

/// Lanes per vector.
const L: usize = 8;
/// Taps per group of the chain (two broadcast taps per input load).
pub(super) const GROUP: usize = 2 * L;

/// The order in which each output's chain takes the taps `0..n` (see the module doc).
#[inline(always)]
fn chain_order(n: usize) -> impl Iterator<Item = usize> {
    (0..n.div_ceil(GROUP)).flat_map(move |g| {
        (0..L)
            .flat_map(move |r| [g * GROUP + r, g * GROUP + L + r])
            .filter(move |&j| j < n)
    })
}

/// Register-blocked symbol-spaced kernel: `out[i] = Σ_j fma-chain rev[j]·x[i + j]`
/// in [`chain_order`], tiles of `U` vectors of 8 outputs, then single vectors, then
/// one masked vector for the last `< 8` outputs.
///
/// # Panics
/// If `out` is not empty and `x.len() < out.len() + rev.len() − 1`.
///
/// # Safety
/// The CPU must support AVX2 and FMA, and the caller must be compiled with them
/// enabled (`#[target_feature(enable = "avx2,fma")]` or a superset).
#[inline(always)]
pub(super) unsafe fn fir<const U: usize>(rev: &[f32], x: &[f32], out: &mut [f32]) {
    let len = out.len();
    if len == 0 || rev.is_empty() {
        out.fill(0.0);
        return;
    }
    let n = rev.len();
    assert!(x.len() >= len + n - 1, "fir: input shorter than the window");
    let (xp, cp, op) = (x.as_ptr(), rev.as_ptr(), out.as_mut_ptr());
    // SAFETY: the caller is compiled with AVX2 and FMA. Loads and stores: output
    // `o < len` reads inputs `o + j` with `j < n`, so `≤ len − 1 + n − 1 < x.len()`
    // (asserted above), and taps `j < n`; `group` reads no further than its outputs
    // need (see there); the masked loads and stores touch only lanes `l < len − i`.
    unsafe {
        let mut i = 0;
        while i + U * L <= len {
            let mut acc = [_mm256_setzero_ps(); U];
            let mut j0 = 0;
            while j0 < n {
                group::<U>(&mut acc, cp.add(j0), (n - j0).min(GROUP), xp.add(i + j0));
                j0 += GROUP;
            }
            for (t, a) in acc.iter().enumerate() {
                _mm256_storeu_ps(op.add(i + t * L), *a);
            }
            i += U * L;
        }
        while i + L <= len {
            let mut acc = [_mm256_setzero_ps(); 1];
            let mut j0 = 0;
            while j0 < n {
                group::<1>(&mut acc, cp.add(j0), (n - j0).min(GROUP), xp.add(i + j0));
                j0 += GROUP;
            }
            _mm256_storeu_ps(op.add(i), acc[0]);
            i += L;
        }
        if i < len {
            let lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
            let m = _mm256_cmpgt_epi32(_mm256_set1_epi32((len - i) as i32), lanes);
            let mut a = _mm256_setzero_ps();
            for j in chain_order(n) {
                let c = _mm256_set1_ps(*cp.add(j));
                a = _mm256_fmadd_ps(_mm256_maskload_ps(xp.add(i + j), m), c, a);
            }
            _mm256_maskstore_ps(op.add(i), m, a);
        }
    }
}

/// One group of `n ≤ 16` taps `cp[0..n]` into the `U` accumulators of the output
/// vectors at `xp` (output vector `q` covers inputs `xp[8q + j]`).
///
/// # Safety
/// As for [`fir`]; `cp[..n]` readable and `xp[.. 8(U − 1) + 7 + n]` readable (the
/// inputs of the tile's outputs for these taps).
#[inline(always)]
unsafe fn group<const U: usize>(acc: &mut [__m256; U], cp: *const f32, n: usize, xp: *const f32) {
    // SAFETY: as documented above; the caller is compiled with AVX2 and FMA.
    unsafe {
        for r in 0..L.min(n) {
            let c0 = _mm256_set1_ps(*cp.add(r));
            let second = L + r < n;
            let c1 = if second {
                _mm256_set1_ps(*cp.add(L + r))
            } else {
                _mm256_setzero_ps()
            };
            for q in 0..=U {
                if q == U && !second {
                    break;
                }
                // Inputs `8q + r .. 8q + r + 8`: for `q < U` within output vector q's
                // window for tap r < n; for `q = U` within vector U − 1's for tap
                // 8 + r < n.
                let s = _mm256_loadu_ps(xp.add(q * L + r));
                if q < U {
                    acc[q] = _mm256_fmadd_ps(s, c0, acc[q]);
                }
                if q >= 1 && second {
                    acc[q - 1] = _mm256_fmadd_ps(s, c1, acc[q - 1]);
                }
            }
        }
    }
}

/// Outputs per block of the decimating kernel: the `m` phase arrays of a block
/// (`m·(DECIM_BLOCK + ⌈n/m⌉)` floats) stay in L1/L2.
const DECIM_BLOCK: usize = 512;

/// Output vectors per tile of the decimating kernel.
const DECIM_U: usize = 8;

/// Decimating form: `out[i] = Σ_j fma-chain rev[j] · x[i·m + j]` in [`chain_order`]
/// (fractionally spaced FFE); `m = 1` gives the bits of [`fir`].
///
/// Block by block of [`DECIM_BLOCK`] outputs, the input is split into its `m`
/// phases, `ph_p[t] = x[(i0 + t)·m + p]`, so that tap `j` of outputs `k..k + 8` is the
/// contiguous `ph_{j mod m}[k + ⌊j/m⌋ ..][..8]`: vectors of eight outputs then run
/// one FMA per tap and load, in tiles of [`DECIM_U`] vectors, and the last `< 8`
/// outputs of a block run the same chain one at a time. Each output is the same
/// chain whichever way it is computed.
///
/// # Panics
/// If `out` is not empty and `x.len() < (out.len() − 1)·m + rev.len()`, or `m == 0`.
///
/// # Safety
/// As for [`fir`].
#[inline(always)]
pub(super) unsafe fn fir_decim(rev: &[f32], x: &[f32], m: usize, out: &mut [f32]) {
    let (len, n) = (out.len(), rev.len());
    if len == 0 || n == 0 {
        out.fill(0.0);
        return;
    }
    assert!(m >= 1, "fir_decim: m = 0");
    assert!(
        x.len() >= (len - 1) * m + n,
        "fir_decim: input shorter than the window"
    );
    // Phase array stride: the block's outputs plus the taps' reach in it.
    let stride = DECIM_BLOCK + (n - 1) / m + 1;
    let mut ph = vec![0.0f32; m * stride];
    // The chain: (tap, offset of its phase array + its delay in it).
    let order: Vec<(f32, usize)> = chain_order(n)
        .map(|j| (rev[j], (j % m) * stride + j / m))
        .collect();
    let mut i0 = 0;
    while i0 < len {
        let b = DECIM_BLOCK.min(len - i0);
        let reach = b + (n - 1) / m;
        // Whole groups of m inputs, then the last partial group (positions past the
        // input are never read by a valid (output, tap): zeros).
        let src = &x[(i0 * m).min(x.len())..];
        let whole = reach.min(src.len() / m);
        if m == 2 {
            // SAFETY: the caller is compiled with AVX2; see `deinterleave2`.
            unsafe { deinterleave2(&src[..2 * whole], &mut ph, stride) };
        } else {
            for (t, g) in src.chunks_exact(m).take(whole).enumerate() {
                for (p, &v) in g.iter().enumerate() {
                    ph[p * stride + t] = v;
                }
            }
        }
        for t in whole..reach {
            for p in 0..m {
                ph[p * stride + t] = src.get(t * m + p).copied().unwrap_or(0.0);
            }
        }
        let o = &mut out[i0..i0 + b];
        let (pp, op) = (ph.as_ptr(), o.as_mut_ptr());
        let mut k = 0;
        // SAFETY: the caller is compiled with AVX2 and FMA. Output k < b with tap j
        // loads `ph[off_j + k]`, `off_j + k ≤ (m − 1)·stride + (n − 1)/m + b − 1`,
        // inside `ph` (stride > b − 1 + (n − 1)/m); stores stay in `o[..b]`.
        unsafe {
            while k + DECIM_U * L <= b {
                let mut acc = [_mm256_setzero_ps(); DECIM_U];
                for &(c, off) in &order {
                    let cv = _mm256_set1_ps(c);
                    for (q, a) in acc.iter_mut().enumerate() {
                        *a = _mm256_fmadd_ps(_mm256_loadu_ps(pp.add(off + k + q * L)), cv, *a);
                    }
                }
                for (q, a) in acc.iter().enumerate() {
                    _mm256_storeu_ps(op.add(k + q * L), *a);
                }
                k += DECIM_U * L;
            }
            while k + L <= b {
                let mut a = _mm256_setzero_ps();
                for &(c, off) in &order {
                    a = _mm256_fmadd_ps(_mm256_loadu_ps(pp.add(off + k)), _mm256_set1_ps(c), a);
                }
                _mm256_storeu_ps(op.add(k), a);
                k += L;
            }
        }
        for (k, y) in o.iter_mut().enumerate().skip(k) {
            let mut a = 0.0f32;
            for &(c, off) in &order {
                a = ph[off + k].mul_add(c, a);
            }
            *y = a;
        }
        i0 += b;
    }
}

/// `ph[t] = src[2t]`, `ph[stride + t] = src[2t + 1]` for `t < src.len()/2`: the
/// two phases of a 2-samples-per-symbol input, 16 inputs per step with two
/// in-lane shuffles and a cross-lane permute each.
///
/// # Panics
/// If `ph.len() < stride + src.len()/2` or `stride < src.len()/2`.
///
/// # Safety
/// The caller must be compiled with AVX2.
#[inline(always)]
unsafe fn deinterleave2(src: &[f32], ph: &mut [f32], stride: usize) {
    let whole = src.len() / 2;
    assert!(stride >= whole && ph.len() >= stride + whole);
    let (even, odd) = ph.split_at_mut(stride);
    let mut t = 0;
    // SAFETY: inputs 2t..2t + 16 ≤ src.len() and outputs t..t + 8 ≤ whole, inside
    // `even` and `odd` (asserted above); AVX2 per the caller.
    unsafe {
        while t + L <= whole {
            let a = _mm256_loadu_ps(src.as_ptr().add(2 * t));
            let b = _mm256_loadu_ps(src.as_ptr().add(2 * t + L));
            // [a0 a2 b0 b2 | a4 a6 b4 b6] → [a0 a2 a4 a6 b0 b2 b4 b6], likewise odd.
            let e = _mm256_shuffle_ps::<0x88>(a, b);
            let o = _mm256_shuffle_ps::<0xDD>(a, b);
            let e = _mm256_castpd_ps(_mm256_permute4x64_pd::<0xD8>(_mm256_castps_pd(e)));
            let o = _mm256_castpd_ps(_mm256_permute4x64_pd::<0xD8>(_mm256_castps_pd(o)));
            _mm256_storeu_ps(even.as_mut_ptr().add(t), e);
            _mm256_storeu_ps(odd.as_mut_ptr().add(t), o);
            t += L;
        }
    }
    for t in t..whole {
        even[t] = src[2 * t];
        odd[t] = src[2 * t + 1];
    }
}

/// The decimating chain one output at a time, straight from the definition: the
/// reference of [`fir_decim`]'s bits in the tests.
#[cfg(test)]
pub(super) fn fir_decim_reference(rev: &[f32], x: &[f32], m: usize, out: &mut [f32]) {
    for (i, o) in out.iter_mut().enumerate() {
        let xs = &x[i * m..i * m + rev.len()];
        let mut acc = 0.0f32;
        for j in chain_order(rev.len()) {
            acc = xs[j].mul_add(rev[j], acc);
        }
        *o = acc;
    }
}
