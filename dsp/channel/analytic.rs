//! Analytic channels, the built-in default when there is no Touchstone file:
//!
//! - [`LossyLine`]: a transmission line whose loss in dB is
//!   `L(f) = a·√(f/fN) + b·(f/fN)` — skin effect (`∝ √f`) plus dielectric loss
//!   (`∝ f`) — with `a + b` = the loss at the Nyquist frequency `fN = baud_hz/2`,
//!   and a **minimum phase** computed numerically (below);
//! - [`LowPass`]: first-order (RC) and second-order Butterworth low-pass filters in
//!   closed form;
//! - [`Reflection`]: an optional package/connector echo, a second copy of the
//!   signal, attenuated and delayed: `H·(1 + r·e^{−j2πfτ})`.
//!
//! # Skin / dielectric split
//!
//! The default [`DEFAULT_SKIN_FRACTION`] = 0.3 puts 30 % of the Nyquist loss in the
//! skin-effect term and 70 % in the dielectric term, typical of a long PCB trace
//! at 50+ GBd (where the dielectric loss dominates); [`LossyLine::with_skin_fraction`]
//! changes it.
//!
//! # Minimum phase
//!
//! A passive line's phase is fixed by its loss (Kramers–Kronig) up to a pure delay.
//! The phase is the Hilbert transform of `ln|H|`, computed by the folded real cepstrum
//! (Oppenheim & Schafer, *Discrete-Time Signal Processing*, §5.6 / 13.5): on `N`
//! uniform bins of `[0, fs)` the cepstrum `c = IFFT(ln|H|)` is folded onto
//! positive times (`c[0]`, `2c[k]` for `0 < k < N/2`, `c[N/2]`, zeros after), and
//! `H_min = exp(FFT(c_folded))`. The cepstrum is computed on a grid
//! [`CEPSTRUM_OVERSAMPLING`] times finer than the response's (at least `2^16`
//! points) so that its time aliasing is negligible, then read back at the
//! response's bins. A pure delay can be added on top ([`crate::channel::Channel::with_delay`]).

use crate::error::{Error, Result};
use num_complex::Complex64;
use realfft::RealFftPlanner;
use std::f64::consts::{LN_10, TAU};

/// Fraction of the Nyquist loss in the skin-effect (`√f`) term by default.
pub const DEFAULT_SKIN_FRACTION: f64 = 0.3;

/// The largest loss at Nyquist a [`LossyLine`] takes, in dB.
pub const MAX_LOSS_DB: f64 = 100.0;

/// The cepstrum grid is at least this many times finer than the response's.
pub const CEPSTRUM_OVERSAMPLING: usize = 4;

/// A lossy transmission line given by its loss at Nyquist (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LossyLine {
    loss_db: f64,
    baud_hz: f64,
    skin_fraction: f64,
}

impl LossyLine {
    /// A line with `loss_db` (finite, 0..=[`MAX_LOSS_DB`]) of insertion loss at
    /// `baud_hz / 2` (`baud_hz` the symbol rate, finite and > 0), split
    /// [`DEFAULT_SKIN_FRACTION`] skin / the rest dielectric.
    pub fn new(loss_db: f64, baud_hz: f64) -> Result<LossyLine> {
        if !(loss_db.is_finite() && (0.0..=MAX_LOSS_DB).contains(&loss_db)) {
            return Err(Error::invalid(
                "loss_db",
                format!("a finite loss in 0..={MAX_LOSS_DB} dB"),
                loss_db,
            ));
        }
        if !(baud_hz.is_finite() && baud_hz > 0.0) {
            return Err(Error::invalid("baud_hz", "a finite rate > 0 Hz", baud_hz));
        }
        Ok(LossyLine {
            loss_db,
            baud_hz,
            skin_fraction: DEFAULT_SKIN_FRACTION,
        })
    }

    /// The same line with `skin_fraction` (0..=1) of the Nyquist loss in the `√f`
    /// term and the rest in the `f` term.
    pub fn with_skin_fraction(mut self, skin_fraction: f64) -> Result<LossyLine> {
        if !(0.0..=1.0).contains(&skin_fraction) {
            return Err(Error::invalid("skin_fraction", "0..=1", skin_fraction));
        }
        self.skin_fraction = skin_fraction;
        Ok(self)
    }

    /// Loss at Nyquist in dB.
    pub fn loss_db(&self) -> f64 {
        self.loss_db
    }

    /// Symbol rate in Hz.
    pub fn baud_hz(&self) -> f64 {
        self.baud_hz
    }

    /// Fraction of the Nyquist loss in the skin-effect term.
    pub fn skin_fraction(&self) -> f64 {
        self.skin_fraction
    }

    /// Insertion loss `L(f) = a·√(f/fN) + b·(f/fN)` in dB at `|f_hz|`.
    pub fn loss_db_at(&self, f_hz: f64) -> f64 {
        let x = f_hz.abs() / (self.baud_hz / 2.0);
        self.loss_db * (self.skin_fraction * x.sqrt() + (1.0 - self.skin_fraction) * x)
    }

    /// The minimum-phase response on the bins `k·fs/n`, `k = 0 ..= n/2` (module doc).
    pub(crate) fn spectrum(&self, n: usize, fs: f64) -> Vec<Complex64> {
        let r = CEPSTRUM_OVERSAMPLING.max((1usize << 16).div_ceil(n).next_power_of_two());
        let big = n * r;
        let df = fs / big as f64;
        let log_mag: Vec<f64> = (0..=big / 2)
            .map(|k| -self.loss_db_at(k as f64 * df) * LN_10 / 20.0)
            .collect();
        let h = minimum_phase(&log_mag, big);
        (0..=n / 2).map(|k| h[k * r]).collect()
    }
}

/// `exp` of the analytic signal of `ln|H|`: the minimum-phase response with
/// magnitude `exp(log_mag)` on the bins `0 ..= n/2` of an `n`-point grid (`n` even).
pub fn minimum_phase(log_mag: &[f64], n: usize) -> Vec<Complex64> {
    debug_assert_eq!(log_mag.len(), n / 2 + 1);
    let mut planner = RealFftPlanner::<f64>::new();
    let inv = planner.plan_fft_inverse(n);
    let fwd = planner.plan_fft_forward(n);
    let mut spec: Vec<Complex64> = log_mag.iter().map(|&v| Complex64::new(v, 0.0)).collect();
    let mut cep = inv.make_output_vec();
    inv.process(&mut spec, &mut cep)
        .expect("lengths come from the plan");
    let scale = 1.0 / n as f64;
    let half = n / 2;
    for (k, c) in cep.iter_mut().enumerate() {
        *c *= scale
            * if k == 0 || (k == half && n.is_multiple_of(2)) {
                1.0
            } else if k < half || (k == half && !n.is_multiple_of(2)) {
                2.0
            } else {
                0.0
            };
    }
    let mut out = fwd.make_output_vec();
    fwd.process(&mut cep, &mut out)
        .expect("lengths come from the plan");
    out.iter().map(|c| c.exp()).collect()
}

/// A low-pass filter in closed form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LowPass {
    order: u8,
    f3db_hz: f64,
}

impl LowPass {
    /// A low-pass of `order` 1 (`1/(1 + jf/f3)`, an RC) or 2 (Butterworth,
    /// `1/(1 − (f/f3)² + j√2·f/f3)`), −3 dB at `f3db_hz` (finite, > 0).
    pub fn new(order: u8, f3db_hz: f64) -> Result<LowPass> {
        if !(order == 1 || order == 2) {
            return Err(Error::invalid("order", "1 or 2", order));
        }
        if !(f3db_hz.is_finite() && f3db_hz > 0.0) {
            return Err(Error::invalid(
                "f3db_hz",
                "a finite frequency > 0 Hz",
                f3db_hz,
            ));
        }
        Ok(LowPass { order, f3db_hz })
    }

    /// The filter order (1 or 2).
    pub fn order(&self) -> u8 {
        self.order
    }

    /// The −3 dB frequency in Hz.
    pub fn f3db_hz(&self) -> f64 {
        self.f3db_hz
    }

    /// `H(f)` at `f_hz`.
    pub fn response(&self, f_hz: f64) -> Complex64 {
        let x = f_hz / self.f3db_hz;
        let one = Complex64::new(1.0, 0.0);
        match self.order {
            1 => one / Complex64::new(1.0, x),
            _ => one / Complex64::new(1.0 - x * x, std::f64::consts::SQRT_2 * x),
        }
    }
}

/// A reflection (package, connector): the signal plus an echo `amplitude` times as
/// large arriving `delay_s` later, `H·(1 + r·e^{−j2πfτ})`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reflection {
    amplitude: f64,
    delay_s: f64,
}

impl Reflection {
    /// An echo of `amplitude` (finite, `|r| < 1`; the product of the two reflection
    /// coefficients, negative for an inverted echo) after `delay_s` (finite, ≥ 0 s:
    /// the round trip between the two discontinuities).
    pub fn new(amplitude: f64, delay_s: f64) -> Result<Reflection> {
        if !(amplitude.is_finite() && amplitude.abs() < 1.0) {
            return Err(Error::invalid(
                "amplitude",
                "a finite value in (-1, 1)",
                amplitude,
            ));
        }
        if !(delay_s.is_finite() && delay_s >= 0.0) {
            return Err(Error::invalid("delay_s", "a finite delay >= 0 s", delay_s));
        }
        Ok(Reflection { amplitude, delay_s })
    }

    /// The echo amplitude.
    pub fn amplitude(&self) -> f64 {
        self.amplitude
    }

    /// The echo delay in seconds.
    pub fn delay_s(&self) -> f64 {
        self.delay_s
    }

    /// The factor `1 + r·e^{−j2πfτ}` at `f_hz`.
    pub fn factor(&self, f_hz: f64) -> Complex64 {
        Complex64::new(1.0, 0.0) + Complex64::from_polar(self.amplitude, -TAU * f_hz * self.delay_s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loss_at_nyquist_is_the_requested_loss() {
        for split in [0.0, 0.3, 1.0] {
            let l = LossyLine::new(28.0, 53.125e9)
                .unwrap()
                .with_skin_fraction(split)
                .unwrap();
            assert!((l.loss_db_at(26.5625e9) - 28.0).abs() < 1e-12);
            // Skin: √4 = 2 times the skin share at 4·fN; dielectric: 4 times its share.
            let want = 28.0 * (split * 2.0 + (1.0 - split) * 4.0);
            assert!((l.loss_db_at(4.0 * 26.5625e9) - want).abs() < 1e-9);
        }
    }

    #[test]
    fn minimum_phase_of_a_known_minimum_phase_filter() {
        // H(f) = 1 / (1 − a e^{−j2πk/n}) is minimum phase for |a| < 1: the cepstral
        // route must return its phase from its magnitude alone.
        let n = 1 << 12;
        let a = 0.6;
        let exact: Vec<Complex64> = (0..=n / 2)
            .map(|k| {
                let z = Complex64::from_polar(1.0, -TAU * k as f64 / n as f64);
                Complex64::new(1.0, 0.0) / (Complex64::new(1.0, 0.0) - a * z)
            })
            .collect();
        let log_mag: Vec<f64> = exact.iter().map(|c| c.norm().ln()).collect();
        let h = minimum_phase(&log_mag, n);
        for (g, w) in h.iter().zip(&exact) {
            assert!((g - w).norm() < 1e-9, "{g} vs {w}");
        }
    }

    #[test]
    fn low_pass_is_3_db_down_at_f3db() {
        for order in [1, 2] {
            let lp = LowPass::new(order, 10e9).unwrap();
            let db = 20.0 * lp.response(10e9).norm().log10();
            assert!((db + 3.0103).abs() < 1e-3, "order {order}: {db}");
        }
    }

    #[test]
    fn bad_parameters_are_errors_naming_the_argument() {
        for bad in [f64::NAN, -1.0, 1e3, f64::INFINITY] {
            let e = LossyLine::new(bad, 53e9).unwrap_err().to_string();
            assert!(e.contains("`loss_db`"), "{e}");
        }
        assert!(LossyLine::new(10.0, 0.0)
            .unwrap_err()
            .to_string()
            .contains("`baud_hz`"));
        assert!(LossyLine::new(10.0, 1e9)
            .unwrap()
            .with_skin_fraction(1.5)
            .is_err());
        assert!(LowPass::new(3, 1e9)
            .unwrap_err()
            .to_string()
            .contains("`order`"));
        assert!(LowPass::new(1, f64::NAN)
            .unwrap_err()
            .to_string()
            .contains("`f3db_hz`"));
        assert!(Reflection::new(1.0, 1e-9)
            .unwrap_err()
            .to_string()
            .contains("`amplitude`"));
        assert!(Reflection::new(0.1, -1e-9)
            .unwrap_err()
            .to_string()
            .contains("`delay_s`"));
    }
}
