//! Streaming convolution of an `f32` waveform with an `f32` response (a channel's
//! impulse response, a crosstalk path): `y[n] = Σ_k h[k] · x[n − k]`, the input zero
//! before the first sample, as `numpy.convolve(x, h)[:len(x)]`.
//!
//! [`Convolver`] picks one of two methods when it is built:
//!
//! - **direct** (`len(h) ≤` [`DIRECT_MAX_LEN`]): a dot product per output, computed
//!   by the FIR kernels of the FFE ([`crate::eq::ffe`]: scalar reference and
//!   register-blocked AVX2/AVX-512 kernels, each 8-lane input load feeding two
//!   fused multiply-adds) chosen by [`Backend`]; bit-exact chunk-invariant;
//! - **FFT overlap-save** (longer responses, `fft.rs`): real FFTs of a few times the
//!   response length; chunk-invariant to FFT rounding ([`FFT_TOLERANCE`]).
//!
//! The crossover [`DIRECT_MAX_LEN`] was measured with `benches/channel.rs` on an AMD
//! EPYC Zen 4 (AVX-512), thread CPU time, 256 Ki samples per call, a shared machine:
//! direct (AVX-512 / AVX2) against FFT, in Msamples/s — 128 taps 370–410 / 330–345
//! against 245–275; 160 taps 315–330 / 300–335 against 235–305; 192 taps 250–265 /
//! 230–290 against 240–320; 256 taps 195–205 / 200–220 against 310–340.
//!
//! # Speed limit of the direct form
//!
//! A direct `m`-tap convolution costs `m` multiply-adds per output. Zen 4 executes
//! two 256-bit FMAs per cycle (a 512-bit FMA occupies both): 16 `f32` FMAs per cycle,
//! measured at 57–59 G FMA/s on one core at about 3.66 GHz (`conv/fma_peak` in
//! `benches/channel.rs`). So no direct kernel can exceed `58.6 G / m` samples/s:
//! 0.92 G samples/s for 64 taps. The kernels reach about 0.9 G samples/s for 64 taps on
//! data in L1/L2 and 0.70–0.85 G samples/s in the bench (256 Ki samples, which stream
//! through L2/L3, on a loaded machine); 1 G samples/s for 64 taps is not reachable by
//! a direct form on this core. A 2-parallel fast FIR algorithm (three half-length
//! sub-filters: 48 instead of 64 multiply-adds per output) was tried and gave
//! 0.8–1.1× the direct kernel from 32 to 128 taps — the de-interleaving of the input
//! and the interleaving of the output eat the 25 % saved — so it is not used.
//!
//! # Fast FIR algorithm ([`Method::Ffa`])
//!
//! The nested 2×2 FFA (`ffa.rs`) cuts the multiply-adds to `9/16`: nine sub-filters
//! of `⌈m/4⌉` taps on polyphase streams, split from the input once per block of
//! 1024 samples (the streams stay in L1), by `vpermt2ps` on AVX-512 (a 4 × 16
//! transpose in registers, the five pre-additions and the input's finite check fused
//! into the same pass), with the sub-filters on the register-blocked FIR kernel and
//! the post-additions and re-interleaving again in registers. Measured (same bench,
//! thread CPU time, medians of runs on a machine at load 2–8, Msamples/s,
//! FFA / direct on AVX-512): 64 taps 880–960 / 815–850 (1.05–1.14×), 128 taps
//! 520–570 / 410–435 (1.25–1.37×), 32 taps 1015 / 1600 (0.63×: 8-tap sub-filters
//! leave the kernel load-bound). On the AVX2 backend the split and recombination are
//! the scalar bodies vectorised by LLVM, and the FFA is slower than direct (64 taps:
//! 625–720 / 830–840). A profile of the 64-tap FFA (perf, AVX-512): sub-filters 67 %
//! (2.5–2.6 cycles per sample against the 2.25 of the FMA peak), split 13 %, recombination
//! 15 %, input check 5 % (before it was fused). So the 64-tap FFA is bound by its
//! nine FIR passes plus about 1.3 cycles per sample of split and recombination
//! (loads, stores and permutes of 13 vectors per 16 groups), and stays at or just
//! under 1 G samples/s at load; on the quiet machine (load 1, three criterion runs)
//! it made 1.005, 1.038 and 1.033 G samples/s at 64 taps against 0.836 G direct, so
//! [`Method::Auto`] picks it on AVX-512 for 64–192 taps ([`FFA_LENS_AVX512`]).
//! From 96 to 192 taps it wins on AVX-512 (one run at load 9, FFA / direct / FFT in
//! Msamples/s): 96 taps 647 / 542 / 310, 160 taps 389 / 322 / 326, 192 taps
//! 364 / 270 / 317.
//!
//! # Tolerances
//!
//! Both methods are checked against [`reference_convolution`] (`f64` accumulation):
//! every output is within `tol · Σ|h| · max|x|` of it, with `tol` =
//! [`SIMD_TOLERANCE`] for the direct kernels and [`FFT_TOLERANCE`] for the FFT path.

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
mod ffa;
mod fft;
mod scalar;

pub use scalar::reference_convolution;

use crate::cpu::Backend;
use crate::error::{check_finite, Error, Result};

/// Bound on `|direct − reference| / (Σ|h| · max|x|)` for any output of the direct
/// kernels (scalar or SIMD): `f32` rounding of a sum of `len` products (`len·2^-24`
/// worst case, `1e-5` at 160 taps; with roundings of random sign about
/// `√len·2^-24`, below `1e-6` up to thousands of taps).
pub const SIMD_TOLERANCE: f32 = 1e-5;

/// Bound on `|fft − reference| / (Σ|h| · max|x|)` for any output of the FFT path
/// (`f32` FFTs of up to `2^24` points; measured worst case about `1e-7`).
pub const FFT_TOLERANCE: f32 = 1e-5;

/// The longest response convolved directly by [`Method::Auto`]; longer ones use
/// the FFT (measured crossover on Zen 4 with AVX-512: the two are even at about 160
/// taps, see the module doc).
pub const DIRECT_MAX_LEN: usize = 160;

/// The response lengths [`Method::Auto`] gives the fast FIR algorithm on the
/// AVX-512 backend (measured: 1.00–1.04 G samples/s at 64 taps against 0.84 G
/// direct on a quiet machine; 1.15–1.37× the better of direct and FFT from 96 to
/// 192 taps, see the module doc).
pub const FFA_LENS_AVX512: std::ops::RangeInclusive<usize> = 64..=192;

/// What [`Method::Auto`] picks for a response of `m` samples on `backend`:
/// the FFA over [`FFA_LENS_AVX512`] on AVX-512, else direct up to
/// [`DIRECT_MAX_LEN`] and the FFT beyond.
pub fn auto_method(m: usize, backend: Backend) -> Method {
    if backend == Backend::Avx512 && FFA_LENS_AVX512.contains(&m) {
        Method::Ffa
    } else if m <= DIRECT_MAX_LEN {
        Method::Direct
    } else {
        Method::Fft
    }
}

/// The longest response a [`Convolver`] takes (`2^20` samples).
pub const MAX_LEN: usize = 1 << 20;

/// How a [`Convolver`] computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// By length and backend ([`auto_method`]): the FFA for 64–192 taps on
    /// AVX-512, else direct for responses of up to [`DIRECT_MAX_LEN`] samples, else
    /// FFT.
    Auto,
    /// A dot product per output (SIMD where the CPU has it).
    Direct,
    /// FFT overlap-save.
    Fft,
    /// Nested 2×2 fast FIR algorithm: nine direct sub-filters of `⌈len/4⌉` taps on
    /// the polyphase streams (`9/16` of the multiply-adds of [`Method::Direct`]).
    Ffa,
}

#[derive(Debug, Clone)]
enum Engine {
    Direct {
        /// The response reversed, the order the kernels read.
        rev: Vec<f32>,
        /// The last `m − 1` inputs, oldest first.
        hist: Vec<f32>,
        scratch: Vec<f32>,
    },
    Fft(Box<fft::FftConv>),
    Ffa(Box<ffa::Ffa>),
}

/// A streaming convolution with a fixed response, state kept across calls.
///
/// ```
/// use serdes_dsp::channel::conv::{Convolver, Method};
/// let h = [0.5, 0.25, 0.125];
/// for method in [Method::Direct, Method::Fft] {
///     let mut c = Convolver::with_method(&h, method).unwrap();
///     let y1 = c.process(&[1.0, 0.0]).unwrap();
///     let y2 = c.process(&[0.0, 2.0]).unwrap(); // the state carries over
///     let y: Vec<f32> = [y1, y2].concat();
///     let want = [0.5, 0.25, 0.125, 1.0];
///     assert!(y.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-6));
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Convolver {
    response: Vec<f32>,
    backend: Backend,
    engine: Engine,
}

impl Convolver {
    /// A convolver with `response` (1 to [`MAX_LEN`] finite samples), the method
    /// chosen by length ([`Method::Auto`]), on the fastest backend of this CPU.
    pub fn new(response: &[f32]) -> Result<Convolver> {
        Convolver::with_method(response, Method::Auto)
    }

    /// A convolver with `response` computed by `method`.
    pub fn with_method(response: &[f32], method: Method) -> Result<Convolver> {
        if response.is_empty() || response.len() > MAX_LEN {
            return Err(Error::invalid(
                "response",
                format!("1..={MAX_LEN} samples"),
                format!("{} samples", response.len()),
            ));
        }
        check_finite("response", response)?;
        let m = response.len();
        let backend = Backend::detect();
        let method = match method {
            Method::Auto => auto_method(m, backend),
            other => other,
        };
        let engine = match method {
            Method::Ffa => Engine::Ffa(Box::new(ffa::Ffa::new(response))),
            Method::Fft => Engine::Fft(Box::new(fft::FftConv::new(response, fft::fft_len(m)))),
            _ => Engine::Direct {
                rev: response.iter().rev().copied().collect(),
                hist: vec![0.0; m - 1],
                scratch: Vec::new(),
            },
        };
        Ok(Convolver {
            response: response.to_vec(),
            backend,
            engine,
        })
    }

    /// The same convolver with the direct kernels of `backend`; errors if this CPU
    /// cannot run it. (The FFT path uses RustFFT's own run-time detection.)
    pub fn with_backend(mut self, backend: Backend) -> Result<Convolver> {
        self.backend = backend.require()?;
        Ok(self)
    }

    /// The backend of the direct kernels.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The method in use: [`Method::Direct`], [`Method::Ffa`] or [`Method::Fft`].
    pub fn method(&self) -> Method {
        match self.engine {
            Engine::Direct { .. } => Method::Direct,
            Engine::Fft(_) => Method::Fft,
            Engine::Ffa(_) => Method::Ffa,
        }
    }

    /// The FFT length and the outputs per FFT block, for the FFT method.
    pub fn fft_block(&self) -> Option<(usize, usize)> {
        match &self.engine {
            Engine::Direct { .. } | Engine::Ffa(_) => None,
            Engine::Fft(f) => Some((f.fft_len(), f.block_len())),
        }
    }

    /// For the FFT method, how many inputs of the current block have been received
    /// (`0..block_len`, block length from [`Convolver::fft_block`]); 0 otherwise. The
    /// FFT path gives the same bits whatever the chunking only for chunks cut where
    /// this is 0.
    pub fn fft_block_filled(&self) -> usize {
        match &self.engine {
            Engine::Direct { .. } | Engine::Ffa(_) => 0,
            Engine::Fft(f) => f.filled(),
        }
    }

    /// The response, `h[0]` first.
    pub fn response(&self) -> &[f32] {
        &self.response
    }

    /// Back to the start of a stream: zero history.
    pub fn reset(&mut self) {
        match &mut self.engine {
            Engine::Direct { hist, .. } => hist.fill(0.0),
            Engine::Fft(f) => f.reset(),
            Engine::Ffa(f) => f.reset(),
        }
    }

    /// Convolves the next chunk `x` into `out` (`out.len() == x.len()`).
    ///
    /// Errors (leaving the state untouched) on a wrong `out` length or a NaN or
    /// infinite sample in `x`.
    pub fn process_into(&mut self, x: &[f32], out: &mut [f32]) -> Result<()> {
        if out.len() != x.len() {
            return Err(Error::LengthMismatch {
                name: "out",
                expected: x.len(),
                actual: out.len(),
            });
        }
        let backend = self.backend;
        // The FFA checks the input in its polyphase split, which reads it anyway.
        if !matches!(self.engine, Engine::Ffa(_)) {
            crate::eq::ffe::check_finite(backend, "x", x)?;
        }
        match &mut self.engine {
            Engine::Direct { rev, hist, scratch } => {
                let h = hist.len();
                if x.len() >= h {
                    // The first h outputs need the history; the rest read `x` directly.
                    scratch.clear();
                    scratch.extend_from_slice(hist);
                    scratch.extend_from_slice(&x[..h]);
                    let (edge, rest) = out.split_at_mut(h);
                    correlate(backend, rev, scratch, edge);
                    correlate(backend, rev, x, rest);
                    hist.copy_from_slice(&x[x.len() - h..]);
                } else {
                    scratch.clear();
                    scratch.extend_from_slice(hist);
                    scratch.extend_from_slice(x);
                    correlate(backend, rev, scratch, out);
                    let len = scratch.len();
                    hist.copy_from_slice(&scratch[len - h..]);
                }
            }
            Engine::Fft(f) => f.process(x, out),
            Engine::Ffa(f) => {
                if !f.process(backend, x, out) {
                    return crate::error::check_finite("x", x);
                }
            }
        }
        Ok(())
    }

    /// Allocating form of [`Convolver::process_into`].
    pub fn process(&mut self, x: &[f32]) -> Result<Vec<f32>> {
        let mut out = vec![0.0; x.len()];
        self.process_into(x, &mut out)?;
        Ok(out)
    }
}

/// Runs the direct kernel of `backend`: `out[i] = Σ_j rev[j]·x[i + j]` — the FIR
/// kernels of the FFE ([`crate::eq::ffe`]), one kernel family for both.
fn correlate(backend: Backend, rev: &[f32], x: &[f32], out: &mut [f32]) {
    crate::eq::ffe::fir(backend, rev, x, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lcg(seed: u64, n: usize) -> Vec<f32> {
        let mut s = seed.wrapping_mul(0x9E3779B97F4A7C15) | 1;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
            })
            .collect()
    }

    fn check_close(got: &[f32], want: &[f32], h: &[f32], x: &[f32], tol: f32, what: &str) {
        let scale =
            h.iter().map(|v| v.abs()).sum::<f32>() * x.iter().fold(0.0f32, |a, v| a.max(v.abs()));
        assert_eq!(got.len(), want.len());
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                (g - w).abs() <= tol * scale,
                "{what}: y[{i}] = {g} vs {w} (scale {scale})"
            );
        }
    }

    #[test]
    fn every_method_and_backend_matches_the_reference() {
        for m in [1, 2, 7, 31, 48, 64, 200, 1024] {
            let h = lcg(m as u64, m);
            let x = lcg(1000 + m as u64, 5000);
            let want = reference_convolution(&h, &x);
            for b in Backend::available() {
                let mut c = Convolver::with_method(&h, Method::Direct)
                    .unwrap()
                    .with_backend(b)
                    .unwrap();
                check_close(
                    &c.process(&x).unwrap(),
                    &want,
                    &h,
                    &x,
                    SIMD_TOLERANCE,
                    &format!("direct {b:?} m={m}"),
                );
            }
            let mut c = Convolver::with_method(&h, Method::Fft).unwrap();
            check_close(
                &c.process(&x).unwrap(),
                &want,
                &h,
                &x,
                FFT_TOLERANCE,
                &format!("fft m={m}"),
            );
        }
    }

    #[test]
    fn ffa_matches_the_reference_on_every_backend() {
        for m in [1, 2, 3, 4, 5, 7, 16, 31, 48, 63, 64, 65, 100, 160, 300] {
            let h = lcg(90 + m as u64, m);
            // Longer than a block of groups (4 · 255 inputs) and not a multiple of 4.
            let x = lcg(91 + m as u64, 4 * ffa::BLOCK * 2 + 37);
            let want = reference_convolution(&h, &x);
            for b in Backend::available() {
                let mut c = Convolver::with_method(&h, Method::Ffa)
                    .unwrap()
                    .with_backend(b)
                    .unwrap();
                assert_eq!(c.method(), Method::Ffa);
                check_close(
                    &c.process(&x).unwrap(),
                    &want,
                    &h,
                    &x,
                    SIMD_TOLERANCE,
                    &format!("ffa {b:?} m={m}"),
                );
            }
        }
    }

    #[test]
    fn ffa_impulse_gives_the_response() {
        let h: Vec<f32> = (1..=64).map(|v| v as f32).collect();
        let mut x = vec![0.0; 300];
        x[3] = 1.0;
        for b in Backend::available() {
            let y = Convolver::with_method(&h, Method::Ffa)
                .unwrap()
                .with_backend(b)
                .unwrap()
                .process(&x)
                .unwrap();
            // Small integers: every sum is exact in f32.
            for (n, v) in y.iter().enumerate() {
                let want = if (3..67).contains(&n) {
                    (n - 2) as f32
                } else {
                    0.0
                };
                assert_eq!(*v, want, "{b:?} y[{n}]");
            }
        }
    }

    #[test]
    fn ffa_clone_continues_the_stream() {
        // A clone's buffers sit at other addresses: the state moves to their
        // alignment and the stream goes on with the same bits.
        let h = lcg(5, 64);
        let x = lcg(6, 3001);
        for b in Backend::available() {
            let new = || {
                Convolver::with_method(&h, Method::Ffa)
                    .unwrap()
                    .with_backend(b)
                    .unwrap()
            };
            let whole = new().process(&x).unwrap();
            let mut c = new();
            let mut y = c.process(&x[..1203]).unwrap();
            let mut clones: Vec<Convolver> = (0..8).map(|_| c.clone()).collect();
            drop(c);
            let mut d = clones.pop().unwrap();
            y.extend(d.process(&x[1203..]).unwrap());
            assert_eq!(y, whole, "{b:?}");
        }
    }

    #[test]
    fn direct_and_fft_agree_within_1e_5_relative() {
        for m in [16, 100, 1024] {
            let h = lcg(7 * m as u64, m);
            let x = lcg(3, 20_000);
            let d = Convolver::with_method(&h, Method::Direct)
                .unwrap()
                .process(&x)
                .unwrap();
            let f = Convolver::with_method(&h, Method::Fft)
                .unwrap()
                .process(&x)
                .unwrap();
            let peak = d.iter().fold(0.0f32, |a, v| a.max(v.abs()));
            for (a, b) in d.iter().zip(&f) {
                assert!((a - b).abs() <= 1e-5 * peak, "m={m}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn simd_equals_scalar_within_tolerance() {
        for m in [1, 3, 8, 17, 48, 63] {
            let h = lcg(50 + m as u64, m);
            let x = lcg(51, 1234);
            let want = Convolver::with_method(&h, Method::Direct)
                .unwrap()
                .with_backend(Backend::Scalar)
                .unwrap()
                .process(&x)
                .unwrap();
            for b in Backend::available() {
                if b == Backend::Scalar {
                    continue;
                }
                let got = Convolver::with_method(&h, Method::Direct)
                    .unwrap()
                    .with_backend(b)
                    .unwrap()
                    .process(&x)
                    .unwrap();
                check_close(&got, &want, &h, &x, SIMD_TOLERANCE, &format!("{b:?} m={m}"));
            }
        }
        if !Backend::Avx512.is_available() {
            eprintln!("skipped AVX-512: this CPU lacks it");
        }
    }

    #[test]
    fn auto_picks_by_length_and_backend() {
        for b in [Backend::Scalar, Backend::Avx2] {
            assert_eq!(auto_method(DIRECT_MAX_LEN, b), Method::Direct);
            assert_eq!(auto_method(DIRECT_MAX_LEN + 1, b), Method::Fft);
            assert_eq!(auto_method(64, b), Method::Direct);
        }
        let a = Backend::Avx512;
        assert_eq!(auto_method(63, a), Method::Direct);
        assert_eq!(auto_method(64, a), Method::Ffa);
        assert_eq!(auto_method(192, a), Method::Ffa);
        assert_eq!(auto_method(193, a), Method::Fft);
        let m = Convolver::new(&[1.0; 64]).unwrap().method();
        assert_eq!(m, auto_method(64, Backend::detect()));
    }

    #[test]
    fn fft_block_filled_counts_the_inputs_of_the_current_block() {
        let h = lcg(7, 300);
        let mut c = Convolver::with_method(&h, Method::Fft).unwrap();
        let (_, l) = c.fft_block().unwrap();
        assert_eq!(c.fft_block_filled(), 0);
        let mut fed = 0;
        for k in [1usize, l - 2, 5, 3 * l + 7, l] {
            c.process(&lcg(k as u64, k)).unwrap();
            fed += k;
            assert_eq!(c.fft_block_filled(), fed % l, "after {fed} inputs");
        }
        c.reset();
        assert_eq!(c.fft_block_filled(), 0);
        let mut d = Convolver::with_method(&h[..16], Method::Direct).unwrap();
        d.process(&lcg(1, 37)).unwrap();
        assert_eq!(d.fft_block_filled(), 0);
    }

    #[test]
    fn bad_arguments_are_errors() {
        let e = Convolver::new(&[]).unwrap_err().to_string();
        assert!(e.contains("`response`") && e.contains("1..="), "{e}");
        let e = Convolver::new(&[1.0, f32::NAN]).unwrap_err().to_string();
        assert!(e.contains("`response`") && e.contains("index 1"), "{e}");
        for method in [Method::Direct, Method::Fft, Method::Ffa] {
            let mut c = Convolver::with_method(&[1.0, 0.5], method).unwrap();
            let e = c.process(&[0.0, f32::INFINITY]).unwrap_err().to_string();
            assert!(e.contains("`x`"), "{e}");
            assert!(c.process_into(&[0.0; 3], &mut [0.0; 2]).is_err());
        }
        // A bad sample anywhere in a long chunk leaves the state untouched.
        let h = lcg(8, 64);
        let x = lcg(9, 3000);
        for b in Backend::available() {
            for method in [Method::Direct, Method::Ffa] {
                let new = || convolver(&h, method, b);
                let whole = new().process(&x).unwrap();
                let mut c = new();
                let mut y = c.process(&x[..1001]).unwrap();
                for bad in [1, 1500, 1998] {
                    let mut z = x[1001..].to_vec();
                    z[bad] = f32::NAN;
                    let e = c.process(&z).unwrap_err().to_string();
                    assert!(e.contains(&format!("index {bad}")), "{e}");
                }
                y.extend(c.process(&x[1001..]).unwrap());
                assert_eq!(y, whole, "{b:?} {method:?}");
            }
        }
    }

    /// A convolver of `h` with `method` on `backend`.
    fn convolver(h: &[f32], method: Method, backend: Backend) -> Convolver {
        Convolver::with_method(h, method)
            .unwrap()
            .with_backend(backend)
            .unwrap()
    }

    fn chunked(c: &mut Convolver, x: &[f32], cuts: &[usize]) -> Vec<f32> {
        let mut cuts: Vec<usize> = cuts.iter().map(|&k| k % (x.len() + 1)).collect();
        cuts.sort_unstable();
        let mut out = Vec::new();
        let mut start = 0;
        for &k in cuts.iter().chain(std::iter::once(&x.len())) {
            out.extend(c.process(&x[start..k]).unwrap());
            start = k;
        }
        out
    }

    /// On every backend, `method` with a random `m`-tap response gives the same bits
    /// on 2500 samples cut at `cuts` as in one call, and again after a reset.
    fn bit_exact_in_chunks(
        method: Method,
        m: usize,
        seed: u64,
        cuts: &[usize],
    ) -> std::result::Result<(), TestCaseError> {
        let h = lcg(seed, m);
        let x = lcg(seed + 1, 2500);
        for b in Backend::available() {
            let fresh = || convolver(&h, method, b);
            let whole = fresh().process(&x).unwrap();
            let mut c = fresh();
            prop_assert_eq!(&chunked(&mut c, &x, cuts), &whole);
            c.reset();
            prop_assert_eq!(&c.process(&x).unwrap(), &whole);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn direct_is_chunk_invariant_bit_for_bit(m in 1usize..80, seed in 0u64..1000, cuts in proptest::collection::vec(0usize..3000, 0..8)) {
            bit_exact_in_chunks(Method::Direct, m, seed, &cuts)?;
        }

        #[test]
        fn ffa_is_chunk_invariant_bit_for_bit(m in 1usize..180, seed in 0u64..1000, cuts in proptest::collection::vec(0usize..3000, 0..10)) {
            bit_exact_in_chunks(Method::Ffa, m, seed, &cuts)?;
        }

        #[test]
        fn ffa_is_chunk_invariant_sample_by_sample(m in 1usize..40, seed in 0u64..1000) {
            let h = lcg(seed, m);
            let x = lcg(seed + 1, 300);
            let whole = Convolver::with_method(&h, Method::Ffa).unwrap().process(&x).unwrap();
            let mut c = Convolver::with_method(&h, Method::Ffa).unwrap();
            let got: Vec<f32> = x.iter().flat_map(|v| c.process(&[*v]).unwrap()).collect();
            prop_assert_eq!(&got, &whole);
        }

        #[test]
        fn fft_is_chunk_invariant(m in 1usize..300, seed in 0u64..1000, cuts in proptest::collection::vec(0usize..6000, 0..8)) {
            let h = lcg(seed, m);
            let x = lcg(seed + 1, 5000);
            let whole = Convolver::with_method(&h, Method::Fft).unwrap().process(&x).unwrap();
            let mut c = Convolver::with_method(&h, Method::Fft).unwrap();
            let got = chunked(&mut c, &x, &cuts);
            let scale = h.iter().map(|v| v.abs()).sum::<f32>();
            for (g, w) in got.iter().zip(&whole) {
                prop_assert!((g - w).abs() <= FFT_TOLERANCE * scale, "{} vs {}", g, w);
            }
            // After a reset the stream starts again.
            c.reset();
            let again = c.process(&x).unwrap();
            prop_assert_eq!(&again, &whole);
        }
    }
}
