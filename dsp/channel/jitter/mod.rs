//! Jitter on oversampled waveforms: a seeded source of per-edge time displacement
//! (random, sinusoidal, duty-cycle distortion, bounded uncorrelated) applied by
//! resampling the waveform at the jittered instants.
//!
//! `mod.rs` holds the safe streaming API ([`Jitter`]) and the displacement source;
//! `scalar.rs` is the reference of the resampling kernel (Catmull–Rom cubic
//! interpolation), `avx2.rs` computes the same with gathers and FMA. The backend is
//! picked once, at construction. (AVX-512 would add nothing here: the kernel is
//! bound by the gathers, and the CPUs that have AVX-512 run the AVX2 shim.)
//!
//! # The model
//!
//! The waveform has `samples_per_ui` samples per unit interval (UI) and its edges
//! (symbol transitions) sit at input samples `e_k = k·samples_per_ui + edge_offset`.
//! Edge `k` is displaced by `d_k` UI (positive = late):
//!
//! `d_k = RJ_k + SJ_k + DCD_k + BUJ_k` with
//! - `RJ_k = rj_rms_ui · g_k`, `g_k` the seeded N(0, 1) stream of
//!   [`Gaussian`] (scalar backend, so that the
//!   displacements are the same bits on every CPU; `|g_k| ≤ 6.66`);
//! - `SJ_k = sj_amplitude_ui · sin(2π · sj_frequency_hz / baud_hz · k + sj_phase_rad)`;
//! - `DCD_k = ±dcd_ui / 2`: `+` on even `k` and `−` on odd `k` ([`DcdMode::EvenOdd`]),
//!   or `+` on rising and `−` on falling edges ([`DcdMode::RisingFalling`]: the sign
//!   of `x[e_k + S/2] − x[e_k − S/2]`, 0 when equal), so that rising edges come
//!   late by `dcd_ui` relative to falling ones;
//! - `BUJ_k`: uniform on `[−buj_peak_ui, +buj_peak_ui]` ([`Buj::Uniform`], its own
//!   seeded generator) or `±buj_peak_ui` from the bits of a PRBS ([`Buj::Prbs`]).
//!
//! The displaced edges are the nodes of a piecewise-linear, increasing time warp:
//! edge `k` moves to the output time `o_k = e_k + d_k·S` (`S` = samples per UI),
//! and output sample `n` reads the input at
//! `p = e_k + (m − o_k)·S/(o_{k+1} − o_k)` for `o_k ≤ m < o_{k+1}`, `m = n − L`
//! (`L` = [`Jitter::delay`]). A threshold crossing at input time `e_k` therefore
//! appears at exactly `o_k + L` in the output, whatever the neighbouring edges do,
//! and the waveform between edges is stretched or squeezed smoothly (no jumps).
//! The warp stays increasing because adjacent displacements may differ by at most
//! [`MAX_STEP_UI`] (checked on the configuration's bound).
//!
//! # Interpolation: Catmull–Rom
//!
//! The waveform is read between samples with the Catmull–Rom cubic (Keys' cubic
//! convolution with `a = −½`): four taps, interpolating (exact at the samples, so
//! that zero jitter returns the input delayed, bit for bit), continuous first
//! derivative (no slope jumps at the samples, which would bias the crossing times
//! that a TIE measurement reads), exact for quadratics, error `O(h³)`. A windowed
//! sinc would be more accurate on a waveform near Nyquist but costs 16–64 taps and
//! that many samples of latency; oversampled SerDes waveforms (8–64 samples/UI) are
//! smooth at the sample scale, where the cubic error is far below the noise.
//!
//! # Streaming
//!
//! The output is the input delayed by `L = delay()` samples (a multiple of
//! `samples_per_ui`, so edges stay on the UI grid), enough for the largest possible
//! displacement plus the interpolator's and the edge detector's reach. Before the
//! stream, the input is taken as its first sample held. The state carried across
//! calls: the input history, the edge index and its two displacements, the RNGs.
//! Any chunking gives the same output, bit for bit, as one call.

#[cfg(target_arch = "x86_64")]
mod avx2;
mod scalar;

pub use scalar_api::interpolate_reference;

use crate::channel::Gaussian;
use crate::cpu::Backend;
use crate::error::{check_finite, check_len, Error, Result};
use crate::signal::Prbs;

/// Bound on `|simd − scalar| / max|x|` for any output of the resampler (the SIMD
/// kernel fuses multiply-adds; the Catmull–Rom weights sum to 1 with `|w| ≤ 1.2`).
pub const SIMD_TOLERANCE: f32 = 2e-6;

/// The largest number of samples per UI.
pub const MAX_SAMPLES_PER_UI: usize = 1024;

/// The largest bound on the total displacement, in UI.
pub const MAX_DISPLACEMENT_UI: f64 = 64.0;

/// The largest change of displacement between adjacent edges, in UI: edges must
/// keep their order.
pub const MAX_STEP_UI: f64 = 0.9;

/// The largest `|N(0, 1)|` sample of [`Gaussian`]: `√(64 ln 2)`.
const GAUSSIAN_BOUND: f64 = 6.660_441_157_514_58;

mod scalar_api {
    /// The resampling kernel's reference, public for tests and comparisons:
    /// `out[j]` is the Catmull–Rom interpolation of `x` at position `idx[j] + 1 + frac[j]`,
    /// i.e. between `x[idx[j] + 1]` and `x[idx[j] + 2]`.
    ///
    /// # Panics
    /// If the three slices differ in length, or `idx[j] + 3 >= x.len()` for some `j`.
    pub fn interpolate_reference(x: &[f32], idx: &[u32], frac: &[f32], out: &mut [f32]) {
        assert!(idx.len() == out.len() && frac.len() == out.len());
        super::scalar::interpolate(x, idx, frac, out)
    }
}

/// How duty-cycle distortion alternates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DcdMode {
    /// `+dcd/2` on even edges (UI index), `−dcd/2` on odd ones.
    EvenOdd,
    /// `+dcd/2` on rising edges, `−dcd/2` on falling ones (sign of the waveform's
    /// change over the UI around the edge).
    RisingFalling,
}

/// How bounded uncorrelated jitter is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Buj {
    /// Uniform on `[−peak, +peak]`, from its own seeded generator.
    Uniform,
    /// `+peak` for a 1 bit and `−peak` for a 0 bit of a PRBS of this order (7, 9,
    /// 11, 13, 15, 23 or 31), one bit per edge, register seeded from the seed.
    Prbs(u32),
}

/// The jitter components, in UI.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Components {
    rj_rms_ui: f64,
    sj_amplitude_ui: f64,
    sj_frequency_hz: f64,
    sj_phase_rad: f64,
    dcd_ui: f64,
    dcd_mode: DcdMode,
    buj_peak_ui: f64,
    buj: Buj,
}

/// The per-edge displacement source: RNG streams and the edge formula.
#[derive(Debug, Clone)]
struct EdgeSource {
    c: Components,
    baud_hz: f64,
    seed: u64,
    gauss: Gaussian,
    uniform: u64,
    prbs: Option<Prbs>,
}

/// splitmix64 (Steele, Lea and Flood 2014): the uniform stream of the BUJ.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let z = (*state ^ (*state >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A seed for the second and third streams, far from the first's.
const STREAM2: u64 = 0xD1B5_4A32_D192_ED03;

impl EdgeSource {
    fn new(c: Components, baud_hz: f64, seed: u64) -> Result<EdgeSource> {
        let prbs = match c.buj {
            Buj::Uniform => None,
            Buj::Prbs(order) => {
                if !matches!(order, 7 | 9 | 11 | 13 | 15 | 23 | 31) {
                    return Err(Error::invalid(
                        "buj_prbs_order",
                        "one of 7, 9, 11, 13, 15, 23, 31",
                        order,
                    ));
                }
                let mut s = seed ^ STREAM2;
                let reg = splitmix64(&mut s) % ((1u64 << order) - 1) + 1;
                Some(Prbs::new(order, reg)?)
            }
        };
        Ok(EdgeSource {
            c,
            baud_hz,
            seed,
            gauss: Gaussian::with_backend(seed, Backend::Scalar)?,
            uniform: seed ^ STREAM2.rotate_left(17),
            prbs,
        })
    }

    fn reset(&mut self) {
        // Cannot fail: the same arguments succeeded in `new`.
        if let Ok(s) = EdgeSource::new(self.c, self.baud_hz, self.seed) {
            *self = s;
        }
    }

    /// The largest `|d_k|` this source can produce, in UI.
    fn bound_ui(&self) -> f64 {
        let c = &self.c;
        GAUSSIAN_BOUND * c.rj_rms_ui + c.sj_amplitude_ui + c.dcd_ui / 2.0 + c.buj_peak_ui
    }

    /// The largest `|d_{k+1} − d_k|` this source can produce, in UI.
    fn step_bound_ui(&self) -> f64 {
        let c = &self.c;
        let sj = 2.0
            * c.sj_amplitude_ui
            * (std::f64::consts::PI * c.sj_frequency_hz / self.baud_hz).sin();
        2.0 * (GAUSSIAN_BOUND * c.rj_rms_ui + c.buj_peak_ui) + c.dcd_ui + sj
    }

    /// The displacement of edge `k`, in UI; `slope` is the waveform's change
    /// across it (only its sign is used, by [`DcdMode::RisingFalling`]).
    /// Every call draws one Gaussian, one uniform and one PRBS bit (if any).
    fn next(&mut self, k: i64, slope: f32) -> f64 {
        let c = &self.c;
        let mut g = [0f32];
        self.gauss.fill(&mut g);
        let u = splitmix64(&mut self.uniform);
        let bit = match &mut self.prbs {
            Some(p) => {
                let mut b = [0u8];
                p.fill_bits(&mut b);
                b[0]
            }
            None => 0,
        };
        let rj = c.rj_rms_ui * g[0] as f64;
        let sj = if c.sj_amplitude_ui != 0.0 {
            let cycles = c.sj_frequency_hz / self.baud_hz * k as f64;
            // Reduce the phase in f64 before the sine: exact for k up to 2^52.
            c.sj_amplitude_ui * (std::f64::consts::TAU * cycles.fract() + c.sj_phase_rad).sin()
        } else {
            0.0
        };
        let sign = match c.dcd_mode {
            DcdMode::EvenOdd => {
                if k.rem_euclid(2) == 0 {
                    1.0
                } else {
                    -1.0
                }
            }
            DcdMode::RisingFalling => {
                if slope > 0.0 {
                    1.0
                } else if slope < 0.0 {
                    -1.0
                } else {
                    0.0
                }
            }
        };
        let buj = match c.buj {
            Buj::Uniform => c.buj_peak_ui * ((u >> 11) as f64 * 2f64.powi(-52) - 1.0),
            Buj::Prbs(_) => c.buj_peak_ui * if bit == 1 { 1.0 } else { -1.0 },
        };
        rj + sj + sign * c.dcd_ui / 2.0 + buj
    }
}

/// Jitter applied to an oversampled waveform by resampling it at jittered instants.
///
/// Built with [`Jitter::new`] and the component setters; see the
/// [module docs](self) for the exact model. Streaming: any chunking gives the same
/// output as one call; the output is the input delayed by [`Jitter::delay`] samples.
///
/// ```
/// use serdes_dsp::channel::jitter::{DcdMode, Jitter};
///
/// // 16 samples/UI at 53.125 GBd: 0.01 UI rms RJ, 0.1 UI of SJ at 1 MHz, 0.02 UI DCD.
/// let mut j = Jitter::new(16, 53.125e9, 7)?
///     .rj(0.01)?
///     .sj(0.1, 1e6, 0.0)?
///     .dcd(0.02, DcdMode::RisingFalling)?;
/// let x: Vec<f32> = (0..1600).map(|i| if (i / 16) % 3 == 0 { 1.0 } else { -1.0 }).collect();
/// let y = j.process(&x)?;
/// assert_eq!(y.len(), x.len());
/// // Zero jitter is a pure delay.
/// let mut none = Jitter::new(16, 53.125e9, 7)?;
/// let d = none.delay();
/// let y0 = none.process(&x)?;
/// assert_eq!(&y0[d..], &x[..x.len() - d]);
/// # Ok::<(), serdes_dsp::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Jitter {
    sps: usize,
    edge_offset: usize,
    backend: Backend,
    src: EdgeSource,
    /// Latency `L` in samples.
    latency: usize,
    /// Length of the history kept between calls.
    hist_len: usize,
    /// The last `hist_len` input samples (empty before the first sample).
    hist: Vec<f32>,
    /// Input samples consumed so far.
    consumed: u64,
    /// Current edge interval `k` and the output times `o_k`, `o_{k+1}` (samples).
    edge: Option<(i64, f64, f64)>,
    /// `src.bound_ui()`, cached.
    src_bound: f64,
    buf: Vec<f32>,
    idx: Vec<u32>,
    frac: Vec<f32>,
}

fn check_ui(name: &'static str, v: f64) -> Result<()> {
    if v.is_finite() && (0.0..=MAX_DISPLACEMENT_UI).contains(&v) {
        Ok(())
    } else {
        Err(Error::invalid(
            name,
            format!("a finite number of UI in 0..={MAX_DISPLACEMENT_UI}"),
            v,
        ))
    }
}

impl Jitter {
    /// No jitter yet (a pure delay) on a waveform of `samples_per_ui` (2 ..=
    /// [`MAX_SAMPLES_PER_UI`]) samples per UI at `baud_hz` symbols per second (finite,
    /// `> 0`; used by the SJ frequency), with the random streams of `seed`. Edges at
    /// samples `k·samples_per_ui` (see [`Jitter::edge_offset`]); fastest backend.
    pub fn new(samples_per_ui: usize, baud_hz: f64, seed: u64) -> Result<Jitter> {
        if !(2..=MAX_SAMPLES_PER_UI).contains(&samples_per_ui) {
            return Err(Error::invalid(
                "samples_per_ui",
                format!("an integer in 2..={MAX_SAMPLES_PER_UI}"),
                samples_per_ui,
            ));
        }
        if !(baud_hz.is_finite() && baud_hz > 0.0) {
            return Err(Error::invalid(
                "baud_hz",
                "a finite number of Hz > 0",
                baud_hz,
            ));
        }
        let c = Components {
            rj_rms_ui: 0.0,
            sj_amplitude_ui: 0.0,
            sj_frequency_hz: 0.0,
            sj_phase_rad: 0.0,
            dcd_ui: 0.0,
            dcd_mode: DcdMode::EvenOdd,
            buj_peak_ui: 0.0,
            buj: Buj::Uniform,
        };
        let mut j = Jitter {
            sps: samples_per_ui,
            edge_offset: 0,
            backend: Backend::detect(),
            src: EdgeSource::new(c, baud_hz, seed)?,
            latency: 0,
            hist_len: 0,
            hist: Vec::new(),
            consumed: 0,
            edge: None,
            src_bound: 0.0,
            buf: Vec::new(),
            idx: Vec::new(),
            frac: Vec::new(),
        };
        j.configure(c)?;
        Ok(j)
    }

    /// Installs new components (before any sample), recomputing the latency.
    fn configure(&mut self, c: Components) -> Result<()> {
        let src = EdgeSource::new(c, self.src.baud_hz, self.src.seed)?;
        let bound = src.bound_ui();
        if bound > MAX_DISPLACEMENT_UI {
            return Err(Error::invalid(
                "jitter",
                format!(
                    "a total bound 6.66·rj_rms_ui + sj_amplitude_ui + dcd_ui/2 + buj_peak_ui <= {MAX_DISPLACEMENT_UI} UI"
                ),
                format!("{bound} UI"),
            ));
        }
        let step = src.step_bound_ui();
        if step >= MAX_STEP_UI {
            return Err(Error::invalid(
                "jitter",
                format!(
                    "a bound on the change between adjacent edges 2·(6.66·rj_rms_ui + buj_peak_ui) + dcd_ui + 2·sj_amplitude_ui·sin(π·sj_frequency_hz/baud_hz) < {MAX_STEP_UI} UI"
                ),
                format!("{step} UI"),
            ));
        }
        self.src_bound = bound;
        let s = self.sps;
        let reach = (bound * s as f64).ceil() as usize + 2;
        self.latency = s * (reach.div_ceil(s) + 2);
        self.hist_len = self.latency + reach + 2 + s;
        self.src = src;
        self.reset();
        Ok(())
    }

    /// Random jitter: Gaussian, `rms_ui` (finite, `>= 0`) UI rms, independent per edge.
    pub fn rj(mut self, rms_ui: f64) -> Result<Jitter> {
        check_ui("rj_rms_ui", rms_ui)?;
        let c = Components {
            rj_rms_ui: rms_ui,
            ..self.src.c
        };
        self.configure(c)?;
        Ok(self)
    }

    /// Sinusoidal jitter `amplitude_ui · sin(2π f t + phase_rad)` (peak UI, `>= 0`;
    /// `0 <= frequency_hz <= baud_hz / 2`; finite phase), sampled at the edges.
    pub fn sj(mut self, amplitude_ui: f64, frequency_hz: f64, phase_rad: f64) -> Result<Jitter> {
        check_ui("sj_amplitude_ui", amplitude_ui)?;
        let nyq = self.src.baud_hz / 2.0;
        if !(frequency_hz.is_finite() && (0.0..=nyq).contains(&frequency_hz)) {
            return Err(Error::invalid(
                "sj_frequency_hz",
                format!("a number of Hz in 0..={nyq} (half the baud rate)"),
                frequency_hz,
            ));
        }
        if !phase_rad.is_finite() {
            return Err(Error::invalid(
                "sj_phase_rad",
                "a finite number of radians",
                phase_rad,
            ));
        }
        let c = Components {
            sj_amplitude_ui: amplitude_ui,
            sj_frequency_hz: frequency_hz,
            sj_phase_rad: phase_rad,
            ..self.src.c
        };
        self.configure(c)?;
        Ok(self)
    }

    /// Duty-cycle distortion of `pp_ui` UI peak to peak (`>= 0`), alternating as `mode` says.
    pub fn dcd(mut self, pp_ui: f64, mode: DcdMode) -> Result<Jitter> {
        check_ui("dcd_ui", pp_ui)?;
        let c = Components {
            dcd_ui: pp_ui,
            dcd_mode: mode,
            ..self.src.c
        };
        self.configure(c)?;
        Ok(self)
    }

    /// Bounded uncorrelated jitter of `peak_ui` UI peak (`>= 0`), drawn as `kind` says.
    pub fn buj(mut self, peak_ui: f64, kind: Buj) -> Result<Jitter> {
        check_ui("buj_peak_ui", peak_ui)?;
        let c = Components {
            buj_peak_ui: peak_ui,
            buj: kind,
            ..self.src.c
        };
        self.configure(c)?;
        Ok(self)
    }

    /// Puts the edges at input samples `k·samples_per_ui + offset` (`offset <
    /// samples_per_ui`; default 0): where the waveform's symbol transitions are.
    pub fn edge_offset(mut self, offset: usize) -> Result<Jitter> {
        if offset >= self.sps {
            return Err(Error::invalid(
                "edge_offset",
                format!("0..={} (a sample within the UI)", self.sps - 1),
                offset,
            ));
        }
        self.edge_offset = offset;
        self.reset();
        Ok(self)
    }

    /// The same block on `backend`; [`Error::MissingCpuFeature`] if this CPU
    /// cannot run it.
    pub fn with_backend(mut self, backend: Backend) -> Result<Jitter> {
        self.backend = backend.require()?;
        Ok(self)
    }

    /// The backend of the resampling kernel.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Samples per UI.
    pub fn samples_per_ui(&self) -> usize {
        self.sps
    }

    /// The symbol rate, Hz.
    pub fn baud_hz(&self) -> f64 {
        self.src.baud_hz
    }

    /// The largest displacement any edge can get, in UI (`6.66·RJ` for the bounded
    /// Gaussian stream, plus the other peaks).
    pub fn max_displacement_ui(&self) -> f64 {
        self.src.bound_ui()
    }

    /// The latency of the block in samples: output `n` is input `n − delay()`
    /// displaced by the jitter. A multiple of `samples_per_ui`.
    pub fn delay(&self) -> usize {
        self.latency
    }

    /// Back to the start of the stream: history, edge index and RNGs.
    pub fn reset(&mut self) {
        self.hist.clear();
        self.consumed = 0;
        self.edge = None;
        self.src.reset();
    }

    /// Allocating form of [`Jitter::process_into`].
    pub fn process(&mut self, x: &[f32]) -> Result<Vec<f32>> {
        let mut out = vec![0.0; x.len()];
        self.process_into(x, &mut out)?;
        Ok(out)
    }

    /// Jitters the next chunk `x` into `out` (same length). Errors, leaving the
    /// state untouched, on a wrong `out` length or a NaN or infinite sample in `x`.
    pub fn process_into(&mut self, x: &[f32], out: &mut [f32]) -> Result<()> {
        check_len("out", x.len(), out.len())?;
        check_finite("x", x)?;
        if x.is_empty() {
            return Ok(());
        }
        if self.hist.is_empty() {
            self.hist.resize(self.hist_len, x[0]);
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        buf.extend_from_slice(&self.hist);
        buf.extend_from_slice(x);
        if buf.len() > i32::MAX as usize {
            self.buf = buf;
            return Err(Error::invalid(
                "x",
                "chunks shorter than 2^31 samples",
                x.len(),
            ));
        }
        self.positions(&buf, x.len());
        let (idx, frac) = (&self.idx, &self.frac);
        match self.backend {
            Backend::Scalar => scalar::interpolate(&buf, idx, frac, out),
            // SAFETY: a stored Avx2/Avx512 backend passed `Backend::require` or was
            // chosen by `Backend::detect` (AVX-512 CPUs have AVX2 and FMA);
            // `positions` clamps every index to `idx + 3 < buf.len() <= i32::MAX`.
            #[cfg(target_arch = "x86_64")]
            Backend::Avx2 | Backend::Avx512 => unsafe { avx2::interpolate(&buf, idx, frac, out) },
            #[cfg(not(target_arch = "x86_64"))]
            _ => scalar::interpolate(&buf, idx, frac, out),
        }
        let h = self.hist_len;
        self.hist.copy_from_slice(&buf[buf.len() - h..]);
        self.consumed += x.len() as u64;
        self.buf = buf;
        Ok(())
    }

    /// Fills `self.idx` and `self.frac` with the read positions of the next `n`
    /// outputs in `buf` (the history then the new chunk), advancing the edges.
    fn positions(&mut self, buf: &[f32], n: usize) {
        let s = self.sps as i64;
        let sf = self.sps as f64;
        let off = self.edge_offset as i64;
        let lat = self.latency as i64;
        // Absolute input index of buf[0].
        let base = self.consumed as i64 - self.hist_len as i64;
        let half = (s / 2).max(1);
        let last = buf.len() as i64 - 1;
        let slope = |e: i64| {
            let at = |i: i64| buf[(i - base).clamp(0, last) as usize];
            at(e + half) - at(e - half)
        };
        // Output time (input samples) of edge k: o_k = e_k + d_k·S.
        let src = &mut self.src;
        let mut node = |k: i64| {
            let e = k * s + off;
            e as f64 + src.next(k, slope(e)) * sf
        };
        let max_idx = buf.len() as i64 - 4;
        let (mut k, mut o0, mut o1) = match self.edge {
            Some(e) => e,
            None => {
                // The stream starts at m = −L: begin at an edge surely before it.
                let reach = (self.src_bound * sf).ceil() as i64;
                let k0 = (-lat - off - reach).div_euclid(s) - 1;
                let o0 = node(k0);
                (k0, o0, node(k0 + 1))
            }
        };
        self.idx.resize(n, 0);
        self.frac.resize(n, 0.0);
        let m0 = self.consumed as i64 - lat;
        // Per edge interval: its input time e_k and the warp's slope S/(o_{k+1} − o_k).
        let mut e = (k * s + off) as f64;
        let mut rate = sf / (o1 - o0);
        for (j, (ij, fj)) in self.idx.iter_mut().zip(self.frac.iter_mut()).enumerate() {
            let mf = (m0 + j as i64) as f64;
            if mf >= o1 {
                while mf >= o1 {
                    k += 1;
                    o0 = o1;
                    o1 = node(k + 1);
                }
                e = (k * s + off) as f64;
                rate = sf / (o1 - o0);
            }
            // The warp through the nodes (o_k, e_k): p(o_k) = e_k exactly.
            let p = e + (mf - o0) * rate;
            // floor without a libm call (no SSE4.1 `roundsd` in the base target).
            let t = p as i64;
            let fl = if (t as f64) > p { t - 1 } else { t };
            *ij = (fl - 1 - base).clamp(0, max_idx) as u32;
            *fj = (p - fl as f64) as f32;
        }
        self.edge = Some((k, o0, o1));
    }
}

#[cfg(test)]
mod tests;
