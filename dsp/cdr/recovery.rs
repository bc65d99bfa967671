//! The CDR block: interpolator + timing-error detector + PI loop, streaming.

use super::interp::{InterpKind, Interpolator};
use super::loop_filter::{LockDetector, LoopFilter, LoopGains, MAX_FREQUENCY_OFFSET};
use super::sampler::Sampler;
use super::ted::{slice, Detector, Gardner, TimingErrorDetector};
use crate::cpu::Backend;
use crate::error::{Error, Result};

/// The largest oversampling ratio the [`Cdr`] takes.
pub const MAX_SAMPLES_PER_UI: usize = 256;

/// The largest loop update interval, symbols.
pub const MAX_UPDATE_EVERY: usize = 256;

/// Which recovered phases a [`Cdr`] writes to [`CdrOutput::phase_ui`].
///
/// The loop moves the phase once per block of `update_every` symbols and in between
/// it advances by the frequency accumulator, so the per-block trace loses nothing
/// but the straight line inside a block; at 8 bytes a symbol the per-symbol trace is
/// the largest output of the CDR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PhaseTrace {
    /// One phase per symbol (the default): `phase_ui[n]` belongs to symbol `n`.
    #[default]
    Symbol,
    /// One phase per block: `phase_ui[b]` belongs to symbol `b·update_every`, the
    /// block's first.
    Block,
    /// No phase trace: `phase_ui` stays empty ([`Cdr::phase_ui`] still gives the
    /// current phase).
    Off,
}

impl PhaseTrace {
    /// Parses `symbol`, `block` or `off` (`none`).
    pub fn from_name(name: &str) -> Result<PhaseTrace> {
        match name {
            "symbol" => Ok(PhaseTrace::Symbol),
            "block" => Ok(PhaseTrace::Block),
            "off" | "none" => Ok(PhaseTrace::Off),
            other => Err(Error::invalid("trace", "one of symbol, block, off", other)),
        }
    }
}

/// Configuration of a [`Cdr`]; [`CdrConfig::new`] gives the defaults, the fields are
/// public to change before [`Cdr::new`] checks them.
#[derive(Debug, Clone, PartialEq)]
pub struct CdrConfig {
    /// Input samples per nominal UI (2..=256).
    pub samples_per_ui: usize,
    /// The timing-error detector: `mm`, `mm_ss`, `bang_bang` or `gardner`
    /// (see [`Detector::from_name`]). Default `mm`.
    pub detector: String,
    /// The interpolator. Default cubic.
    pub interpolator: InterpKind,
    /// The slicer's outer PAM4 level at the input (levels ±A, ±A/3). Default 1.
    pub amplitude: f32,
    /// Nominal symbol rate, Hz (for the bandwidth design). Default 53.125 GBd.
    pub baud_hz: f64,
    /// Jitter-transfer −3 dB bandwidth, Hz, used when `gains` is `None`.
    /// Default `baud_hz / 2500` (21.25 MHz at 53.125 GBd).
    pub bandwidth_hz: f64,
    /// Loop damping factor used with `bandwidth_hz`. Default 1.
    pub damping: f64,
    /// Loop gains given directly (overrides `bandwidth_hz`/`damping`).
    pub gains: Option<LoopGains>,
    /// Detector gain (error per symbol per UI) for the bandwidth design; default
    /// the detector's [`TimingErrorDetector::nominal_gain`].
    pub detector_gain: Option<f64>,
    /// Symbols between loop updates (1..=256; the decimated loop of a parallel
    /// receiver, and the SIMD batch of the interpolator). Default 16.
    pub update_every: usize,
    /// First sampling instant, UI after the first input sample (−0.5..=0.5).
    pub initial_phase_ui: f64,
    /// Starting value of the frequency accumulator, ppm.
    pub initial_ppm: f64,
    /// Lock detector window, symbols. Default 1024.
    pub lock_window: u64,
    /// Lock detector threshold on the rms slicer error over `amplitude`. Default 0.1.
    pub lock_threshold: f64,
    /// Lock detector limit on the frequency drift within a window, ppm. Default 20.
    pub lock_freq_tol_ppm: f64,
    /// Good (bad) windows in a row to declare (lose) lock. Default 4.
    pub lock_windows: u32,
    /// Acquire with Gardner's detector while unlocked when `detector` is
    /// decision-directed (`mm`, `mm_ss`): a decision-directed detector sees a closed
    /// eye far from lock and can stall there. Default true.
    pub acquisition: bool,
    /// Interpolator kernel. Default the fastest this CPU runs.
    pub backend: Backend,
    /// Which phases go to [`CdrOutput::phase_ui`]. Default one per symbol.
    pub trace: PhaseTrace,
}

impl CdrConfig {
    /// The defaults (see each field) for `samples_per_ui` samples per UI.
    pub fn new(samples_per_ui: usize) -> CdrConfig {
        let baud_hz = 53.125e9;
        CdrConfig {
            samples_per_ui,
            detector: "mm".into(),
            interpolator: InterpKind::Cubic,
            amplitude: 1.0,
            baud_hz,
            bandwidth_hz: baud_hz / 2500.0,
            damping: 1.0,
            gains: None,
            detector_gain: None,
            update_every: 16,
            initial_phase_ui: 0.0,
            initial_ppm: 0.0,
            lock_window: 1024,
            lock_threshold: 0.1,
            lock_freq_tol_ppm: 100.0,
            lock_windows: 4,
            acquisition: true,
            backend: Backend::detect(),
            trace: PhaseTrace::Symbol,
        }
    }

    /// The detector this configuration builds.
    pub fn build_detector(&self) -> Result<Detector> {
        Detector::from_name(&self.detector, self.amplitude)
    }

    /// The detector gain the loop is designed with.
    pub fn effective_detector_gain(&self) -> Result<f64> {
        match self.detector_gain {
            Some(g) if !(g.is_finite() && g > 0.0) => {
                Err(Error::invalid("detector_gain", "a finite gain > 0", g))
            }
            Some(g) => Ok(g),
            None => Ok(self.build_detector()?.nominal_gain()),
        }
    }

    /// The loop gains: `gains`, or designed from `bandwidth_hz` and `damping`.
    pub fn loop_gains(&self) -> Result<LoopGains> {
        match self.gains {
            Some(g) => LoopGains::new(g.kp, g.ki),
            None => LoopGains::from_bandwidth(
                self.bandwidth_hz,
                self.damping,
                self.baud_hz,
                self.effective_detector_gain()?,
            ),
        }
    }
}

/// What a [`Cdr`] produces, one entry per recovered symbol; `process_into` appends.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CdrOutput {
    /// The waveform at the recovered instants (for an FFE/DFE/slicer).
    pub samples: Vec<f32>,
    /// The CDR's own slicer decisions, `0..=3`.
    pub symbols: Vec<u8>,
    /// Recovered sampling phase in UI: symbol `n` was sampled at `n + phase_ui[n]`
    /// nominal UI after the first input sample. Unwrapped: a frequency offset shows
    /// as a ramp, every whole UI of which is one slip against the nominal clock.
    /// One entry per symbol by default; one per block, or none, as
    /// [`CdrConfig::trace`] says (see [`PhaseTrace`]).
    pub phase_ui: Vec<f64>,
}

impl CdrOutput {
    /// Empty buffers.
    pub fn new() -> CdrOutput {
        CdrOutput::default()
    }

    /// Number of symbols held.
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// Whether it holds no symbol.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// Empties the buffers, keeping their capacity.
    pub fn clear(&mut self) {
        self.samples.clear();
        self.symbols.clear();
        self.phase_ui.clear();
    }
}

/// A streaming clock and data recovery block on an oversampled PAM4 waveform.
///
/// Per block of `update_every` symbols it interpolates the waveform at the current
/// instants (and half a UI earlier for edge-based detectors), slices, sums the
/// detector's errors, and updates the PI loop (see [`crate::cdr::loop_filter`]).
/// Samples are addressed by an integer index plus a fraction, so a phase drifting
/// across a UI boundary (a frequency offset) moves the sampling to the next sample
/// period without a glitch: the number of symbols out per sample in follows the
/// data rate. Chunk-invariant: any split of the input gives the same output (a
/// block is computed only once all its samples have arrived).
///
/// ```
/// use serdes_dsp::cdr::{waveform, Cdr, CdrConfig};
/// let sym = waveform::random_symbols(20_000, 1);
/// let t = waveform::Timing { delay_ui: 0.3, ppm: 100.0, ..Default::default() };
/// let x = waveform::pam4_waveform(&sym, 16, |k| t.offset_ui(k), &waveform::RaisedCosine::reference()).unwrap();
/// let mut cdr = Cdr::new(CdrConfig::new(16)).unwrap();
/// let out = cdr.process(&x).unwrap();
/// assert!(cdr.locked());
/// assert!((cdr.frequency_ppm() - 100.0).abs() < 5.0);
/// assert_eq!(&out.symbols[15_000..15_100], &sym[15_000..15_100]);
/// ```
#[derive(Debug, Clone)]
pub struct Cdr {
    cfg: CdrConfig,
    sps: usize,
    /// Samples kept before a block's first data position (edge + interpolator support).
    margin: usize,
    block: usize,
    interp: Interpolator,
    /// The fused interpolator + slicer + Mueller–Müller kernel.
    sampler: Sampler,
    clock: ClockLoop,
    inv_amp: f32,
    /// Input samples not yet consumed, absolute indices from `hist_start`.
    hist: Vec<f32>,
    hist_start: i64,
    /// Absolute index of the first sample the next block may read.
    origin: i64,
    /// Position of the next symbol from `origin`, samples, within
    /// [`Cdr::POS_RANGE`] around `margin`: the integer part moves to `origin`
    /// before the block's error is known, the kick stays here (see `run_block`).
    pos: f64,
    n_sym: u64,
    edges: Vec<f32>,
    levels: Vec<f32>,
    scratch: Vec<f32>,
}

impl Cdr {
    /// A CDR for `config`; errors name the offending field.
    pub fn new(config: CdrConfig) -> Result<Cdr> {
        let c = &config;
        if !(2..=MAX_SAMPLES_PER_UI).contains(&c.samples_per_ui) {
            return Err(Error::invalid(
                "samples_per_ui",
                format!("2..={MAX_SAMPLES_PER_UI}"),
                c.samples_per_ui,
            ));
        }
        if !(1..=MAX_UPDATE_EVERY).contains(&c.update_every) {
            return Err(Error::invalid(
                "update_every",
                format!("1..={MAX_UPDATE_EVERY}"),
                c.update_every,
            ));
        }
        if !(c.initial_phase_ui.is_finite() && c.initial_phase_ui.abs() <= 0.5) {
            return Err(Error::invalid(
                "initial_phase_ui",
                "-0.5 <= initial_phase_ui <= 0.5",
                c.initial_phase_ui,
            ));
        }
        let clock = ClockLoop::new(c)?;
        let interp = Interpolator::new(c.interpolator).with_backend(c.backend)?;
        let sampler = Sampler::new(c.interpolator, interp.backend(), c.amplitude);
        let sps = c.samples_per_ui;
        // Edges sit up to (1 + 5 %)/2 UI before the data position; plus the support.
        let margin = (sps * 5).div_ceil(8) + 2;
        let p = c.update_every;
        let mut cdr = Cdr {
            clock,
            sps,
            margin,
            block: p,
            interp,
            sampler,
            inv_amp: 1.0 / c.amplitude,
            hist: Vec::new(),
            hist_start: 0,
            origin: 0,
            pos: 0.0,
            n_sym: 0,
            edges: vec![0.0; p],
            levels: vec![0.0; p],
            scratch: Vec::new(),
            cfg: config,
        };
        cdr.reset();
        Ok(cdr)
    }

    /// The configuration.
    pub fn config(&self) -> &CdrConfig {
        &self.cfg
    }

    /// The loop gains in use.
    pub fn gains(&self) -> LoopGains {
        self.clock.lf.gains()
    }

    /// The interpolator kernel in use.
    pub fn backend(&self) -> Backend {
        self.interp.backend()
    }

    /// Back to the start of a stream: the loop at its initial phase and frequency,
    /// no history (zeros before the first sample), unlocked.
    pub fn reset(&mut self) {
        let pre = (self.margin + self.sps) as i64;
        self.hist.clear();
        self.hist.resize(pre as usize, 0.0);
        self.hist_start = -pre;
        let p0 = self.cfg.initial_phase_ui * self.sps as f64;
        self.origin = p0.floor() as i64 - self.margin as i64;
        self.pos = self.margin as f64 + (p0 - p0.floor());
        self.n_sym = 0;
        self.clock.reset(self.cfg.initial_ppm);
    }

    /// Symbols produced so far.
    pub fn symbols_out(&self) -> u64 {
        self.n_sym
    }

    /// The recovered data-rate offset, ppm (positive: data faster than nominal).
    pub fn frequency_ppm(&self) -> f64 {
        self.clock.lf.frequency_ppm()
    }

    /// The phase of the next symbol's sampling instant, UI (see [`CdrOutput::phase_ui`]).
    pub fn phase_ui(&self) -> f64 {
        ((self.origin - self.n_sym as i64 * self.sps as i64) as f64 + self.pos) / self.sps as f64
    }

    /// Net symbols gained (positive) or dropped against the nominal clock: the
    /// whole UIs the phase has wrapped through.
    pub fn slips(&self) -> i64 {
        self.phase_ui().round() as i64
    }

    /// Whether the lock detector says locked.
    pub fn locked(&self) -> bool {
        self.clock.lock.locked()
    }

    /// The symbol index at which the current lock was acquired (`None` unlocked).
    pub fn lock_time(&self) -> Option<u64> {
        self.clock.lock.lock_time()
    }

    /// How many times lock was lost since the start.
    pub fn lock_losses(&self) -> u64 {
        self.clock.lock.losses()
    }

    /// The largest number of symbols one call on `input_len` samples can produce.
    pub fn max_output_len(&self, input_len: usize) -> usize {
        let per_ui = self.sps as f64 * (1.0 - MAX_FREQUENCY_OFFSET) - 0.25 * self.sps as f64;
        ((self.hist.len() + input_len) as f64 / per_ui).ceil() as usize + self.block
    }

    /// Recovers the symbols of the next chunk `x` and appends them to `out`; returns
    /// how many. Errors, state untouched, on a NaN or infinite sample (`waveform`).
    pub fn process_into(&mut self, x: &[f32], out: &mut CdrOutput) -> Result<usize> {
        match self.interp.backend() {
            #[cfg(target_arch = "x86_64")]
            Backend::Avx512 => {
                // SAFETY: the backend was checked available when stored.
                unsafe { self.process_avx512(x, out) }
            }
            #[cfg(target_arch = "x86_64")]
            Backend::Avx2 => {
                // SAFETY: the backend was checked available when stored.
                unsafe { self.process_avx2(x, out) }
            }
            _ => self.process_body(x, out),
        }
    }

    /// [`Cdr::process_body`] compiled for AVX2, so that the slicer, the detector
    /// sums and the finite check vectorise eight wide. Same operations, same bits.
    ///
    /// # Safety
    /// The CPU must support AVX2 and FMA: called only with a stored
    /// [`Backend::Avx2`] or [`Backend::Avx512`], handed out after detection.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn process_avx2(&mut self, x: &[f32], out: &mut CdrOutput) -> Result<usize> {
        self.process_body(x, out)
    }

    /// [`Cdr::process_body`] compiled for AVX-512 (the loop's glue sixteen wide).
    ///
    /// # Safety
    /// The CPU must support AVX-512 F/BW/DQ/VL and FMA: called only with a stored
    /// [`Backend::Avx512`], handed out after detection.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
    unsafe fn process_avx512(&mut self, x: &[f32], out: &mut CdrOutput) -> Result<usize> {
        self.process_body(x, out)
    }

    /// Phase entries a block writes.
    #[inline(always)]
    fn trace_per_block(&self) -> usize {
        match self.cfg.trace {
            PhaseTrace::Symbol => self.block,
            PhaseTrace::Block => 1,
            PhaseTrace::Off => 0,
        }
    }

    /// Makes room for one more block at `w` (symbols) and `wp` (phases), growing by
    /// `more` blocks at once: resizing zero-fills, so the buffers grow to about what
    /// the call will produce rather than to the worst case.
    #[inline(always)]
    fn ensure(&self, out: &mut CdrOutput, w: usize, wp: usize, more: usize) {
        let p = self.block;
        if w + p > out.samples.len() {
            let n = w + p * (1 + more);
            out.samples.resize(n, 0.0);
            out.symbols.resize(n, 0);
        }
        let tp = self.trace_per_block();
        if wp + tp > out.phase_ui.len() {
            out.phase_ui.resize(wp + tp * (1 + more), 0.0);
        }
    }

    /// Samples checked finite at a time, just ahead of the blocks that read them (a
    /// block's worth at 16 samples per UI: the check's loads run alongside the block's
    /// work, and the samples are in the L1 cache when the block's gathers read them).
    const CHECK_CHUNK: usize = 256;

    /// The loop's state as a call found it, to put back when the call fails.
    fn snapshot(&self) -> Snapshot {
        Snapshot {
            origin: self.origin,
            pos: self.pos,
            n_sym: self.n_sym,
            clock: self.clock.clone(),
        }
    }

    /// Puts back the state of [`Cdr::snapshot`] and the output lengths, and returns
    /// the error naming the first non-finite sample of `x`.
    #[cold]
    fn fail(&mut self, s: Snapshot, x: &[f32], out: &mut CdrOutput, len: (usize, usize)) -> Error {
        self.origin = s.origin;
        self.pos = s.pos;
        self.n_sym = s.n_sym;
        self.clock = s.clock;
        out.samples.truncate(len.0);
        out.symbols.truncate(len.0);
        out.phase_ui.truncate(len.1);
        match crate::error::check_finite("waveform", x) {
            Err(e) => e,
            Ok(()) => Error::invalid("waveform", "finite samples", "a non-finite sample"),
        }
    }

    /// Whether `x[*checked..]` is finite up to at least `end`: when `end` passes
    /// `checked`, checks on to `end` rounded up to whole [`Cdr::CHECK_CHUNK`]s.
    #[inline(always)]
    fn checked_to(&self, x: &[f32], checked: &mut usize, end: usize) -> bool {
        if end <= *checked {
            return true;
        }
        let len = (end - *checked).next_multiple_of(Self::CHECK_CHUNK);
        let to = (*checked + len).min(x.len());
        let ok = self.sampler.all_finite(&x[*checked..to]);
        *checked = to;
        ok
    }

    #[inline(always)]
    fn process_body(&mut self, x: &[f32], out: &mut CdrOutput) -> Result<usize> {
        // The finite check runs just ahead of the blocks, on samples about to be read
        // (one pass over memory instead of two); a non-finite sample puts the state
        // back as the call found it. Blocks read only checked samples, so the loop
        // never sees a NaN.
        let snap = self.snapshot();
        let before = out.len();
        let before_p = out.phase_ui.len();
        let mut checked = 0usize;
        let mut w = before;
        let mut wp = before_p;
        let tp = self.trace_per_block();
        // Blocks this call should produce at the current frequency, plus one.
        let span = self.sps as f64 * (1.0 + self.clock.lf.frequency()) * self.block as f64;
        let more = ((self.hist.len() + x.len()) as f64 / span) as usize + 1;
        self.ensure(out, w, wp, more);
        let x0 = self.hist_start + self.hist.len() as i64;
        // Blocks that reach back into the history run on history ++ head of x.
        if self.origin() < x0 {
            let span = self.block * (self.sps + self.sps / 16 + 1) + 2 * self.margin + 8;
            let head = x.len().min(span);
            if !self.checked_to(x, &mut checked, head) {
                return Err(self.fail(snap, x, out, (before, before_p)));
            }
            let mut scratch = std::mem::take(&mut self.scratch);
            scratch.clear();
            scratch.extend_from_slice(&self.hist);
            scratch.extend_from_slice(&x[..head]);
            while self.origin() < x0 && self.fits(scratch.len(), self.hist_start) {
                self.ensure(out, w, wp, more / 8);
                self.run_block(&scratch, self.hist_start, out, w, wp);
                w += self.block;
                wp += tp;
            }
            self.scratch = scratch;
        }
        while let Some(end) = self.block_end(x.len(), x0) {
            if !self.checked_to(x, &mut checked, end) {
                return Err(self.fail(snap, x, out, (before, before_p)));
            }
            self.ensure(out, w, wp, more / 8);
            self.run_block(x, x0, out, w, wp);
            w += self.block;
            wp += tp;
        }
        if !self.checked_to(x, &mut checked, x.len()) {
            return Err(self.fail(snap, x, out, (before, before_p)));
        }
        out.samples.truncate(w);
        out.symbols.truncate(w);
        out.phase_ui.truncate(wp);
        // Keep what the next block needs.
        let end = x0 + x.len() as i64;
        let keep = self.origin().clamp(self.hist_start, end);
        if keep >= x0 {
            self.hist.clear();
            self.hist.extend_from_slice(&x[(keep - x0) as usize..]);
        } else {
            self.hist.drain(..(keep - self.hist_start) as usize);
            self.hist.extend_from_slice(x);
        }
        self.hist_start = keep;
        Ok(w - before)
    }

    /// Allocating form of [`Cdr::process_into`].
    pub fn process(&mut self, x: &[f32]) -> Result<CdrOutput> {
        let mut out = CdrOutput::new();
        self.process_into(x, &mut out)?;
        Ok(out)
    }

    /// How far `pos` may stray from `margin` before the integer part moves to
    /// `origin`: `[−0.5, 1.5)` samples keeps every read after `origin` (the margin
    /// holds the interpolator's support and half a UI of edge plus one sample).
    const POS_RANGE: (f64, f64) = (-0.5, 1.5);

    #[inline]
    fn origin(&self) -> i64 {
        self.origin
    }

    #[inline]
    fn step(&self) -> f32 {
        (self.sps as f64 * (1.0 + self.clock.lf.frequency())) as f32
    }

    #[inline]
    fn start(&self) -> f32 {
        self.pos as f32
    }

    /// Whether the next block's samples all lie in `v` (of length `len`, absolute
    /// index of `v[0]` = `v0`).
    #[inline]
    fn fits(&self, len: usize, v0: i64) -> bool {
        self.block_end(len, v0).is_some()
    }

    /// The end (exclusive) in `v` of the samples the next block reads, if they all
    /// lie in `v` (of length `len`, absolute index of `v[0]` = `v0`).
    #[inline]
    fn block_end(&self, len: usize, v0: i64) -> Option<usize> {
        let origin = self.origin();
        if origin < v0 {
            return None;
        }
        let last = self.start() + ((self.block - 1) as f32) * self.step();
        let hi = (origin - v0) as usize + last as usize + self.interp.kind().support_after();
        (hi < len).then_some(hi + 1)
    }

    /// One block: writes `p` symbols at `out[w..]` and its phases at
    /// `out.phase_ui[wp..]` (`out` already sized).
    #[inline(always)]
    fn run_block(&mut self, v: &[f32], v0: i64, out: &mut CdrOutput, w: usize, wp: usize) {
        let p = self.block;
        let s = &v[(self.origin() - v0) as usize..];
        let step = self.step();
        let start = self.start();
        let acquiring = self.clock.acquiring();
        let (err, sq) = match self.clock.det.mm_linear_mut() {
            // The tracking loop of the linear Mueller–Müller detector: one fused pass.
            Some(mm) if !acquiring => {
                let sums = self.sampler.mm_block(
                    s,
                    start,
                    step,
                    mm.carry(),
                    &mut out.samples[w..w + p],
                    &mut out.symbols[w..w + p],
                );
                mm.set_carry(sums.last);
                (sums.mm * mm.inv_a2(), sums.sq)
            }
            _ => {
                let data = &mut out.samples[w..w + p];
                self.interp.grid_unchecked(s, start, step, data);
                let edges: &[f32] = if self.clock.needs_edges || acquiring {
                    let e0 = (self.pos - step as f64 * 0.5) as f32;
                    self.interp.grid_unchecked(s, e0, step, &mut self.edges);
                    &self.edges
                } else {
                    &[]
                };
                let data = &out.samples[w..w + p];
                let sq = slice_block(
                    data,
                    self.cfg.amplitude,
                    self.inv_amp,
                    &mut out.symbols[w..w + p],
                    &mut self.levels,
                );
                let err = self.clock.block_error(acquiring, data, edges, &self.levels);
                (err, sq)
            }
        };
        let f = self.clock.lf.frequency();
        let theta0 = self.phase_ui();
        match self.cfg.trace {
            PhaseTrace::Symbol => {
                for (k, ph) in out.phase_ui[wp..wp + p].iter_mut().enumerate() {
                    *ph = theta0 + k as f64 * f;
                }
            }
            PhaseTrace::Block => out.phase_ui[wp] = theta0,
            PhaseTrace::Off => {}
        }
        self.n_sym += p as u64;
        // The next block's position is pos + sps·(p + p·f) − sps·kick. The kick alone
        // waits for this block's error (the loop's critical path): the integer part
        // of the rest goes to `origin` now, and the kick is left in `pos`, moved
        // back into range only when it strays (rare: kicks are a small fraction of
        // a sample once locked).
        let sps = self.sps as f64;
        let margin = self.margin as f64;
        let ahead = self.pos + sps * (p as f64 + p as f64 * f);
        // Positive (pos ≥ margin − 0.5 and a block advances at least 1.9 samples):
        // truncation is the floor.
        let fl = (ahead - margin) as i64;
        let frac = ahead - fl as f64;
        self.origin += fl;
        let kick = self.clock.lf.update_kick(err as f64, p);
        self.clock
            .lock
            .add(sq as f64, p as u64, self.n_sym, self.clock.lf.frequency());
        let pos = frac - sps * kick;
        self.pos = pos;
        let (lo, hi) = Self::POS_RANGE;
        if !(pos - margin >= lo && pos - margin < hi) {
            let g = (pos - margin).floor();
            self.origin += g as i64;
            self.pos = pos - g;
        }
    }
}

/// The loop of a CDR: its timing-error detector (and Gardner's for acquisition),
/// PI loop filter and lock detector, as a [`CdrConfig`] builds them. The [`Cdr`]
/// runs it on interpolated samples; the link's direct sampler on samples it
/// computes itself.
#[derive(Debug, Clone)]
pub(crate) struct ClockLoop {
    pub(crate) det: Detector,
    /// Whether `det` reads edge samples.
    pub(crate) needs_edges: bool,
    /// Gardner's detector for acquisition, when configured and useful.
    acquire: Option<Gardner>,
    /// Scales Gardner's error to the main detector's gain, so the loop keeps its design.
    acquire_scale: f32,
    pub(crate) lf: LoopFilter,
    pub(crate) lock: LockDetector,
}

impl ClockLoop {
    /// The loop of `c`; errors name the offending field.
    pub(crate) fn new(c: &CdrConfig) -> Result<ClockLoop> {
        let det = c.build_detector()?;
        let lf = LoopFilter::new(c.loop_gains()?, c.initial_ppm)?;
        let lock = LockDetector::new(
            c.lock_window,
            c.lock_threshold,
            c.lock_freq_tol_ppm,
            c.lock_windows,
        )?;
        let acquire = if c.acquisition && matches!(det, Detector::MuellerMuller(_)) {
            Some(Gardner::new(c.amplitude)?)
        } else {
            None
        };
        let acquire_scale = match &acquire {
            Some(g) => (det.nominal_gain() / g.nominal_gain()) as f32,
            None => 1.0,
        };
        Ok(ClockLoop {
            needs_edges: det.needs_edges(),
            det,
            acquire,
            acquire_scale,
            lf,
            lock,
        })
    }

    /// Whether the loop acquires with Gardner's detector now (it has one and is
    /// not locked); edge samples are then needed.
    #[inline(always)]
    pub(crate) fn acquiring(&self) -> bool {
        self.acquire.is_some() && !self.lock.locked()
    }

    /// The summed timing error of one block: the detector's, or while `acquiring`
    /// Gardner's scaled to the detector's gain (the detector still sees the block,
    /// to keep its state).
    #[inline(always)]
    pub(crate) fn block_error(
        &mut self,
        acquiring: bool,
        data: &[f32],
        edges: &[f32],
        levels: &[f32],
    ) -> f32 {
        let err = self.det.block_error(data, edges, levels);
        match &mut self.acquire {
            Some(g) if acquiring => g.block_error(data, edges, levels) * self.acquire_scale,
            _ => err,
        }
    }

    /// Back to the start: detectors forgotten, frequency at `initial_ppm`, unlocked.
    pub(crate) fn reset(&mut self, initial_ppm: f64) {
        self.det.reset();
        if let Some(g) = &mut self.acquire {
            g.reset();
        }
        self.lf.reset_to(initial_ppm);
        self.lock.reset();
    }
}

/// The state [`Cdr::process_into`] puts back when it fails.
struct Snapshot {
    origin: i64,
    pos: f64,
    n_sym: u64,
    clock: ClockLoop,
}

/// Slices a block: symbols into `symbols`, levels into `levels`; returns the sum of
/// the squared slicer errors over the amplitude (eight partial sums, for SIMD).
#[inline(always)]
fn slice_block(
    data: &[f32],
    amp: f32,
    inv_amp: f32,
    symbols: &mut [u8],
    levels: &mut [f32],
) -> f32 {
    let t = amp * (2.0 / 3.0);
    let mut acc = [0.0f32; 8];
    let n8 = data.len() / 8 * 8;
    for ((y8, s8), l8) in data[..n8]
        .chunks_exact(8)
        .zip(symbols[..n8].chunks_exact_mut(8))
        .zip(levels[..n8].chunks_exact_mut(8))
    {
        for j in 0..8 {
            let y = y8[j];
            let sf = (y >= -t) as u32 as f32 + (y >= 0.0) as u32 as f32 + (y >= t) as u32 as f32;
            let level = amp * (2.0 * sf - 3.0) * (1.0 / 3.0);
            s8[j] = sf as u8;
            l8[j] = level;
            let e = (y - level) * inv_amp;
            acc[j] += e * e;
        }
    }
    for k in n8..data.len() {
        let (sym, level) = slice(data[k], amp);
        symbols[k] = sym;
        levels[k] = level;
        let e = (data[k] - level) * inv_amp;
        acc[0] += e * e;
    }
    acc.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cdr::waveform::{pam4_waveform, random_symbols, RaisedCosine, Timing};
    use proptest::prelude::*;

    fn signal(n: usize, sps: usize, t: Timing, seed: u64) -> (Vec<u8>, Vec<f32>) {
        let sym = random_symbols(n, seed);
        let x = pam4_waveform(&sym, sps, |k| t.offset_ui(k), &RaisedCosine::reference()).unwrap();
        (sym, x)
    }

    /// Symbol errors after `skip` recovered symbols, at the best alignment within ±3.
    fn errors(tx: &[u8], rx: &[u8], skip: usize) -> (usize, i64) {
        let mut best = (usize::MAX, 0);
        for d in -3i64..=3 {
            let e = (skip..rx.len())
                .filter_map(|n| {
                    let k = n as i64 + d;
                    (k >= 0 && (k as usize) < tx.len()).then(|| (rx[n] != tx[k as usize]) as usize)
                })
                .sum::<usize>();
            if e < best.0 {
                best = (e, d);
            }
        }
        best
    }

    fn rms_residual(phase: &[f64], t: &Timing, skip: usize, offset: i64) -> f64 {
        let r: Vec<f64> = (skip..phase.len())
            .map(|n| {
                let k = (n as i64 + offset) as usize;
                // Symbol k sits at k + τ_k; output n sampled at n + θ_n.
                (n as f64 + phase[n]) - (k as f64 + t.offset_ui(k))
            })
            .collect();
        (r.iter().map(|v| v * v).sum::<f64>() / r.len() as f64).sqrt()
    }

    #[test]
    fn locks_on_ppm_offsets_with_every_detector() {
        // A bang-bang loop slews its phase by at most k_p per symbol with an error,
        // so at the default bandwidth it cannot follow 300 ppm: it gets 5 times more,
        // and the heavy damping usual for bang-bang loops (a quiet integrator).
        for (det, div, zeta) in [
            ("mm", 2500.0, 1.0),
            ("mm_ss", 2500.0, 1.0),
            ("bang_bang", 500.0, 3.0),
            ("gardner", 2500.0, 1.0),
        ] {
            for &ppm in &[-300.0, -100.0, 0.0, 100.0, 300.0] {
                let t = Timing {
                    delay_ui: 0.37,
                    ppm,
                    ..Timing::default()
                };
                let (sym, x) = signal(60_000, 16, t, 11);
                let mut cfg = CdrConfig::new(16);
                cfg.detector = det.into();
                cfg.bandwidth_hz = cfg.baud_hz / div;
                cfg.damping = zeta;
                let mut cdr = Cdr::new(cfg).unwrap();
                let out = cdr.process(&x).unwrap();
                assert!(cdr.locked(), "{det} {ppm}: not locked");
                let lt = cdr.lock_time().unwrap();
                assert!(lt < 20_000, "{det} {ppm}: lock at {lt}");
                assert_eq!(cdr.lock_losses(), 0, "{det} {ppm}");
                assert!(
                    (cdr.frequency_ppm() - ppm).abs() < 15.0,
                    "{det} {ppm}: estimate {}",
                    cdr.frequency_ppm()
                );
                let skip = lt as usize + 1000;
                let (e, d) = errors(&sym, &out.symbols, skip);
                assert_eq!(e, 0, "{det} {ppm}: {e} symbol errors");
                let rms = rms_residual(&out.phase_ui, &t, skip, d);
                assert!(rms < 0.02, "{det} {ppm}: residual {rms} UI rms");
                // The recovered count follows the data rate: ppm·n extra symbols.
                let expect = x.len() as f64 / 16.0 * (1.0 + ppm * 1e-6);
                assert!(
                    (out.len() as f64 - expect).abs() <= 16.0 + 1.0,
                    "{det} {ppm}: {} vs {expect}",
                    out.len()
                );
            }
        }
    }

    #[test]
    fn zero_errors_at_high_snr_with_noise() {
        let t = Timing {
            delay_ui: -0.2,
            ppm: 300.0,
            ..Timing::default()
        };
        let (sym, mut x) = signal(100_000, 8, t, 3);
        // 30 dB SNR on the PAM4 signal power 5/9.
        crate::channel::noise::Awgn::from_snr_db(30.0, 5.0 / 9.0, 7)
            .unwrap()
            .process_in_place(&mut x);
        let mut cdr = Cdr::new(CdrConfig::new(8)).unwrap();
        let out = cdr.process(&x).unwrap();
        let lt = cdr.lock_time().expect("locked") as usize;
        let (e, _) = errors(&sym, &out.symbols, lt + 1000);
        assert_eq!(e, 0);
    }

    #[test]
    fn bad_configuration_and_input_are_errors_naming_the_argument() {
        let msg = |c: CdrConfig| Cdr::new(c).unwrap_err().to_string();
        let mut c = CdrConfig::new(1);
        assert!(msg(c.clone()).contains("`samples_per_ui`"));
        c.samples_per_ui = 8;
        c.bandwidth_hz = -1e6;
        assert!(msg(c.clone()).contains("`bandwidth_hz`"));
        c.bandwidth_hz = 1e6;
        c.damping = f64::NAN;
        assert!(msg(c.clone()).contains("`damping`"));
        c.damping = 1.0;
        c.detector = "zero_crossing".into();
        assert!(msg(c.clone()).contains("`detector`"));
        c.detector = "gardner".into();
        c.update_every = 0;
        assert!(msg(c.clone()).contains("`update_every`"));
        c.update_every = 8;
        c.amplitude = 0.0;
        assert!(msg(c.clone()).contains("`amplitude`"));
        c.amplitude = 1.0;
        let mut cdr = Cdr::new(c).unwrap();
        let mut x = vec![0.1f32; 1000];
        x[500] = f32::NAN;
        let e = cdr.process(&x).unwrap_err();
        assert!(
            e.to_string().contains("`waveform`") && e.to_string().contains("500"),
            "{e}"
        );
        assert_eq!(cdr.symbols_out(), 0);
    }

    #[test]
    fn every_backend_gives_the_scalar_bits() {
        // The whole CDR, acquisition (Gardner, separate blocks) then tracking (the
        // fused Mueller–Müller pass), on each kernel: same samples, symbols, phases.
        let t = Timing {
            delay_ui: 0.41,
            ppm: -200.0,
            sj_amplitude_ui: 0.1,
            sj_frequency_per_ui: 2e-4,
            ..Timing::default()
        };
        for (sps, p, kind, det) in [
            (16, 16, InterpKind::Cubic, "mm"),
            (8, 16, InterpKind::Cubic, "mm"),
            (8, 37, InterpKind::Cubic, "mm"),
            (5, 5, InterpKind::Linear, "mm"),
            (8, 16, InterpKind::Cubic, "gardner"),
        ] {
            let (_, x) = signal(30_000, sps, t, 9);
            let run = |backend: Backend| {
                let mut cfg = CdrConfig::new(sps);
                cfg.update_every = p;
                cfg.interpolator = kind;
                cfg.detector = det.into();
                cfg.backend = backend;
                let mut cdr = Cdr::new(cfg).unwrap();
                let out = cdr.process(&x).unwrap();
                assert!(cdr.locked(), "{backend:?} {sps} {p}");
                (out, cdr.phase_ui(), cdr.frequency_ppm())
            };
            let want = run(Backend::Scalar);
            for backend in Backend::available() {
                let got = run(backend);
                let b = |v: &[f32]| v.iter().map(|y| y.to_bits()).collect::<Vec<_>>();
                assert_eq!(
                    b(&got.0.samples),
                    b(&want.0.samples),
                    "{backend:?} {sps} {p}"
                );
                assert_eq!(got.0.symbols, want.0.symbols);
                assert_eq!(got.0.phase_ui, want.0.phase_ui);
                assert_eq!((got.1, got.2), (want.1, want.2));
            }
        }
    }

    #[test]
    fn phase_trace_per_block_and_off() {
        let t = Timing {
            delay_ui: 0.1,
            ppm: 100.0,
            ..Timing::default()
        };
        let (_, x) = signal(20_000, 8, t, 4);
        let run = |trace: PhaseTrace| {
            let mut cfg = CdrConfig::new(8);
            cfg.update_every = 12;
            cfg.trace = trace;
            let mut cdr = Cdr::new(cfg).unwrap();
            let mut out = CdrOutput::new();
            for c in x.chunks(3001) {
                cdr.process_into(c, &mut out).unwrap();
            }
            (out, cdr.phase_ui())
        };
        let (all, ph) = run(PhaseTrace::Symbol);
        assert_eq!(all.phase_ui.len(), all.len());
        let (blk, ph_b) = run(PhaseTrace::Block);
        let (off, ph_o) = run(PhaseTrace::Off);
        assert_eq!((ph_b, ph_o), (ph, ph));
        for o in [&blk, &off] {
            assert_eq!(o.samples, all.samples);
            assert_eq!(o.symbols, all.symbols);
        }
        assert!(off.phase_ui.is_empty());
        let every: Vec<f64> = all.phase_ui.iter().step_by(12).copied().collect();
        assert_eq!(blk.phase_ui, every);
        assert_eq!(PhaseTrace::from_name("block").unwrap(), PhaseTrace::Block);
        assert!(PhaseTrace::from_name("sometimes")
            .unwrap_err()
            .to_string()
            .contains("`trace`"));
    }

    /// Symbol errors from recovered symbol `from`, at the best alignment within
    /// ±`search` (output `n` carries symbol `n + d`), over `rx[from..to]`.
    fn errors_in(tx: &[u8], rx: &[u8], from: usize, to: usize, search: i64) -> (usize, i64) {
        (-search..=search)
            .map(|d| {
                let e = (from..to.min(rx.len()))
                    .filter(|&n| {
                        let k = n as i64 + d;
                        k < 0 || k as usize >= tx.len() || rx[n] != tx[k as usize]
                    })
                    .count();
                (e, d)
            })
            .min()
            .expect("a non-empty search")
    }

    fn sane(out: &CdrOutput) {
        assert!(out.samples.iter().all(|y| y.is_finite()));
        assert!(out.symbols.iter().all(|&s| s <= 3));
        assert!(out.phase_ui.iter().all(|p| p.is_finite()));
    }

    #[test]
    fn phase_wraps_through_many_ui_both_ways() {
        // SJ of ±3 UI well below the loop bandwidth: the sampling phase follows it
        // across six UI boundaries, dropping and inserting symbols against the nominal
        // clock; `slips()` reports the whole UIs, the symbols stay right.
        let t = Timing {
            delay_ui: 0.3,
            sj_amplitude_ui: 3.0,
            sj_frequency_per_ui: 1e-5,
            ..Timing::default()
        };
        let n = 130_000;
        let (sym, x) = signal(n, 8, t, 21);
        let mut cdr = Cdr::new(CdrConfig::new(8)).unwrap();
        let mut out = CdrOutput::new();
        let mut reports = Vec::new();
        for c in x.chunks(8 * 2000) {
            cdr.process_into(c, &mut out).unwrap();
            reports.push((cdr.symbols_out(), cdr.phase_ui(), cdr.slips()));
        }
        sane(&out);
        let lt = cdr.lock_time().expect("locked") as usize;
        assert_eq!(cdr.lock_losses(), 0);
        let (e, d) = errors_in(&sym, &out.symbols, lt + 1000, out.len() - 40, 3);
        assert_eq!(e, 0, "{e} errors");
        let rms = rms_residual(&out.phase_ui[..out.len() - 40], &t, lt + 1000, d);
        assert!(rms < 0.02, "residual {rms} UI rms");
        let (lo, hi) = out.phase_ui[lt..]
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &p| (a.min(p), b.max(p)));
        assert!(hi - lo > 5.5, "phase spans {lo}..{hi}");
        // At each chunk's end the next symbol n + d is centred at n + d + τ: the phase
        // is d + τ, and the slips its whole UIs.
        for &(n_out, phase, slips) in reports.iter().filter(|r| r.0 as usize > lt + 1000) {
            let want = d as f64 + t.offset_ui((n_out as i64 + d) as usize);
            assert!((phase - want).abs() < 0.05, "{n_out}: {phase} vs {want}");
            if (want - want.floor() - 0.5).abs() > 0.1 {
                assert_eq!(slips, want.round() as i64, "{n_out}: {phase}");
            }
        }
    }

    #[test]
    fn a_phase_jump_of_most_of_a_ui_slips_one_symbol() {
        // The data jumps 0.9 UI later (over four symbols, faster than the loop): the
        // nearest stable point is 0.1 UI earlier and one symbol further back. The CDR
        // takes it: one symbol is repeated (a slip), the phase trace shows −0.1 UI, and
        // it runs on without errors at the new alignment.
        let k0 = 30_000usize;
        let tau = |k: usize| 0.2 + 0.9 * ((k as f64 - k0 as f64) / 4.0).clamp(0.0, 1.0);
        let sym = random_symbols(60_000, 22);
        let x = pam4_waveform(&sym, 16, tau, &RaisedCosine::reference()).unwrap();
        let mut cdr = Cdr::new(CdrConfig::new(16)).unwrap();
        let out = cdr.process(&x).unwrap();
        sane(&out);
        assert!(cdr.locked());
        let lt = 10_000;
        let (e1, d1) = errors_in(&sym, &out.symbols, lt, k0 - 100, 3);
        assert_eq!(e1, 0);
        let (e2, d2) = errors_in(&sym, &out.symbols, k0 + 5000, out.len() - 40, 3);
        assert_eq!(e2, 0);
        assert_eq!(d2, d1 - 1, "alignment {d1} -> {d2}");
        let before = out.phase_ui[k0 - 100];
        let after = out.phase_ui[k0 + 5000];
        assert!((after - before + 0.1).abs() < 0.03, "{before} -> {after}");
        // No jump: the loop slews.
        let jump = out
            .phase_ui
            .windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0, f64::max);
        assert!(jump < 0.05, "largest phase step {jump} UI");
    }

    #[test]
    fn sj_beyond_tolerance_loses_lock_then_recovers() {
        // 3 UI peak-to-peak SJ at ten times the loop bandwidth for 20 000 symbols: the
        // loop cannot follow, the eye at its instants closes, cycles slip. The lock
        // detector reports the loss; nothing panics or goes non-finite; after the SJ
        // the loop locks again and recovers every symbol at some new alignment, which
        // its phase trace reports.
        let (k0, k1) = (20_000usize, 40_000usize);
        let f = 10.0 / 2500.0; // cycles per UI: 250 UI a period, 80 periods
        let tau = |k: usize| {
            let sj = if (k0..k1).contains(&k) {
                1.5 * (2.0 * std::f64::consts::PI * f * (k - k0) as f64).sin()
            } else {
                0.0
            };
            0.35 + sj
        };
        let sym = random_symbols(90_000, 23);
        let x = pam4_waveform(&sym, 8, tau, &RaisedCosine::reference()).unwrap();
        let mut cdr = Cdr::new(CdrConfig::new(8)).unwrap();
        let mut out = CdrOutput::new();
        let mut lost = false;
        for c in x.chunks(8 * 1000) {
            cdr.process_into(c, &mut out).unwrap();
            lost |= !cdr.locked() && cdr.lock_losses() > 0;
        }
        sane(&out);
        assert!(lost && cdr.lock_losses() >= 1);
        assert!(cdr.locked(), "not locked again");
        let from = k1 + 20_000;
        let (e, d) = errors_in(&sym, &out.symbols, from, out.len() - 40, 20);
        assert_eq!(e, 0, "{e} errors after the SJ");
        let n = out.len() - 100;
        let want = d as f64 + tau(n + d as usize);
        assert!(
            (out.phase_ui[n] - want).abs() < 0.05,
            "{} vs {want}",
            out.phase_ui[n]
        );
    }

    #[test]
    fn a_non_finite_sample_leaves_the_state_as_it_was() {
        // After some clean chunks, a chunk with one NaN or ±inf anywhere (before, in or
        // after the samples the blocks read, and in the part kept for the next call)
        // fails naming its index; the CDR then gives exactly what a CDR that never saw
        // that chunk gives.
        let t = Timing {
            delay_ui: 0.2,
            ppm: 150.0,
            ..Timing::default()
        };
        let (_, x) = signal(12_000, 16, t, 8);
        let (head, rest) = x.split_at(70_000);
        let (bad_chunk, tail) = rest.split_at(50_000);
        for backend in Backend::available() {
            let mut cfg = CdrConfig::new(16);
            cfg.backend = backend;
            let mut clean = Cdr::new(cfg.clone()).unwrap();
            let mut want = clean.process(head).unwrap();
            let mut out = CdrOutput::new();
            clean.process_into(bad_chunk, &mut out).unwrap();
            clean.process_into(tail, &mut out).unwrap();
            want.samples.extend(&out.samples);
            want.symbols.extend(&out.symbols);
            want.phase_ui.extend(&out.phase_ui);
            for (pos, bad) in [
                (0, f32::NAN),
                (1, f32::INFINITY),
                (5000, f32::NAN),
                (25_001, f32::NEG_INFINITY),
                (49_990, f32::NAN),
                (49_999, f32::NAN),
            ] {
                let mut cdr = Cdr::new(cfg.clone()).unwrap();
                let mut got = cdr.process(head).unwrap();
                let n0 = got.len();
                let mut broken = bad_chunk.to_vec();
                broken[pos] = bad;
                let e = cdr.process_into(&broken, &mut got).unwrap_err().to_string();
                assert!(
                    e.contains("`waveform`") && e.contains(&format!("index {pos}")),
                    "{e}"
                );
                assert_eq!(got.len(), n0);
                assert_eq!(got.phase_ui.len(), n0);
                cdr.process_into(bad_chunk, &mut got).unwrap();
                cdr.process_into(tail, &mut got).unwrap();
                assert_eq!(got, want, "{backend:?} {pos}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn chunk_invariant(cuts in proptest::collection::vec(0usize..3000, 0..8),
                           det in 0usize..4, sps in 2usize..20, p in 1usize..40, linear in any::<bool>(),
                           trace in 0usize..3) {
            let t = Timing { delay_ui: 0.2, ppm: 250.0, sj_amplitude_ui: 0.3, sj_frequency_per_ui: 1e-3, ..Timing::default() };
            let (_, x) = signal(3000, sps, t, 5);
            let mut cfg = CdrConfig::new(sps);
            cfg.detector = ["mm", "mm_ss", "bang_bang", "gardner"][det].into();
            cfg.update_every = p;
            if linear { cfg.interpolator = InterpKind::Linear; }
            cfg.trace = [PhaseTrace::Symbol, PhaseTrace::Block, PhaseTrace::Off][trace];
            let mut whole = Cdr::new(cfg.clone()).unwrap();
            let want = whole.process(&x).unwrap();
            let mut parts = Cdr::new(cfg).unwrap();
            let mut got = CdrOutput::new();
            let mut pos = 0;
            for c in cuts {
                let end = (pos + c).min(x.len());
                parts.process_into(&x[pos..end], &mut got).unwrap();
                pos = end;
            }
            parts.process_into(&x[pos..], &mut got).unwrap();
            prop_assert_eq!(&got, &want);
            prop_assert_eq!(parts.phase_ui(), whole.phase_ui());
        }
    }
}
