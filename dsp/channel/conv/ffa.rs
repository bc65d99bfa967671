//! Nested 2×2 fast FIR algorithm (FFA): a 4-parallel convolution from nine
//! sub-filters of `⌈m/4⌉` taps, `9/16` of the direct form's multiply-adds.
//!
//! The response and the input split into four phases, `g_i[k] = h[4k + i]` and
//! `p_i[n] = x[4n + i]`. The 2-parallel FFA (Parker & Parhi) writes a product of
//! two-phase filters `A·B` with three half-rate products — `a = A0·B0`, `b = A1·B1`,
//! `c = (A0 + A1)(B0 + B1)`, then `(AB)_0 = a + z⁻¹b` and `(AB)_1 = c − a − b` — and
//! nesting it once gives nine quarter-rate sub-filters:
//!
//! | sub-filter | taps            | input stream          |
//! |------------|-----------------|-----------------------|
//! | `F0`       | `g0`            | `p0`                  |
//! | `F1`       | `g2`            | `p2`                  |
//! | `F2`       | `g0 + g2`       | `p0 + p2`             |
//! | `F3`       | `g1`            | `p1`                  |
//! | `F4`       | `g3`            | `p3`                  |
//! | `F5`       | `g1 + g3`       | `p1 + p3`             |
//! | `F6`       | `g0 + g1`       | `p0 + p1`             |
//! | `F7`       | `g2 + g3`       | `p2 + p3`             |
//! | `F8`       | `g0+g1+g2+g3`   | `p0 + p1 + p2 + p3`   |
//!
//! and with `P0 = F0 + z⁻¹F1`, `P1 = F2 − F0 − F1` (the same for `Q` from `F3..F5`
//! and `R` from `F6..F8`):
//! `y[4n] = P0 + z⁻¹Q1`, `y[4n+1] = R0 − P0 − Q0`, `y[4n+2] = P1 + Q0`,
//! `y[4n+3] = R1 − P1 − Q1`.
//!
//! Each sub-filter runs the register-blocked FIR kernel of the FFE
//! ([`crate::eq::ffe`]) on a stream of up to [`BLOCK`] quarter-rate samples that
//! starts with the last `t − 1` samples of the previous block (`t = ⌈m/4⌉`); each
//! sub-filter's last output of the previous block is kept for the `z⁻¹` terms.
//!
//! Every output phase depends only on inputs at or before it (`y[4n]` on `p0[n]` and
//! earlier groups, `y[4n+2]` on `p0..p2`, …), and each term is computed the same way
//! whatever follows it. A call that ends inside a group of four therefore computes
//! that group with zeros for the missing inputs, emits the outputs it has, and keeps
//! the group's inputs; the next call recomputes the group and emits the rest, with the
//! same bits as one call on the whole stream (bit-exact chunk invariance).

use crate::cpu::Backend;

/// Quarter-rate samples per block of the sub-filters: the nine input streams and
/// the nine outputs (about 20 KiB with 16-tap sub-filters) stay in L1, a block is
/// two tiles of the AVX-512 FIR kernel (16 vectors of 8) and 16 steps of the
/// AVX-512 split and recombination (16 groups each).
pub(super) const BLOCK: usize = 256;

/// State of the nested FFA, see the module doc.
#[derive(Debug, Clone)]
pub(super) struct Ffa {
    /// Sub-filter length `⌈m/4⌉`.
    t: usize,
    /// The nine sub-filters, reversed (the order the FIR kernel reads).
    rev: [Vec<f32>; 9],
    /// The nine input streams: `t − 1` samples of history before `sbase[f]`, then
    /// up to [`BLOCK`] new samples.
    streams: [Vec<f32>; 9],
    /// Index of the first new sample of each stream, on a 64-byte boundary (the
    /// split's `zmm` stores and the FIR's loads do not straddle cache lines).
    sbase: [usize; 9],
    /// The nine sub-filter outputs of a block from `obase[f]` (64-byte aligned),
    /// after the last output of the previous block's whole groups at `obase[f] − 1`.
    outs: [Vec<f32>; 9],
    /// See `outs`.
    obase: [usize; 9],
    /// The inputs of an unfinished group of four (outputs already emitted).
    tail: [f32; 4],
    /// How many of `tail` are set (`0..4`).
    k: usize,
    /// The state at the start of a call, put back if the input is not finite.
    saved: Vec<f32>,
}

/// The response phases `g_i` summed by each sub-filter `F0..F8` (the same phases
/// of the input are summed into its stream, see [`split`]).
const PHASES: [&[usize]; 9] = [
    &[0],
    &[2],
    &[0, 2],
    &[1],
    &[3],
    &[1, 3],
    &[0, 1],
    &[2, 3],
    &[0, 1, 2, 3],
];

/// Floats from the start of `v` to the first 64-byte boundary (0 if none).
fn align(v: &[f32]) -> usize {
    v.as_ptr().align_offset(64).min(15)
}

impl Ffa {
    /// Prepares the FFA for the response `h` (non-empty).
    pub(super) fn new(h: &[f32]) -> Ffa {
        let t = h.len().div_ceil(4);
        // Sub-filter f sums the response phases PHASES[f], in f64 so that each tap is
        // rounded once.
        let tap = |f: usize, k: usize| {
            let sum: f64 = PHASES[f]
                .iter()
                .map(|&i| h.get(4 * k + i).map_or(0.0, |&v| v as f64))
                .sum();
            sum as f32
        };
        let rev = std::array::from_fn(|f| (0..t).rev().map(|k| tap(f, k)).collect());
        let room = (t - 1).next_multiple_of(16);
        let streams: [Vec<f32>; 9] = std::array::from_fn(|_| vec![0.0; 16 + room + BLOCK]);
        let outs: [Vec<f32>; 9] = std::array::from_fn(|_| vec![0.0; 32 + BLOCK]);
        Ffa {
            t,
            rev,
            sbase: std::array::from_fn(|f| align(&streams[f]) + room),
            obase: std::array::from_fn(|f| align(&outs[f]) + 16),
            streams,
            outs,
            tail: [0.0; 4],
            k: 0,
            saved: Vec::with_capacity(9 * t),
        }
    }

    /// Back to the start of a stream.
    pub(super) fn reset(&mut self) {
        for s in self.streams.iter_mut().chain(&mut self.outs) {
            s.fill(0.0);
        }
        self.tail = [0.0; 4];
        self.k = 0;
    }

    /// Moves the state to the 64-byte boundaries of the buffers (they move when the
    /// convolver is cloned).
    fn realign(&mut self) {
        let h = self.t - 1;
        let room = h.next_multiple_of(16);
        for f in 0..9 {
            let b = align(&self.streams[f]) + room;
            let v = &mut self.streams[f];
            if b != self.sbase[f] {
                v.copy_within(self.sbase[f] - h..self.sbase[f], b - h);
                self.sbase[f] = b;
            }
            let b = align(&self.outs[f]) + 16;
            let v = &mut self.outs[f];
            if b != self.obase[f] {
                v[b - 1] = v[self.obase[f] - 1];
                self.obase[f] = b;
            }
        }
    }

    /// Convolves the next chunk `x` into `out` (same length), the sub-filters on
    /// the FIR kernel of `backend`. Returns `false`, with the state as before the
    /// call (and `out` unspecified), if `x` holds a NaN or an infinity: the input
    /// check is fused into the polyphase split, which reads `x` anyway.
    pub(super) fn process(&mut self, backend: Backend, x: &[f32], out: &mut [f32]) -> bool {
        debug_assert_eq!(x.len(), out.len());
        self.realign();
        let (k, h) = (self.k, self.t - 1);
        let (sbase, obase) = (self.sbase, self.obase);
        // The state a failed check puts back: each stream's history and last output.
        self.saved.clear();
        for f in 0..9 {
            self.saved
                .extend_from_slice(&self.streams[f][sbase[f] - h..sbase[f]]);
            self.saved.push(self.outs[f][obase[f] - 1]);
        }
        let mut finite = true;
        let total = k + x.len();
        let groups = total.div_ceil(4);
        let full = total / 4;
        // Input at position `q` of this call's groups (the tail first, zeros after x).
        let tail = self.tail;
        let raw = |q: usize| {
            if q < k {
                tail[q]
            } else {
                x.get(q - k).copied().unwrap_or(0.0)
            }
        };
        let mut g0 = 0;
        while g0 < groups {
            let nb = (groups - g0).min(BLOCK);
            // Groups g0 + n with 4(g0 + n) ≥ k and 4(g0 + n) + 4 ≤ total read x directly.
            let lo = if g0 == 0 && k > 0 { 1 } else { 0 };
            let hi = nb.min(full - g0.min(full)).max(lo);
            {
                let mut it = self.streams.iter_mut().zip(sbase);
                let mut s: [&mut [f32]; 9] = std::array::from_fn(|_| {
                    let (v, b) = it.next().expect("nine streams");
                    &mut v[b..b + nb]
                });
                for n in (0..lo).chain(hi..nb) {
                    let q = 4 * (g0 + n);
                    let p = [raw(q), raw(q + 1), raw(q + 2), raw(q + 3)];
                    finite &= crate::error::all_finite(&p);
                    split(&mut s, n, p);
                }
                if hi > lo {
                    let base = 4 * (g0 + lo) - k;
                    finite &= split_block(backend, &mut s, lo, &x[base..base + 4 * (hi - lo)]);
                }
            }
            if !finite {
                let mut saved = self.saved.chunks_exact(h + 1);
                for f in 0..9 {
                    let v = saved.next().expect("nine saved streams");
                    self.streams[f][sbase[f] - h..sbase[f]].copy_from_slice(&v[..h]);
                    self.outs[f][obase[f] - 1] = v[h];
                }
                return false;
            }
            for f in 0..9 {
                crate::eq::ffe::fir(
                    backend,
                    &self.rev[f],
                    &self.streams[f][sbase[f] - h..sbase[f] + nb],
                    &mut self.outs[f][obase[f]..obase[f] + nb],
                );
            }
            // Outputs: group g0 + n, phase p → out[4(g0 + n) + p − k] if in range.
            let o: [&[f32]; 9] = std::array::from_fn(|f| &self.outs[f][obase[f] - 1..]);
            for n in (0..lo).chain(hi..nb) {
                let y = combine(&o, n);
                for (p, v) in y.into_iter().enumerate() {
                    let i = 4 * (g0 + n) + p;
                    if i >= k && i - k < out.len() {
                        out[i - k] = v;
                    }
                }
            }
            if hi > lo {
                let base = 4 * (g0 + lo) - k;
                combine_block(backend, &o, lo, &mut out[base..base + 4 * (hi - lo)]);
            }
            // The history of the next block: the last t − 1 stream samples and the
            // last outputs of whole groups (an unfinished last group is recomputed by
            // the next call).
            let keep = if g0 + nb > full { nb - 1 } else { nb };
            for f in 0..9 {
                let (sb, ob) = (sbase[f], obase[f]);
                self.streams[f].copy_within(sb + keep - h..sb + keep, sb - h);
                self.outs[f][ob - 1] = self.outs[f][ob + keep - 1];
            }
            g0 += nb;
        }
        self.k = total % 4;
        let start = 4 * full;
        for (j, v) in self.tail.iter_mut().enumerate() {
            *v = if j < self.k { raw(start + j) } else { 0.0 };
        }
        true
    }
}

/// The nine stream samples of one group of inputs, at index `i` of the streams.
#[inline(always)]
pub(super) fn split(s: &mut [&mut [f32]; 9], i: usize, p: [f32; 4]) {
    let (a, b) = (p[0] + p[1], p[2] + p[3]);
    let v = [
        p[0],
        p[2],
        p[0] + p[2],
        p[1],
        p[3],
        p[1] + p[3],
        a,
        b,
        a + b,
    ];
    for (s, v) in s.iter_mut().zip(v) {
        s[i] = v;
    }
}

/// [`split_block`] on the SIMD shims of `backend` (the same bits); whether every
/// sample of `x` is finite (the input check, fused into the pass that reads `x`).
fn split_block(backend: Backend, s: &mut [&mut [f32]; 9], i: usize, x: &[f32]) -> bool {
    match backend {
        // SAFETY: a stored Avx2/Avx512 backend passed `Backend::require` or was chosen
        // by `Backend::detect`, so the CPU has the features the shims enable.
        #[cfg(target_arch = "x86_64")]
        Backend::Avx512 => unsafe { super::avx512::split_block(s, i, x) },
        #[cfg(target_arch = "x86_64")]
        Backend::Avx2 => unsafe { super::avx2::split_block(s, i, x) },
        _ => split_block_body(s, i, x),
    }
}

/// [`combine_block`] on the SIMD shims of `backend` (the same bits).
fn combine_block(backend: Backend, o: &[&[f32]; 9], lo: usize, out: &mut [f32]) {
    match backend {
        // SAFETY: as in `split_block`.
        #[cfg(target_arch = "x86_64")]
        Backend::Avx512 => unsafe { super::avx512::combine_block(o, lo, out) },
        #[cfg(target_arch = "x86_64")]
        Backend::Avx2 => unsafe { super::avx2::combine_block(o, lo, out) },
        _ => combine_block_body(o, lo, out),
    }
}

/// [`split`] of the groups of `x` (a multiple of 4 long) into the streams from `i`;
/// whether every sample of `x` is finite.
#[inline(always)]
pub(super) fn split_block_body(s: &mut [&mut [f32]; 9], i: usize, x: &[f32]) -> bool {
    let n = x.len() / 4;
    let [s0, s1, s2, s3, s4, s5, s6, s7, s8] = s;
    let (s0, s1, s2) = (&mut s0[i..i + n], &mut s1[i..i + n], &mut s2[i..i + n]);
    let (s3, s4, s5) = (&mut s3[i..i + n], &mut s4[i..i + n], &mut s5[i..i + n]);
    let (s6, s7, s8) = (&mut s6[i..i + n], &mut s7[i..i + n], &mut s8[i..i + n]);
    for (j, p) in x.chunks_exact(4).enumerate() {
        let (a, b) = (p[0] + p[1], p[2] + p[3]);
        s0[j] = p[0];
        s1[j] = p[2];
        s2[j] = p[0] + p[2];
        s3[j] = p[1];
        s4[j] = p[3];
        s5[j] = p[1] + p[3];
        s6[j] = a;
        s7[j] = b;
        s8[j] = a + b;
    }
    crate::error::all_finite(x)
}

/// The four outputs of group `n` of a block from the sub-filter outputs `o`
/// (`o[f][n + 1]` at the group, `o[f][n]` one group earlier).
#[inline(always)]
pub(super) fn combine(o: &[&[f32]; 9], n: usize) -> [f32; 4] {
    let f = |i: usize, d: usize| o[i][n + 1 - d];
    let p0 = f(0, 0) + f(1, 1);
    let p1 = f(2, 0) - f(0, 0) - f(1, 0);
    let q0 = f(3, 0) + f(4, 1);
    let q1 = f(5, 0) - f(3, 0) - f(4, 0);
    let q1_prev = f(5, 1) - f(3, 1) - f(4, 1);
    let r0 = f(6, 0) + f(7, 1);
    let r1 = f(8, 0) - f(6, 0) - f(7, 0);
    [p0 + q1_prev, r0 - p0 - q0, p1 + q0, r1 - p1 - q1]
}

/// [`combine`] of the groups `lo..` of a block into `out` (4 outputs per group).
#[inline(always)]
pub(super) fn combine_block_body(o: &[&[f32]; 9], lo: usize, out: &mut [f32]) {
    let n = out.len() / 4;
    let [o0, o1, o2, o3, o4, o5, o6, o7, o8] = o;
    fn sl<'a>(v: &&'a [f32], lo: usize, n: usize) -> &'a [f32] {
        &v[lo..lo + n + 1]
    }
    let sl = |v| sl(v, lo, n);
    let (o0, o1, o2, o3, o4) = (sl(o0), sl(o1), sl(o2), sl(o3), sl(o4));
    let (o5, o6, o7, o8) = (sl(o5), sl(o6), sl(o7), sl(o8));
    for (j, y) in out.chunks_exact_mut(4).enumerate() {
        let p0 = o0[j + 1] + o1[j];
        let p1 = o2[j + 1] - o0[j + 1] - o1[j + 1];
        let q0 = o3[j + 1] + o4[j];
        let q1 = o5[j + 1] - o3[j + 1] - o4[j + 1];
        let q1_prev = o5[j] - o3[j] - o4[j];
        let r0 = o6[j + 1] + o7[j];
        let r1 = o8[j + 1] - o6[j + 1] - o7[j + 1];
        y[0] = p0 + q1_prev;
        y[1] = r0 - p0 - q0;
        y[2] = p1 + q0;
        y[3] = r1 - p1 - q1;
    }
}
