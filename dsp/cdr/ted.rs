//! Timing-error detectors (TEDs): from the samples at the recovered instants, how
//! late (positive) or early (negative) the sampling clock is.
//!
//! All three work on a PAM4 stream with outer levels `±amplitude` and slicer
//! thresholds at `0, ±2·amplitude/3` ([`slice()`]). A detector sees one block of
//! symbols at a time (the CDR's loop update interval) and returns the *sum* of its
//! per-symbol errors; it keeps what it needs of the previous block (the last sample
//! and decision) so that blocks chain seamlessly.
//!
//! - [`MuellerMuller`]: baud-rate, one sample per UI (Mueller and Müller, IEEE Trans.
//!   Commun. 1976, "type A"): `e_n = (y_{n−1}·â_n − y_n·â_{n−1}) / A²`, with `â` the
//!   slicer's reference levels. Its sign–sign form (the "SS-MM" of 802.3-class baud-rate
//!   receivers) uses only the signs of the slicer errors `ε = y − â` and of the
//!   decisions: `sgn(ε_{n−1})·sgn(â_n) − sgn(ε_n)·sgn(â_{n−1})`.
//! - [`BangBang`] (Alexander): data samples plus an edge sample half a UI before each.
//!   PAM4 transition filtering: only transitions symmetric about the middle threshold
//!   (`0 ↔ 3` and `1 ↔ 2`, i.e. `â_n = −â_{n−1}`) have their crossing exactly at the
//!   edge instant; on those, `e = sgn(edge)·sgn(â_n)` (the edge sample already shows
//!   the new symbol: the clock is late). Other transitions (e.g. `0 → 1`, `0 → 2`)
//!   cross the middle threshold off the edge instant, or not at all, and are ignored.
//! - [`Gardner`]: data and edge samples, no decisions:
//!   `e_n = y_{n−½}·(y_n − y_{n−1}) / A²` (Gardner, IEEE Trans. Commun. 1986).
//!
//! Each detector reports its [`TimingErrorDetector::nominal_gain`]: the slope of its
//! mean error per symbol versus the timing offset in UI, on the reference signal
//! (equiprobable PAM4 through a raised-cosine pulse of roll-off 0.5, see
//! [`crate::cdr::waveform::RaisedCosine`]). The loop design
//! ([`crate::cdr::loop_filter::LoopGains::from_bandwidth`]) divides by it. The
//! sign–sign and bang-bang detectors are nonlinear: their gain depends on the noise
//! and jitter at the sampler, which their constructors take as an assumption.

use crate::error::{Error, Result};

/// Mean square of the PAM4 levels ±1, ±1/3 (equiprobable).
const PAM4_POWER: f64 = 5.0 / 9.0;

/// The raised-cosine (roll-off 0.5) pulse's `|p'(±1 UI)|`: `π/4` (the roll-off factor
/// `cos(πβt)/(1 − 4β²t²)` at `t = 1`, `β = 0.5`, times `|sinc'(1)| = 1`).
const RC_SLOPE_AT_1UI: f64 = std::f64::consts::FRAC_PI_4;

/// Gardner's nominal gain on the reference signal, `(5/9)·d/dτ Σ_j p(j−½+τ)·(p(j+τ) −
/// p(j−1+τ))` at `τ = 0` for the raised cosine of roll-off 0.5 (summed numerically,
/// checked against a direct sum in the tests).
const GARDNER_RC_GAIN: f64 = 0.838_052;

/// The PAM4 decision for `y` with outer levels `±amplitude`: the symbol `0..=3` and its
/// level `amplitude·(2s − 3)/3`. Thresholds at `0` and `±2·amplitude/3`; a sample on a
/// threshold goes to the upper symbol.
#[inline(always)]
pub fn slice(y: f32, amplitude: f32) -> (u8, f32) {
    let t = amplitude * (2.0 / 3.0);
    let s = (y >= -t) as u8 + (y >= 0.0) as u8 + (y >= t) as u8;
    (s, amplitude * (2.0 * s as f32 - 3.0) * (1.0 / 3.0))
}

#[inline(always)]
fn sgn(x: f32) -> f32 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// A timing-error detector: the phase detector of a CDR.
///
/// Positive errors mean the sampling instants are late (after the symbol centres);
/// the loop moves them earlier.
pub trait TimingErrorDetector {
    /// Whether [`TimingErrorDetector::block_error`] reads edge samples (the waveform
    /// half a UI before each data sample); baud-rate detectors do not.
    fn needs_edges(&self) -> bool;

    /// The sum of the timing errors of one block of consecutive symbols.
    ///
    /// `data[k]` is the sample at symbol `k`'s recovered instant, `levels[k]` the
    /// slicer's level for it ([`slice()`]), `edges[k]` the sample half a UI before it
    /// (empty when [`TimingErrorDetector::needs_edges`] is false). Lengths agree.
    fn block_error(&mut self, data: &[f32], edges: &[f32], levels: &[f32]) -> f32;

    /// Mean error per symbol per UI of timing offset, for small offsets, on the
    /// reference signal (see the module doc); what the loop design divides by.
    fn nominal_gain(&self) -> f64;

    /// Forgets the previous block (start of a new stream).
    fn reset(&mut self);
}

fn check_amplitude(amplitude: f32) -> Result<()> {
    if !(amplitude.is_finite() && amplitude > 0.0) {
        return Err(Error::invalid("amplitude", "a finite level > 0", amplitude));
    }
    Ok(())
}

fn check_rms(name: &'static str, v: f64) -> Result<()> {
    if !(v.is_finite() && v > 0.0) {
        return Err(Error::invalid(name, "a finite value > 0", v));
    }
    Ok(())
}

/// The Mueller–Müller detector's form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MmForm {
    /// The linear "type A" error `(y_{n−1}·â_n − y_n·â_{n−1}) / A²`.
    Linear,
    /// The sign–sign form `sgn(ε_{n−1})·sgn(â_n) − sgn(ε_n)·sgn(â_{n−1})`; the field is
    /// the rms slicer error assumed for its nominal gain, in units of `amplitude`.
    SignSign {
        /// Rms of `ε/A` assumed at lock (noise plus residual ISI).
        slicer_error_rms: f64,
    },
}

/// Mueller–Müller baud-rate detector for PAM4 (one sample per UI).
///
/// ```
/// use serdes_dsp::cdr::ted::{MuellerMuller, TimingErrorDetector};
/// let mut mm = MuellerMuller::new(1.0).unwrap();
/// // Symbols −1, +1, +1 sampled late: the first sample already leans to the next.
/// let y = [-0.8, 1.0, 1.0];
/// let levels = [-1.0, 1.0, 1.0];
/// assert!(mm.block_error(&y, &[], &levels) > 0.0);
/// ```
#[derive(Debug, Clone)]
pub struct MuellerMuller {
    amplitude: f32,
    inv_a2: f32,
    form: MmForm,
    prev_y: f32,
    prev_level: f32,
}

impl MuellerMuller {
    /// The linear (type A) detector with slicer outer levels `±amplitude`.
    pub fn new(amplitude: f32) -> Result<MuellerMuller> {
        MuellerMuller::with_form(amplitude, MmForm::Linear)
    }

    /// The detector in `form`.
    pub fn with_form(amplitude: f32, form: MmForm) -> Result<MuellerMuller> {
        check_amplitude(amplitude)?;
        if let MmForm::SignSign { slicer_error_rms } = form {
            check_rms("slicer_error_rms", slicer_error_rms)?;
        }
        Ok(MuellerMuller {
            amplitude,
            inv_a2: 1.0 / (amplitude * amplitude),
            form,
            prev_y: 0.0,
            prev_level: 0.0,
        })
    }

    /// The form in use.
    pub fn form(&self) -> MmForm {
        self.form
    }

    /// The slicer's outer level.
    pub fn amplitude(&self) -> f32 {
        self.amplitude
    }

    /// The previous block's last sample and level `(y, â)`.
    pub(crate) fn carry(&self) -> (f32, f32) {
        (self.prev_y, self.prev_level)
    }

    /// Sets the previous block's last sample and level (a fused kernel's result).
    pub(crate) fn set_carry(&mut self, (y, level): (f32, f32)) {
        self.prev_y = y;
        self.prev_level = level;
    }

    /// `1/A²`, the linear form's normalisation.
    pub(crate) fn inv_a2(&self) -> f32 {
        self.inv_a2
    }
}

impl TimingErrorDetector for MuellerMuller {
    fn needs_edges(&self) -> bool {
        false
    }

    #[inline(always)]
    fn block_error(&mut self, data: &[f32], _edges: &[f32], levels: &[f32]) -> f32 {
        let (Some(&last_y), Some(&last_l)) = (data.last(), levels.last()) else {
            return 0.0;
        };
        let (mut py, mut pl) = (self.prev_y, self.prev_level);
        let mut sum = 0.0f32;
        match self.form {
            MmForm::Linear => {
                // e_k for k ≥ 1 from the block itself, in eight partial sums (SIMD).
                let mut acc = [0.0f32; 8];
                let n = data.len() - 1;
                let n8 = n / 8 * 8;
                let (y0, y1) = (&data[..n8], &data[1..n8 + 1]);
                let (l0, l1) = (&levels[..n8], &levels[1..n8 + 1]);
                for (((a, b), c), d) in y0
                    .chunks_exact(8)
                    .zip(y1.chunks_exact(8))
                    .zip(l0.chunks_exact(8))
                    .zip(l1.chunks_exact(8))
                {
                    for j in 0..8 {
                        acc[j] += a[j] * d[j] - b[j] * c[j];
                    }
                }
                sum += (py * levels[0] - data[0] * pl) * self.inv_a2;
                for k in n8 + 1..data.len() {
                    acc[0] += data[k - 1] * levels[k] - data[k] * levels[k - 1];
                }
                sum += acc.iter().sum::<f32>() * self.inv_a2;
                py = last_y;
                pl = last_l;
            }
            MmForm::SignSign { .. } => {
                for (&y, &l) in data.iter().zip(levels) {
                    sum += sgn(py - pl) * sgn(l) - sgn(y - l) * sgn(pl);
                    py = y;
                    pl = l;
                }
            }
        }
        self.prev_y = py;
        self.prev_level = pl;
        sum
    }

    fn nominal_gain(&self) -> f64 {
        // E[e] = σ²·(p(τ−1) − p(τ+1)) for the linear form; the slope at τ = 0 is
        // 2σ²·|p'(1)| (σ² = 5/9, levels in units of A).
        let linear = 2.0 * PAM4_POWER * RC_SLOPE_AT_1UI;
        match self.form {
            MmForm::Linear => linear,
            // ε_{n−1} ≈ â_n·p(τ−1) + … + noise of rms σ_ε: for small offsets
            // E[sgn(ε_{n−1})·sgn(â_n)] ≈ 2φ(0)/σ_ε · E|â|·p(τ−1) with 2φ(0) = √(2/π) and
            // E|â| = 2/3; the two terms' slopes add to √(2/π)/σ_ε · (2/3) · 2|p'(1)|.
            MmForm::SignSign { slicer_error_rms } => {
                let mean_abs = 2.0 / 3.0;
                (2.0 / std::f64::consts::PI).sqrt() / slicer_error_rms
                    * mean_abs
                    * 2.0
                    * RC_SLOPE_AT_1UI
            }
        }
    }

    fn reset(&mut self) {
        self.prev_y = 0.0;
        self.prev_level = 0.0;
    }
}

/// Bang-bang (Alexander) detector with PAM4 transition filtering (see the module doc).
///
/// ```
/// use serdes_dsp::cdr::ted::{BangBang, TimingErrorDetector};
/// let mut bb = BangBang::new(1.0, 0.05).unwrap();
/// // −1 → +1 with a positive edge sample: the crossing came before the edge: late.
/// assert_eq!(bb.block_error(&[-1.0, 1.0], &[-1.0, 0.1], &[-1.0, 1.0]), 1.0);
/// // 0 → 1 (−1 → −1/3) is not a symmetric transition: ignored.
/// assert_eq!(bb.block_error(&[-0.33], &[-0.5], &[-1.0 / 3.0]), 0.0);
/// ```
#[derive(Debug, Clone)]
pub struct BangBang {
    amplitude: f32,
    jitter_rms_ui: f64,
    prev_level: f32,
}

impl BangBang {
    /// The detector with slicer outer levels `±amplitude`; `jitter_rms_ui` (> 0) is the
    /// rms jitter of the crossings assumed for [`TimingErrorDetector::nominal_gain`]
    /// (a bang-bang detector has no gain of its own).
    pub fn new(amplitude: f32, jitter_rms_ui: f64) -> Result<BangBang> {
        check_amplitude(amplitude)?;
        check_rms("jitter_rms_ui", jitter_rms_ui)?;
        Ok(BangBang {
            amplitude,
            jitter_rms_ui,
            prev_level: 0.0,
        })
    }

    /// The slicer's outer level.
    pub fn amplitude(&self) -> f32 {
        self.amplitude
    }
}

impl TimingErrorDetector for BangBang {
    fn needs_edges(&self) -> bool {
        true
    }

    #[inline(always)]
    fn block_error(&mut self, _data: &[f32], edges: &[f32], levels: &[f32]) -> f32 {
        // Branch-free, summed in integers (each term is −1, 0 or +1): the loop
        // vectorises, and the sum is exact in any order.
        // Symmetric about the middle threshold: â_n = −â_{n−1} ≠ 0.
        let term = |e: f32, l: f32, pl: f32| {
            let isgn = |x: f32| (x > 0.0) as i32 - (x < 0.0) as i32;
            ((l == -pl) & (l != 0.0)) as i32 * isgn(e) * isgn(l)
        };
        let n = edges.len().min(levels.len());
        if n == 0 {
            return 0.0;
        }
        let mut sum = term(edges[0], levels[0], self.prev_level);
        for ((&e, &l), &pl) in edges[1..n].iter().zip(&levels[1..n]).zip(&levels[..n - 1]) {
            sum += term(e, l, pl);
        }
        self.prev_level = levels[n - 1];
        sum as f32
    }

    fn nominal_gain(&self) -> f64 {
        // A quarter of the symbol pairs are symmetric transitions; on each, for a
        // Gaussian crossing of rms σ, E[sgn] = erf(τ/(σ√2)) ≈ 2τ·φ(0)/σ.
        0.25 * 2.0 / ((2.0 * std::f64::consts::PI).sqrt() * self.jitter_rms_ui)
    }

    fn reset(&mut self) {
        self.prev_level = 0.0;
    }
}

/// Gardner's non-data-aided detector (edge and data samples).
///
/// ```
/// use serdes_dsp::cdr::ted::{Gardner, TimingErrorDetector};
/// let mut g = Gardner::new(1.0).unwrap();
/// // Rising −1 → +1 with the edge sample already positive: late.
/// assert!(g.block_error(&[-1.0, 1.0], &[0.0, 0.2], &[-1.0, 1.0]) > 0.0);
/// ```
#[derive(Debug, Clone)]
pub struct Gardner {
    amplitude: f32,
    inv_a2: f32,
    prev_y: f32,
}

impl Gardner {
    /// The detector, errors normalised by `amplitude²` (the outer level).
    pub fn new(amplitude: f32) -> Result<Gardner> {
        check_amplitude(amplitude)?;
        Ok(Gardner {
            amplitude,
            inv_a2: 1.0 / (amplitude * amplitude),
            prev_y: 0.0,
        })
    }

    /// The normalising level.
    pub fn amplitude(&self) -> f32 {
        self.amplitude
    }
}

impl TimingErrorDetector for Gardner {
    fn needs_edges(&self) -> bool {
        true
    }

    #[inline(always)]
    fn block_error(&mut self, data: &[f32], edges: &[f32], _levels: &[f32]) -> f32 {
        let mut py = self.prev_y;
        let mut sum = 0.0f32;
        for (&y, &e) in data.iter().zip(edges) {
            sum += e * (y - py) * self.inv_a2;
            py = y;
        }
        self.prev_y = py;
        sum
    }

    fn nominal_gain(&self) -> f64 {
        GARDNER_RC_GAIN
    }

    fn reset(&mut self) {
        self.prev_y = 0.0;
    }
}

/// Which detector a [`crate::cdr::Cdr`] runs, chosen at run time.
#[derive(Debug, Clone)]
pub enum Detector {
    /// [`MuellerMuller`].
    MuellerMuller(MuellerMuller),
    /// [`BangBang`].
    BangBang(BangBang),
    /// [`Gardner`].
    Gardner(Gardner),
}

impl Detector {
    /// Builds the detector named `mm` (linear Mueller–Müller), `mm_ss` (sign–sign,
    /// assumed slicer error rms 0.05·A), `bang_bang` (assumed crossing jitter 0.05 UI
    /// rms) or `gardner`, with slicer outer levels `±amplitude`.
    pub fn from_name(name: &str, amplitude: f32) -> Result<Detector> {
        Ok(match name {
            "mm" | "mueller_muller" => Detector::MuellerMuller(MuellerMuller::new(amplitude)?),
            "mm_ss" | "mm_sign_sign" => Detector::MuellerMuller(MuellerMuller::with_form(
                amplitude,
                MmForm::SignSign {
                    slicer_error_rms: 0.05,
                },
            )?),
            "bang_bang" | "bb" | "alexander" => Detector::BangBang(BangBang::new(amplitude, 0.05)?),
            "gardner" => Detector::Gardner(Gardner::new(amplitude)?),
            other => {
                return Err(Error::invalid(
                    "detector",
                    "one of mm, mm_ss, bang_bang, gardner",
                    other,
                ))
            }
        })
    }

    /// The linear Mueller–Müller detector, if that is what this is.
    pub(crate) fn mm_linear_mut(&mut self) -> Option<&mut MuellerMuller> {
        match self {
            Detector::MuellerMuller(d) if d.form == MmForm::Linear => Some(d),
            _ => None,
        }
    }

    /// The slicer's outer level the detector was built with.
    pub fn amplitude(&self) -> f32 {
        match self {
            Detector::MuellerMuller(d) => d.amplitude(),
            Detector::BangBang(d) => d.amplitude(),
            Detector::Gardner(d) => d.amplitude(),
        }
    }
}

impl TimingErrorDetector for Detector {
    fn needs_edges(&self) -> bool {
        match self {
            Detector::MuellerMuller(d) => d.needs_edges(),
            Detector::BangBang(d) => d.needs_edges(),
            Detector::Gardner(d) => d.needs_edges(),
        }
    }

    #[inline(always)]
    fn block_error(&mut self, data: &[f32], edges: &[f32], levels: &[f32]) -> f32 {
        match self {
            Detector::MuellerMuller(d) => d.block_error(data, edges, levels),
            Detector::BangBang(d) => d.block_error(data, edges, levels),
            Detector::Gardner(d) => d.block_error(data, edges, levels),
        }
    }

    fn nominal_gain(&self) -> f64 {
        match self {
            Detector::MuellerMuller(d) => d.nominal_gain(),
            Detector::BangBang(d) => d.nominal_gain(),
            Detector::Gardner(d) => d.nominal_gain(),
        }
    }

    fn reset(&mut self) {
        match self {
            Detector::MuellerMuller(d) => d.reset(),
            Detector::BangBang(d) => d.reset(),
            Detector::Gardner(d) => d.reset(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::{Rng, SeedableRng};
    use std::f64::consts::PI;

    /// The raised cosine of roll-off 0.5, written here from its closed form (not the
    /// waveform module's): `sinc(t)·cos(πt/2)/(1 − t²)`, `π/4·sinc(1)`-type limit at
    /// `|t| = 1` handled by the l'Hôpital value `sinc(t)·π/4`.
    fn rc(t: f64) -> f64 {
        let sinc = if t == 0.0 {
            1.0
        } else {
            (PI * t).sin() / (PI * t)
        };
        let den = 1.0 - t * t;
        if den.abs() < 1e-9 {
            sinc * PI / 4.0
        } else {
            sinc * (PI * t / 2.0).cos() / den
        }
    }

    /// Levels `(2s − 3)/3` of `n` equiprobable random symbols.
    fn levels(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        (0..n)
            .map(|_| (2.0 * rng.random_range(0..4u8) as f64 - 3.0) / 3.0)
            .collect()
    }

    /// The PAM4 signal `Σ_j a_j·p(t − j)` at `t` (UI), pulse truncated at ±24 UI.
    fn signal(a: &[f64], t: f64) -> f64 {
        let lo = (t - 24.0).ceil().max(0.0) as usize;
        let hi = ((t + 24.0).floor() as usize).min(a.len() - 1);
        (lo..=hi).map(|j| a[j] * rc(t - j as f64)).sum()
    }

    /// Mean error per symbol of `det` sampling symbol `n` at `n + tau` (+ Gaussian
    /// noise of rms `noise` on the data samples), symbols 30..n−30 of `a`.
    fn mean_error(det: &mut Detector, a: &[f64], tau: f64, noise: f64, seed: u64) -> f64 {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let gauss = |rng: &mut rand::rngs::StdRng| {
            // Box–Muller.
            let (u, v): (f64, f64) = (rng.random_range(1e-12..1.0), rng.random_range(0.0..1.0));
            (-2.0 * u.ln()).sqrt() * (2.0 * PI * v).cos()
        };
        let range = 30..a.len() - 30;
        let n = range.len();
        let data: Vec<f32> = range
            .clone()
            .map(|k| (signal(a, k as f64 + tau) + noise * gauss(&mut rng)) as f32)
            .collect();
        let edges: Vec<f32> = range
            .map(|k| signal(a, k as f64 - 0.5 + tau) as f32)
            .collect();
        let lv: Vec<f32> = data.iter().map(|&y| slice(y, 1.0).1).collect();
        det.reset();
        let mut sum = 0.0f64;
        for ((d, e), l) in data.chunks(16).zip(edges.chunks(16)).zip(lv.chunks(16)) {
            sum += det.block_error(d, e, l) as f64;
        }
        sum / n as f64
    }

    /// The slope of the mean error at zero offset, per UI (central difference).
    fn measured_gain(det: &mut Detector, a: &[f64], delta: f64, noise: f64) -> f64 {
        (mean_error(det, a, delta, noise, 1) - mean_error(det, a, -delta, noise, 1)) / (2.0 * delta)
    }

    fn d_rc(t: f64) -> f64 {
        let h = 1e-5;
        (rc(t + h) - rc(t - h)) / (2.0 * h)
    }

    #[test]
    fn late_sampling_gives_positive_errors() {
        let a = levels(4000, 3);
        for name in ["mm", "mm_ss", "bang_bang", "gardner"] {
            let mut det = Detector::from_name(name, 1.0).unwrap();
            let late = mean_error(&mut det, &a, 0.1, 0.0, 1);
            let early = mean_error(&mut det, &a, -0.1, 0.0, 1);
            assert!(
                late > 0.0 && early < 0.0,
                "{name}: late {late}, early {early}"
            );
            // Symmetric about the centre (the reference pulse is even).
            assert!(
                (late + early).abs() < 0.15 * late,
                "{name}: late {late}, early {early}"
            );
        }
    }

    #[test]
    fn linear_detectors_have_their_nominal_gains() {
        // Expected slopes from the closed forms, with p'(t) by finite differences of
        // the raised cosine written above: MM σ²·(p'(−1) − p'(1)); Gardner
        // σ²·d/dτ Σ_m p(m − ½ + τ)·(p(m + τ) − p(m − 1 + τ)).
        let s2 = 5.0 / 9.0;
        let mm_expect = s2 * (d_rc(-1.0) - d_rc(1.0));
        assert!(
            (mm_expect - 2.0 * s2 * PI / 4.0).abs() < 1e-6,
            "{mm_expect}"
        );
        let e_gardner = |tau: f64| -> f64 {
            (-40i32..=40)
                .map(|m| {
                    let m = m as f64;
                    rc(m - 0.5 + tau) * (rc(m + tau) - rc(m - 1.0 + tau))
                })
                .sum::<f64>()
                * s2
        };
        let g_expect = (e_gardner(1e-5) - e_gardner(-1e-5)) / 2e-5;
        let mm = Detector::from_name("mm", 1.0).unwrap();
        let g = Detector::from_name("gardner", 1.0).unwrap();
        assert!((mm.nominal_gain() / mm_expect - 1.0).abs() < 1e-6);
        // The constant is the sum above to the digits it quotes.
        assert!(
            (g.nominal_gain() / g_expect - 1.0).abs() < 1e-5,
            "{} vs {g_expect}",
            g.nominal_gain()
        );
        // And the detectors measured on a random PAM4 stream (the same symbols for
        // both offsets: the difference is the slope plus a sampling error of about
        // 1/√n).
        let a = levels(20_000, 5);
        for mut det in [mm, g] {
            let want = det.nominal_gain();
            let got = measured_gain(&mut det, &a, 0.01, 0.0);
            assert!((got / want - 1.0).abs() < 0.04, "{det:?}: {got} vs {want}");
        }
    }

    #[test]
    fn sign_sign_mm_gain_matches_its_noise_assumption() {
        // With Gaussian noise of the assumed rms (0.05·A) at the slicer, the slope of
        // the sign–sign detector is √(2/π)/σ·E|â|·2|p'(1)| (its nominal gain), up to
        // the residual ISI the small-offset model ignores.
        let a = levels(60_000, 7);
        let mut det = Detector::from_name("mm_ss", 1.0).unwrap();
        let want = det.nominal_gain();
        let sigma = 0.05;
        let expect = (2.0 / PI).sqrt() / sigma * (2.0 / 3.0) * 2.0 * (PI / 4.0);
        assert!((want / expect - 1.0).abs() < 1e-9);
        let got = measured_gain(&mut det, &a, 0.01, sigma);
        assert!((got / want - 1.0).abs() < 0.15, "{got} vs {want}");
    }

    #[test]
    fn bang_bang_counts_only_symmetric_transitions() {
        // Every pair of levels; an edge sample showing the new symbol (late).
        let lv = [-1.0f32, -1.0 / 3.0, 1.0 / 3.0, 1.0];
        for (i, &p) in lv.iter().enumerate() {
            for (j, &c) in lv.iter().enumerate() {
                let mut bb = BangBang::new(1.0, 0.05).unwrap();
                let e = bb.block_error(&[p, c], &[0.0, 0.1 * c.signum()], &[p, c]);
                let symmetric = i + j == 3;
                assert_eq!(e, if symmetric { 1.0 } else { 0.0 }, "{i} -> {j}");
                // Early: the edge still shows the old symbol.
                let mut bb = BangBang::new(1.0, 0.05).unwrap();
                let e = bb.block_error(&[p, c], &[0.0, 0.1 * p.signum()], &[p, c]);
                assert_eq!(e, if symmetric { -1.0 } else { 0.0 }, "{i} -> {j}");
            }
        }
    }

    #[test]
    fn bang_bang_gain_is_of_the_assumed_order() {
        // A bang-bang detector has no gain of its own: on the reference signal its
        // slope is set by the crossings' data-dependent jitter, which the default
        // assumption (0.05 UI rms) stands for. Within a factor of two.
        let a = levels(20_000, 9);
        let mut det = Detector::from_name("bang_bang", 1.0).unwrap();
        let want = det.nominal_gain();
        assert!((want - 0.5 / ((2.0 * PI).sqrt() * 0.05)).abs() < 1e-9);
        let got = measured_gain(&mut det, &a, 0.02, 0.0);
        assert!(got > 0.5 * want && got < 2.0 * want, "{got} vs {want}");
    }

    #[test]
    fn bad_arguments_are_errors_naming_them() {
        for bad in [0.0f32, -1.0, f32::NAN, f32::INFINITY] {
            assert!(MuellerMuller::new(bad)
                .unwrap_err()
                .to_string()
                .contains("`amplitude`"));
            assert!(Gardner::new(bad).is_err());
            assert!(BangBang::new(bad, 0.05).is_err());
        }
        assert!(BangBang::new(1.0, 0.0)
            .unwrap_err()
            .to_string()
            .contains("`jitter_rms_ui`"));
        assert!(MuellerMuller::with_form(
            1.0,
            MmForm::SignSign {
                slicer_error_rms: -1.0
            }
        )
        .unwrap_err()
        .to_string()
        .contains("`slicer_error_rms`"));
        assert!(Detector::from_name("pll", 1.0)
            .unwrap_err()
            .to_string()
            .contains("`detector`"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any split of a stream into blocks gives the same total error: exactly for
        /// the sign detectors (sums of small integers), to f32 rounding for the linear
        /// ones (the grouping of the sum changes).
        #[test]
        fn chunk_invariant(cuts in proptest::collection::vec(0usize..300, 0..10), seed in 0u64..1000, det in 0usize..4) {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let n = 300;
            let data: Vec<f32> = (0..n).map(|_| rng.random_range(-1.2f32..1.2)).collect();
            let edges: Vec<f32> = (0..n).map(|_| rng.random_range(-1.2f32..1.2)).collect();
            let lv: Vec<f32> = data.iter().map(|&y| slice(y, 1.0).1).collect();
            let name = ["mm", "mm_ss", "bang_bang", "gardner"][det];
            let mut whole = Detector::from_name(name, 1.0).unwrap();
            let want = whole.block_error(&data, &edges, &lv) as f64;
            let mut parts = Detector::from_name(name, 1.0).unwrap();
            let mut cuts = cuts;
            cuts.push(0);
            cuts.push(n);
            cuts.sort();
            let mut got = 0.0f64;
            let mut abs = 0.0f64;
            for w in cuts.windows(2) {
                let r = w[0]..w[1];
                let e = parts.block_error(&data[r.clone()], &edges[r.clone()], &lv[r]) as f64;
                got += e;
                abs += e.abs();
            }
            if det == 1 || det == 2 {
                prop_assert_eq!(got, want);
            } else {
                prop_assert!((got - want).abs() <= 1e-5 * (abs + want.abs() + n as f64), "{} vs {}", got, want);
            }
            // The carried state is the same too: one more block gives the same error.
            let more: Vec<f32> = vec![0.5, -0.9, 0.2];
            let more_l: Vec<f32> = more.iter().map(|&y| slice(y, 1.0).1).collect();
            prop_assert_eq!(
                whole.block_error(&more, &more, &more_l),
                parts.block_error(&more, &more, &more_l)
            );
        }
    }
}
