//! The CDR of the analog receiver sampling the waveform directly: no oversampled
//! waveform, no interpolator.
//!
//! # Why it is exact
//!
//! Up to the sampler the receiver is linear: the waveform at the CTLE output is
//! `r(t) = Σ_j a_j·p(t − jT) + n(t)` with `p` the combined pulse of
//! [`AnalogDesign`]. Its value at any instant `t = (k + φ)·T` is a symbol-spaced FIR
//! of the levels, `Σ_i a_{k−i}·p((i + φ)·T)`, whose taps are the pulse at phase
//! `φ`. The sampler keeps `p` tabulated at [`AnalogDesign::fine_per_ui`] (≥ 128)
//! phases per UI and blends the two rows around `φ` linearly (error below 1e-4 of
//! the pulse peak at Nyquist). The oversampled path synthesises `M` samples per UI
//! and interpolates between them with a cubic; this one computes the two samples
//! per UI the CDR reads (data and edge), from the same pulse, without the cubic's
//! error — about 30 multiply-adds per symbol instead of some 200.
//!
//! # The clock
//!
//! The loop is the [`Cdr`](crate::cdr::Cdr)'s: the same detector, PI filter (gains
//! from `rx.cdr.bandwidth_hz` and `damping`), Gardner acquisition for
//! Mueller–Müller, and lock detector, updated once per `update_every` symbols. The
//! sampling phase is held within a block and moves at the update, by the block's
//! frequency term and the proportional kick: the model of a phase-interpolator CDR
//! whose code changes once per update. A phase that moves across a UI boundary
//! skips or repeats a symbol (a slip), as the oversampled CDR does.
//!
//! # Noise
//!
//! The noise at the data and edge instants is the noise filter of [`AnalogDesign`]
//! at half-UI spacing: its polyphase branch on the two-samples-per-UI white source
//! (the oversampled path's noise, read at every `M/2`-th sample). The noise is
//! stationary, so reading it on a grid that does not follow the sampling phase
//! changes none of its statistics.
//!
//! Jitter (`channel.jitter`) warps the waveform's time axis, which this sampler does
//! not model: with jitter the link takes the oversampled path (`rx.sampling`).

use super::analog::AnalogDesign;
use super::impair::OpticalNoise;
use crate::cdr::ted::slice;
use crate::cdr::{CdrConfig, ClockLoop};
use crate::channel::Gaussian;
use crate::cpu::Backend;
use crate::eq::Ffe;
use crate::error::{Error, Result};

/// Rate-2 noise samples generated per refill.
const NOISE_CHUNK: usize = 8192;

/// Levels kept in front of the history before they are dropped in one move.
const DRAIN_SLACK: usize = 4096;

/// The direct sampler and its clock recovery: levels in, one sample per
/// recovered symbol out. Streaming: the levels may arrive in any chunks.
/// The pulse at `P` phases per UI: row `r` holds `L` taps `p((i + r/P)·T)`, rows
/// `0..=P` (row `P` is row 0 one tap on), and the blended taps in use.
struct PulseTable {
    taps: usize,
    fine: usize,
    rows: Vec<f32>,
    h: Vec<f32>,
}

impl PulseTable {
    /// The table of `pulse`, sampled at `fine` samples per UI.
    fn new(pulse: &[f32], fine: usize) -> PulseTable {
        let taps = pulse.len().div_ceil(fine) + 1;
        let rows = (0..=fine)
            .flat_map(|r| (0..taps).map(move |i| pulse.get(i * fine + r).copied().unwrap_or(0.0)))
            .collect();
        PulseTable {
            taps,
            fine,
            rows,
            h: vec![0.0; taps],
        }
    }

    /// The taps of the pulse at fractional phase `frac` (0..1): the two rows
    /// around it blended linearly.
    #[inline(always)]
    fn taps_at(&mut self, frac: f64) -> &[f32] {
        let (taps, fine) = (self.taps, self.fine);
        let x = frac * fine as f64;
        let r = (x as usize).min(fine - 1);
        let w = (x - r as f64) as f32;
        let (a, b) = (
            &self.rows[r * taps..(r + 1) * taps],
            &self.rows[(r + 1) * taps..(r + 2) * taps],
        );
        for ((hi, &ai), &bi) in self.h.iter_mut().zip(a).zip(b) {
            *hi = ai + w * (bi - ai);
        }
        &self.h
    }

    /// The noise-free waveform at positions `at + k` UI, `k < out.len()`, from the
    /// levels `lev` (`lev[0]` is symbol `lev0`; `L − 1` of them before `at`).
    #[inline(always)]
    fn sample(&mut self, backend: Backend, lev: &[f32], lev0: i64, at: f64, out: &mut [f32]) {
        let idx = at.floor();
        let taps = self.taps;
        let k0 = (idx as i64 - lev0) as usize;
        let h = self.taps_at(at - idx);
        fir_block(backend, &lev[k0 + 1 - taps..k0 + out.len()], h, out);
    }
}

pub(crate) struct DirectSampler {
    block: usize,
    table: PulseTable,
    /// Levels from absolute symbol index `lev0` on (zeros before the stream).
    lev: Vec<f32>,
    lev0: i64,
    /// The longest table's taps (history kept before a block).
    span: usize,
    /// Crosstalk: each aggressor's pulse table and levels (aligned with `lev`).
    xtables: Vec<PulseTable>,
    xlev: Vec<Vec<f32>>,
    xs: Vec<f32>,
    /// The optical receiver's level-dependent noise, and the pulse's peak, UI.
    optical: Option<OpticalNoise>,
    peak_ui: f64,
    /// Absolute position, UI, of the next block's first data sample.
    pos: f64,
    noise_fir: Ffe,
    gauss: Gaussian,
    white: Vec<f32>,
    nz: Vec<f32>,
    nz_at: usize,
    clock: ClockLoop,
    amplitude: f32,
    n_sym: u64,
    backend: Backend,
    data: Vec<f32>,
    edges: Vec<f32>,
    levels: Vec<f32>,
    /// `(symbol index, phase UI)` at each update while `trace_left > 0`.
    pub(crate) trace: Vec<(u64, f64)>,
    trace_left: u64,
    recording: bool,
}

impl DirectSampler {
    /// The sampler of `design` with the clock of `cdr` (detector, loop, lock
    /// detector), noise from `seed`, keeping up to `trace_symbols` of phase trace
    /// once recording starts.
    pub(crate) fn new(
        design: &AnalogDesign,
        cdr: &CdrConfig,
        seed: u64,
        trace_symbols: u64,
    ) -> Result<DirectSampler> {
        let fine = design.fine_per_ui;
        let pf = &design.fine_pulse;
        if fine == 0 || pf.is_empty() {
            return Err(Error::invalid(
                "design.fine_pulse",
                "a tabulated pulse",
                "an empty one",
            ));
        }
        let table = PulseTable::new(pf, fine);
        let xtables: Vec<PulseTable> = design
            .aggressors
            .iter()
            .map(|a| PulseTable::new(&a.fine_pulse, fine))
            .collect();
        let taps = xtables.iter().map(|t| t.taps).fold(table.taps, usize::max);
        // The polyphase branch of the noise filter at half-UI spacing.
        let half = design.samples_per_ui / 2;
        let g: Vec<f32> = design.noise_filter.iter().step_by(half).copied().collect();
        let noise_fir = Ffe::new(&g, 0)?;
        let clock = ClockLoop::new(cdr)?;
        let p = cdr.update_every;
        Ok(DirectSampler {
            block: p,
            table,
            lev: vec![0.0; taps + 1],
            lev0: -(taps as i64 + 1),
            span: taps,
            xlev: vec![vec![0.0; taps + 1]; xtables.len()],
            xtables,
            xs: vec![0.0; p],
            optical: design.optical_noise,
            peak_ui: design.peak_index as f64 / design.samples_per_ui as f64,
            pos: cdr.initial_phase_ui,
            noise_fir,
            gauss: Gaussian::new(seed),
            white: vec![0.0; NOISE_CHUNK],
            nz: Vec::new(),
            nz_at: 0,
            clock,
            amplitude: cdr.amplitude,
            n_sym: 0,
            backend: Backend::detect(),
            data: vec![0.0; p],
            edges: vec![0.0; p],
            levels: vec![0.0; p],
            trace: Vec::new(),
            trace_left: trace_symbols,
            recording: false,
        })
    }

    /// Starts keeping the phase trace.
    pub(crate) fn start_recording(&mut self) {
        self.recording = true;
    }

    /// Whether the lock detector says locked.
    pub(crate) fn locked(&self) -> bool {
        self.clock.lock.locked()
    }

    /// The recovered frequency offset, ppm.
    pub(crate) fn frequency_ppm(&self) -> f64 {
        self.clock.lf.frequency_ppm()
    }

    /// The phase of the next block's first sample against the nominal clock, UI.
    pub(crate) fn phase_ui(&self) -> f64 {
        self.pos - self.n_sym as f64
    }

    /// Takes the next line `levels` (and the aggressors' levels of the same
    /// symbols, one slice per aggressor) and appends a sample for every symbol the
    /// clock has recovered by now to `out`.
    pub(crate) fn process(
        &mut self,
        levels: &[f32],
        aggressors: &[Vec<f32>],
        out: &mut Vec<f32>,
    ) -> Result<()> {
        if aggressors.len() != self.xlev.len() || aggressors.iter().any(|a| a.len() != levels.len())
        {
            return Err(Error::invalid(
                "aggressors",
                format!("{} slices of {} levels", self.xlev.len(), levels.len()),
                aggressors.len(),
            ));
        }
        for (x, a) in self.xlev.iter_mut().zip(aggressors) {
            x.extend_from_slice(a);
        }
        match self.backend {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Backend::detect` found AVX-512 F/BW/DQ/VL and FMA.
            Backend::Avx512 => unsafe { self.process_avx512(levels, out) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Backend::detect` found AVX2 and FMA.
            Backend::Avx2 => unsafe { self.process_avx2(levels, out) },
            _ => self.process_body(levels, out),
        }
    }

    /// [`DirectSampler::process_body`] compiled for AVX-512 (the slicer, the
    /// detector's sums and the block FIRs vectorise; same operations, same bits).
    ///
    /// # Safety
    /// The CPU must have AVX-512 F/BW/DQ/VL and FMA.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
    unsafe fn process_avx512(&mut self, levels: &[f32], out: &mut Vec<f32>) -> Result<()> {
        self.process_body(levels, out)
    }

    /// [`DirectSampler::process_body`] compiled for AVX2.
    ///
    /// # Safety
    /// The CPU must have AVX2 and FMA.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn process_avx2(&mut self, levels: &[f32], out: &mut Vec<f32>) -> Result<()> {
        self.process_body(levels, out)
    }

    #[inline(always)]
    fn process_body(&mut self, levels: &[f32], out: &mut Vec<f32>) -> Result<()> {
        self.lev.extend_from_slice(levels);
        let end = self.lev0 + self.lev.len() as i64;
        let p = self.block;
        while (self.pos + (p - 1) as f64).floor() as i64 + 1 < end {
            self.run_block(out)?;
        }
        // Drop the levels no block reaches back to any more.
        let keep_from = (self.pos - 1.0).floor() as i64 - self.span as i64;
        let drop = (keep_from - self.lev0).max(0) as usize;
        if drop > DRAIN_SLACK {
            self.lev.drain(..drop);
            for x in &mut self.xlev {
                x.drain(..drop);
            }
            self.lev0 += drop as i64;
        }
        Ok(())
    }

    /// Makes sure `need` noise samples are ready at `nz_at`.
    #[inline(always)]
    fn noise(&mut self, need: usize) -> Result<()> {
        if self.nz.len() - self.nz_at >= need {
            return Ok(());
        }
        self.nz.drain(..self.nz_at);
        self.nz_at = 0;
        while self.nz.len() < need {
            self.gauss.fill(&mut self.white);
            let at = self.nz.len();
            self.nz.resize(at + NOISE_CHUNK, 0.0);
            self.noise_fir
                .process_into(&self.white, &mut self.nz[at..])?;
        }
        Ok(())
    }

    /// One block of `p` symbols: samples, decisions, detector, loop update.
    #[inline(always)]
    fn run_block(&mut self, out: &mut Vec<f32>) -> Result<()> {
        let p = self.block;
        let acquiring = self.clock.acquiring();
        let with_edges = self.clock.needs_edges || acquiring;
        self.noise(2 * p)?;
        let nz = &self.nz[self.nz_at..self.nz_at + 2 * p];
        self.nz_at += 2 * p;

        // Edge k half a UI before data k: noise samples 2k and 2k + 1.
        let (lev, lev0, backend) = (&self.lev, self.lev0, self.backend);
        self.table
            .sample(backend, lev, lev0, self.pos, &mut self.data);
        for (t, xl) in self.xtables.iter_mut().zip(&self.xlev) {
            t.sample(backend, xl, lev0, self.pos, &mut self.xs);
            for (d, &x) in self.data.iter_mut().zip(&self.xs) {
                *d += x;
            }
        }
        if with_edges {
            self.table
                .sample(backend, lev, lev0, self.pos - 0.5, &mut self.edges);
            for (t, xl) in self.xtables.iter_mut().zip(&self.xlev) {
                t.sample(backend, xl, lev0, self.pos - 0.5, &mut self.xs);
                for (d, &x) in self.edges.iter_mut().zip(&self.xs) {
                    *d += x;
                }
            }
        }
        match &self.optical {
            None => {
                for (d, pair) in self.data.iter_mut().zip(nz.chunks_exact(2)) {
                    *d += pair[1];
                }
                if with_edges {
                    for (d, pair) in self.edges.iter_mut().zip(nz.chunks_exact(2)) {
                        *d += pair[0];
                    }
                }
            }
            Some(o) => {
                // Data sample j is at the peak of symbol ⌊pos⌋ + j − ip; its noise
                // has that symbol's level's density, an edge's the mean of its two
                // neighbours' (see `impair`).
                let idx = self.pos.floor();
                let ip = (self.peak_ui - (self.pos - idx)).round() as i64;
                let first = (idx as i64 - ip - lev0) as usize;
                let a = &lev[first - 1..first + p];
                for (j, (d, pair)) in self.data.iter_mut().zip(nz.chunks_exact(2)).enumerate() {
                    *d += pair[1] * o.scale(a[j + 1]);
                }
                if with_edges {
                    for (j, (d, pair)) in self.edges.iter_mut().zip(nz.chunks_exact(2)).enumerate()
                    {
                        let density = 0.5 * (o.density(a[j]) + o.density(a[j + 1]));
                        *d += pair[0] * density.sqrt();
                    }
                }
            }
        }

        // The slicer: levels and the squared errors in eight partial sums (SIMD).
        let amp = self.amplitude;
        let inv = 1.0 / amp;
        let mut acc = [0.0f32; 8];
        let mut l8 = self.levels.chunks_exact_mut(8);
        let mut y8 = self.data.chunks_exact(8);
        let t = amp * (2.0 / 3.0);
        for (l, y) in (&mut l8).zip(&mut y8) {
            for j in 0..8 {
                // `slice` in a form that vectorises (the same value).
                let y = y[j];
                let c = ((y >= -t) as u32 + (y >= 0.0) as u32 + (y >= t) as u32) as f32;
                let level = amp * (2.0 * c - 3.0) * (1.0 / 3.0);
                l[j] = level;
                let e = (y - level) * inv;
                acc[j] += e * e;
            }
        }
        for (l, &y) in l8.into_remainder().iter_mut().zip(y8.remainder()) {
            let (_, level) = slice(y, amp);
            *l = level;
            let e = (y - level) * inv;
            acc[0] += e * e;
        }
        let sq: f32 = acc.iter().sum();
        let edges: &[f32] = if with_edges { &self.edges } else { &[] };
        let err = self
            .clock
            .block_error(acquiring, &self.data, edges, &self.levels);
        if self.recording && self.trace_left > 0 {
            self.trace.push((self.n_sym, self.phase_ui()));
            self.trace_left = self.trace_left.saturating_sub(p as u64);
        }
        out.extend_from_slice(&self.data);
        self.n_sym += p as u64;
        let step = self.clock.lf.update(err as f64, p);
        self.clock
            .lock
            .add(sq as f64, p as u64, self.n_sym, self.clock.lf.frequency());
        self.pos += p as f64 + step;
        Ok(())
    }
}

/// `out[k] = Σ_i h[i]·x[L − 1 + k − i]` for `k < out.len()`, `L = h.len()`
/// (`x` holds `L − 1` samples of history before the block), on the widest
/// backend: the same operations in the same order on each, so the same bits.
fn fir_block(backend: Backend, x: &[f32], h: &[f32], out: &mut [f32]) {
    match backend {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Backend::detect` found AVX-512 F/BW/DQ/VL and FMA.
        Backend::Avx512 => unsafe { fir_block_avx512(x, h, out) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Backend::detect` found AVX2 and FMA.
        Backend::Avx2 => unsafe { fir_block_avx2(x, h, out) },
        _ => fir_block_body(x, h, out),
    }
}

/// # Safety
/// The CPU must have AVX-512 F/BW/DQ/VL.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
unsafe fn fir_block_avx512(x: &[f32], h: &[f32], out: &mut [f32]) {
    fir_block_body(x, h, out)
}

/// # Safety
/// The CPU must have AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn fir_block_avx2(x: &[f32], h: &[f32], out: &mut [f32]) {
    fir_block_body(x, h, out)
}

/// The reference: sixteen outputs at a time, taps outermost, so that the
/// compiler keeps the sixteen sums in one register (two on AVX2) and the sum over
/// the taps runs in tap order for every output.
#[inline(always)]
fn fir_block_body(x: &[f32], h: &[f32], out: &mut [f32]) {
    const W: usize = 16;
    let l = h.len();
    debug_assert!(x.len() + 1 >= l + out.len());
    let mut k = 0;
    while k + W <= out.len() {
        let mut acc = [0.0f32; W];
        for (i, &hi) in h.iter().enumerate() {
            let s = &x[k + l - 1 - i..k + l - 1 - i + W];
            for j in 0..W {
                acc[j] += hi * s[j];
            }
        }
        out[k..k + W].copy_from_slice(&acc);
        k += W;
    }
    for (kk, o) in out.iter_mut().enumerate().skip(k) {
        let mut acc = 0.0f32;
        for (i, &hi) in h.iter().enumerate() {
            acc += hi * x[kk + l - 1 - i];
        }
        *o = acc;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::analog::Polyphase;
    use crate::link::LinkConfig;
    use rand::{Rng, SeedableRng};

    fn naive(x: &[f32], h: &[f32], n: usize) -> Vec<f32> {
        let l = h.len();
        (0..n)
            .map(|k| (0..l).map(|i| h[i] * x[k + l - 1 - i]).sum())
            .collect()
    }

    #[test]
    fn block_fir_is_the_convolution_on_every_backend() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        for (l, n) in [(1usize, 1usize), (15, 16), (7, 37), (40, 64), (3, 5)] {
            let h: Vec<f32> = (0..l).map(|_| rng.random_range(-1.0..1.0)).collect();
            let x: Vec<f32> = (0..l + n - 1)
                .map(|_| rng.random_range(-1.0..1.0))
                .collect();
            let want = naive(&x, &h, n);
            let mut reference = vec![0.0; n];
            fir_block_body(&x, &h, &mut reference);
            for (a, b) in reference.iter().zip(&want) {
                assert!((a - b).abs() < 1e-5, "{a} vs {b}");
            }
            for backend in Backend::available() {
                let mut got = vec![0.0; n];
                fir_block(backend, &x, &h, &mut got);
                assert_eq!(got, reference, "{backend:?}");
            }
        }
    }

    /// The direct sampler's noise-free samples at a fixed phase are the
    /// oversampled waveform's samples at that phase (the polyphase synthesis of
    /// the same pulse at `M` samples per UI).
    #[test]
    fn samples_equal_the_oversampled_waveform_at_its_grid_phases() {
        let mut cfg = LinkConfig::default();
        cfg.channel.snr_db = 100.0;
        let d = AnalogDesign::new(&cfg).unwrap();
        let m = d.samples_per_ui;
        let mut rng = rand::rngs::StdRng::seed_from_u64(9);
        let levels: Vec<f32> = (0..400)
            .map(|_| [-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0][rng.random_range(0..4)])
            .collect();
        let mut wave = vec![0.0; levels.len() * m];
        Polyphase::new(&d.pulse, m)
            .unwrap()
            .process_into(&levels, &mut wave)
            .unwrap();
        let up = d.fine_per_ui / m;
        let mut table = PulseTable::new(&d.fine_pulse, d.fine_per_ui);
        let taps = table.taps;
        let mut padded = vec![0.0f32; taps - 1];
        padded.extend_from_slice(&levels);
        for r in 0..m {
            let at = r as f64 / m as f64;
            assert_eq!(table.taps_at(at)[0], d.fine_pulse[r * up]);
            let mut y = vec![0.0; levels.len()];
            table.sample(Backend::Scalar, &padded, 1 - taps as i64, at, &mut y);
            for k in 0..levels.len() {
                let w = wave[k * m + r];
                assert!(
                    (y[k] - w).abs() < 1e-5,
                    "phase {r} symbol {k}: {} vs {w}",
                    y[k]
                );
            }
        }
    }
}
