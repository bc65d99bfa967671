//! The figure of merit that Tx FIR and CTLE adaptation maximise: the SNR at the
//! decision point of a reference receiver (an MMSE FFE and a DFE, as in IEEE 802.3
//! Annex 93A/178A COM) for a symbol-spaced pulse response.
//!
//! For a pulse `p` (one sample per UI, main cursor at `main`) and an FFE `c` of `N`
//! taps with cursor `k`, the equalised pulse is `q = p ∗ c` with its main cursor at
//! `D = main + k`. A DFE of `B` taps cancels the post-cursors `F = {D+1, …, D+B}`.
//! The FFE minimises
//!
//! `σa²·Σ_{j∉F}(q_j − δ_{j,D})² + cᵀ·R·c`
//!
//! (`R` the Toeplitz covariance of the noise at the FFE input at UI lags; `[σ²]` is
//! white noise), the Wiener solution `(σa²·Σ_{j∉F} h_j h_jᵀ + R)·c = σa²·h_D` with
//! `h_j = (p[j], p[j−1], …, p[j−N+1])`. The figure of merit is the unbiased SNR
//!
//! `SNR = σa²·q_D² / (σa²·Σ_{j∉F, j≠D} q_j² + cᵀ·R·c)`,
//!
//! signal over residual ISI and noise, independent of the scale of `c`. With `N = 1`
//! it is the SNR of a plain slicer (and with `B > 0`, of a slicer after a DFE).

use super::solve::cholesky_solve;
use crate::error::{Error, Result};

/// A reference receiver: FFE length and cursor, DFE length, symbol power and noise.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceReceiver {
    /// FFE taps `N` (1..=64; 1: no FFE).
    pub ffe_taps: usize,
    /// Index of the FFE's main tap (`< ffe_taps`).
    pub ffe_cursor: usize,
    /// DFE taps `B` (0..=32): post-cursors `D+1..=D+B` are cancelled.
    pub dfe_taps: usize,
    /// Mean symbol power `σa²` (5/9 for PAM4 at ±1, ±1/3; 1 for NRZ).
    pub signal_power: f64,
    /// Noise autocorrelation at the FFE input at lags `0, T, 2T, …` (lags beyond
    /// the end are 0; `[σ²]` is white noise of variance `σ²`; empty: no noise).
    pub noise_acf: Vec<f64>,
}

/// What [`ReferenceReceiver::evaluate`] finds for one pulse.
#[derive(Debug, Clone, PartialEq)]
pub struct Merit {
    /// `10·log10` of the SNR at the decision point (see the [module docs](self)).
    pub snr_db: f64,
    /// The MMSE FFE taps (scaled so that the equalised main cursor is 1).
    pub ffe_taps: Vec<f64>,
    /// The equalised pulse `q = p ∗ c` (main cursor 1 at index `main + ffe_cursor`).
    pub equalised: Vec<f64>,
}

impl ReferenceReceiver {
    /// A slicer (no FFE, no DFE) with white noise of variance `noise_var` and PAM4
    /// symbols (`σa² = 5/9`).
    pub fn slicer(noise_var: f64) -> ReferenceReceiver {
        ReferenceReceiver {
            ffe_taps: 1,
            ffe_cursor: 0,
            dfe_taps: 0,
            signal_power: 5.0 / 9.0,
            noise_acf: vec![noise_var],
        }
    }

    /// An `ffe_taps`-tap MMSE FFE with its main tap at `ffe_cursor`, then
    /// `dfe_taps` DFE taps, white noise `noise_var`, PAM4 symbols.
    pub fn ffe_dfe(
        ffe_taps: usize,
        ffe_cursor: usize,
        dfe_taps: usize,
        noise_var: f64,
    ) -> ReferenceReceiver {
        ReferenceReceiver {
            ffe_taps,
            ffe_cursor,
            dfe_taps,
            signal_power: 5.0 / 9.0,
            noise_acf: vec![noise_var],
        }
    }

    /// Checks the fields; the error names the field and its allowed range.
    pub fn check(&self) -> Result<()> {
        if !(1..=64).contains(&self.ffe_taps) {
            return Err(Error::invalid("ffe_taps", "1..=64", self.ffe_taps));
        }
        if self.ffe_cursor >= self.ffe_taps {
            return Err(Error::invalid(
                "ffe_cursor",
                format!("0..={}", self.ffe_taps - 1),
                self.ffe_cursor,
            ));
        }
        if self.dfe_taps > 32 {
            return Err(Error::invalid("dfe_taps", "0..=32", self.dfe_taps));
        }
        if !(self.signal_power.is_finite() && self.signal_power > 0.0) {
            return Err(Error::invalid(
                "signal_power",
                "a finite power > 0",
                self.signal_power,
            ));
        }
        if let Some(&r0) = self.noise_acf.first() {
            if !(r0.is_finite() && r0 >= 0.0) {
                return Err(Error::invalid("noise_var", "a finite variance >= 0", r0));
            }
        }
        if let Some(&v) = self.noise_acf.iter().find(|v| !v.is_finite()) {
            return Err(Error::invalid("noise_acf", "finite values", v));
        }
        Ok(())
    }

    /// The SNR this receiver reaches on the symbol-spaced `pulse` whose main cursor
    /// is `pulse[main]`. Errors: bad fields (see [`ReferenceReceiver::check`]), an
    /// empty or non-finite pulse, `main` outside it, a zero main cursor.
    pub fn evaluate(&self, pulse: &[f64], main: usize) -> Result<Merit> {
        self.check()?;
        if pulse.is_empty() {
            return Err(Error::invalid("pulse", "at least 1 sample", 0));
        }
        if let Some(&v) = pulse.iter().find(|v| !v.is_finite()) {
            return Err(Error::invalid("pulse", "finite samples", v));
        }
        if main >= pulse.len() {
            return Err(Error::invalid(
                "cursor",
                format!("0..={} (inside the pulse)", pulse.len() - 1),
                main,
            ));
        }
        self.evaluate_unchecked(pulse, main)
    }

    /// [`ReferenceReceiver::evaluate`] without the argument checks (the searches
    /// check once and call this per candidate).
    pub(crate) fn evaluate_unchecked(&self, pulse: &[f64], main: usize) -> Result<Merit> {
        let n = self.ffe_taps;
        let sa = self.signal_power;
        let d = main + self.ffe_cursor;
        let len_q = pulse.len() + n - 1;
        let p = |j: usize, i: usize| -> f64 {
            j.checked_sub(i)
                .and_then(|t| pulse.get(t))
                .copied()
                .unwrap_or(0.0)
        };
        let r = |lag: usize| self.noise_acf.get(lag).copied().unwrap_or(0.0);
        // Σ_j h_j h_jᵀ over all rows is the Toeplitz autocorrelation of p; the
        // DFE's rows are then taken out (rank-B update).
        let acf: Vec<f64> = (0..n)
            .map(|lag| pulse.iter().skip(lag).zip(pulse).map(|(a, b)| a * b).sum())
            .collect();
        let mut a = vec![0.0f64; n * n];
        for i in 0..n {
            for j in 0..n {
                let mut v = acf[i.abs_diff(j)];
                for row in d + 1..=d + self.dfe_taps {
                    v -= p(row, i) * p(row, j);
                }
                a[i * n + j] = sa * v + r(i.abs_diff(j));
            }
            a[i * n + i] += 1e-12 * sa * acf[0];
        }
        let b: Vec<f64> = (0..n).map(|i| sa * p(d, i)).collect();
        let c = cholesky_solve(&mut a, &b, n).ok_or_else(|| {
            Error::invalid("pulse", "a pulse the FFE can equalise", "a singular system")
        })?;
        let q: Vec<f64> = (0..len_q)
            .map(|j| (0..n).map(|i| p(j, i) * c[i]).sum())
            .collect();
        let g = q[d];
        if !(g.is_finite() && g.abs() > 1e-12 * acf[0].sqrt()) {
            return Err(Error::invalid(
                "pulse",
                "a pulse with a non-zero main cursor",
                "zero at the decision point",
            ));
        }
        let isi: f64 = q
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != d && !(d + 1..=d + self.dfe_taps).contains(&j))
            .map(|(_, v)| v * v)
            .sum();
        let mut noise = 0.0;
        for (i, ci) in c.iter().enumerate() {
            for (k, ck) in c.iter().enumerate() {
                noise += ci * ck * r(i.abs_diff(k));
            }
        }
        let snr = sa * g * g / (sa * isi + noise).max(1e-300 * g * g);
        Ok(Merit {
            snr_db: 10.0 * snr.log10(),
            ffe_taps: c.iter().map(|v| v / g).collect(),
            equalised: q.iter().map(|v| v / g).collect(),
        })
    }
}

/// Index of the largest `|x|` (0 for an empty slice).
pub(crate) fn argmax_abs(x: &[f64]) -> usize {
    (0..x.len())
        .max_by(|&a, &b| x[a].abs().total_cmp(&x[b].abs()))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eq::{solve_ffe, SolveMethod};

    #[test]
    fn slicer_snr_is_signal_over_isi_and_noise() {
        let p = [0.1, 1.0, 0.5, -0.2];
        let rx = ReferenceReceiver::slicer(0.01);
        let m = rx.evaluate(&p, 1).unwrap();
        let sa = 5.0 / 9.0;
        let want = sa / (sa * (0.01 + 0.25 + 0.04) + 0.01);
        assert!(
            (m.snr_db - 10.0 * f64::log10(want)).abs() < 1e-9,
            "{}",
            m.snr_db
        );
        // a DFE tap removes the first post-cursor
        let rx = ReferenceReceiver::ffe_dfe(1, 0, 1, 0.01);
        let want = sa / (sa * (0.01 + 0.04) + 0.01);
        let m = rx.evaluate(&p, 1).unwrap();
        assert!((m.snr_db - 10.0 * f64::log10(want)).abs() < 1e-9);
    }

    #[test]
    fn ffe_agrees_with_solve_ffe_mmse() {
        // solve_ffe reports the biased MMSE SNR σa²/mse; unbiased = that − 1.
        let p = [0.05f32, 0.2, 1.0, 0.45, 0.2, 0.08, 0.02];
        let (nv, sa) = (0.003, 5.0 / 9.0);
        let s = solve_ffe(
            &p,
            9,
            2,
            1,
            SolveMethod::Mmse {
                noise_var: nv,
                signal_power: sa,
            },
        )
        .unwrap();
        let pd: Vec<f64> = p.iter().map(|&v| v as f64).collect();
        let m = ReferenceReceiver::ffe_dfe(9, 2, 0, nv)
            .evaluate(&pd, 2)
            .unwrap();
        let biased = 10f64.powf(s.snr_db / 10.0);
        let want = 10.0 * (biased - 1.0).log10();
        assert!((m.snr_db - want).abs() < 1e-6, "{} vs {want}", m.snr_db);
    }

    #[test]
    fn bad_fields_are_named() {
        let p = [1.0, 0.5];
        let e = |rx: ReferenceReceiver| rx.evaluate(&p, 0).unwrap_err().to_string();
        assert!(e(ReferenceReceiver::ffe_dfe(0, 0, 0, 0.0)).contains("ffe_taps"));
        assert!(e(ReferenceReceiver::ffe_dfe(3, 3, 0, 0.0)).contains("ffe_cursor"));
        assert!(e(ReferenceReceiver::ffe_dfe(3, 0, 33, 0.0)).contains("dfe_taps"));
        assert!(e(ReferenceReceiver::slicer(-1.0)).contains("noise_var"));
        let rx = ReferenceReceiver::slicer(0.0);
        assert!(rx
            .evaluate(&p, 2)
            .unwrap_err()
            .to_string()
            .contains("cursor"));
        assert!(rx
            .evaluate(&[1.0, f64::NAN], 0)
            .unwrap_err()
            .to_string()
            .contains("pulse"));
    }
}
