//! The analog half of a link: the waveform at the CTLE output, oversampled, and the
//! CDR that samples it.
//!
//! ```text
//! levels ─► [Tx FIR ⊗ channel ⊗ Rx front end ⊗ CTLE] pulse, M samples/UI ─► Tx jitter
//!   ─► + noise (white at the Rx input, shaped by front end and CTLE) ─► CDR ─► one
//!   sample per UI for the FFE
//! ```
//!
//! With `rx.sampling = "direct"` (the default when there is no jitter) the CDR does
//! not read an oversampled waveform: [`super::direct`] evaluates the same waveform
//! at the CDR's own instants from the same pulse, tabulated finely (about 7× less
//! work per symbol, and no interpolator error); the oversampled waveform is then
//! synthesised only for the eye.
//!
//! Crosstalk aggressors and the optical IM-DD path (`channel.crosstalk`,
//! `channel.optical`) join on both paths: see [`super::impair`].
//!
//! # Why a combined pulse
//!
//! Tx FIR, channel, Rx front end and CTLE are linear and time-invariant, so the
//! waveform at the CTLE output is `Σ a_k p(t − kT)` with `p` their combined pulse
//! response. [`AnalogDesign`] builds `p` once in the frequency domain (the channel's
//! impulse response from [`Channel::impulse_response`], times the Tx FIR, the 1-UI
//! rectangle, the front end `H_r(f)` of IEEE 802.3 Annex 93A eq. 93A-20 and the
//! CTLE's exact analog `H(f)`, Annex 93A/120F), which is what running the CTLE as an
//! IIR on the waveform computes, without its per-sample recursion. The waveform is
//! then synthesised by a polyphase upsampler: phase `r` of UI `k` is a symbol-spaced
//! FIR `Σ_i a_{k−i}·p[iM + r]`, one [`Ffe`] per phase on the SIMD FIR kernels.
//!
//! # Noise
//!
//! White Gaussian noise at the receiver input with two-sided density `N0/2 =
//! σ²/fb`, where `σ² = σa²·h0²/10^(SNR/10)` is its power in the Nyquist band
//! (`h0` the main cursor of the channel's own pulse response): the same `σ²` as the
//! symbol-spaced model's, so `channel.snr_db` means the same in both. It reaches the
//! sampler through the front end and the CTLE, `G(f) = H_r(f)·H_ctle(f)`. It is
//! synthesised from a source of two samples per UI (white in `|f| < fb`, variance
//! `2σ²`), upsampled by `M/2` through `G` (cut off smoothly between 0.9·fb and
//! fb): noise beyond `fb`, 20 dB or more down through the 0.75·fb front end, is
//! left out. The noise correlation at UI spacing, which the FFE solution needs, is
//! `R(kT) = (σ²/fb)·∫|G(f)|² e^{j2πfkT} df`.
//!
//! # Gain
//!
//! Both are scaled so that the combined pulse peaks at 1 (an ideal AGC): the PAM4
//! levels at the CTLE output are then near ±1, ±1/3 and the CDR's slicer needs no
//! amplitude estimate.
//!
//! # CTLE gains
//!
//! With `rx.ctle.auto`, `gDC ∈ {0, −1, …, −20}` dB and `gDC2 ∈ {0, −1, …, −6}` dB
//! are scanned as in COM (Annex 93A.1.6) and the pair whose joint MMSE FFE/DFE gives
//! the highest SNR at the decision point (pulse at its peak phase, coloured noise)
//! is kept — among the pairs that leave the CDR, which slices the CTLE output
//! itself, an eye of at least [`CDR_MIN_SNR_DB`] (signal over ISI and noise before
//! the FFE); when no pair does, the pair with the most open CTLE-output eye.

use num_complex::Complex64;
use realfft::RealFftPlanner;

use super::config::{ChannelModel, CtleKind, LinkConfig};
use super::direct::DirectSampler;
use super::impair::{
    coupling_spectrum, optical_response, AggressorPulse, AggressorSources, OpticalNoise,
};
use super::pipeline::solve_ffe_dfe;
use crate::analysis::EyeHistogram;
use crate::cdr::{Cdr, CdrConfig, CdrOutput};
use crate::channel::analytic::LossyLine;
use crate::channel::jitter::{DcdMode, Jitter};
use crate::channel::touchstone::PortOrdering;
use crate::channel::{Channel, Gaussian};
use crate::eq::{CtleParams, Ffe, Modulation, TxFir};
use crate::error::{Error, Result};

/// Length of the channel impulse response computed, UI.
const SPAN_UI: usize = 512;

/// The least SNR (signal over ISI and noise, unequalised) at the CTLE output that
/// the automatic CTLE choice leaves the CDR, whose detector slices that waveform.
pub const CDR_MIN_SNR_DB: f64 = 12.0;

/// The share of the combined pulse's energy its trimmed tails may hold: the ISI
/// left out is then about −45 dB of the main cursor (the long low-frequency tail of
/// the CTLE's gDC2 shelf is what gets cut; 220 UI of it would cost 1760
/// multiply-adds per symbol at 8 samples per UI).
const TRIM_SIGNAL: f64 = 1e-4;

/// The least resolution of the pulse table of the direct sampler, samples per
/// UI: linear interpolation between its samples errs by at most `(π/128)²/8 ≈
/// 8e−5` of a component at the Nyquist frequency.
const FINE_PER_UI: usize = 128;

/// The share of the noise filter's energy its trimmed tails may hold (a 0.1 %
/// error in the noise power).
const TRIM_NOISE: f64 = 1e-3;

/// The Rx front end of IEEE 802.3 Annex 93A, eq. 93A-20: a 4th-order Butterworth
/// low-pass with −3 dB at `f_r_hz`.
pub fn frontend_response(f_hz: f64, f_r_hz: f64) -> Complex64 {
    let x = f_hz / f_r_hz;
    let x2 = x * x;
    Complex64::new(1.0 - 3.414214 * x2 + x2 * x2, 2.613126 * (x - x * x2)).inv()
}

/// The CTLE parameters of `kind` at `baud_hz` with the given gains.
fn ctle_params(kind: CtleKind, baud_hz: f64, g_dc: f64, g_dc2: f64) -> Option<CtleParams> {
    match kind {
        CtleKind::None => None,
        CtleKind::Ck => Some(CtleParams::ieee_802_3ck(g_dc, g_dc2)),
        CtleKind::Dj => Some(CtleParams::ieee_802_3dj(baud_hz, g_dc, g_dc2)),
    }
}

/// The channel of a config's analog model.
pub fn channel_of(config: &LinkConfig) -> Result<Channel> {
    let ch = &config.channel;
    match ch.model {
        ChannelModel::LossyLine => {
            let line = LossyLine::new(ch.loss_db, config.baud_hz)
                .map_err(|_| Error::invalid("channel.loss_db", "0..=60 dB", ch.loss_db))?
                .with_skin_fraction(ch.skin_fraction)
                .map_err(|_| Error::invalid("channel.skin_fraction", "0..=1", ch.skin_fraction))?;
            Ok(Channel::from_lossy_line(line))
        }
        ChannelModel::Touchstone => {
            let ordering = PortOrdering::from_name(&ch.ports).map_err(|_| {
                Error::invalid("channel.ports", "\"1-3/2-4\" or \"1-2/3-4\"", &ch.ports)
            })?;
            Channel::from_touchstone(&ch.touchstone, ordering)
        }
        ChannelModel::Pulse => Err(Error::invalid(
            "channel.model",
            "\"lossy_line\" or \"touchstone\" for an analog receiver",
            "\"pulse\"",
        )),
    }
}

/// The analog receiver designed from a config: combined pulse, noise filter and
/// CTLE gains. See the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
pub struct AnalogDesign {
    /// Samples per UI `M`.
    pub samples_per_ui: usize,
    /// The combined pulse response (Tx FIR, channel, front end, CTLE), `M` samples
    /// per UI, scaled to peak 1 and trimmed.
    pub pulse: Vec<f32>,
    /// Index of the pulse's peak.
    pub peak_index: usize,
    /// FIR at `M` samples per UI that turns a unit-variance source of two samples
    /// per UI into the noise at the CTLE output (upsampling by `M/2`), scaled.
    pub noise_filter: Vec<f32>,
    /// Noise autocorrelation at the CTLE output at lags `0, T, 2T, …` (scaled).
    pub noise_acf: Vec<f64>,
    /// Samples per UI of `fine_pulse` (a multiple of `samples_per_ui`, at least
    /// 128).
    pub fine_per_ui: usize,
    /// `pulse` at `fine_per_ui` samples per UI over the same span: sample
    /// `j·fine_per_ui/samples_per_ui` is `pulse[j]`.
    pub fine_pulse: Vec<f32>,
    /// The crosstalk aggressors' pulses (see [`super::impair`]).
    pub aggressors: Vec<AggressorPulse>,
    /// The optical receiver's level-dependent noise (`channel.optical`), whose
    /// mean `noise_filter` and `noise_acf` hold.
    pub optical_noise: Option<OpticalNoise>,
    /// `(gDC, gDC2)` in dB of the CTLE in use (`None`: no CTLE).
    pub ctle_gains_db: Option<(f64, f64)>,
    /// The main cursor `h0` of the channel's own pulse response (before the gain).
    pub channel_main_cursor: f64,
    /// The gain applied so that the combined pulse peaks at 1.
    pub gain: f64,
    /// The SNR at the decision point that the MMSE FFE/DFE solution predicts at the
    /// pulse's peak phase, dB.
    pub predicted_snr_db: f64,
}

/// Real FFT helpers on `n` points (a power of two).
struct Fft {
    n: usize,
    fwd: std::sync::Arc<dyn realfft::RealToComplex<f64>>,
    inv: std::sync::Arc<dyn realfft::ComplexToReal<f64>>,
}

impl Fft {
    fn new(n: usize) -> Fft {
        let mut planner = RealFftPlanner::<f64>::new();
        Fft {
            n,
            fwd: planner.plan_fft_forward(n),
            inv: planner.plan_fft_inverse(n),
        }
    }

    fn forward(&self, x: &[f64]) -> Vec<Complex64> {
        let mut input = x.to_vec();
        input.resize(self.n, 0.0);
        let mut out = self.fwd.make_output_vec();
        self.fwd
            .process(&mut input, &mut out)
            .expect("lengths match the plan");
        out
    }

    /// Unnormalised inverse: `x[m] = Σ_k X_k e^{+j2πkm/n}` over the Hermitian spectrum.
    fn inverse(&self, spectrum: &[Complex64]) -> Vec<f64> {
        let mut s = spectrum.to_vec();
        s[0].im = 0.0;
        let last = s.len() - 1;
        s[last].im = 0.0;
        let mut out = self.inv.make_output_vec();
        self.inv
            .process(&mut s, &mut out)
            .expect("lengths match the plan");
        out
    }
}

/// Symbol-spaced samples of `p` through `peak`: returns the pulse from `pre` UI
/// before the peak to the end, and the index of the peak in it.
fn symbol_spaced(p: &[f64], peak: usize, m: usize, pre: usize, post: usize) -> (Vec<f32>, usize) {
    let first = peak as isize - (pre * m) as isize;
    let v = (0..=pre + post)
        .map(|j| {
            let i = first + (j * m) as isize;
            if i >= 0 && (i as usize) < p.len() {
                p[i as usize] as f32
            } else {
                0.0
            }
        })
        .collect();
    (v, pre)
}

/// The CTLE's analog response at `f` (1 without a CTLE).
fn ctle_response(params: Option<CtleParams>, f: f64) -> Complex64 {
    params.map_or(Complex64::new(1.0, 0.0), |p| {
        let (re, im) = p.response(f);
        Complex64::new(re, im)
    })
}

fn argmax_abs(x: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in x.iter().enumerate() {
        if v.abs() > x[best].abs() {
            best = i;
        }
    }
    best
}

/// The shortest index range `[lo, hi)` of `x` that leaves out at most `frac` of its
/// energy (half of it at each end).
fn significant(x: &[f64], frac: f64) -> (usize, usize) {
    let total: f64 = x.iter().map(|v| v * v).sum();
    let budget = 0.5 * frac * total;
    let (mut lo, mut acc) = (0, 0.0);
    while lo < x.len() && acc + x[lo] * x[lo] <= budget {
        acc += x[lo] * x[lo];
        lo += 1;
    }
    let (mut hi, mut acc) = (x.len(), 0.0);
    while hi > lo + 1 && acc + x[hi - 1] * x[hi - 1] <= budget {
        acc += x[hi - 1] * x[hi - 1];
        hi -= 1;
    }
    (lo, hi.max(lo + 1))
}

impl AnalogDesign {
    /// Designs the analog receiver of `config` (an analog channel model).
    pub fn new(config: &LinkConfig) -> Result<AnalogDesign> {
        let m = config.rx.samples_per_ui;
        let baud = config.baud_hz;
        let fs = m as f64 * baud;
        let channel = channel_of(config)?;
        let ir = channel.impulse_response(m, baud, SPAN_UI)?;
        let h0 = ir.pulse().main_cursor() as f64;
        if !(h0.is_finite() && h0.abs() > 1e-9) {
            return Err(Error::invalid(
                "channel",
                "a channel that passes a pulse",
                "a zero pulse response",
            ));
        }
        let n = (m * SPAN_UI).next_power_of_two();
        let fft = Fft::new(n);
        let df = fs / n as f64;
        let h: Vec<f64> = ir.samples.iter().map(|&v| v as f64).collect();
        let x = fft.forward(&h);
        let freqs: Vec<f64> = (0..x.len()).map(|k| k as f64 * df).collect();

        // Tx FIR (normalised, Clause 120D.3.1.4) and the 1-UI rectangle of the symbols.
        let fir = if config.tx.fir.is_empty() {
            vec![1.0f32]
        } else {
            TxFir::normalised(&config.tx.fir, config.tx.fir_cursor)?
                .taps()
                .to_vec()
        };
        let t_ui = 1.0 / baud;
        let f_r = config.rx.frontend_bw * baud;
        let rect_of = |f: f64| {
            let wr = Complex64::from_polar(1.0, -std::f64::consts::TAU * f / fs);
            let mut rect = Complex64::new(0.0, 0.0);
            let mut zr = Complex64::new(1.0, 0.0);
            for _ in 0..m {
                rect += zr;
                zr *= wr;
            }
            rect
        };
        // Crosstalk: each aggressor's path times the rectangle and the front end
        // (see `impair`), before the optical path joins the victim's.
        // A channel's spectrum on this grid, as the victim's `x`.
        let spectrum_of = |ch: &Channel| -> Result<Vec<Complex64>> {
            let ir = ch.impulse_response(m, baud, SPAN_UI)?;
            let h: Vec<f64> = ir.samples.iter().map(|&v| v as f64).collect();
            Ok(fft.forward(&h))
        };
        let nyquist_bin = ((baud / 2.0) / df).round() as usize;
        let victim_nyquist = x[nyquist_bin.min(x.len() - 1)].norm();
        let xbases: Vec<Vec<Complex64>> = config
            .channel
            .crosstalk
            .iter()
            .map(|a| {
                let path = coupling_spectrum(a, config, &freqs, &x, victim_nyquist, &spectrum_of)?;
                Ok(path
                    .iter()
                    .zip(&freqs)
                    .map(|(&c, &f)| c * rect_of(f) * frontend_response(f, f_r) * a.amplitude)
                    .collect())
            })
            .collect::<Result<_>>()?;
        let optical = &config.channel.optical;
        let base: Vec<Complex64> = x
            .iter()
            .zip(&freqs)
            .map(|(&xk, &f)| {
                let w = Complex64::from_polar(1.0, -std::f64::consts::TAU * f * t_ui);
                let mut c = Complex64::new(0.0, 0.0);
                let mut z = Complex64::new(1.0, 0.0);
                for &ci in &fir {
                    c += z * ci as f64;
                    z *= w;
                }
                xk * c * rect_of(f) * frontend_response(f, f_r) * optical_response(optical, f)
            })
            .collect();
        // Noise path: front end, band-limited to |f| < fb by a raised-cosine edge.
        let band = |f: f64| -> f64 {
            let (a, b) = (0.9 * baud, baud);
            if f <= a {
                1.0
            } else if f >= b {
                0.0
            } else {
                0.5 * (1.0 + (std::f64::consts::PI * (f - a) / (b - a)).cos())
            }
        };
        let noise_base: Vec<Complex64> = freqs
            .iter()
            .map(|&f| frontend_response(f, f_r) * band(f))
            .collect();

        let modulation = Modulation::from(config.tx.modulation);
        let sigma_a2 = modulation.mean_power();
        let optical_noise = if optical.enabled {
            Some(OpticalNoise::new(optical, modulation, fs)?)
        } else {
            None
        };
        let sigma2 = match &optical_noise {
            Some(o) => o.mean_psd * baud,
            None => sigma_a2 * h0 * h0 / 10f64.powf(config.channel.snr_db / 10.0),
        };
        let psd = sigma2 / baud;
        let rx = &config.rx;
        let ctle = &rx.ctle;
        let free = match rx.detector {
            super::config::Detector::Slicer => 0,
            super::config::Detector::Dfe => rx.dfe_taps,
            super::config::Detector::Mlse => 1,
        };
        let pre = rx.ffe_taps + 2;
        let post = rx.ffe_taps + 48;

        // One candidate: the pulse, its peak, the noise acf at UI lags and the SNR.
        // Pulse, its peak, noise acf at UI lags, FFE/DFE SNR, CTLE-output SNR.
        type Evaluated = (Vec<f64>, usize, Vec<f64>, f64, f64);
        let evaluate = |params: Option<CtleParams>| -> Result<Evaluated> {
            let resp = |f: f64| ctle_response(params, f);
            let spec: Vec<Complex64> = base
                .iter()
                .zip(&freqs)
                .map(|(&b, &f)| b * resp(f))
                .collect();
            let p: Vec<f64> = fft.inverse(&spec).iter().map(|v| v / n as f64).collect();
            let peak = argmax_abs(&p);
            let power: Vec<Complex64> = noise_base
                .iter()
                .zip(&freqs)
                .map(|(&g, &f)| Complex64::new((g * resp(f)).norm_sqr(), 0.0))
                .collect();
            let r = fft.inverse(&power);
            let mut acf: Vec<f64> = (0..=rx.ffe_taps)
                .map(|k| psd * df * r[(k * m) % n])
                .collect();
            // Crosstalk as noise: its autocorrelation at UI lags, averaged over
            // the M sampling phases.
            for xb in &xbases {
                let spec: Vec<Complex64> =
                    xb.iter().zip(&freqs).map(|(&b, &f)| b * resp(f)).collect();
                let q: Vec<f64> = fft.inverse(&spec).iter().map(|v| v / n as f64).collect();
                for (k, a) in acf.iter_mut().enumerate() {
                    let lag = k * m;
                    let s: f64 = q.iter().zip(&q[lag.min(n)..]).map(|(u, v)| u * v).sum();
                    *a += sigma_a2 * s / m as f64;
                }
            }
            let (sym, main) = symbol_spaced(&p, peak, m, pre, post);
            let sol = solve_ffe_dfe(&sym, main, rx.ffe_taps, rx.ffe_cursor, free, sigma_a2, &acf)?;
            // The eye the CDR sees: SNR at the CTLE output before any FFE/DFE.
            let h0 = sym[main] as f64;
            let isi: f64 = sym
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != main)
                .map(|(_, &v)| (v as f64).powi(2))
                .sum();
            let cdr_snr = 10.0 * (h0 * h0 / (isi + acf[0] / sigma_a2)).log10();
            Ok((p, peak, acf, sol.snr_db, cdr_snr))
        };

        let candidates: Vec<Option<(f64, f64)>> = match (ctle.kind, ctle.auto) {
            (CtleKind::None, _) => vec![None],
            (_, false) => vec![Some((ctle.g_dc_db, ctle.g_dc2_db))],
            (_, true) => (0..=20)
                .flat_map(|g| (0..=6).map(move |g2| Some((-(g as f64), -(g2 as f64)))))
                .collect(),
        };
        // The best FFE/DFE SNR among the settings that leave the CDR an eye of at
        // least CDR_MIN_SNR_DB; if none does, the setting with the best such eye.
        type Candidate = (Option<(f64, f64)>, Vec<f64>, usize, Vec<f64>, f64, f64);
        let mut best: Option<Candidate> = None;
        let mut best_eye: Option<Candidate> = None;
        for cand in candidates {
            let params = cand.and_then(|(g, g2)| ctle_params(ctle.kind, baud, g, g2));
            let (p, peak, acf, snr, cdr_snr) = evaluate(params)?;
            if best_eye.as_ref().is_none_or(|b| cdr_snr > b.5) {
                best_eye = Some((cand, p.clone(), peak, acf.clone(), snr, cdr_snr));
            }
            if cdr_snr >= CDR_MIN_SNR_DB && best.as_ref().is_none_or(|b| snr > b.4) {
                best = Some((cand, p, peak, acf, snr, cdr_snr));
            }
        }
        let (gains, p, peak, acf, snr, _) = best.or(best_eye).expect("at least one candidate");

        // Scale to peak 1 and trim.
        let gain = 1.0 / p[peak];
        let (lo, hi) = significant(&p, TRIM_SIGNAL);
        let lo = lo.saturating_sub(m);
        let hi = (hi + m).min(p.len());
        let pulse: Vec<f32> = p[lo..hi].iter().map(|&v| (v * gain) as f32).collect();
        let peak_index = peak - lo;

        // Noise filter: G/n (an FIR with response G), times the upsampling factor
        // M/2 and the source's σ = √(2σ²), centred (G is band-limited, not causal).
        let params = gains.and_then(|(g, g2)| ctle_params(ctle.kind, baud, g, g2));
        let spec: Vec<Complex64> = noise_base
            .iter()
            .zip(&freqs)
            .map(|(&g, &f)| g * ctle_response(params, f))
            .collect();
        let g = fft.inverse(&spec);
        let scale = (m / 2) as f64 * (2.0 * sigma2).sqrt() * gain / n as f64;
        let mut centred: Vec<f64> = (0..n).map(|i| g[(i + n / 2) % n] * scale).collect();
        let (glo, ghi) = significant(&centred, TRIM_NOISE);
        centred.truncate(ghi);
        let noise_filter: Vec<f32> = centred[glo..].iter().map(|&v| v as f32).collect();
        let noise_acf = acf.iter().map(|v| v * gain * gain).collect();

        // The same pulse at `fine_per_ui` samples per UI for the direct sampler:
        // the spectrum zero-padded (band-limited interpolation of the same
        // continuous pulse), over the same span as `pulse`.
        let fine_per_ui = FINE_PER_UI.div_ceil(m) * m;
        let up = fine_per_ui / m;
        let nf = n * up;
        let fine_fft = Fft::new(nf);
        let fine = |base: &[Complex64]| -> Vec<f64> {
            let mut fine_spec = vec![Complex64::new(0.0, 0.0); nf / 2 + 1];
            for (k, (&b, &f)) in base.iter().zip(&freqs).enumerate() {
                let half = if k == n / 2 { 0.5 } else { 1.0 };
                fine_spec[k] = b * ctle_response(params, f) * half;
            }
            fine_fft.inverse(&fine_spec)
        };
        let pf = fine(&base);
        let fine_pulse: Vec<f32> = (lo * up..(hi - 1) * up + 1)
            .map(|j| (pf[j] * gain / n as f64) as f32)
            .collect();

        // The aggressors' pulses, trimmed like the victim's and moved by whole UI
        // to start within one UI after the victim's (their data are independent of
        // the victim's, only the fractional delay matters).
        let aggressors = xbases
            .iter()
            .map(|xb| {
                let spec: Vec<Complex64> = xb
                    .iter()
                    .zip(&freqs)
                    .map(|(&b, &f)| b * ctle_response(params, f))
                    .collect();
                let q: Vec<f64> = fft.inverse(&spec).iter().map(|v| v / n as f64).collect();
                let (qlo, qhi) = significant(&q, TRIM_SIGNAL);
                let (qlo, qhi) = (qlo.saturating_sub(m), (qhi + m).min(q.len()));
                let shift = (qlo as isize - lo as isize).rem_euclid(m as isize) as usize;
                let pulse = std::iter::repeat_n(0.0, shift)
                    .chain(q[qlo..qhi].iter().map(|&v| (v * gain) as f32))
                    .collect();
                let qf = fine(xb);
                let fine_pulse = std::iter::repeat_n(0.0, shift * up)
                    .chain((qlo * up..(qhi - 1) * up + 1).map(|j| (qf[j] * gain / n as f64) as f32))
                    .collect();
                AggressorPulse { pulse, fine_pulse }
            })
            .collect();
        Ok(AnalogDesign {
            samples_per_ui: m,
            pulse,
            peak_index,
            noise_filter,
            noise_acf,
            fine_per_ui,
            fine_pulse,
            aggressors,
            optical_noise,
            ctle_gains_db: gains,
            channel_main_cursor: h0,
            gain,
            predicted_snr_db: snr,
        })
    }
}

/// A polyphase upsampler by `factor`: `out[j·U + r] = Σ_i x[j − i]·g[i·U + r]`,
/// one [`Ffe`] per phase; streaming, chunk-invariant.
#[derive(Debug, Clone)]
pub struct Polyphase {
    phases: Vec<Ffe>,
    scratch: Vec<f32>,
}

impl Polyphase {
    /// The upsampler of `filter` by `factor` (≥ 1).
    pub fn new(filter: &[f32], factor: usize) -> Result<Polyphase> {
        if factor == 0 {
            return Err(Error::invalid("factor", ">= 1", factor));
        }
        let taps = filter.len().div_ceil(factor).max(1);
        let phases = (0..factor)
            .map(|r| {
                let t: Vec<f32> = (0..taps)
                    .map(|i| filter.get(i * factor + r).copied().unwrap_or(0.0))
                    .collect();
                Ffe::new(&t, 0)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Polyphase {
            phases,
            scratch: Vec::new(),
        })
    }

    /// The upsampling factor.
    pub fn factor(&self) -> usize {
        self.phases.len()
    }

    /// Upsamples `x` into `out` (`x.len() · factor` samples).
    pub fn process_into(&mut self, x: &[f32], out: &mut [f32]) -> Result<()> {
        self.upsample(x, out, |o, v| *o = v)
    }

    /// Adds the upsampled `x` to `out` (`x.len() · factor` samples).
    pub fn add_into(&mut self, x: &[f32], out: &mut [f32]) -> Result<()> {
        self.upsample(x, out, |o, v| *o += v)
    }

    /// Runs each phase's FIR on `x` and hands its outputs to `put` at their places
    /// in `out`.
    fn upsample(&mut self, x: &[f32], out: &mut [f32], put: impl Fn(&mut f32, f32)) -> Result<()> {
        let u = self.phases.len();
        if out.len() != x.len() * u {
            return Err(Error::LengthMismatch {
                name: "out",
                expected: x.len() * u,
                actual: out.len(),
            });
        }
        self.scratch.resize(x.len(), 0.0);
        for (r, ffe) in self.phases.iter_mut().enumerate() {
            ffe.process_into(x, &mut self.scratch)?;
            for (o, &v) in out[r..].iter_mut().step_by(u).zip(&self.scratch) {
                put(o, v);
            }
        }
        Ok(())
    }
}

/// The clock recovery of the analog front end.
enum Clock {
    /// The CDR block on the oversampled (and jittered) waveform.
    Oversampled(Box<Cdr>),
    /// The direct sampler and its loop (see [`super::direct`]).
    Direct(Box<DirectSampler>),
}

/// The analog front end as a streaming block: levels in, CDR samples out.
pub(crate) struct AnalogFrontEnd {
    m: usize,
    signal: Polyphase,
    /// Crosstalk: the aggressors' levels and their upsamplers.
    sources: AggressorSources,
    xsignal: Vec<Polyphase>,
    noise: Polyphase,
    /// Optical: the level-dependent noise; the levels from symbol `olev0` on, and
    /// the sample of symbol 0's peak (see `scale_noise`).
    optical: Option<OpticalNoise>,
    olev: Vec<f32>,
    olev0: u64,
    opeak: usize,
    s_nz: Vec<f32>,
    gauss: Gaussian,
    jitter: Option<Jitter>,
    clock: Clock,
    /// The eye and the samples still to draw into it; the waveform is delayed by
    /// `eye_offset` samples so that each UI window holds its symbol's peak.
    pub(crate) eye: Option<EyeHistogram>,
    eye_left: u64,
    eye_offset: usize,
    eye_started: bool,
    /// Waveform not yet drawn, from absolute sample `eye_w0`; symbols not yet
    /// drawn, from symbol `eye_k0` (whose window starts at `eye_k0·M + offset`).
    eye_wave: Vec<f32>,
    eye_w0: u64,
    eye_syms: Vec<u8>,
    eye_k0: u64,
    /// Samples and symbols through the front end so far.
    wave_pos: u64,
    /// CDR phase trace: `(symbol index, phase UI)` every `trace_every` symbols.
    trace: Vec<(u64, f64)>,
    trace_left: u64,
    trace_every: usize,
    s_wave: Vec<f32>,
    s_jit: Vec<f32>,
    s_w: Vec<f32>,
    out: CdrOutput,
}

impl AnalogFrontEnd {
    pub(crate) fn new(config: &LinkConfig, design: &AnalogDesign, seed: u64) -> Result<Self> {
        let m = design.samples_per_ui;
        let signal = Polyphase::new(&design.pulse, m)?;
        let xsignal = design
            .aggressors
            .iter()
            .map(|a| Polyphase::new(&a.pulse, m))
            .collect::<Result<Vec<_>>>()?;
        let sources = AggressorSources::new(
            design.aggressors.len(),
            Modulation::from(config.tx.modulation),
            seed,
        )?;
        let noise = Polyphase::new(&design.noise_filter, m / 2)?;
        let j = &config.channel.jitter;
        let jitter = if j.rj_ui > 0.0 || j.sj_ui > 0.0 || j.dcd_ui > 0.0 {
            let mut jt = Jitter::new(m, config.baud_hz, seed ^ 0x0717_7E12_0000_0003)?;
            if j.rj_ui > 0.0 {
                jt = jt.rj(j.rj_ui)?;
            }
            if j.sj_ui > 0.0 {
                jt = jt.sj(j.sj_ui, j.sj_hz, 0.0)?;
            }
            if j.dcd_ui > 0.0 {
                jt = jt.dcd(j.dcd_ui, DcdMode::EvenOdd)?;
            }
            Some(jt)
        } else {
            None
        };
        let c = &config.rx.cdr;
        let mut cc = CdrConfig::new(m);
        cc.detector = c.detector.clone();
        cc.baud_hz = config.baud_hz;
        cc.bandwidth_hz = if c.bandwidth_hz > 0.0 {
            c.bandwidth_hz
        } else {
            config.baud_hz / 2500.0
        };
        cc.damping = c.damping;
        cc.update_every = c.update_every;
        cc.amplitude = 1.0;
        // The lock detector compares the rms slicer error with a threshold; at the
        // CTLE output that error includes the ISI the FFE/DFE will remove, so the
        // threshold is 1.5 times its expected value at the pulse peak (ISI and noise
        // from the design), and at least the CDR's default 0.1.
        let sigma_a2 = Modulation::from(config.tx.modulation).mean_power();
        let isi: f64 = (design.peak_index % m..design.pulse.len())
            .step_by(m)
            .filter(|&i| i != design.peak_index)
            .map(|i| (design.pulse[i] as f64).powi(2))
            .sum();
        let rms = (sigma_a2 * isi + design.noise_acf[0]).sqrt();
        cc.lock_threshold = (1.5 * rms).clamp(0.1, 0.45);
        let named = |e: Error| match e {
            Error::InvalidParameter {
                allowed, actual, ..
            } => Error::InvalidParameter {
                name: "rx.cdr",
                allowed,
                actual,
            },
            other => other,
        };
        let rec = &config.record;
        let clock = if config.rx.direct_sampling(j) {
            Clock::Direct(Box::new(
                DirectSampler::new(design, &cc, seed ^ 0x5EED_0000_0000_0004, rec.trace_symbols)
                    .map_err(named)?,
            ))
        } else {
            Clock::Oversampled(Box::new(Cdr::new(cc).map_err(named)?))
        };
        let levels = Modulation::from(config.tx.modulation).n_levels();
        let eye = if rec.eye_symbols > 0 {
            Some(EyeHistogram::new(m, 2, (-1.6, 1.6), 128, levels)?)
        } else {
            None
        };
        let jdelay = jitter.as_ref().map_or(0, |j| j.delay());
        Ok(AnalogFrontEnd {
            m,
            signal,
            sources,
            xsignal,
            noise,
            optical: design.optical_noise,
            olev: Vec::new(),
            olev0: 0,
            opeak: design.peak_index + jdelay,
            s_nz: Vec::new(),
            gauss: Gaussian::new(seed ^ 0x5EED_0000_0000_0002),
            jitter,
            clock,
            eye,
            eye_left: rec.eye_symbols,
            eye_offset: (design.peak_index + jdelay).saturating_sub(m / 2),
            eye_started: false,
            eye_wave: Vec::new(),
            eye_w0: 0,
            eye_syms: Vec::new(),
            eye_k0: 0,
            wave_pos: 0,
            trace: Vec::new(),
            trace_left: rec.trace_symbols,
            trace_every: c.update_every,
            s_wave: Vec::new(),
            s_jit: Vec::new(),
            s_w: Vec::new(),
            out: CdrOutput::new(),
        })
    }

    /// Turns on the eye and the phase trace (after training).
    pub(crate) fn start_recording(&mut self) {
        if let Clock::Direct(d) = &mut self.clock {
            d.start_recording();
        }
        self.eye_started = true;
        self.eye_w0 = self.wave_pos;
        self.eye_k0 = self.wave_pos / self.m as u64;
    }

    /// Sends `levels` (line levels, one per UI, and `line` their symbols) through
    /// the analog path; appends the CDR's samples to `samples`.
    pub(crate) fn process(
        &mut self,
        levels: &[f32],
        line: &[u8],
        samples: &mut Vec<f32>,
    ) -> Result<()> {
        let m = self.m;
        let len = levels.len() * m;
        if !self.sources.is_empty() {
            self.sources.next(levels.len());
        }
        // The oversampled waveform: for the oversampled CDR, and for the eye.
        let oversampled = matches!(self.clock, Clock::Oversampled(_));
        if self.optical.is_some() {
            self.olev.extend_from_slice(levels);
        }
        if oversampled || (self.eye.is_some() && self.eye_left > 0) {
            self.s_wave.resize(len, 0.0);
            self.signal.process_into(levels, &mut self.s_wave)?;
            if let Some(j) = &mut self.jitter {
                self.s_jit.resize(len, 0.0);
                j.process_into(&self.s_wave, &mut self.s_jit)?;
                std::mem::swap(&mut self.s_wave, &mut self.s_jit);
            }
            for (x, xl) in self.xsignal.iter_mut().zip(&self.sources.chunk) {
                x.add_into(xl, &mut self.s_wave)?;
            }
            self.s_w.resize(2 * levels.len(), 0.0);
            self.gauss.fill(&mut self.s_w);
            if self.optical.is_some() {
                self.s_nz.resize(len, 0.0);
                self.noise.process_into(&self.s_w, &mut self.s_nz)?;
                self.scale_noise();
                for (w, &z) in self.s_wave.iter_mut().zip(&self.s_nz) {
                    *w += z;
                }
            } else {
                self.noise.add_into(&self.s_w, &mut self.s_wave)?;
            }
            self.record_eye(line)?;
        } else {
            self.wave_pos += len as u64;
        }
        self.drop_old_levels();
        let cdr = match &mut self.clock {
            Clock::Direct(d) => return d.process(levels, &self.sources.chunk, samples),
            Clock::Oversampled(c) => c,
        };
        self.out.clear();
        cdr.process_into(&self.s_wave, &mut self.out)?;
        samples.extend_from_slice(&self.out.samples);
        if self.eye_started && self.trace_left > 0 {
            let first = cdr.symbols_out() - self.out.len() as u64;
            for (k, &ph) in self.out.phase_ui.iter().enumerate() {
                let idx = first + k as u64;
                if idx.is_multiple_of(self.trace_every as u64) && self.trace_left > 0 {
                    self.trace.push((idx, ph));
                    self.trace_left = self.trace_left.saturating_sub(self.trace_every as u64);
                }
            }
        }
        Ok(())
    }

    /// Scales the noise of this chunk (`s_nz`, from sample `wave_pos` on) by the
    /// level of the symbol whose peak is nearest each sample (see
    /// [`super::impair`]); before the first symbol, by the mean level's.
    fn scale_noise(&mut self) {
        let Some(o) = &self.optical else {
            return;
        };
        let m = self.m as u64;
        let half = m / 2;
        for (i, z) in self.s_nz.iter_mut().enumerate() {
            let n = self.wave_pos + i as u64 + half;
            let a = if n >= self.opeak as u64 {
                let k = (n - self.opeak as u64) / m;
                let j = (k.saturating_sub(self.olev0) as usize).min(self.olev.len() - 1);
                self.olev[j]
            } else {
                0.0
            };
            *z *= o.scale(a);
        }
    }

    /// Forgets the levels `scale_noise` will not read again.
    fn drop_old_levels(&mut self) {
        if self.optical.is_none() {
            return;
        }
        let next = self.wave_pos + (self.m / 2) as u64;
        let k = next.saturating_sub(self.opeak as u64) / self.m as u64;
        let drop = (k.saturating_sub(self.olev0) as usize).min(self.olev.len() - 1);
        if drop > 4096 {
            self.olev.drain(..drop);
            self.olev0 += drop as u64;
        }
    }

    /// Whether the CDR's lock detector says locked.
    pub(crate) fn cdr_locked(&self) -> bool {
        match &self.clock {
            Clock::Direct(d) => d.locked(),
            Clock::Oversampled(c) => c.locked(),
        }
    }

    /// The CDR's recovered frequency offset, ppm.
    pub(crate) fn cdr_frequency_ppm(&self) -> f64 {
        match &self.clock {
            Clock::Direct(d) => d.frequency_ppm(),
            Clock::Oversampled(c) => c.frequency_ppm(),
        }
    }

    /// The CDR phase trace, `(symbol index, phase UI)` once per loop update.
    pub(crate) fn cdr_trace(&self) -> &[(u64, f64)] {
        match &self.clock {
            Clock::Direct(d) => &d.trace,
            Clock::Oversampled(_) => &self.trace,
        }
    }

    /// Draws the waveform into the eye: the window of symbol `k` is the `M` samples
    /// from `k·M + eye_offset`, which holds its pulse's peak in the middle.
    fn record_eye(&mut self, line: &[u8]) -> Result<()> {
        let m = self.m;
        self.wave_pos += self.s_wave.len() as u64;
        let Some(eye) = &mut self.eye else {
            return Ok(());
        };
        if !self.eye_started || self.eye_left == 0 {
            return Ok(());
        }
        self.eye_wave.extend_from_slice(&self.s_wave);
        self.eye_syms.extend_from_slice(line);
        let start = (self.eye_k0 * m as u64 + self.eye_offset as u64 - self.eye_w0) as usize;
        let n = self
            .eye_syms
            .len()
            .min(self.eye_wave.len().saturating_sub(start) / m)
            .min(self.eye_left as usize);
        if n > 0 {
            eye.accumulate_with_symbols(&self.eye_wave[start..start + n * m], &self.eye_syms[..n])?;
            self.eye_left -= n as u64;
            self.eye_k0 += n as u64;
            self.eye_syms.drain(..n);
            self.eye_wave.drain(..start + n * m);
            self.eye_w0 += (start + n * m) as u64;
        }
        if self.eye_left == 0 {
            self.eye_wave = Vec::new();
            self.eye_syms = Vec::new();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frontend_is_butterworth() {
        let f_r = 40e9;
        assert!((frontend_response(0.0, f_r).norm() - 1.0).abs() < 1e-12);
        let at = |f: f64| frontend_response(f, f_r).norm();
        assert!((20.0 * at(f_r).log10() + 3.0103).abs() < 1e-3);
        // |H|² = 1 / (1 + (f/fr)^8) for a 4th-order Butterworth.
        for x in [0.3, 0.8, 1.7, 3.0] {
            let want = 1.0 / (1.0 + f64::powi(x, 8));
            assert!((at(x * f_r).powi(2) - want).abs() < 1e-5, "{x}");
        }
    }

    #[test]
    fn polyphase_equals_zero_stuffing_then_filtering() {
        let g: Vec<f32> = (0..23)
            .map(|i| ((i * 37 % 11) as f32 - 5.0) / 7.0)
            .collect();
        let x: Vec<f32> = (0..40).map(|i| ((i * 13 % 7) as f32 - 3.0) / 3.0).collect();
        let u = 4;
        let mut stuffed = vec![0.0f32; x.len() * u];
        for (j, &v) in x.iter().enumerate() {
            stuffed[j * u] = v;
        }
        let want: Vec<f32> = (0..stuffed.len())
            .map(|n| {
                (0..g.len())
                    .filter(|&k| k <= n)
                    .map(|k| g[k] * stuffed[n - k])
                    .sum()
            })
            .collect();
        let mut p = Polyphase::new(&g, u).unwrap();
        let mut got = vec![0.0; x.len() * u];
        p.process_into(&x[..17], &mut got[..17 * u]).unwrap();
        p.process_into(&x[17..], &mut got[17 * u..]).unwrap();
        for (a, b) in got.iter().zip(&want) {
            assert!((a - b).abs() < 1e-5, "{a} {b}");
        }
    }

    #[test]
    fn noise_at_the_ctle_output_has_the_designed_power() {
        // No CTLE: the noise power at the output is (σ²/fb)·∫|H_r|²·band df,
        // integrated here independently by the trapezoid rule.
        let mut cfg = LinkConfig::default();
        cfg.rx.ctle.kind = CtleKind::None;
        cfg.channel.snr_db = 10.0;
        let d = AnalogDesign::new(&cfg).unwrap();
        let baud = cfg.baud_hz;
        let sigma2 = 5.0 / 9.0 * d.channel_main_cursor.powi(2) / 10.0;
        let f_r = 0.75 * baud;
        let steps = 200_000;
        let df = 1.2 * baud / steps as f64;
        let band = |f: f64| {
            if f <= 0.9 * baud {
                1.0
            } else if f >= baud {
                0.0
            } else {
                0.5 * (1.0 + (std::f64::consts::PI * (f - 0.9 * baud) / (0.1 * baud)).cos())
            }
        };
        let integral: f64 = (0..=steps)
            .map(|i| {
                let f = i as f64 * df;
                let w = if i == 0 || i == steps { 0.5 } else { 1.0 };
                w * frontend_response(f, f_r).norm_sqr() * band(f).powi(2)
            })
            .sum::<f64>()
            * df
            * 2.0;
        let want = sigma2 / baud * integral * d.gain * d.gain;
        assert!(
            (d.noise_acf[0] - want).abs() < 0.01 * want,
            "{} vs {want}",
            d.noise_acf[0]
        );
        // The synthesised noise has that variance.
        let mut p = Polyphase::new(&d.noise_filter, 4).unwrap();
        let mut g = Gaussian::new(3);
        let mut w = vec![0.0f32; 400_000];
        g.fill(&mut w);
        let mut y = vec![0.0f32; w.len() * 4];
        p.process_into(&w, &mut y).unwrap();
        let tail = &y[1000..];
        let var = tail.iter().map(|v| (*v as f64).powi(2)).sum::<f64>() / tail.len() as f64;
        assert!((var - want).abs() < 0.03 * want, "{var} vs {want}");
    }

    #[test]
    fn filters_are_trimmed_to_a_few_tens_of_ui() {
        let d = AnalogDesign::new(&LinkConfig::default()).unwrap();
        let m = d.samples_per_ui;
        assert!(d.pulse.len() <= 48 * m, "signal {} UI", d.pulse.len() / m);
        assert!(
            d.noise_filter.len() <= 48 * m,
            "noise {} UI",
            d.noise_filter.len() / m
        );
    }

    #[test]
    fn auto_ctle_picks_more_peaking_for_more_loss() {
        let mut cfg = LinkConfig::default();
        cfg.channel.loss_db = 8.0;
        let low = AnalogDesign::new(&cfg).unwrap();
        cfg.channel.loss_db = 24.0;
        let high = AnalogDesign::new(&cfg).unwrap();
        let (g_low, _) = low.ctle_gains_db.unwrap();
        let (g_high, _) = high.ctle_gains_db.unwrap();
        assert!(g_high < g_low, "{g_high} vs {g_low}");
        assert!(low.predicted_snr_db > high.predicted_snr_db);
        assert!((low.pulse[low.peak_index] - 1.0).abs() < 1e-6);
    }
}
