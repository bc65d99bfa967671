//! The feed-forward equaliser (FFE): a finite impulse response filter on the received
//! samples, symbol-spaced (one sample per unit interval) or fractionally spaced
//! (`samples_per_symbol > 1`, output decimated to one sample per symbol).
//!
//! `mod.rs` holds the safe streaming API ([`Ffe`]) and picks the kernel once, at
//! construction, from a [`Backend`]; `scalar.rs` is the reference (plain multiply then
//! add, taps in order); `fma.rs` holds the register-blocked SIMD body (8-lane vectors,
//! each input load feeding two fused multiply-adds; a fused multiply-add chain per
//! output) and the decimating body, which `avx2.rs` and `avx512.rs` compile for their
//! instruction sets. The same kernels serve the direct channel convolution
//! ([`crate::channel::conv`]) through `fir`.
//!
//! # Definition and alignment
//!
//! `y[n] = Σ_k c[k] · x[n·M − k]` with `M` the samples per symbol and `x` zero before
//! the first sample: the causal convolution `numpy.convolve(x, c)[:len(x)][::M]`,
//! i.e. `scipy.signal.lfilter(c, 1, x)[::M]`. The cursor (main tap) `c[cursor]` lines
//! up with input sample `n·M − cursor`: the FFE delays the signal by `cursor` samples
//! ([`Ffe::delay`]). The IEEE 802.3dj reference receiver (Annex 178A) uses a 16-tap
//! symbol-spaced Rx FFE with 5 pre-cursor taps (`cursor = 5`), taps within ±0.7 —
//! the limits are not enforced here, see [`Ffe::check_802_3dj`].
//!
//! # Tolerance of the SIMD backends
//!
//! The SIMD kernels fuse each multiply-add, the scalar reference rounds twice; for
//! every output `|y_simd − y_scalar| ≤ SIMD_TOLERANCE · Σ|c| · max|x|` (worst case
//! `2·N·2^-24` relative for `N` taps, i.e. `1e-5` holds up to 80 taps and, in
//! practice with errors of random sign, far beyond). Each backend is itself
//! chunk-invariant bit for bit: every output is the same chain of operations
//! wherever the chunk boundaries fall.

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
#[cfg(target_arch = "x86_64")]
mod fma;
mod scalar;

pub use scalar::direct_convolution;

use super::lms::{check_reference, Lms, Trajectory};
use crate::cpu::Backend;
use crate::error::{check_len, Error, Result};

/// Bound on `|simd − scalar| / (Σ|taps| · max|x|)` for any output of the FFE.
pub const SIMD_TOLERANCE: f32 = 1e-5;

/// The largest number of taps an [`Ffe`] takes.
pub const MAX_TAPS: usize = 1024;

/// The largest oversampling ratio of a fractionally spaced [`Ffe`].
pub const MAX_SAMPLES_PER_SYMBOL: usize = 64;

/// A streaming feed-forward equaliser (FIR filter), state kept across calls.
///
/// ```
/// use serdes_dsp::eq::Ffe;
/// // 3 taps, cursor at tap 1 (one pre-cursor tap): a delay of 1 sample.
/// let mut ffe = Ffe::new(&[-0.1, 1.0, -0.2], 1).unwrap();
/// let y1 = ffe.process(&[1.0, 0.0]).unwrap();
/// let y2 = ffe.process(&[0.0, 0.0]).unwrap(); // the state carries over
/// assert_eq!([y1, y2].concat(), vec![-0.1, 1.0, -0.2, 0.0]);
/// assert_eq!(ffe.delay(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct Ffe {
    taps: Vec<f32>,
    /// The taps reversed: `rev[j] = taps[N − 1 − j]`, the order the kernels read.
    rev: Vec<f32>,
    cursor: usize,
    sps: usize,
    backend: Backend,
    /// The last `N − 1` input samples, oldest first (zeros after `reset`).
    hist: Vec<f32>,
    /// Stream position modulo `sps` of the next input sample.
    phase: usize,
    scratch: Vec<f32>,
}

/// Result of an adaptation run: the equaliser's output while it adapted, and the
/// taps over time.
#[derive(Debug, Clone, PartialEq)]
pub struct Adapted {
    /// Output samples computed with the taps of the moment (one per symbol).
    pub output: Vec<f32>,
    /// Tap snapshots and mean square error.
    pub trajectory: Trajectory,
}

impl Ffe {
    /// A symbol-spaced FFE with `taps` (1 to [`MAX_TAPS`] finite values) and its main
    /// tap at index `cursor < taps.len()`, on the fastest backend of this CPU.
    pub fn new(taps: &[f32], cursor: usize) -> Result<Ffe> {
        Ffe::fractional(taps, cursor, 1)
    }

    /// A fractionally spaced FFE on `samples_per_symbol` (1 to
    /// [`MAX_SAMPLES_PER_SYMBOL`]) samples per unit interval; taps are spaced one
    /// sample apart and the output is one sample per symbol.
    pub fn fractional(taps: &[f32], cursor: usize, samples_per_symbol: usize) -> Result<Ffe> {
        check_taps(taps, cursor)?;
        if !(1..=MAX_SAMPLES_PER_SYMBOL).contains(&samples_per_symbol) {
            return Err(Error::invalid(
                "samples_per_symbol",
                format!("1..={MAX_SAMPLES_PER_SYMBOL}"),
                samples_per_symbol,
            ));
        }
        let n = taps.len();
        Ok(Ffe {
            taps: taps.to_vec(),
            rev: taps.iter().rev().copied().collect(),
            cursor,
            sps: samples_per_symbol,
            backend: Backend::detect(),
            hist: vec![0.0; n - 1],
            phase: 0,
            scratch: Vec::new(),
        })
    }

    /// The same FFE on `backend`; errors if this CPU cannot run it.
    pub fn with_backend(mut self, backend: Backend) -> Result<Ffe> {
        self.backend = backend.require()?;
        Ok(self)
    }

    /// The kernel in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The taps, `c[0]` (the earliest pre-cursor) first.
    pub fn taps(&self) -> &[f32] {
        &self.taps
    }

    /// Index of the main tap.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Samples per symbol at the input (1 for a symbol-spaced FFE).
    pub fn samples_per_symbol(&self) -> usize {
        self.sps
    }

    /// Delay of the main tap, in input samples: output `n` carries the symbol whose
    /// sample is input `n·M − cursor`.
    pub fn delay(&self) -> usize {
        self.cursor
    }

    /// Replaces the taps (same count, finite) keeping the stream state.
    pub fn set_taps(&mut self, taps: &[f32]) -> Result<()> {
        check_len("taps", self.taps.len(), taps.len())?;
        check_taps(taps, self.cursor)?;
        self.taps.copy_from_slice(taps);
        self.rev = taps.iter().rev().copied().collect();
        Ok(())
    }

    /// Back to the start of a stream: zero history.
    pub fn reset(&mut self) {
        self.hist.fill(0.0);
        self.phase = 0;
    }

    /// Outputs produced by the next call on `input_len` samples (depends on the
    /// stream position when `samples_per_symbol > 1`).
    pub fn output_len(&self, input_len: usize) -> usize {
        let first = (self.sps - self.phase) % self.sps;
        if first < input_len {
            (input_len - first).div_ceil(self.sps)
        } else {
            0
        }
    }

    /// Filters the next chunk `x` into `out` (`out.len() == output_len(x.len())`).
    ///
    /// Errors (leaving the state untouched) on a wrong `out` length or a NaN or
    /// infinite sample in `x`.
    pub fn process_into(&mut self, x: &[f32], out: &mut [f32]) -> Result<()> {
        let expected = self.output_len(x.len());
        check_len("out", expected, out.len())?;
        check_finite(self.backend, "x", x)?;
        let h = self.taps.len() - 1;
        if self.sps == 1 && x.len() >= h {
            // The first h outputs need the history; the rest read `x` directly.
            self.scratch.clear();
            self.scratch.extend_from_slice(&self.hist);
            self.scratch.extend_from_slice(&x[..h]);
            let (edge, rest) = out.split_at_mut(h);
            run(self.backend, &self.rev, &self.scratch, 1, edge);
            run(self.backend, &self.rev, x, 1, rest);
            self.hist.copy_from_slice(&x[x.len() - h..]);
        } else {
            let first = (self.sps - self.phase) % self.sps;
            self.scratch.clear();
            self.scratch.extend_from_slice(&self.hist);
            self.scratch.extend_from_slice(x);
            if first < x.len() {
                run(
                    self.backend,
                    &self.rev,
                    &self.scratch[first..],
                    self.sps,
                    out,
                );
            }
            let len = self.scratch.len();
            self.hist.copy_from_slice(&self.scratch[len - h..]);
            self.phase = (self.phase + x.len()) % self.sps;
        }
        Ok(())
    }

    /// Allocating form of [`Ffe::process_into`].
    pub fn process(&mut self, x: &[f32]) -> Result<Vec<f32>> {
        let mut out = vec![0.0; self.output_len(x.len())];
        self.process_into(x, &mut out)?;
        Ok(out)
    }

    /// Filters `x` while adapting the taps symbol by symbol (see [`crate::eq::lms`]).
    ///
    /// `reference`, if given, holds the desired output for each output sample (the
    /// transmitted level, already delayed by the channel and [`Ffe::delay`]), of
    /// length `output_len(x.len())`; without it the adaptation is decision-directed
    /// on `cfg`'s modulation. The stream state carries on as in `process`; the new
    /// taps stay in the FFE. Adaptation runs the scalar arithmetic on every backend.
    pub fn adapt(&mut self, x: &[f32], reference: Option<&[f32]>, cfg: &Lms) -> Result<Adapted> {
        let n_out = self.output_len(x.len());
        check_reference(reference, n_out)?;
        check_finite(self.backend, "x", x)?;
        let h = self.taps.len() - 1;
        let mut buf = Vec::with_capacity(h + x.len());
        buf.extend_from_slice(&self.hist);
        buf.extend_from_slice(x);
        let first = (self.sps - self.phase) % self.sps;
        let mut output = Vec::with_capacity(n_out);
        let mut traj = Trajectory::new(cfg.record_every(), self.taps.len());
        let (mu, alg, modulation) = (cfg.mu(), cfg.algorithm(), cfg.modulation());
        let levels = modulation.levels();
        for i in 0..n_out {
            let xs = &buf[first + i * self.sps..first + i * self.sps + h + 1];
            let mut y = 0.0f32;
            for (&c, &v) in self.rev.iter().zip(xs) {
                y += c * v;
            }
            let d = match reference {
                Some(r) => r[i],
                None => levels[modulation.slice(y) as usize],
            };
            let e = y - d;
            for (c, &v) in self.rev.iter_mut().zip(xs) {
                *c -= alg.step(mu, e, v);
            }
            output.push(y);
            let rev = &self.rev;
            traj.push(e, || rev.iter().rev().copied().collect());
        }
        if let Some(j) = self.rev.iter().position(|c| !c.is_finite()) {
            // Diverged (step too large): restore nothing half-baked.
            self.rev = self.taps.iter().rev().copied().collect();
            return Err(Error::invalid(
                "mu",
                "a step small enough for the adaptation to converge",
                format!("{mu} (tap {} became non-finite)", h - j),
            ));
        }
        self.taps = self.rev.iter().rev().copied().collect();
        let len = buf.len();
        self.hist.copy_from_slice(&buf[len - h..]);
        self.phase = (self.phase + x.len()) % self.sps;
        Ok(Adapted {
            output,
            trajectory: traj,
        })
    }

    /// Checks the taps against the IEEE 802.3dj default Rx FFE of Annex 178A
    /// (reported: 16 taps, 5 pre-cursor, every tap other than the cursor within ±0.7
    /// of a unit cursor); the error names the first tap outside.
    pub fn check_802_3dj(&self) -> Result<()> {
        if self.taps.len() != 16 || self.cursor != 5 || self.sps != 1 {
            return Err(Error::invalid(
                "taps",
                "16 symbol-spaced taps with the cursor at index 5 (Annex 178A)",
                format!("{} taps, cursor {}", self.taps.len(), self.cursor),
            ));
        }
        let c0 = self.taps[self.cursor];
        for (k, &c) in self.taps.iter().enumerate() {
            if k != self.cursor && (c / c0).abs() > 0.7 {
                return Err(Error::invalid(
                    "taps",
                    "|c[k]/c[cursor]| <= 0.7 (Annex 178A)",
                    format!("c[{k}]/c[cursor] = {}", c / c0),
                ));
            }
        }
        Ok(())
    }
}

fn check_taps(taps: &[f32], cursor: usize) -> Result<()> {
    if taps.is_empty() || taps.len() > MAX_TAPS {
        return Err(Error::invalid(
            "taps",
            format!("1..={MAX_TAPS} taps"),
            taps.len(),
        ));
    }
    crate::error::check_finite("taps", taps)?;
    if cursor >= taps.len() {
        return Err(Error::invalid(
            "cursor",
            format!("0..={} (an index into the taps)", taps.len() - 1),
            cursor,
        ));
    }
    Ok(())
}

/// The FIR kernel of `backend` (also the direct channel convolution's):
/// `out[i] = Σ_j rev[j]·x[i + j]`, `rev` the taps reversed, in the order of
/// [`scalar`] (multiply then add) or, on the SIMD backends, one fused multiply-add
/// chain per output in the fixed order of `fma.rs`, so the result does not depend on
/// how a stream is cut into calls.
///
/// # Panics
/// If `out` is not empty and `x.len() < out.len() + rev.len() − 1`.
pub(crate) fn fir(backend: Backend, rev: &[f32], x: &[f32], out: &mut [f32]) {
    assert!(out.is_empty() || x.len() + 1 >= out.len() + rev.len());
    run(backend, rev, x, 1, out)
}

/// Errors naming `name` and the first bad index if `x` holds a NaN or infinity: a
/// vectorised pass on the SIMD backends (the input check of the FFE and the direct
/// convolution), the search for the index only when something is wrong.
pub(crate) fn check_finite(backend: Backend, name: &'static str, x: &[f32]) -> Result<()> {
    let ok = match backend {
        // SAFETY: as in `run`.
        #[cfg(target_arch = "x86_64")]
        Backend::Avx2 => unsafe { avx2::all_finite(x) },
        #[cfg(target_arch = "x86_64")]
        Backend::Avx512 => unsafe { avx512::all_finite(x) },
        _ => return crate::eq::check_finite_fast(name, x),
    };
    if ok {
        Ok(())
    } else {
        crate::error::check_finite(name, x)
    }
}

/// Runs the kernel of `backend`: `out[i] = Σ_j rev[j]·x[i·m + j]`.
fn run(backend: Backend, rev: &[f32], x: &[f32], m: usize, out: &mut [f32]) {
    debug_assert!(out.is_empty() || x.len() >= (out.len() - 1) * m + rev.len());
    match backend {
        Backend::Scalar => scalar::fir_decim(rev, x, m, out),
        // SAFETY: a stored Avx2/Avx512 backend passed `Backend::require` or was chosen
        // by `Backend::detect`, so the CPU has the features the shims enable.
        #[cfg(target_arch = "x86_64")]
        Backend::Avx2 if m == 1 => unsafe { avx2::fir(rev, x, out) },
        #[cfg(target_arch = "x86_64")]
        Backend::Avx2 => unsafe { avx2::fir_decim(rev, x, m, out) },
        #[cfg(target_arch = "x86_64")]
        Backend::Avx512 if m == 1 => unsafe { avx512::fir(rev, x, out) },
        #[cfg(target_arch = "x86_64")]
        Backend::Avx512 => unsafe { avx512::fir_decim(rev, x, m, out) },
        #[cfg(not(target_arch = "x86_64"))]
        _ => scalar::fir_decim(rev, x, m, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testutil::uniform_f32 as lcg;

    #[test]
    fn matches_direct_convolution_on_every_backend() {
        for b in Backend::available() {
            for n in [1, 2, 5, 16, 33] {
                let taps = lcg(n as u64, n);
                let x = lcg(99, 1000);
                let want = direct_convolution(&taps, &x);
                let mut ffe = Ffe::new(&taps, n / 2).unwrap().with_backend(b).unwrap();
                let got = ffe.process(&x).unwrap();
                let scale: f32 = taps.iter().map(|c| c.abs()).sum();
                for (g, w) in got.iter().zip(&want) {
                    assert!((g - w).abs() <= 1e-5 * scale, "{b:?} {n}: {g} vs {w}");
                }
            }
        }
    }

    #[test]
    fn simd_tiles_and_tails_match_scalar_and_each_other() {
        // Tap counts around the groups of 16 and lengths around the tiles (12 or 16
        // vectors of 8), single vectors and the masked tail.
        for n in [
            1usize, 2, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 64, 65, 100,
        ] {
            let rev = lcg(n as u64 + 17, n);
            for len in [0usize, 1, 7, 8, 9, 95, 96, 97, 127, 128, 129, 200, 517] {
                let x = lcg(len as u64 + 5, len + n - 1);
                let mut want = vec![0.0; len];
                scalar::fir_decim(&rev, &x, 1, &mut want);
                let scale: f32 = rev.iter().map(|c| c.abs()).sum();
                let mut first: Option<Vec<f32>> = None;
                for b in Backend::available() {
                    let mut got = vec![f32::NAN; len];
                    run(b, &rev, &x, 1, &mut got);
                    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                        assert!(
                            (g - w).abs() <= SIMD_TOLERANCE * scale,
                            "{b:?} n={n} len={len} out[{i}]: {g} vs {w}"
                        );
                    }
                    if b == Backend::Scalar {
                        continue;
                    }
                    #[cfg(target_arch = "x86_64")]
                    {
                        // The decimating body with m = 1 computes the same chain.
                        let mut dec = vec![0.0; len];
                        fma::fir_decim_reference(&rev, &x, 1, &mut dec);
                        assert_eq!(got, dec, "{b:?} n={n} len={len}: fir vs fir_decim");
                    }
                    match &first {
                        None => first = Some(got),
                        Some(f) => assert_eq!(&got, f, "n={n} len={len}: AVX2 vs AVX-512 bits"),
                    }
                }
            }
        }
        if !Backend::Avx512.is_available() {
            eprintln!("skipped AVX-512: this CPU lacks it");
        }
    }

    #[test]
    fn every_backend_finds_each_non_finite_sample() {
        for b in Backend::available() {
            for len in [1usize, 7, 8, 9, 64, 65, 1000] {
                let x = lcg(len as u64, len);
                assert!(check_finite(b, "x", &x).is_ok());
                for pos in [0, len / 2, len - 1] {
                    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
                        let mut y = x.clone();
                        y[pos] = bad;
                        let e = check_finite(b, "x", &y).unwrap_err().to_string();
                        assert!(
                            e.contains("`x`") && e.contains(&format!("index {pos}")),
                            "{b:?}: {e}"
                        );
                    }
                }
                // The largest finite values pass.
                let big = vec![f32::MAX, -f32::MAX, f32::MIN_POSITIVE, -0.0];
                assert!(check_finite(b, "x", &big).is_ok());
            }
        }
    }

    #[test]
    fn decimating_kernel_is_the_chain_bit_for_bit_and_near_scalar() {
        // Decimations, tap counts around the groups of 16 and the phases, lengths
        // around the tiles (4 vectors of 8), single vectors, the scalar tail and the
        // blocks of 512 outputs.
        for m in [2usize, 3, 4, 8, 64] {
            for n in [1usize, 2, 5, 16, 17, 33, 64, 130] {
                let rev = lcg((m * 1000 + n) as u64, n);
                let scale: f32 = rev.iter().map(|c| c.abs()).sum();
                for len in [1usize, 7, 8, 31, 32, 33, 511, 512, 513, 1100] {
                    let x = lcg(len as u64 + 3, (len - 1) * m + n);
                    let mut chain = vec![0.0; len];
                    fma::fir_decim_reference(&rev, &x, m, &mut chain);
                    let mut want = vec![0.0; len];
                    scalar::fir_decim(&rev, &x, m, &mut want);
                    for b in Backend::available() {
                        let mut got = vec![f32::NAN; len];
                        run(b, &rev, &x, m, &mut got);
                        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                            assert!(
                                (g - w).abs() <= SIMD_TOLERANCE * scale,
                                "{b:?} m={m} n={n} len={len} out[{i}]: {g} vs {w}"
                            );
                        }
                        if b != Backend::Scalar {
                            assert_eq!(got, chain, "{b:?} m={m} n={n} len={len}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn fractional_is_decimated_convolution() {
        let taps = lcg(3, 7);
        let x = lcg(4, 301);
        let want: Vec<f32> = direct_convolution(&taps, &x)
            .into_iter()
            .step_by(2)
            .collect();
        for b in Backend::available() {
            let mut ffe = Ffe::fractional(&taps, 3, 2)
                .unwrap()
                .with_backend(b)
                .unwrap();
            let mut got = ffe.process(&x[..100]).unwrap();
            got.extend(ffe.process(&x[100..101]).unwrap());
            got.extend(ffe.process(&x[101..]).unwrap());
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                assert!((g - w).abs() < 1e-5, "{g} vs {w}");
            }
        }
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert!(Ffe::new(&[], 0).is_err());
        assert!(Ffe::new(&[1.0, f32::NAN], 0)
            .unwrap_err()
            .to_string()
            .contains("taps"));
        assert!(Ffe::new(&[1.0, 0.0], 2)
            .unwrap_err()
            .to_string()
            .contains("cursor"));
        assert!(Ffe::fractional(&[1.0], 0, 0).is_err());
        let mut f = Ffe::new(&[1.0, 0.5], 0).unwrap();
        assert!(f
            .process(&[0.0, f32::INFINITY])
            .unwrap_err()
            .to_string()
            .contains("`x`"));
        assert!(f.process_into(&[0.0; 3], &mut [0.0; 2]).is_err());
        assert!(f.set_taps(&[1.0]).is_err());
    }
}
