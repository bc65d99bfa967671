//! Oversampled PAM4 test waveforms with controlled timing: what a CDR is tested and
//! characterised on.
//!
//! Symbol `k` (level `(2s − 3)/3` of `s ∈ 0..=3`, i.e. −1, −1/3, +1/3, +1) is a
//! pulse centred at `k + τ_k` UI, `τ_k` given by a timing function; the waveform is
//! sampled at `j / samples_per_ui` UI, `j = 0 … symbols·samples_per_ui − 1`. The pulse
//! is a raised cosine (Nyquist: no inter-symbol interference at the centres when
//! `τ` is constant), truncated to `±span_ui`. A constant `τ` is a delay; `τ_k = k·δ`
//! is a frequency offset (`δ = 1/(1 + ppm·1e−6) − 1`); `τ_k = A·sin(2π·f·k/baud + φ)`
//! is sinusoidal jitter (SJ) of amplitude `A` UI (peak, `2A` peak to peak).

use crate::error::{Error, Result};
use std::f64::consts::PI;

/// A raised-cosine pulse `p(t) = sinc(t)·cos(πβt)/(1 − 4β²t²)` (t in UI), truncated
/// to `|t| < span_ui`.
///
/// ```
/// use serdes_dsp::cdr::waveform::RaisedCosine;
/// let p = RaisedCosine::new(0.5, 16).unwrap();
/// assert_eq!(p.value(0.0), 1.0);
/// assert!(p.value(1.0).abs() < 1e-12 && p.value(-3.0).abs() < 1e-12);
/// assert!((p.value(1.0 / (2.0 * 0.5)) - 0.0).abs() < 1e-12); // the removable singularity at 1/(2β)
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RaisedCosine {
    rolloff: f64,
    span_ui: usize,
    /// `p` tabulated every `1/TABLE_PER_UI` UI over `[−span, span]`, for the
    /// generator's inner loop (linear interpolation, error below 1e−7).
    table: Vec<f64>,
}

const TABLE_PER_UI: usize = 2048;

impl RaisedCosine {
    /// Roll-off `rolloff` in `[0, 1]`, truncated to `span_ui` UI each side (1..=64).
    pub fn new(rolloff: f64, span_ui: usize) -> Result<RaisedCosine> {
        if !(0.0..=1.0).contains(&rolloff) {
            return Err(Error::invalid("rolloff", "0 <= rolloff <= 1", rolloff));
        }
        if !(1..=64).contains(&span_ui) {
            return Err(Error::invalid("span_ui", "1..=64", span_ui));
        }
        let mut p = RaisedCosine {
            rolloff,
            span_ui,
            table: Vec::new(),
        };
        let n = 2 * span_ui * TABLE_PER_UI + 2;
        p.table = (0..n)
            .map(|i| p.value(i as f64 / TABLE_PER_UI as f64 - span_ui as f64))
            .collect();
        Ok(p)
    }

    /// The reference pulse of the detectors' nominal gains: roll-off 0.5, ±16 UI.
    pub fn reference() -> RaisedCosine {
        RaisedCosine::new(0.5, 16).expect("valid constants")
    }

    /// The roll-off factor β.
    pub fn rolloff(&self) -> f64 {
        self.rolloff
    }

    /// Half the truncation span, UI.
    pub fn span_ui(&self) -> usize {
        self.span_ui
    }

    /// `p(t)`, `t` in UI, zero for `|t| ≥ span_ui`.
    pub fn value(&self, t: f64) -> f64 {
        if t.abs() >= self.span_ui as f64 {
            return 0.0;
        }
        let b = self.rolloff;
        let sinc = if t == 0.0 {
            1.0
        } else {
            (PI * t).sin() / (PI * t)
        };
        let d = 1.0 - 4.0 * b * b * t * t;
        if d.abs() < 1e-10 {
            // The limit at |t| = 1/(2β): (π/4)·sinc(1/(2β)).
            PI / 4.0 * sinc
        } else {
            sinc * (PI * b * t).cos() / d
        }
    }

    #[inline]
    fn fast(&self, t: f64) -> f64 {
        let u = (t + self.span_ui as f64) * TABLE_PER_UI as f64;
        if u <= 0.0 || u >= (self.table.len() - 2) as f64 {
            return 0.0;
        }
        let i = u as usize;
        let f = u - i as f64;
        self.table[i] + (self.table[i + 1] - self.table[i]) * f
    }
}

/// The timing of the symbols: `τ_k` in UI for symbol `k` (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// Constant delay, UI.
    pub delay_ui: f64,
    /// Data-rate offset in ppm (positive: data faster than nominal, shorter UI).
    pub ppm: f64,
    /// Sinusoidal jitter amplitude, UI (peak).
    pub sj_amplitude_ui: f64,
    /// Sinusoidal jitter frequency as a fraction of the baud rate (`f_SJ / f_baud`).
    pub sj_frequency_per_ui: f64,
    /// Sinusoidal jitter phase at symbol 0, radians.
    pub sj_phase: f64,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            delay_ui: 0.0,
            ppm: 0.0,
            sj_amplitude_ui: 0.0,
            sj_frequency_per_ui: 0.0,
            sj_phase: 0.0,
        }
    }
}

impl Timing {
    /// `τ_k` in UI.
    pub fn offset_ui(&self, k: usize) -> f64 {
        let k = k as f64;
        self.delay_ui
            + k * (1.0 / (1.0 + self.ppm * 1e-6) - 1.0)
            + self.sj_amplitude_ui * (2.0 * PI * self.sj_frequency_per_ui * k + self.sj_phase).sin()
    }
}

/// The oversampled waveform of PAM4 `symbols` (each `0..=3`) at `samples_per_ui`
/// (2..=256) samples per UI, symbol `k` centred at `k + timing(k)` UI, through `pulse`.
///
/// `timing` must be finite and change by less than half a UI from one symbol to the
/// next. Returns `symbols.len() · samples_per_ui` samples.
///
/// ```
/// use serdes_dsp::cdr::waveform::{pam4_waveform, RaisedCosine};
/// let x = pam4_waveform(&[0, 3, 1, 2], 4, |_| 0.0, &RaisedCosine::reference()).unwrap();
/// assert_eq!(x.len(), 16);
/// // No ISI at the symbol centres of a Nyquist pulse.
/// assert!((x[4] - 1.0).abs() < 1e-6 && (x[8] + 1.0 / 3.0).abs() < 1e-6);
/// ```
pub fn pam4_waveform(
    symbols: &[u8],
    samples_per_ui: usize,
    timing: impl Fn(usize) -> f64,
    pulse: &RaisedCosine,
) -> Result<Vec<f32>> {
    crate::error::check_max_u8("symbols", symbols, 3)?;
    if !(2..=256).contains(&samples_per_ui) {
        return Err(Error::invalid("samples_per_ui", "2..=256", samples_per_ui));
    }
    let n = symbols.len() * samples_per_ui;
    let mut acc = vec![0.0f64; n];
    let sps = samples_per_ui as f64;
    let span = pulse.span_ui() as f64;
    for (k, &s) in symbols.iter().enumerate() {
        let tau = timing(k);
        if !tau.is_finite() {
            return Err(Error::invalid("timing", "finite offsets in UI", tau));
        }
        let level = (2.0 * s as f64 - 3.0) / 3.0;
        let c = k as f64 + tau; // centre, UI
        let lo = (((c - span) * sps).ceil()).max(0.0) as usize;
        let hi = (((c + span) * sps).floor() as i64 + 1).clamp(0, n as i64) as usize;
        for (j, a) in acc.iter_mut().enumerate().take(hi).skip(lo) {
            *a += level * pulse.fast(j as f64 / sps - c);
        }
    }
    Ok(acc.into_iter().map(|v| v as f32).collect())
}

/// Equiprobable pseudo-random PAM4 symbols from PRBS31Q (802.3 Clause 120), the seed
/// reduced into the PRBS31 register range; the same seed gives the same symbols.
pub fn random_symbols(n: usize, seed: u64) -> Vec<u8> {
    let state = seed % ((1u64 << 31) - 1) + 1;
    let mut g = crate::signal::pattern::Prbs31Q::new(state).expect("seed in 1..2^31-1");
    let mut out = vec![0u8; n];
    g.fill_symbols(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pulse_is_nyquist_and_table_matches() {
        for &b in &[0.0, 0.25, 0.5, 1.0] {
            let p = RaisedCosine::new(b, 8).unwrap();
            assert!((p.value(0.0) - 1.0).abs() < 1e-15);
            for k in 1..8 {
                assert!(p.value(k as f64).abs() < 1e-12, "β {b} at {k}");
            }
            for i in 0..1000 {
                let t = -7.9 + i as f64 * 0.0158;
                assert!((p.fast(t) - p.value(t)).abs() < 2e-7, "β {b} at {t}");
            }
        }
        // β = 1 at t = ½: the singular point, (π/4)·sinc(½) = (π/4)(2/π) = 1/2.
        assert!((RaisedCosine::new(1.0, 4).unwrap().value(0.5) - 0.5).abs() < 1e-12);
        assert!(RaisedCosine::new(1.5, 4).is_err());
    }

    #[test]
    fn waveform_samples_are_the_shifted_pulse_sum() {
        let p = RaisedCosine::new(0.35, 12).unwrap();
        let sym = random_symbols(64, 5);
        let t = Timing {
            delay_ui: 0.3,
            sj_amplitude_ui: 0.2,
            sj_frequency_per_ui: 0.01,
            ..Timing::default()
        };
        let x = pam4_waveform(&sym, 8, |k| t.offset_ui(k), &p).unwrap();
        for j in [0usize, 77, 256, 400, 511] {
            let tj = j as f64 / 8.0;
            let want: f64 = sym
                .iter()
                .enumerate()
                .map(|(k, &s)| {
                    (2.0 * s as f64 - 3.0) / 3.0 * p.value(tj - k as f64 - t.offset_ui(k))
                })
                .sum();
            assert!((x[j] as f64 - want).abs() < 1e-5, "{j}: {} vs {want}", x[j]);
        }
        assert!(pam4_waveform(&[4], 8, |_| 0.0, &p).is_err());
        assert!(pam4_waveform(&[1], 1, |_| 0.0, &p).is_err());
        assert!(pam4_waveform(&[1], 8, |_| f64::NAN, &p).is_err());
    }

    #[test]
    fn random_symbols_are_equiprobable_and_seeded() {
        let s = random_symbols(40_000, 9);
        assert_eq!(s, random_symbols(40_000, 9));
        assert_ne!(s, random_symbols(40_000, 10));
        for v in 0..4u8 {
            let c = s.iter().filter(|&&x| x == v).count() as f64 / 40_000.0;
            assert!((c - 0.25).abs() < 0.01, "{v}: {c}");
        }
    }
}
