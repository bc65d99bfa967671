//! Characterisation of a configured CDR on synthetic PAM4 waveforms
//! ([`super::waveform`]): jitter transfer, jitter tolerance and ppm tracking.
//!
//! - **Jitter transfer**: sinusoidal jitter (SJ) of a small amplitude `A` at frequency
//!   `f` on a clean waveform; after the loop settles, the recovered phase trace is
//!   fitted (least squares) with `a·sin(2πf·n) + b·cos(2πf·n) + c`, and the transfer
//!   at `f` is `√(a² + b²)/A`. The −3 dB bandwidth ([`bandwidth_3db`]) and the peaking
//!   ([`peaking_db`]) compare with the loop design ([`super::LoopGains`]).
//! - **Jitter tolerance**: for each `f`, the largest SJ amplitude at which the
//!   recovered symbols still meet a target symbol error ratio, found by doubling and
//!   then bisection. A type II loop tolerates `margin / |1 − H(f)|`: slope −20 dB per
//!   decade in the band where `|1 − H| ≈ f/(2ζf_n)` (wide for a damping ζ ≳ 1),
//!   steeper far below, flat (the eye margin) above the bandwidth — the shape of the
//!   802.3 tolerance masks.
//! - **ppm tracking**: frequency estimate, lock time and residual phase error for
//!   a list of data-rate offsets.
//!
//! Waveforms use the raised cosine of roll-off 0.5 ([`RaisedCosine::reference`]) and
//! PRBS31Q symbols from `seed`; each point is an independent simulation.

use super::recovery::{Cdr, CdrConfig, CdrOutput};
use super::waveform::{pam4_waveform, random_symbols, RaisedCosine, Timing};
use crate::error::{Error, Result};
use std::f64::consts::PI;

fn check_freqs(config: &CdrConfig, frequencies_hz: &[f64]) -> Result<()> {
    for &f in frequencies_hz {
        if !(f.is_finite() && f > 0.0 && f < config.baud_hz / 8.0) {
            return Err(Error::invalid(
                "frequencies_hz",
                format!(
                    "finite frequencies in (0, baud_hz/8 = {})",
                    config.baud_hz / 8.0
                ),
                f,
            ));
        }
    }
    Ok(())
}

/// Symbols for the loop to lock and settle: acquisition plus ten loop time constants.
fn settle_symbols(config: &CdrConfig) -> Result<usize> {
    let g = config.loop_gains()?;
    let kd = config.effective_detector_gain()?;
    let wn = (kd * g.ki).sqrt().max(1e-9);
    let zeta = g.damping(kd).max(1e-3);
    let tc = 1.0 / (zeta.min(1.0 / zeta) * wn);
    Ok(4096 + (10.0 * tc).min(5e6) as usize)
}

/// Runs `config` on symbols from `seed` with `timing`, returns (tx, recovered symbols,
/// phase trace).
fn simulate(
    config: &CdrConfig,
    n: usize,
    timing: Timing,
    seed: u64,
) -> Result<(Vec<u8>, Vec<u8>, Vec<f64>)> {
    let sym = random_symbols(n, seed);
    let (_, out) = run(config, &sym, &timing)?;
    Ok((sym, out.symbols, out.phase_ui))
}

/// A fresh CDR of `config` run on the clean PAM4 waveform of `sym` sent with
/// `timing`; returns the CDR (for its lock time and frequency) and its output.
fn run(config: &CdrConfig, sym: &[u8], timing: &Timing) -> Result<(Cdr, CdrOutput)> {
    let x = pam4_waveform(
        sym,
        config.samples_per_ui,
        |k| timing.offset_ui(k),
        &RaisedCosine::reference(),
    )?;
    let mut cdr = Cdr::new(config.clone())?;
    let out = cdr.process(&x)?;
    Ok((cdr, out))
}

#[allow(clippy::needless_range_loop)] // index arithmetic of Gaussian elimination
/// Least-squares fit of `y[n] ≈ a·sin(w·(n0+n)) + b·cos(w·(n0+n)) + c`; returns `(a, b)`.
fn fit_sine(y: &[f64], n0: usize, w: f64) -> (f64, f64) {
    let mut m = [[0.0f64; 3]; 3];
    let mut r = [0.0f64; 3];
    for (i, &v) in y.iter().enumerate() {
        let t = w * (n0 + i) as f64;
        let basis = [t.sin(), t.cos(), 1.0];
        for p in 0..3 {
            r[p] += basis[p] * v;
            for q in 0..3 {
                m[p][q] += basis[p] * basis[q];
            }
        }
    }
    // Gaussian elimination on the 3×3 normal equations.
    for c in 0..3 {
        let piv = (c..3)
            .max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs()))
            .unwrap_or(c);
        m.swap(c, piv);
        r.swap(c, piv);
        for row in c + 1..3 {
            let f = m[row][c] / m[c][c];
            for k in c..3 {
                m[row][k] -= f * m[c][k];
            }
            r[row] -= f * r[c];
        }
    }
    let mut s = [0.0f64; 3];
    for c in (0..3).rev() {
        let acc: f64 = (c + 1..3).map(|k| m[c][k] * s[k]).sum();
        s[c] = (r[c] - acc) / m[c][c];
    }
    (s[0], s[1])
}

/// Measured jitter transfer `|H(f)|` (linear) of `config` at each of
/// `frequencies_hz` (in `(0, baud/8)`), with SJ of `amplitude_ui` (peak, in
/// `(0, 0.2]`: small enough for the loop to stay linear).
pub fn jitter_transfer(
    config: &CdrConfig,
    frequencies_hz: &[f64],
    amplitude_ui: f64,
    seed: u64,
) -> Result<Vec<f64>> {
    check_freqs(config, frequencies_hz)?;
    if !(amplitude_ui > 0.0 && amplitude_ui <= 0.2) {
        return Err(Error::invalid(
            "amplitude_ui",
            "0 < amplitude_ui <= 0.2",
            amplitude_ui,
        ));
    }
    let settle = settle_symbols(config)?;
    frequencies_hz
        .iter()
        .map(|&f| {
            let fu = f / config.baud_hz;
            let period = 1.0 / fu;
            let periods = (4.0f64).max((4000.0 / period).ceil());
            let meas = (periods * period).ceil() as usize;
            let timing = Timing {
                sj_amplitude_ui: amplitude_ui,
                sj_frequency_per_ui: fu,
                ..Timing::default()
            };
            let (_, _, phase) = simulate(config, settle + meas + 64, timing, seed)?;
            let end = (settle + meas).min(phase.len());
            let (a, b) = fit_sine(&phase[settle..end], settle, 2.0 * PI * fu);
            Ok(a.hypot(b) / amplitude_ui)
        })
        .collect()
}

/// The first frequency at which `gain` (linear, over increasing `frequencies_hz`)
/// falls below `1/√2`, interpolated in log–log; `None` if it never does.
pub fn bandwidth_3db(frequencies_hz: &[f64], gain: &[f64]) -> Option<f64> {
    let target = std::f64::consts::FRAC_1_SQRT_2.ln();
    for i in 1..frequencies_hz.len().min(gain.len()) {
        if gain[i] < std::f64::consts::FRAC_1_SQRT_2
            && gain[i - 1] >= std::f64::consts::FRAC_1_SQRT_2
        {
            let (g0, g1) = (gain[i - 1].ln(), gain[i].ln());
            let (f0, f1) = (frequencies_hz[i - 1].ln(), frequencies_hz[i].ln());
            return Some((f0 + (target - g0) / (g1 - g0) * (f1 - f0)).exp());
        }
    }
    None
}

/// The jitter-transfer peaking: `20·log10(max gain)` dB (0 if below unity).
pub fn peaking_db(gain: &[f64]) -> f64 {
    let m = gain.iter().copied().fold(0.0f64, f64::max);
    (20.0 * m.log10()).max(0.0)
}

/// Symbol errors of `rx` against `tx` from recovered symbol `from`, at the
/// alignment (within ±`search`) that gives the fewest errors on the first 2000.
#[allow(clippy::needless_range_loop)] // i indexes rx and offsets into tx
fn count_errors(tx: &[u8], rx: &[u8], from: usize, search: i64) -> (usize, usize) {
    let errs = |d: i64, lo: usize, hi: usize| -> (usize, usize) {
        let mut e = 0;
        let mut n = 0;
        for i in lo..hi.min(rx.len()) {
            let k = i as i64 + d;
            if k >= 0 && (k as usize) < tx.len().saturating_sub(32) {
                e += (rx[i] != tx[k as usize]) as usize;
                n += 1;
            }
        }
        (e, n)
    };
    let d = (-search..=search)
        .min_by_key(|&d| errs(d, from, from + 2000).0)
        .unwrap_or(0);
    errs(d, from, rx.len())
}

/// Jitter tolerance of `config`: for each of `frequencies_hz`, the largest SJ
/// amplitude in UI **peak to peak** at which the recovered symbol error ratio stays at
/// or below `target_ser` (in `(0, 0.1]`), searched up to `max_pp_ui` (≥ 0.1) with a
/// relative resolution of about 5 %. Each trial runs at least `min_symbols` counted
/// symbols (and three SJ periods).
pub fn jitter_tolerance(
    config: &CdrConfig,
    frequencies_hz: &[f64],
    target_ser: f64,
    min_symbols: usize,
    max_pp_ui: f64,
    seed: u64,
) -> Result<Vec<f64>> {
    check_freqs(config, frequencies_hz)?;
    if !(target_ser > 0.0 && target_ser <= 0.1) {
        return Err(Error::invalid(
            "target_ser",
            "0 < target_ser <= 0.1",
            target_ser,
        ));
    }
    if !(max_pp_ui.is_finite() && max_pp_ui >= 0.1) {
        return Err(Error::invalid(
            "max_pp_ui",
            "a finite amplitude >= 0.1 UI",
            max_pp_ui,
        ));
    }
    let settle = settle_symbols(config)?;
    frequencies_hz
        .iter()
        .map(|&f| {
            let fu = f / config.baud_hz;
            let count = min_symbols.max((3.0 / fu).ceil() as usize).max(2000);
            let passes = |pp: f64| -> Result<bool> {
                let a = pp / 2.0;
                // Cosine SJ shifted to start at zero offset and zero slope.
                let timing = Timing {
                    delay_ui: -a,
                    sj_amplitude_ui: a,
                    sj_frequency_per_ui: fu,
                    sj_phase: PI / 2.0,
                    ..Timing::default()
                };
                let (tx, rx, _) = simulate(config, settle + count + 64, timing, seed)?;
                let (e, n) = count_errors(&tx, &rx, settle, 8);
                Ok(n > 0 && (e as f64) <= target_ser * n as f64)
            };
            // Double from 0.1 UI pp until it fails, then bisect in log amplitude.
            let mut lo = 0.0f64;
            let mut hi = 0.1f64;
            while hi <= max_pp_ui && passes(hi)? {
                lo = hi;
                hi *= 2.0;
            }
            if hi > max_pp_ui {
                return Ok(max_pp_ui.max(lo));
            }
            if lo == 0.0 {
                lo = hi / 64.0;
                if !passes(lo)? {
                    return Ok(0.0);
                }
            }
            while hi / lo > 1.05 {
                let mid = (lo * hi).sqrt();
                if passes(mid)? {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            Ok(lo)
        })
        .collect()
}

/// One point of [`ppm_tracking`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PpmPoint {
    /// The data-rate offset applied, ppm.
    pub ppm: f64,
    /// The CDR's frequency estimate at the end, ppm.
    pub estimate_ppm: f64,
    /// Symbol index at which lock was declared (`None`: not locked at the end).
    pub lock_time: Option<u64>,
    /// Rms of the sampling instant minus the symbol centre after lock (+2000
    /// symbols), UI; NaN when not locked.
    pub residual_rms_ui: f64,
    /// Symbol errors after lock (+2000 symbols).
    pub symbol_errors: usize,
}

/// Runs `config` on `symbols` clean PAM4 symbols at each data-rate offset of
/// `ppm_offsets` (|·| ≤ 10 000) with a delay of `delay_ui`.
pub fn ppm_tracking(
    config: &CdrConfig,
    ppm_offsets: &[f64],
    symbols: usize,
    delay_ui: f64,
    seed: u64,
) -> Result<Vec<PpmPoint>> {
    if !delay_ui.is_finite() {
        return Err(Error::invalid("delay_ui", "a finite delay", delay_ui));
    }
    ppm_offsets
        .iter()
        .map(|&ppm| {
            if !(ppm.is_finite() && ppm.abs() <= 1e4) {
                return Err(Error::invalid("ppm_offsets", "|ppm| <= 10000", ppm));
            }
            let timing = Timing {
                delay_ui,
                ppm,
                ..Timing::default()
            };
            let sym = random_symbols(symbols, seed);
            let (cdr, out) = run(config, &sym, &timing)?;
            let lock_time = cdr.lock_time();
            let (residual_rms_ui, symbol_errors) = match lock_time {
                Some(t) if (t as usize + 2000) < out.len() => {
                    let from = t as usize + 2000;
                    let (e, _) = count_errors(&sym, &out.symbols, from, 8);
                    // The alignment: output n carries symbol n + d, d = round(θ_n − τ).
                    let d = (out.phase_ui[from] - timing.offset_ui(from)).round() as i64;
                    let mut acc = 0.0;
                    let mut n = 0usize;
                    for i in from..out.len() {
                        let k = i as i64 + d;
                        if k >= 0 && (k as usize) < sym.len() {
                            let r = (i as f64 + out.phase_ui[i])
                                - (k as f64 + timing.offset_ui(k as usize));
                            acc += r * r;
                            n += 1;
                        }
                    }
                    ((acc / n.max(1) as f64).sqrt(), e)
                }
                _ => (f64::NAN, 0),
            };
            Ok(PpmPoint {
                ppm,
                estimate_ppm: cdr.frequency_ppm(),
                lock_time,
                residual_rms_ui,
                symbol_errors,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(bw_hz: f64, damping: f64) -> CdrConfig {
        let mut c = CdrConfig::new(8);
        c.baud_hz = 10e9;
        c.bandwidth_hz = bw_hz;
        c.damping = damping;
        c
    }

    fn log_space(lo: f64, hi: f64, n: usize) -> Vec<f64> {
        (0..n)
            .map(|i| lo * (hi / lo).powf(i as f64 / (n - 1) as f64))
            .collect()
    }

    #[test]
    fn sine_fit_and_bandwidth_interpolation() {
        let w = 0.01;
        let y: Vec<f64> = (0..5000)
            .map(|n| 0.3 * (w * (n + 100) as f64).sin() - 0.4 * (w * (n + 100) as f64).cos() + 2.0)
            .collect();
        let (a, b) = fit_sine(&y, 100, w);
        assert!((a - 0.3).abs() < 1e-9 && (b + 0.4).abs() < 1e-9);
        // A first-order low-pass 1/√(1 + (f/fc)²) crosses −3 dB at fc.
        let f = log_space(1e5, 1e8, 31);
        let g: Vec<f64> = f
            .iter()
            .map(|&x| 1.0 / (1.0 + (x / 3e6).powi(2)).sqrt())
            .collect();
        let bw = bandwidth_3db(&f, &g).unwrap();
        assert!((bw / 3e6 - 1.0).abs() < 0.01, "{bw}");
        assert_eq!(peaking_db(&g), 0.0);
        assert!(bandwidth_3db(&f, &vec![1.0; 31]).is_none());
    }

    #[test]
    fn jitter_transfer_matches_the_configured_loop() {
        let bw = 10e6;
        let cfg = config(bw, 1.0);
        let freqs = log_space(1e6, 1e8, 15);
        let gain = jitter_transfer(&cfg, &freqs, 0.05, 1).unwrap();
        let measured = bandwidth_3db(&freqs, &gain).unwrap();
        assert!(
            (measured / bw - 1.0).abs() < 0.10,
            "bandwidth {measured} vs {bw}: {gain:?}"
        );
        // Against the closed-form type II response of the design.
        let g = cfg.loop_gains().unwrap();
        let kd = cfg.effective_detector_gain().unwrap();
        let theory: Vec<f64> = freqs
            .iter()
            .map(|&f| g.transfer_magnitude(f, cfg.baud_hz, kd))
            .collect();
        let pk = peaking_db(&gain);
        let pk_theory = peaking_db(&theory);
        assert!(
            (pk - pk_theory).abs() < 0.5,
            "peaking {pk} dB vs {pk_theory} dB"
        );
        // Well below the bandwidth SJ is tracked, well above it is not.
        assert!(gain[0] > 0.97, "{}", gain[0]);
        assert!(gain[14] < 0.15, "{}", gain[14]);
        for (i, (m, t)) in gain.iter().zip(&theory).enumerate() {
            assert!((m - t).abs() < 0.06, "{} Hz: {m} vs {t}", freqs[i]);
        }
    }

    #[test]
    fn jitter_tolerance_has_the_mask_shape() {
        let bw = 10e6;
        let cfg = config(bw, 2.0);
        let freqs = [bw / 8.0, bw / 2.0, 4.0 * bw, 8.0 * bw, 16.0 * bw];
        let tol = jitter_tolerance(&cfg, &freqs, 1e-3, 10_000, 100.0, 2).unwrap();
        let db = |a: f64, b: f64| 20.0 * (a / b).log10();
        // −20 dB/decade below the bandwidth (ζ = 2: |1 − H| ≈ f/(2ζf_n) there).
        let slope = db(tol[0], tol[1]) / 4f64.log10();
        assert!(
            (14.0..=26.0).contains(&slope),
            "slope {slope} dB/dec: {tol:?}"
        );
        // Flat above it.
        for i in 3..5 {
            assert!(db(tol[i], tol[2]).abs() < 1.5, "not flat: {tol:?}");
        }
        assert!(tol[2] > 0.2 && tol[2] < 1.0, "{tol:?}");
        // And the shape of margin/|1 − H| throughout, within 3 dB.
        let g = cfg.loop_gains().unwrap();
        let kd = cfg.effective_detector_gain().unwrap();
        let margin = tol[4] * g.error_magnitude(freqs[4], cfg.baud_hz, kd);
        for (f, t) in freqs.iter().zip(&tol) {
            let want = margin / g.error_magnitude(*f, cfg.baud_hz, kd);
            assert!(db(*t, want).abs() < 3.0, "{f} Hz: {t} vs {want}");
        }
    }

    #[test]
    fn tracks_300_ppm() {
        let cfg = CdrConfig::new(16);
        let pts = ppm_tracking(&cfg, &[-300.0, -100.0, 100.0, 300.0], 40_000, 0.41, 4).unwrap();
        for p in pts {
            assert!(p.lock_time.is_some(), "{p:?}");
            assert!((p.estimate_ppm - p.ppm).abs() < 2.0, "{p:?}");
            assert!(p.residual_rms_ui < 0.02, "{p:?}");
            assert_eq!(p.symbol_errors, 0, "{p:?}");
        }
    }

    #[test]
    fn bad_arguments_are_errors() {
        let cfg = config(10e6, 1.0);
        assert!(jitter_transfer(&cfg, &[-1.0], 0.05, 1)
            .unwrap_err()
            .to_string()
            .contains("`frequencies_hz`"));
        assert!(jitter_transfer(&cfg, &[1e6], 0.5, 1)
            .unwrap_err()
            .to_string()
            .contains("`amplitude_ui`"));
        assert!(jitter_tolerance(&cfg, &[1e6], 0.0, 1000, 10.0, 1).is_err());
        assert!(ppm_tracking(&cfg, &[f64::NAN], 1000, 0.0, 1).is_err());
    }
}
