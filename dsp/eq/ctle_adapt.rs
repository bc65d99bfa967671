//! Choosing the CTLE's gains for a channel, as COM does (IEEE 802.3 Annex 93A.1.6,
//! 178A): every `(gDC, gDC2)` of a [`CtleGrid`] is applied to the pulse response,
//! and the pair whose [`ReferenceReceiver`] SNR is highest is kept.
//!
//! For one candidate: the oversampled pulse (`M` samples per UI, zero-padded by
//! [`CTLE_TAIL_UI`] UI for the CTLE's tail, to a power of two `n`) is multiplied
//! bin by bin by the exact analog `H(f)` of Annex 93A (as
//! [`Ctle::apply_to_impulse_response`] does); it is sampled once per UI at the phase
//! of its largest sample; white noise of variance `σ²` per sample at the CTLE input
//! reaches the sampler with the autocorrelation `R(mT) = (σ²/n)·Σ_k |H(f_k)|²·cos(2πk·mM/n)`
//! (the CTLE as the `n`-periodic filter that it is on the pulse), which the
//! receiver's MMSE FFE sees as coloured noise.
//!
//! The link (`link/analog.rs`) makes the same kind of choice with its own front end
//! and CDR constraint; this is the stand-alone form for a pulse.

use super::ctle::fft;
use super::merit::{argmax_abs, Merit, ReferenceReceiver};
use super::{Ctle, CtleParams};
use crate::error::{check_finite, Error, Result};
use std::f64::consts::PI;

/// Zero padding after the pulse for the CTLE's tail (its low-frequency pole at
/// `fb/80` decays with a time constant of about 13 UI), in UI.
pub const CTLE_TAIL_UI: usize = 128;

/// The gains a CTLE search scans, dB.
#[derive(Debug, Clone, PartialEq)]
pub struct CtleGrid {
    g_dc_db: Vec<f64>,
    g_dc2_db: Vec<f64>,
}

/// One point of a CTLE search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CtleCandidate {
    /// `gDC`, dB.
    pub g_dc_db: f64,
    /// `gDC2`, dB.
    pub g_dc2_db: f64,
    /// The receiver's SNR with these gains, dB (`−∞` if the pulse vanished).
    pub snr_db: f64,
}

/// What a CTLE search chose.
#[derive(Debug, Clone)]
pub struct CtleAdapted {
    /// The chosen parameters (the template's frequencies, the best gains).
    pub params: CtleParams,
    /// The receiver's SNR with them, dB.
    pub snr_db: f64,
    /// The equalised pulse sampled once per UI at `phase`.
    pub pulse: Vec<f64>,
    /// Index of its main cursor.
    pub cursor: usize,
    /// Index (in samples of the oversampled input) of the sampling instant of the
    /// main cursor: the largest sample of the equalised pulse.
    pub phase: usize,
    /// The receiver's FFE taps and equalised pulse for the chosen gains.
    pub merit: Merit,
    /// Every grid point with its SNR, `gDC2` fastest.
    pub table: Vec<CtleCandidate>,
}

impl CtleGrid {
    /// The grid of every `g_dc_db × g_dc2_db` pair: 1 to 256 values each, within
    /// the CTLE's ranges (`−20 ≤ gDC ≤ 0`, `−6 ≤ gDC2 ≤ 0`). Errors name the argument.
    pub fn new(g_dc_db: &[f64], g_dc2_db: &[f64]) -> Result<CtleGrid> {
        for (name, v, lo) in [("g_dc_db", g_dc_db, -20.0), ("g_dc2_db", g_dc2_db, -6.0)] {
            if v.is_empty() || v.len() > 256 {
                return Err(Error::invalid(name, "1 to 256 gains", v.len()));
            }
            if let Some(&g) = v
                .iter()
                .find(|g| !(g.is_finite() && (lo..=0.0).contains(*g)))
            {
                return Err(Error::invalid(name, format!("gains in [{lo}, 0] dB"), g));
            }
        }
        Ok(CtleGrid {
            g_dc_db: g_dc_db.to_vec(),
            g_dc2_db: g_dc2_db.to_vec(),
        })
    }

    /// 802.3ck (COM 3.70 sheets, as the link's `rx.ctle.auto` scans them):
    /// `gDC ∈ {0, −1, …, −20}`, `gDC2 ∈ {0, −1, …, −6}` dB.
    pub fn ieee_802_3ck() -> CtleGrid {
        let g: Vec<f64> = (0..=20).map(|i| -(i as f64)).collect();
        let g2: Vec<f64> = (0..=6).map(|i| -(i as f64)).collect();
        CtleGrid::new(&g, &g2).expect("valid grid")
    }

    /// 802.3dj (Annex 178A COM as configured in PyChOpMarg
    /// `config/ieee_8023dj.py`): `gDC ∈ {0, −1, …, −15}`, `gDC2 ∈ {0, −0.5, …, −5}` dB.
    pub fn ieee_802_3dj() -> CtleGrid {
        let g: Vec<f64> = (0..=15).map(|i| -(i as f64)).collect();
        let g2: Vec<f64> = (0..=10).map(|i| -(i as f64) / 2.0).collect();
        CtleGrid::new(&g, &g2).expect("valid grid")
    }

    /// The `gDC` values, dB.
    pub fn g_dc_db(&self) -> &[f64] {
        &self.g_dc_db
    }

    /// The `gDC2` values, dB.
    pub fn g_dc2_db(&self) -> &[f64] {
        &self.g_dc2_db
    }
}

impl CtleParams {
    /// Chooses the gains of `grid` (this template's frequencies) that maximise
    /// `rx`'s SNR for `pulse`, the pulse response at the CTLE input sampled at
    /// `samples_per_ui` samples per UI of `baud_hz`. `rx.noise_acf` is white noise
    /// at the CTLE *input*: `[σ²]` per sample (or empty: none). Errors name the
    /// argument: an empty or non-finite pulse, `samples_per_ui` outside 1..=256,
    /// `baud_hz` not finite and positive, coloured `noise_acf`, a bad receiver.
    pub fn adapt(
        &self,
        pulse: &[f32],
        samples_per_ui: usize,
        baud_hz: f64,
        grid: &CtleGrid,
        rx: &ReferenceReceiver,
    ) -> Result<CtleAdapted> {
        if pulse.is_empty() {
            return Err(Error::invalid("pulse", "at least 1 sample", 0));
        }
        check_finite("pulse", pulse)?;
        if pulse.iter().all(|&v| v == 0.0) {
            return Err(Error::invalid("pulse", "a non-zero pulse", "all zeros"));
        }
        let m = samples_per_ui;
        if !(1..=256).contains(&m) {
            return Err(Error::invalid("samples_per_ui", "1..=256", m));
        }
        if !(baud_hz.is_finite() && baud_hz > 0.0) {
            return Err(Error::invalid("baud_hz", "a finite rate > 0 Hz", baud_hz));
        }
        rx.check()?;
        if rx.noise_acf.iter().skip(1).any(|&v| v != 0.0) {
            return Err(Error::invalid(
                "noise_acf",
                "white noise at the CTLE input (one value, sigma^2 per sample)",
                format!("{} lags", rx.noise_acf.len()),
            ));
        }
        let sigma2 = rx.noise_acf.first().copied().unwrap_or(0.0);
        let len = pulse.len() + CTLE_TAIL_UI * m;
        let n = len.next_power_of_two();
        let mut xr = vec![0.0f64; n];
        let mut xi = vec![0.0f64; n];
        for (r, &v) in xr.iter_mut().zip(pulse) {
            *r = v as f64;
        }
        fft(&mut xr, &mut xi, false);
        let df = baud_hz * m as f64 / n as f64;
        let n_acf = rx.ffe_taps;

        let mut table = Vec::with_capacity(grid.g_dc_db.len() * grid.g_dc2_db.len());
        let mut best: Option<(CtleParams, Merit, Vec<f64>, usize, usize)> = None;
        let (mut re, mut im) = (vec![0.0f64; n], vec![0.0f64; n]);
        for &g in &grid.g_dc_db {
            for &g2 in &grid.g_dc2_db {
                let params = CtleParams {
                    g_dc_db: g,
                    g_dc2_db: g2,
                    ..*self
                };
                let mut power = vec![0.0f64; n / 2 + 1];
                for k in 0..=n / 2 {
                    let h = params.response(k as f64 * df);
                    power[k] = h.0 * h.0 + h.1 * h.1;
                    let v = (xr[k] * h.0 - xi[k] * h.1, xr[k] * h.1 + xi[k] * h.0);
                    re[k] = v.0;
                    im[k] = v.1;
                    if k > 0 && k < n / 2 {
                        re[n - k] = v.0;
                        im[n - k] = -v.1;
                    }
                }
                im[n / 2] = 0.0;
                if n == 1 {
                    im[0] = 0.0;
                }
                fft(&mut re, &mut im, true);
                let p: Vec<f64> = re[..len].iter().map(|v| v / n as f64).collect();
                let peak = argmax_abs(&p);
                let pre = peak / m;
                let ui: Vec<f64> = (peak - pre * m..len).step_by(m).map(|i| p[i]).collect();
                let acf: Vec<f64> = (0..n_acf)
                    .map(|lag| {
                        let mut s = power[0];
                        for (k, &pk) in power.iter().enumerate().take(n / 2).skip(1) {
                            s += 2.0 * pk * (2.0 * PI * (k * lag * m % n) as f64 / n as f64).cos();
                        }
                        if n > 1 {
                            s += power[n / 2]
                                * if (lag * m).is_multiple_of(2) {
                                    1.0
                                } else {
                                    -1.0
                                };
                        }
                        sigma2 * s / n as f64
                    })
                    .collect();
                let r = ReferenceReceiver {
                    noise_acf: acf,
                    ..rx.clone()
                };
                let merit = r.evaluate_unchecked(&ui, pre).ok();
                let snr = merit.as_ref().map_or(f64::NEG_INFINITY, |m| m.snr_db);
                table.push(CtleCandidate {
                    g_dc_db: g,
                    g_dc2_db: g2,
                    snr_db: snr,
                });
                if let Some(merit) = merit {
                    if best.as_ref().is_none_or(|b| snr > b.1.snr_db) {
                        best = Some((params, merit, ui, pre, peak));
                    }
                }
            }
        }
        let (params, merit, ui, cursor, phase) = best.ok_or_else(|| {
            Error::invalid(
                "pulse",
                "a pulse that some CTLE setting of the grid leaves equalisable",
                "none",
            )
        })?;
        Ok(CtleAdapted {
            params,
            snr_db: merit.snr_db,
            pulse: ui,
            cursor,
            phase,
            merit,
            table,
        })
    }
}

impl Ctle {
    /// Chooses this Annex 93A/178A CTLE's gains on `grid` for `pulse` (sampled at
    /// this CTLE's rate, `samples_per_ui` per UI) as [`CtleParams::adapt`] does, and
    /// becomes the CTLE with those gains (fresh state, same sample rate). Errors
    /// as [`CtleParams::adapt`], and on a CTLE built by [`Ctle::from_poles_zeros`]
    /// (no gains to choose: the error names `ctle`).
    ///
    /// ```
    /// use serdes_dsp::eq::{Ctle, CtleGrid, CtleParams, ReferenceReceiver};
    /// let fb = 53.125e9;
    /// let mut ctle = Ctle::annex_93a(CtleParams::ieee_802_3ck(0.0, 0.0), 8.0 * fb).unwrap();
    /// // a pulse smeared over several UI: the CTLE peaks
    /// let pulse: Vec<f32> = (0..64).map(|i| (-(i as f32) / 12.0).exp() * (i as f32 / 4.0).min(1.0)).collect();
    /// let a = ctle.adapt(&pulse, 8, &CtleGrid::ieee_802_3ck(), &ReferenceReceiver::slicer(1e-4)).unwrap();
    /// assert!(a.params.g_dc_db < 0.0);
    /// assert_eq!(ctle.params().unwrap().g_dc_db, a.params.g_dc_db);
    /// ```
    pub fn adapt(
        &mut self,
        pulse: &[f32],
        samples_per_ui: usize,
        grid: &CtleGrid,
        rx: &ReferenceReceiver,
    ) -> Result<CtleAdapted> {
        let template = self.params().ok_or_else(|| {
            Error::invalid(
                "ctle",
                "an Annex 93A/178A CTLE (annex_93a) with gains to choose",
                "a poles/zeros CTLE",
            )
        })?;
        if !(1..=256).contains(&samples_per_ui) {
            return Err(Error::invalid("samples_per_ui", "1..=256", samples_per_ui));
        }
        let fs = self.sample_rate_hz();
        let a = template.adapt(pulse, samples_per_ui, fs / samples_per_ui as f64, grid, rx)?;
        *self = Ctle::annex_93a(a.params, fs)?;
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smeared(m: usize, tau_ui: f32) -> Vec<f32> {
        (0..48 * m)
            .map(|i| {
                let t = i as f32 / m as f32;
                (t.min(1.0)) * (-(t - 1.0).max(0.0) / tau_ui).exp()
            })
            .collect()
    }

    #[test]
    fn the_choice_is_the_best_of_its_table_and_more_loss_wants_more_peaking() {
        let fb = 53.125e9;
        let rx = ReferenceReceiver::slicer(1e-4);
        let t = CtleParams::ieee_802_3ck(0.0, 0.0);
        let grid = CtleGrid::ieee_802_3ck();
        let mild = t.adapt(&smeared(8, 0.6), 8, fb, &grid, &rx).unwrap();
        let hard = t.adapt(&smeared(8, 2.5), 8, fb, &grid, &rx).unwrap();
        for a in [&mild, &hard] {
            assert_eq!(a.table.len(), 21 * 7);
            let top = a
                .table
                .iter()
                .map(|c| c.snr_db)
                .fold(f64::NEG_INFINITY, f64::max);
            assert_eq!(top, a.snr_db);
        }
        assert!(
            hard.params.g_dc_db < mild.params.g_dc_db,
            "{:?} {:?}",
            hard.params,
            mild.params
        );
    }

    #[test]
    fn bad_arguments_are_named() {
        let t = CtleParams::ieee_802_3ck(0.0, 0.0);
        let g = CtleGrid::ieee_802_3ck();
        let rx = ReferenceReceiver::slicer(0.0);
        let e = |r: Result<CtleAdapted>| r.unwrap_err().to_string();
        assert!(e(t.adapt(&[], 8, 1e9, &g, &rx)).contains("`pulse`"));
        assert!(e(t.adapt(&[1.0, f32::NAN], 8, 1e9, &g, &rx)).contains("`pulse`"));
        assert!(e(t.adapt(&[1.0], 0, 1e9, &g, &rx)).contains("samples_per_ui"));
        assert!(e(t.adapt(&[1.0], 8, -1.0, &g, &rx)).contains("baud_hz"));
        let coloured = ReferenceReceiver {
            noise_acf: vec![1.0, 0.5],
            ..rx.clone()
        };
        assert!(e(t.adapt(&[1.0], 8, 1e9, &g, &coloured)).contains("noise_acf"));
        assert!(CtleGrid::new(&[1.0], &[0.0])
            .unwrap_err()
            .to_string()
            .contains("g_dc_db"));
        assert!(CtleGrid::new(&[0.0], &[])
            .unwrap_err()
            .to_string()
            .contains("g_dc2_db"));
        let mut pz = Ctle::from_poles_zeros(1.0, &[1e9], &[2e9, 3e9], 1e11).unwrap();
        assert!(pz
            .adapt(&[1.0], 8, &g, &rx)
            .unwrap_err()
            .to_string()
            .contains("`ctle`"));
    }
}
