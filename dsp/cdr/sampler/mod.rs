//! The CDR's sampler for the Mueller–Müller loop: one pass over a block of symbols
//! that interpolates the waveform at the block's instants, slices, and sums the
//! detector's errors and the squared slicer errors (for the lock detector).
//!
//! This is [`crate::cdr::interp`] + [`crate::cdr::ted::slice`] +
//! [`crate::cdr::ted::MuellerMuller`] fused, so that a block stays in registers
//! instead of going through memory three times: `scalar.rs` is the reference,
//! `avx2.rs` (8 lanes) and `avx512.rs` (16 lanes, one register per default block of
//! 16 symbols) give the same bits. The sums are sixteen partial sums (symbol `k`
//! into partial `k mod 16`) reduced by one fixed tree ([`scalar::tree`]), which is
//! what a SIMD register computes naturally. The input's finite check lives here too:
//! it reads every input sample, as much memory traffic as the rest of the CDR.

mod avx2;
mod avx512;
pub(crate) mod scalar;

use crate::cdr::interp::InterpKind;
use crate::cpu::Backend;

/// Partial sums per block (one AVX-512 register).
pub(crate) const LANES: usize = 16;

/// The PAM4 slicer of [`crate::cdr::ted::slice`] as a table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Slicer {
    /// The thresholds `0, ±threshold`.
    pub threshold: f32,
    /// Level of each symbol `0..=3`, computed as [`crate::cdr::ted::slice`] does.
    pub levels: [f32; 4],
    /// `1 / amplitude`.
    pub inv_amp: f32,
    /// The outer level.
    pub amplitude: f32,
}

impl Slicer {
    /// The slicer with outer levels `±amplitude` (finite, > 0: checked by the caller).
    pub(crate) fn new(amplitude: f32) -> Slicer {
        let mut levels = [0.0; 4];
        for (s, l) in levels.iter_mut().enumerate() {
            // The expression of `ted::slice`, for the same bits.
            *l = amplitude * (2.0 * s as f32 - 3.0) * (1.0 / 3.0);
        }
        Slicer {
            threshold: amplitude * (2.0 / 3.0),
            levels,
            inv_amp: 1.0 / amplitude,
            amplitude,
        }
    }

    /// The decision for `y`, `0..=3`.
    #[cfg_attr(not(test), allow(dead_code))]
    #[inline(always)]
    pub(crate) fn symbol(&self, y: f32) -> u8 {
        let t = self.threshold;
        (y >= -t) as u8 + (y >= 0.0) as u8 + (y >= t) as u8
    }
}

/// What a block gives the loop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct MmSums {
    /// `Σ ((y_k − â_k)/A)²`.
    pub sq: f32,
    /// `Σ (y_{k−1}·â_k − y_k·â_{k−1})`, not yet divided by `A²`.
    pub mm: f32,
    /// The block's last sample and level (the next block's `y_{k−1}`, `â_{k−1}`).
    pub last: (f32, f32),
}

/// The fused sampler with its kernel chosen once (see [`Backend`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sampler {
    kind: InterpKind,
    backend: Backend,
    slicer: Slicer,
}

impl Sampler {
    /// A sampler for `kind` on `backend` (available: checked by the caller) with
    /// slicer outer levels `±amplitude`.
    pub(crate) fn new(kind: InterpKind, backend: Backend, amplitude: f32) -> Sampler {
        Sampler {
            kind,
            backend,
            slicer: Slicer::new(amplitude),
        }
    }

    /// One block: `data[k]` = the waveform at `start + k·step` (positions in samples
    /// of `x`, as [`crate::cdr::interp::Interpolator::grid_into`] computes them),
    /// `symbols[k]` its decision; `prev` the previous block's last sample and level.
    ///
    /// The caller guarantees every position's support inside `x` (the CDR's `fits`);
    /// the scalar backend panics otherwise, the SIMD ones would read out of bounds.
    /// The SIMD kernels are always inlined: fast where this is inlined into code
    /// compiled for the backend (`Cdr::process_avx2`, `Cdr::process_avx512`).
    #[inline(always)]
    pub(crate) fn mm_block(
        &self,
        x: &[f32],
        start: f32,
        step: f32,
        prev: (f32, f32),
        data: &mut [f32],
        symbols: &mut [u8],
    ) -> MmSums {
        assert_eq!(data.len(), symbols.len());
        let (k, sl) = (self.kind, &self.slicer);
        match self.backend {
            #[cfg(target_arch = "x86_64")]
            Backend::Avx512 => {
                assert!(self.bounds_ok(x.len(), start, step, data.len()));
                // SAFETY: the backend was checked available when stored, so the CPU
                // has the features (the kernel is fast where this is inlined into code
                // compiled for them, `Cdr::process_avx512`); the support of every
                // position is inside `x` (just asserted).
                unsafe { avx512::mm_block(k, x, start, step, sl, prev, data, symbols) }
            }
            #[cfg(target_arch = "x86_64")]
            Backend::Avx2 => {
                assert!(self.bounds_ok(x.len(), start, step, data.len()));
                // SAFETY: as above.
                unsafe { avx2::mm_block(k, x, start, step, sl, prev, data, symbols) }
            }
            _ => scalar::mm_block_chunked(k, x, start, step, sl, prev, data, symbols),
        }
    }

    /// Whether every sample of `x` is finite. The SIMD checks are always inlined: fast
    /// where this is inlined into code compiled for the backend (as `mm_block`).
    #[inline(always)]
    pub(crate) fn all_finite(&self, x: &[f32]) -> bool {
        match self.backend {
            // SAFETY: the backend was checked available when stored.
            #[cfg(target_arch = "x86_64")]
            Backend::Avx512 => unsafe { avx512::all_finite(x) },
            // SAFETY: as above.
            #[cfg(target_arch = "x86_64")]
            Backend::Avx2 => unsafe { avx2::all_finite(x) },
            _ => scalar::all_finite(x),
        }
    }

    /// The first and last positions' support inside `x` (positions increase with
    /// `k`: `step ≥ 0`), computed as the kernels compute them.
    #[inline(always)]
    fn bounds_ok(&self, len: usize, start: f32, step: f32, n: usize) -> bool {
        if n == 0 {
            return true;
        }
        let last = start + ((n - 1) as f32) * step;
        step >= 0.0
            && start >= self.kind.support_before() as f32
            && (last as usize) + self.kind.support_after() < len
            && len <= i32::MAX as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cdr::interp::Interpolator;
    use crate::cdr::ted::{slice, MuellerMuller, TimingErrorDetector};
    use rand::{Rng, SeedableRng};

    fn kinds() -> [InterpKind; 2] {
        [InterpKind::Linear, InterpKind::Cubic]
    }

    /// Two runs of a block gave the same samples, decisions and sums, bit for bit.
    fn assert_same_block(what: &str, a: (&[f32], &[u8], &MmSums), b: (&[f32], &[u8], &MmSums)) {
        assert_eq!(bits(a.0), bits(b.0), "{what}");
        assert_eq!(a.1, b.1, "{what}");
        let sums = |m: &MmSums| [m.sq, m.mm, m.last.0, m.last.1].map(f32::to_bits);
        assert_eq!(sums(a.2), sums(b.2), "{what}");
    }

    fn bits(v: &[f32]) -> Vec<u32> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn slicer_table_is_ted_slice() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        for &amp in &[1.0f32, 0.37, 3.0] {
            let sl = Slicer::new(amp);
            let edges = [-amp * 2.0 / 3.0, 0.0, amp * 2.0 / 3.0, -0.0];
            let rand: Vec<f32> = (0..2000)
                .map(|_| rng.random_range(-2.0..2.0) * amp)
                .collect();
            for &y in edges.iter().chain(&rand) {
                let (s, l) = slice(y, amp);
                assert_eq!(sl.symbol(y), s, "{y}");
                assert_eq!(sl.levels[s as usize].to_bits(), l.to_bits(), "{y}");
            }
        }
    }

    #[test]
    fn scalar_matches_the_separate_blocks() {
        // The fused reference against the interpolator, the slicer and the detector
        // run one after the other (independent code), to f32 rounding of the sums.
        let mut rng = rand::rngs::StdRng::seed_from_u64(2);
        let x: Vec<f32> = (0..3000).map(|_| rng.random_range(-1.2..1.2)).collect();
        for kind in kinds() {
            for n in [1usize, 7, 16, 33, 200] {
                let step = rng.random_range(2.0f32..14.0);
                let start = rng.random_range(1.0f32..10.0);
                let prev = (rng.random_range(-1.0f32..1.0), [-1.0f32, 1.0][n % 2] / 3.0);
                let s = Sampler::new(kind, Backend::Scalar, 1.0);
                let (mut d, mut sy) = (vec![0.0; n], vec![0u8; n]);
                let got = s.mm_block(&x, start, step, prev, &mut d, &mut sy);
                let mut want = vec![0.0; n];
                Interpolator::new(kind)
                    .with_backend(Backend::Scalar)
                    .unwrap()
                    .grid_into(&x, start, step, &mut want)
                    .unwrap();
                assert_eq!(bits(&d), bits(&want));
                let (mut sq, mut mm, mut abs) = (0.0f64, 0.0f64, 0.0f64);
                let (mut py, mut pl) = (prev.0 as f64, prev.1 as f64);
                for k in 0..n {
                    let (sym, l) = slice(want[k], 1.0);
                    assert_eq!(sy[k], sym);
                    let (y, l) = (want[k] as f64, l as f64);
                    sq += (y - l) * (y - l);
                    mm += py * l - y * pl;
                    abs += (py * l).abs() + (y * pl).abs();
                    (py, pl) = (y, l);
                }
                // f32 sums of at most 200 terms: relative error under 4e-6 of Σ|terms|.
                let tol = 4e-6 * abs + 1e-7;
                assert!(
                    (got.sq as f64 - sq).abs() <= 4e-6 * sq + 1e-7,
                    "{} {sq}",
                    got.sq
                );
                assert!((got.mm as f64 - mm).abs() <= tol, "{} {mm}", got.mm);
                assert_eq!(got.last, (want[n - 1], slice(want[n - 1], 1.0).1));
                // The detector's own sum (its order differs: tolerance).
                let mut det = MuellerMuller::new(1.0).unwrap();
                det.set_carry(prev);
                let levels: Vec<f32> = want.iter().map(|&y| slice(y, 1.0).1).collect();
                let e = det.block_error(&want, &[], &levels) as f64;
                assert!((e - mm).abs() <= tol, "{e} {mm}");
            }
        }
    }

    #[test]
    fn chunked_scalar_is_the_reference_bit_for_bit() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let x: Vec<f32> = (0..8192).map(|_| rng.random_range(-1.5..1.5)).collect();
        for kind in kinds() {
            for _ in 0..400 {
                let amp = rng.random_range(0.3f32..2.0);
                let n = rng.random_range(0..90usize);
                let step: f32 = rng.random_range(0.0..40.0);
                let start: f32 = rng.random_range(1.0..100.0);
                let prev = (
                    rng.random_range(-1.0f32..1.0),
                    rng.random_range(-1.0f32..1.0),
                );
                let s = Sampler::new(kind, Backend::Scalar, amp);
                if !s.bounds_ok(x.len(), start, step, n) {
                    continue;
                }
                let sl = Slicer::new(amp);
                let (mut d1, mut s1) = (vec![f32::NAN; n], vec![9u8; n]);
                let (mut d2, mut s2) = (vec![0.0; n], vec![0u8; n]);
                let a = scalar::mm_block(kind, &x, start, step, &sl, prev, &mut d1, &mut s1);
                let b =
                    scalar::mm_block_chunked(kind, &x, start, step, &sl, prev, &mut d2, &mut s2);
                let what = format!("{kind:?} n {n} start {start} step {step}");
                assert_same_block(&what, (&d1, &s1, &a), (&d2, &s2, &b));
            }
        }
    }

    #[test]
    fn blocks_chain_like_one_pass() {
        // A grid cut into blocks, each started where the last ended with the carried
        // sample and level, on every backend: the same samples and decisions as one
        // pass, bit for bit; the blocks' sums add up to the one pass's (and to the
        // f64 sums of the separate interpolator and slicer) to f32 rounding.
        let mut rng = rand::rngs::StdRng::seed_from_u64(4);
        let x: Vec<f32> = (0..20_000).map(|_| rng.random_range(-1.3..1.3)).collect();
        for backend in Backend::available() {
            for kind in kinds() {
                for _ in 0..20 {
                    let step = rng.random_range(128..1024) as f32 / 64.0;
                    let n = 1000;
                    let start = rng.random_range(64..256) as f32 / 64.0;
                    let s = Sampler::new(kind, backend, 1.0);
                    let (mut d1, mut s1) = (vec![0.0; n], vec![0u8; n]);
                    let one = s.mm_block(&x, start, step, (0.0, 0.0), &mut d1, &mut s1);
                    let (mut d2, mut s2) = (vec![0.0; n], vec![0u8; n]);
                    let (mut carry, mut k, mut sq, mut mm) =
                        ((0.0f32, 0.0f32), 0usize, 0.0f64, 0.0f64);
                    while k < n {
                        let len = rng.random_range(1..=40usize).min(n - k);
                        // The block's own start: exact, with start and step multiples of
                        // 1/64, as every position below 2^18.
                        let (lo, hi) = (k, k + len);
                        let b0 = start + lo as f32 * step;
                        let b = s.mm_block(&x, b0, step, carry, &mut d2[lo..hi], &mut s2[lo..hi]);
                        carry = b.last;
                        sq += b.sq as f64;
                        mm += b.mm as f64;
                        k = hi;
                    }
                    let what = format!("{backend:?} {kind:?} step {step}");
                    assert_eq!(bits(&d1), bits(&d2), "{what}");
                    assert_eq!(s1, s2, "{what}");
                    assert_eq!(carry, one.last, "{what}");
                    let mut want = vec![0.0; n];
                    Interpolator::new(kind)
                        .with_backend(Backend::Scalar)
                        .unwrap()
                        .grid_into(&x, start, step, &mut want)
                        .unwrap();
                    let (mut rsq, mut rmm, mut abs, mut py, mut pl) =
                        (0.0f64, 0.0f64, 0.0f64, 0.0f64, 0.0f64);
                    for &y in &want {
                        let l = slice(y, 1.0).1 as f64;
                        let y = y as f64;
                        rsq += (y - l) * (y - l);
                        rmm += py * l - y * pl;
                        abs += (py * l).abs() + (y * pl).abs();
                        (py, pl) = (y, l);
                    }
                    let tol = 1e-5 * abs + 1e-6;
                    assert!(
                        (sq - rsq).abs() <= 1e-5 * rsq + 1e-6,
                        "{what}: {sq} vs {rsq}"
                    );
                    assert!((mm - rmm).abs() <= tol, "{what}: {mm} vs {rmm}");
                    assert!(
                        (one.mm as f64 - rmm).abs() <= tol,
                        "{what}: {} vs {rmm}",
                        one.mm
                    );
                    assert!((one.sq as f64 - rsq).abs() <= 1e-5 * rsq + 1e-6, "{what}");
                }
            }
        }
    }

    #[test]
    fn simd_equals_scalar_bit_for_bit() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(6);
        let x: Vec<f32> = (0..8192).map(|_| rng.random_range(-1.5..1.5)).collect();
        for backend in Backend::available() {
            if backend == Backend::Scalar {
                continue;
            }
            for kind in kinds() {
                for _ in 0..300 {
                    let amp = rng.random_range(0.5f32..1.5);
                    let n = rng.random_range(0..70usize);
                    let step: f32 = rng.random_range(0.0..40.0);
                    let start: f32 = rng.random_range(1.0..100.0);
                    let prev = (
                        rng.random_range(-1.0f32..1.0),
                        rng.random_range(-1.0f32..1.0),
                    );
                    let s = Sampler::new(kind, Backend::Scalar, amp);
                    let v = Sampler::new(kind, backend, amp);
                    if !s.bounds_ok(x.len(), start, step, n) {
                        continue;
                    }
                    let (mut d1, mut s1) = (vec![f32::NAN; n], vec![9u8; n]);
                    let (mut d2, mut s2) = (vec![0.0; n], vec![0u8; n]);
                    let a = s.mm_block(&x, start, step, prev, &mut d1, &mut s1);
                    let b = v.mm_block(&x, start, step, prev, &mut d2, &mut s2);
                    let what = format!("{backend:?} {kind:?} n {n} start {start} step {step}");
                    assert_same_block(&what, (&d1, &s1, &a), (&d2, &s2, &b));
                }
            }
        }
    }

    #[test]
    fn finite_check_finds_every_non_finite_sample() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for backend in Backend::available() {
            let s = Sampler::new(InterpKind::Cubic, backend, 1.0);
            for n in [0usize, 1, 15, 16, 17, 100, 1000] {
                let mut x: Vec<f32> = (0..n).map(|_| rng.random_range(-1e30..1e30)).collect();
                x.iter_mut().take(1).for_each(|v| *v = f32::MAX);
                assert!(s.all_finite(&x), "{backend:?} {n}");
                for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, -f32::NAN] {
                    for pos in [0, n / 2, n.saturating_sub(1)] {
                        if pos >= n {
                            continue;
                        }
                        let keep = x[pos];
                        x[pos] = bad;
                        assert!(!s.all_finite(&x), "{backend:?} {n} {pos} {bad}");
                        x[pos] = keep;
                    }
                }
            }
        }
    }
}
