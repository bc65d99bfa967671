//! Eye diagrams and bathtub curves of oversampled waveforms.
//!
//! [`EyeHistogram`] accumulates, chunk by chunk, a 2-D histogram of amplitude
//! against sampling phase over `ui_span` unit intervals (the picture an
//! oscilloscope's persistence display draws), and, when the transmitted symbols are
//! given, the mean and variance of the waveform for each symbol at each phase.
//!
//! [`EyeHistogram::bathtub`] turns those moments into BER against sampling phase:
//! at each phase each symbol's samples are modelled as Gaussian (mean μₛ, standard
//! deviation σₛ), the decision threshold between neighbours `s` and `s+1` sits
//! where their Q-function arguments are equal, `t = (μₛσₛ₊₁ + μₛ₊₁σₛ)/(σₛ + σₛ₊₁)`,
//! and
//!
//! `SER(φ) = Σₛ P(s)·[Q((tₛ − μₛ)/σₛ) + Q((μₛ − tₛ₋₁)/σₛ)]`,  `BER ≈ SER / log2(M)`
//!
//! (Gray coding: a symbol error to a neighbour costs one bit). This is the Gaussian
//! extrapolation of most statistical eye tools: it reaches 1e-15 from a few thousand
//! samples per phase and is exact for Gaussian noise without ISI, optimistic where
//! residual ISI makes the tails bounded and heavier-than-Gaussian on one side.

use crate::analysis::theory::q_function;
use crate::error::{Error, Result};

/// A streaming eye diagram: see the [module docs](self).
///
/// ```
/// use serdes_dsp::analysis::EyeHistogram;
/// // PAM4 held for 8 samples per UI, no noise: four clean rails.
/// let levels = [-1.0f32, -1.0 / 3.0, 1.0 / 3.0, 1.0];
/// let symbols: Vec<u8> = (0..400).map(|i| (i * 7 % 4) as u8).collect();
/// let wave: Vec<f32> = symbols.iter().flat_map(|&s| [levels[s as usize]; 8]).collect();
/// let mut eye = EyeHistogram::new(8, 2, (-1.5, 1.5), 60, 4).unwrap();
/// eye.accumulate_with_symbols(&wave, &symbols).unwrap();
/// assert_eq!(eye.counts().iter().sum::<u64>(), wave.len() as u64);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct EyeHistogram {
    samples_per_ui: usize,
    ui_span: usize,
    amp_min: f32,
    amp_max: f32,
    amp_bins: usize,
    levels: usize,
    /// `(samples_per_ui · ui_span) × amp_bins`, row-major by phase.
    counts: Vec<u64>,
    /// Per phase (one UI) and level: count, sum, sum of squares.
    moments: Vec<[f64; 3]>,
    /// Samples accumulated so far: the phase of the next sample.
    position: u64,
}

/// BER against sampling phase: see [`EyeHistogram::bathtub`].
#[derive(Debug, Clone, PartialEq)]
pub struct Bathtub {
    /// Sampling phase in UI, `0, 1/spu, …, (spu−1)/spu`.
    pub phase_ui: Vec<f64>,
    /// Estimated bit error ratio at each phase.
    pub ber: Vec<f64>,
    /// The decision thresholds used at each phase (`levels − 1` per phase).
    pub thresholds: Vec<Vec<f64>>,
}

impl EyeHistogram {
    /// An empty eye: `samples_per_ui` ≥ 1 phases per UI, `ui_span` ≥ 1 UIs drawn
    /// side by side, amplitude bins `amp_bins` ≥ 1 over `amp_range = (min, max)`
    /// (samples outside are clamped into the end bins), and `levels` (2 for NRZ, 4
    /// for PAM4) for the per-symbol statistics.
    pub fn new(
        samples_per_ui: usize,
        ui_span: usize,
        amp_range: (f32, f32),
        amp_bins: usize,
        levels: usize,
    ) -> Result<EyeHistogram> {
        if !(1..=4096).contains(&samples_per_ui) {
            return Err(Error::invalid(
                "samples_per_ui",
                "1 ..= 4096",
                samples_per_ui,
            ));
        }
        if !(1..=8).contains(&ui_span) {
            return Err(Error::invalid("ui_span", "1 ..= 8", ui_span));
        }
        if !(1..=4096).contains(&amp_bins) {
            return Err(Error::invalid("amp_bins", "1 ..= 4096", amp_bins));
        }
        let (lo, hi) = amp_range;
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(Error::invalid(
                "amp_range",
                "finite (min, max) with min < max",
                format!("({lo}, {hi})"),
            ));
        }
        if levels != 2 && levels != 4 {
            return Err(Error::invalid("levels", "2 (NRZ) or 4 (PAM4)", levels));
        }
        Ok(EyeHistogram {
            samples_per_ui,
            ui_span,
            amp_min: lo,
            amp_max: hi,
            amp_bins,
            levels,
            counts: vec![0; samples_per_ui * ui_span * amp_bins],
            moments: vec![[0.0; 3]; samples_per_ui * levels],
            position: 0,
        })
    }

    /// Adds `waveform` (the continuation of what came before) to the histogram.
    /// Non-finite samples are an error and add nothing.
    pub fn accumulate(&mut self, waveform: &[f32]) -> Result<()> {
        check_finite(waveform)?;
        self.add_counts(waveform);
        Ok(())
    }

    /// Adds `waveform` and the symbols it carries: `waveform.len()` must be
    /// `symbols.len() · samples_per_ui`, and what came before whole UIs (the
    /// waveform's sample 0 is phase 0 of `symbols[0]`'s UI).
    pub fn accumulate_with_symbols(&mut self, waveform: &[f32], symbols: &[u8]) -> Result<()> {
        let spu = self.samples_per_ui;
        if waveform.len() != symbols.len() * spu {
            return Err(Error::LengthMismatch {
                name: "waveform",
                expected: symbols.len() * spu,
                actual: waveform.len(),
            });
        }
        if !self.position.is_multiple_of(spu as u64) {
            return Err(Error::invalid(
                "waveform",
                "whole UIs: every earlier chunk a multiple of samples_per_ui",
                format!("{} samples so far", self.position),
            ));
        }
        check_finite(waveform)?;
        if let Some(i) = symbols.iter().position(|&s| s as usize >= self.levels) {
            return Err(Error::OutOfRange {
                name: "symbols",
                index: i,
                value: symbols[i] as u64,
                max: self.levels as u64 - 1,
            });
        }
        for (ui, &s) in waveform.chunks_exact(spu).zip(symbols) {
            for (p, &x) in ui.iter().enumerate() {
                let m = &mut self.moments[p * self.levels + s as usize];
                let x = x as f64;
                m[0] += 1.0;
                m[1] += x;
                m[2] += x * x;
            }
        }
        self.add_counts(waveform);
        Ok(())
    }

    fn add_counts(&mut self, waveform: &[f32]) {
        let width = (self.samples_per_ui * self.ui_span) as u64;
        let scale = self.amp_bins as f32 / (self.amp_max - self.amp_min);
        let top = self.amp_bins - 1;
        let mut col = (self.position % width) as usize;
        for &x in waveform {
            let b = (((x - self.amp_min) * scale).max(0.0) as usize).min(top);
            self.counts[col * self.amp_bins + b] += 1;
            col += 1;
            if col == width as usize {
                col = 0;
            }
        }
        self.position += waveform.len() as u64;
    }

    /// The histogram, `(samples_per_ui · ui_span) × amp_bins`, row-major by phase.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// `(phase columns, amplitude bins)` of [`counts`](Self::counts).
    pub fn shape(&self) -> (usize, usize) {
        (self.samples_per_ui * self.ui_span, self.amp_bins)
    }

    /// Centre of each amplitude bin.
    pub fn amplitudes(&self) -> Vec<f32> {
        let w = (self.amp_max - self.amp_min) / self.amp_bins as f32;
        (0..self.amp_bins)
            .map(|i| self.amp_min + (i as f32 + 0.5) * w)
            .collect()
    }

    /// Phase of each column in UI: `0, 1/spu, …` over `ui_span` UIs.
    pub fn phases_ui(&self) -> Vec<f64> {
        (0..self.samples_per_ui * self.ui_span)
            .map(|i| i as f64 / self.samples_per_ui as f64)
            .collect()
    }

    /// Samples accumulated.
    pub fn samples(&self) -> u64 {
        self.position
    }

    /// BER against sampling phase by Gaussian extrapolation of each symbol's
    /// samples (see the [module docs](self)). Needs at least two samples of every
    /// level at every phase, from [`accumulate_with_symbols`](Self::accumulate_with_symbols).
    pub fn bathtub(&self) -> Result<Bathtub> {
        let (spu, m) = (self.samples_per_ui, self.levels);
        let bits = (m as f64).log2();
        let mut out = Bathtub {
            phase_ui: Vec::with_capacity(spu),
            ber: Vec::with_capacity(spu),
            thresholds: Vec::new(),
        };
        for p in 0..spu {
            let mom = &self.moments[p * m..(p + 1) * m];
            let total: f64 = mom.iter().map(|x| x[0]).sum();
            if mom.iter().any(|x| x[0] < 2.0) {
                return Err(Error::invalid(
                    "symbols",
                    "at least 2 samples of every level at every phase (accumulate_with_symbols)",
                    format!("{} samples at phase {p}", total),
                ));
            }
            let (mu, sd): (Vec<f64>, Vec<f64>) = mom
                .iter()
                .map(|x| {
                    let mean = x[1] / x[0];
                    let var = ((x[2] - x[0] * mean * mean) / (x[0] - 1.0)).max(0.0);
                    // A floor keeps Q's argument finite on noiseless rails.
                    (mean, var.sqrt().max(1e-9 * (1.0 + mean.abs())))
                })
                .unzip();
            let t: Vec<f64> = (0..m - 1)
                .map(|s| (mu[s] * sd[s + 1] + mu[s + 1] * sd[s]) / (sd[s] + sd[s + 1]))
                .collect();
            let mut ser = 0.0;
            for s in 0..m {
                let prior = mom[s][0] / total;
                let mut e = 0.0;
                if s + 1 < m {
                    e += q_function((t[s] - mu[s]) / sd[s]);
                }
                if s > 0 {
                    e += q_function((mu[s] - t[s - 1]) / sd[s]);
                }
                ser += prior * e.min(1.0);
            }
            out.phase_ui.push(p as f64 / spu as f64);
            out.ber.push(ser / bits);
            out.thresholds.push(t);
        }
        Ok(out)
    }
}

fn check_finite(x: &[f32]) -> Result<()> {
    match x.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(Error::NonFinite {
            name: "waveform",
            index,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::theory::pam4_ber;
    use crate::channel::Gaussian;

    const LEVELS: [f32; 4] = [-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0];

    fn symbols(n: usize, seed: u64) -> Vec<u8> {
        let mut g = crate::testutil::Lcg(seed);
        (0..n).map(|_| (g.next_u64() >> 62) as u8).collect()
    }

    #[test]
    fn gaussian_noise_on_flat_rails_gives_the_closed_form_at_every_phase() {
        // σ² = (5/9)/SNR: the crate's SNR convention, so pam4_ber(snr) is the truth.
        let (spu, snr_db) = (4, 16.0);
        let sigma = ((5.0 / 9.0) / 10f64.powf(snr_db / 10.0)).sqrt() as f32;
        let syms = symbols(200_000, 3);
        let mut wave: Vec<f32> = syms.iter().flat_map(|&s| [LEVELS[s as usize]; 4]).collect();
        let mut n = vec![0.0f32; wave.len()];
        Gaussian::new(9).fill(&mut n);
        for (x, g) in wave.iter_mut().zip(&n) {
            *x += sigma * g;
        }
        let mut eye = EyeHistogram::new(spu, 1, (-2.0, 2.0), 100, 4).unwrap();
        eye.accumulate_with_symbols(&wave, &syms).unwrap();
        let b = eye.bathtub().unwrap();
        let truth = pam4_ber(snr_db);
        for &ber in &b.ber {
            assert!((ber / truth - 1.0).abs() < 0.15, "{ber} vs {truth}");
        }
        for t in &b.thresholds {
            for (got, want) in t.iter().zip([-2.0 / 3.0, 0.0, 2.0 / 3.0]) {
                assert!((got - want).abs() < 0.01, "{t:?}");
            }
        }
    }

    #[test]
    fn transitions_make_the_bathtub_walls() {
        // Each UI ramps linearly from the previous level to its own over its first
        // half and then holds: phase 0 is the crossing, the second half is clean.
        let spu = 8;
        let syms = symbols(50_000, 5);
        let mut n = vec![0.0f32; syms.len() * spu];
        Gaussian::new(2).fill(&mut n);
        let mut wave = Vec::with_capacity(syms.len() * spu);
        let mut prev = 0.0f32;
        for &s in &syms {
            let a = LEVELS[s as usize];
            for p in 0..spu {
                let f = ((p as f32 + 1.0) / (spu as f32 / 2.0)).min(1.0);
                wave.push(prev + (a - prev) * f + 0.05 * n[wave.len()]);
            }
            prev = a;
        }
        let mut eye = EyeHistogram::new(spu, 2, (-1.5, 1.5), 64, 4).unwrap();
        eye.accumulate_with_symbols(&wave, &syms).unwrap();
        let b = eye.bathtub().unwrap();
        assert!(b.ber[0] > 1e-3, "{:?}", b.ber);
        assert!(b.ber[6] < 1e-9, "{:?}", b.ber);
        assert!(b.ber[0] > b.ber[1] && b.ber[1] > b.ber[2]);
    }

    #[test]
    fn chunks_do_not_change_the_eye() {
        let syms = symbols(3_000, 1);
        let wave: Vec<f32> = syms
            .iter()
            .enumerate()
            .flat_map(|(i, &s)| {
                (0..5).map(move |p| LEVELS[s as usize] + 0.01 * ((i * 5 + p) % 7) as f32)
            })
            .collect();
        let mut whole = EyeHistogram::new(5, 3, (-1.2, 1.2), 40, 4).unwrap();
        whole.accumulate_with_symbols(&wave, &syms).unwrap();
        let mut parts = EyeHistogram::new(5, 3, (-1.2, 1.2), 40, 4).unwrap();
        let mut at = 0;
        for (k, n) in [1usize, 17, 400, 3, 1000].iter().cycle().enumerate() {
            if at >= syms.len() {
                break;
            }
            let n = (*n).min(syms.len() - at);
            if k % 2 == 0 {
                parts
                    .accumulate_with_symbols(&wave[at * 5..(at + n) * 5], &syms[at..at + n])
                    .unwrap();
            } else {
                // the plain path (no moments) must keep the phase just the same
                let mut only = parts.clone();
                only.accumulate(&wave[at * 5..(at + n) * 5]).unwrap();
                parts
                    .accumulate_with_symbols(&wave[at * 5..(at + n) * 5], &syms[at..at + n])
                    .unwrap();
                assert_eq!(only.counts(), parts.counts());
            }
            at += n;
        }
        assert_eq!(whole, parts);
        assert_eq!(whole.counts().iter().sum::<u64>(), wave.len() as u64);
    }

    #[test]
    fn bad_arguments_are_named() {
        let msg = |e: Error| e.to_string();
        assert!(
            msg(EyeHistogram::new(0, 1, (-1.0, 1.0), 10, 4).unwrap_err())
                .contains("samples_per_ui")
        );
        assert!(msg(EyeHistogram::new(4, 0, (-1.0, 1.0), 10, 4).unwrap_err()).contains("ui_span"));
        assert!(msg(EyeHistogram::new(4, 1, (1.0, 1.0), 10, 4).unwrap_err()).contains("amp_range"));
        assert!(
            msg(EyeHistogram::new(4, 1, (-1.0, f32::NAN), 10, 4).unwrap_err())
                .contains("amp_range")
        );
        assert!(msg(EyeHistogram::new(4, 1, (-1.0, 1.0), 0, 4).unwrap_err()).contains("amp_bins"));
        assert!(msg(EyeHistogram::new(4, 1, (-1.0, 1.0), 10, 3).unwrap_err()).contains("levels"));
        let mut eye = EyeHistogram::new(4, 1, (-1.0, 1.0), 10, 4).unwrap();
        assert!(msg(eye.accumulate(&[0.0, f32::NAN]).unwrap_err()).contains("waveform"));
        assert!(
            msg(eye.accumulate_with_symbols(&[0.0; 7], &[0, 1]).unwrap_err()).contains("waveform")
        );
        assert!(
            msg(eye.accumulate_with_symbols(&[0.0; 8], &[0, 4]).unwrap_err()).contains("symbols")
        );
        assert!(msg(eye.bathtub().unwrap_err()).contains("symbols"));
        eye.accumulate(&[0.0; 3]).unwrap();
        assert!(
            msg(eye.accumulate_with_symbols(&[0.0; 4], &[0]).unwrap_err()).contains("whole UIs")
        );
        assert_eq!(eye.samples(), 3);
    }
}
