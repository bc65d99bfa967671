//! Crosstalk aggressors and the optical IM-DD path of the analog link models.
//!
//! # Crosstalk
//!
//! Each aggressor of `channel.crosstalk` sends its own PRBS31Q pattern (the
//! victim's modulation, levels times `amplitude`, no Tx FIR) through its own
//! coupling path `X(f)`, and the sum reaches the victim's receiver input. From there
//! on it is the victim's receiver, linear and time-invariant: the front end and the
//! CTLE. So each aggressor is one more combined pulse, `X·rect·H_r·H_ctle` scaled
//! by the victim's gain, synthesised like the victim's (a polyphase upsampler on the
//! oversampled path, a pulse table at the CDR's instants on the direct one). An
//! aggressor's data are independent of the victim's, so whole-UI delays of its path
//! change nothing; its fractional delay against the victim (the sampling phase it
//! is seen at) is kept.
//!
//! The coupling paths: a multi-port Touchstone file's mixed-mode `SDD(out, in)`
//! (channel.crosstalk.touchstone), or an analytic stand-in scaled to
//! `coupling_db` at Nyquist `f_N` — FEXT: the victim's channel times `j·f/f_N`
//! (weak coupling along a line: its far-end crosstalk is the derivative of the
//! through signal); NEXT: `j(f/f_c)/(1 + j f/f_c)` with `f_c = f_N/2` (rises, then
//! saturates, and does not go through the line's loss).
//!
//! The FFE/DFE solution and the automatic CTLE choice count the crosstalk as noise
//! (its autocorrelation at UI lags, averaged over the sampling phase), as COM does.
//!
//! # Optical IM-DD
//!
//! With `channel.optical.enabled`, the Tx drive (levels `a`, after the electrical
//! channel) modulates the optical power `P = P_avg·(1 + m·a)`, with
//! `m = (ER − 1)/(ER + 1)`; the light goes through the optical path's low pass to a photodiode, `I =
//! R·P`, whose noise is white with one-sided density `S(I) = i_th² + 2qI + RIN·I²`
//! (see [`crate::channel::optical`]). The signal part is linear: the optical low
//! pass joins the combined pulse. The noise depends on the level: symbol `k`'s
//! sample gets noise of density `S(I(a_k))`, the *per-level* noise model of
//! optical PAM4 link budgets, which holds where the receiver's memory is short
//! against the level changes it averages; edge samples take the mean of their two
//! neighbours' densities. The noise is shaped by the front end and the CTLE like
//! the electrical noise, and the FFE/DFE solution uses its mean over the levels.
//! In level units (the victim's levels at the receiver input) the two-sided
//! density is `S(I)/(2·(R·P_avg·m)²)`.

use num_complex::Complex64;

use super::config::{CrosstalkConfig, LinkConfig, OpticalPowerKind, OpticalSection, XtalkKind};
use crate::channel::optical::{OpticalConfig, OpticalLink, OpticalPower};
use crate::channel::touchstone::{Network, PortOrdering};
use crate::channel::Channel;
use crate::eq::Modulation;
use crate::error::{Error, Result};
use crate::signal::pattern::Prbs31Q;

/// The analog response of the optical path's low pass at `f` (1 without one):
/// first order, or second-order Butterworth, −3 dB at `bandwidth_hz`.
pub(crate) fn optical_response(o: &OpticalSection, f: f64) -> Complex64 {
    if !o.enabled || o.bandwidth_hz <= 0.0 {
        return Complex64::new(1.0, 0.0);
    }
    let x = f / o.bandwidth_hz;
    let d = if o.bandwidth_order == 1 {
        Complex64::new(1.0, x)
    } else {
        Complex64::new(1.0 - x * x, std::f64::consts::SQRT_2 * x)
    };
    d.inv()
}

/// The optical receiver's noise in level units: see the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OpticalNoise {
    /// Two-sided noise density at the receiver input, averaged over the levels,
    /// level units² per Hz.
    pub mean_psd: f64,
    /// `S(I(a))/mean` = `c[0] + c[1]·a + c[2]·a²`: the noise density at level `a`
    /// relative to the mean.
    pub coeffs: [f64; 3],
}

impl OpticalNoise {
    /// The noise of `o` for the levels of `modulation`. Errors name the key.
    pub fn new(o: &OpticalSection, modulation: Modulation, sample_rate_hz: f64) -> Result<Self> {
        let power = match o.power {
            OpticalPowerKind::Average => OpticalPower::AverageDbm(o.power_dbm),
            OpticalPowerKind::Oma => OpticalPower::OmaDbm(o.power_dbm),
        };
        let cfg = OpticalConfig {
            sample_rate_hz,
            extinction_ratio_db: o.extinction_ratio_db,
            power,
            rin_db_hz: Some(o.rin_db_hz),
            bandwidth_hz: None,
            bandwidth_order: 1,
            responsivity_a_per_w: o.responsivity_a_w,
            thermal_noise_pa_per_rt_hz: o.thermal_noise_pa_rt_hz,
            shot_noise: o.shot_noise,
            tia_gain_ohm: 1.0,
        };
        let link = OpticalLink::new(cfg, 1).map_err(|e| match e {
            Error::InvalidParameter {
                allowed, actual, ..
            } => Error::InvalidParameter {
                name: "channel.optical",
                allowed,
                actual,
            },
            other => other,
        })?;
        let r = o.responsivity_a_w;
        let (p0, p1) = (link.p0_w(), link.p1_w());
        let i_avg = r * 0.5 * (p0 + p1);
        // Current per unit level: I(a) = i_avg·(1 + m·a), slope i_avg·m.
        let slope = 0.5 * r * (p1 - p0);
        let b = link.noise_bandwidth_hz();
        // One-sided density S(I) = s0 + s1·I + s2·I², read off the block's σ(I).
        let s = |i: f64| link.noise_sigma_a(i).powi(2) / b;
        let s0 = s(0.0);
        let s2 = (s(2.0 * i_avg) - 2.0 * s(i_avg) + s0) / (2.0 * i_avg * i_avg);
        let s1 = (s(i_avg) - s0 - s2 * i_avg * i_avg) / i_avg;
        // In terms of the level a: I = i_avg + slope·a.
        let q = [
            s0 + s1 * i_avg + s2 * i_avg * i_avg,
            s1 * slope + 2.0 * s2 * i_avg * slope,
            s2 * slope * slope,
        ];
        let all = modulation.levels();
        let levels = &all[..modulation.n_levels()];
        let mean = levels
            .iter()
            .map(|&a| {
                let a = a as f64;
                q[0] + q[1] * a + q[2] * a * a
            })
            .sum::<f64>()
            / levels.len() as f64;
        if !(mean.is_finite() && mean > 0.0) {
            return Err(Error::invalid(
                "channel.optical",
                "a receiver with some noise",
                "zero noise",
            ));
        }
        Ok(OpticalNoise {
            mean_psd: mean / (2.0 * slope * slope),
            coeffs: q.map(|c| c / mean),
        })
    }

    /// The noise density at level `a` relative to the mean (never negative).
    #[inline(always)]
    pub fn density(&self, a: f32) -> f32 {
        let [c0, c1, c2] = self.coeffs.map(|c| c as f32);
        (c0 + a * (c1 + a * c2)).max(0.0)
    }

    /// The noise's standard deviation at level `a` relative to the mean's:
    /// `√density(a)`.
    #[inline(always)]
    pub fn scale(&self, a: f32) -> f32 {
        self.density(a).sqrt()
    }
}

/// The coupling path `X(f)` of aggressor `x` at `freqs`; `victim` is the victim
/// channel's spectrum there and `victim_nyquist` its magnitude at `f_N`;
/// `spectrum_of` turns a channel into its spectrum at `freqs` the way the victim's
/// was made (for a Touchstone path).
pub(crate) fn coupling_spectrum(
    x: &CrosstalkConfig,
    config: &LinkConfig,
    freqs: &[f64],
    victim: &[Complex64],
    victim_nyquist: f64,
    spectrum_of: &dyn Fn(&Channel) -> Result<Vec<Complex64>>,
) -> Result<Vec<Complex64>> {
    let f_n = config.baud_hz / 2.0;
    if !x.touchstone.is_empty() {
        let net = Network::from_file(&x.touchstone)?;
        let ordering = PortOrdering::from_name(&x.ports).map_err(|_| {
            Error::invalid(
                "channel.crosstalk.ports",
                "\"1-3/2-4\" or \"1-2/3-4\"",
                &x.ports,
            )
        })?;
        let mm = net.mixed_mode(ordering)?;
        let p = mm.npairs;
        let [o, i] = x.sdd;
        if o > p || i > p {
            return Err(Error::invalid(
                "channel.crosstalk.sdd",
                format!("pairs 1..={p} of {}", x.touchstone),
                format!("{:?}", x.sdd),
            ));
        }
        let h: Vec<Complex64> = mm
            .sdd
            .chunks_exact(p * p)
            .map(|s| s[(o - 1) * p + (i - 1)])
            .collect();
        return spectrum_of(&Channel::from_frequency_response(&mm.freqs_hz, &h)?);
    }
    let c = 10f64.powf(x.coupling_db / 20.0);
    Ok(match x.kind {
        XtalkKind::Fext => freqs
            .iter()
            .zip(victim)
            .map(|(&f, &v)| v * Complex64::new(0.0, f / f_n) * (c / victim_nyquist))
            .collect(),
        XtalkKind::Next => {
            let fc = f_n / 2.0;
            // |j2/(1 + j2)| = 2/√5 at f_N.
            let k = c * 5f64.sqrt() / 2.0;
            freqs
                .iter()
                .map(|&f| {
                    let s = Complex64::new(0.0, f / fc);
                    s / (1.0 + s) * k
                })
                .collect()
        }
    })
}

/// An aggressor's combined pulse, aligned with the victim's.
#[derive(Debug, Clone, PartialEq)]
pub struct AggressorPulse {
    /// At `M` samples per UI on the victim's time axis (modulo whole UI), scaled
    /// by the victim's gain and the aggressor's amplitude.
    pub pulse: Vec<f32>,
    /// The same at `fine_per_ui` samples per UI.
    pub fine_pulse: Vec<f32>,
}

/// The aggressors' line levels, each from its own PRBS31Q seeded from the link's
/// seed; streaming.
#[derive(Debug, Clone)]
pub(crate) struct AggressorSources {
    patterns: Vec<Prbs31Q>,
    levels: Vec<f32>,
    syms: Vec<u8>,
    /// The last chunk's levels, aggressor after aggressor.
    pub(crate) chunk: Vec<Vec<f32>>,
}

impl AggressorSources {
    /// `n` aggressors of `modulation`, seeded from `seed`.
    pub(crate) fn new(n: usize, modulation: Modulation, seed: u64) -> Result<Self> {
        let patterns = (0..n as u64)
            .map(|i| {
                let s = crate::link::sweep::point_seed(seed ^ 0xA66E_5500, i) & 0x7FFF_FFFF;
                Prbs31Q::new(s.max(1))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(AggressorSources {
            patterns,
            levels: modulation.levels()[..modulation.n_levels()].to_vec(),
            syms: Vec::new(),
            chunk: vec![Vec::new(); n],
        })
    }

    /// Whether there are no aggressors.
    pub(crate) fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The next `n` levels of every aggressor into `chunk`.
    pub(crate) fn next(&mut self, n: usize) {
        self.syms.resize(n, 0);
        let nl = self.levels.len();
        for (p, out) in self.patterns.iter_mut().zip(&mut self.chunk) {
            p.fill_symbols(&mut self.syms);
            out.clear();
            out.extend(self.syms.iter().map(|&s| self.levels[s as usize % nl]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::analog::{AnalogDesign, AnalogFrontEnd};
    use crate::link::config::{FecCode, Sampling};
    use crate::link::{Link, LinkConfig};
    use rand::{Rng, SeedableRng};

    #[test]
    fn analytic_coupling_paths_have_coupling_db_at_nyquist() {
        let cfg = LinkConfig::default();
        let f_n = cfg.baud_hz / 2.0;
        let freqs = [0.0, 0.25 * f_n, f_n, 2.0 * f_n];
        // A made-up victim spectrum: the FEXT path is it times j·f/f_N, scaled.
        let victim: Vec<Complex64> = freqs
            .iter()
            .map(|&f| Complex64::from_polar(10f64.powf(-0.8 * f / f_n), -f / f_n))
            .collect();
        for kind in [XtalkKind::Fext, XtalkKind::Next] {
            let x = CrosstalkConfig {
                kind,
                coupling_db: -27.0,
                ..CrosstalkConfig::default()
            };
            let no_file = |_: &Channel| -> Result<Vec<Complex64>> { unreachable!("analytic path") };
            let h =
                coupling_spectrum(&x, &cfg, &freqs, &victim, victim[2].norm(), &no_file).unwrap();
            let db = 20.0 * h[2].norm().log10();
            assert!((db + 27.0).abs() < 1e-9, "{kind:?}: {db} dB at Nyquist");
            assert_eq!(h[0].norm(), 0.0, "{kind:?}: no coupling at DC");
            assert!(h[1].norm() < h[2].norm(), "{kind:?}: rises with frequency");
        }
    }

    #[test]
    fn a_touchstone_coupling_path_is_its_sdd_element() {
        // An 8-port (four pairs, ports paired 1-5, 2-6, 3-7, 4-8) whose only
        // mixed-mode term is SDD(4,1) = the analytic NEXT path: single-ended
        // S = Mᵀ·S_mm·M puts ±h/2 at (4,1), (4,5), (8,1), (8,5). The aggressor it
        // makes carries the analytic one's energy.
        let mut cfg = LinkConfig::default();
        let analytic = CrosstalkConfig {
            kind: XtalkKind::Next,
            coupling_db: -20.0,
            ..CrosstalkConfig::default()
        };
        let k = 10f64.powf(-1.0) * 5f64.sqrt() / 2.0;
        let fc = cfg.baud_hz / 4.0;
        let mut text = String::from("! SDD41 only\n# GHz S RI R 50\n");
        for i in 0..=1200 {
            let f = i as f64 * 0.1e9;
            let sf = Complex64::new(0.0, f / fc);
            let h = sf / (1.0 + sf) * k * 0.5;
            let mut row = Vec::with_capacity(64);
            for r in 0..8 {
                for c in 0..8 {
                    let v = match (r, c) {
                        (3, 0) | (7, 4) => h,
                        (3, 4) | (7, 0) => -h,
                        _ => Complex64::new(0.0, 0.0),
                    };
                    row.push(v);
                }
            }
            text.push_str(&format!("{:.4}", f / 1e9));
            for (j, v) in row.iter().enumerate() {
                if j > 0 && j % 4 == 0 {
                    text.push('\n');
                }
                text.push_str(&format!(" {:.9e} {:.9e}", v.re, v.im));
            }
            text.push('\n');
        }
        let dir = std::env::temp_dir().join(format!("serdes-dsp-xtalk-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pairs.s8p");
        std::fs::write(&path, text).unwrap();
        let energy = |x: CrosstalkConfig, cfg: &mut LinkConfig| {
            cfg.channel.crosstalk = vec![x];
            let d = AnalogDesign::new(cfg).unwrap();
            d.aggressors[0]
                .pulse
                .iter()
                .map(|&v| (v as f64).powi(2))
                .sum::<f64>()
        };
        let want = energy(analytic.clone(), &mut cfg);
        let from_file = CrosstalkConfig {
            touchstone: path.to_string_lossy().into_owned(),
            ports: "1-3/2-4".into(),
            sdd: [4, 1],
            ..analytic.clone()
        };
        let got = energy(from_file.clone(), &mut cfg);
        assert!(
            (got / want - 1.0).abs() < 0.03,
            "file {got} vs analytic {want}"
        );
        // Another element of the same file is empty; a pair beyond 4 is an error.
        let other = energy(
            CrosstalkConfig {
                sdd: [2, 1],
                ..from_file.clone()
            },
            &mut cfg,
        );
        assert!(other < 1e-6 * want, "SDD21 of the file: {other}");
        cfg.channel.crosstalk = vec![CrosstalkConfig {
            sdd: [5, 1],
            ..from_file
        }];
        let e = AnalogDesign::new(&cfg).unwrap_err().to_string();
        assert!(e.contains("channel.crosstalk.sdd"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn optical_noise_is_the_photocurrent_noise_in_level_units() {
        // By hand: −3 dBm average, ER 6 dB, 0.7 A/W, 12 pA/√Hz, RIN −140 dB/Hz, shot.
        let o = OpticalSection {
            enabled: true,
            power: OpticalPowerKind::Average,
            power_dbm: -3.0,
            extinction_ratio_db: 6.0,
            rin_db_hz: -140.0,
            responsivity_a_w: 0.7,
            thermal_noise_pa_rt_hz: 12.0,
            shot_noise: true,
            ..OpticalSection::default()
        };
        let n = OpticalNoise::new(&o, Modulation::Pam4, 8.0 * 53.125e9).unwrap();
        let p_avg = 1e-3 * 10f64.powf(-0.3);
        let er = 10f64.powf(0.6);
        let m = (er - 1.0) / (er + 1.0);
        let i = |a: f64| 0.7 * p_avg * (1.0 + m * a);
        let s =
            |a: f64| (12e-12f64).powi(2) + 2.0 * 1.602_176_634e-19 * i(a) + 1e-14 * i(a).powi(2);
        let levels = [-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0];
        let mean = levels.iter().map(|&a| s(a)).sum::<f64>() / 4.0;
        let slope = 0.7 * p_avg * m;
        let want = mean / (2.0 * slope * slope);
        assert!(
            (n.mean_psd / want - 1.0).abs() < 1e-6,
            "{} vs {want}",
            n.mean_psd
        );
        for a in levels {
            let want = (s(a) / mean).sqrt() as f32;
            assert!((n.scale(a as f32) / want - 1.0).abs() < 1e-5, "level {a}");
        }
    }

    /// Runs the front end of `cfg` on random PAM4 levels; returns the levels and
    /// the CDR's samples, aligned (the delay found by correlation), after `skip`
    /// symbols of lock.
    fn front_end_run(cfg: &LinkConfig, n: usize, skip: usize) -> (Vec<f32>, Vec<f32>) {
        let d = AnalogDesign::new(cfg).unwrap();
        let mut fe = AnalogFrontEnd::new(cfg, &d, 11).unwrap();
        let mut rng = rand::rngs::StdRng::seed_from_u64(4);
        let lv = [-1.0f32, -1.0 / 3.0, 1.0 / 3.0, 1.0];
        let syms: Vec<u8> = (0..n).map(|_| rng.random_range(0..4u8)).collect();
        let levels: Vec<f32> = syms.iter().map(|&s| lv[s as usize]).collect();
        let mut out = Vec::new();
        for (l, s) in levels.chunks(4096).zip(syms.chunks(4096)) {
            fe.process(l, s, &mut out).unwrap();
        }
        let corr = |lag: usize| -> f64 {
            (skip..out.len().min(n - lag))
                .map(|k| out[k + lag] as f64 * levels[k] as f64)
                .sum()
        };
        let lag = (0..64)
            .max_by(|&a, &b| corr(a).total_cmp(&corr(b)))
            .unwrap();
        let len = (out.len() - lag).min(n) - skip;
        (
            levels[skip..skip + len].to_vec(),
            out[skip + lag..skip + lag + len].to_vec(),
        )
    }

    /// The error variance per level: samples minus their level, bottom first.
    fn per_level_variance(levels: &[f32], samples: &[f32]) -> [f64; 4] {
        let mut acc = [(0.0f64, 0.0f64, 0u64); 4];
        for (&l, &y) in levels.iter().zip(samples) {
            let i = ((l + 1.0) * 1.5).round() as usize;
            let e = (y - l) as f64;
            acc[i].0 += e;
            acc[i].1 += e * e;
            acc[i].2 += 1;
        }
        acc.map(|(s, s2, c)| s2 / c as f64 - (s / c as f64).powi(2))
    }

    fn optical_config(rin: bool, sampling: Sampling) -> LinkConfig {
        let mut cfg = LinkConfig::default();
        cfg.channel.loss_db = 2.0;
        cfg.tx.fir = vec![];
        cfg.rx.sampling = sampling;
        cfg.rx.ctle.kind = crate::link::CtleKind::None;
        cfg.rx.frontend_bw = 1.5;
        cfg.channel.optical = OpticalSection {
            enabled: true,
            power_dbm: if rin { 0.0 } else { -9.0 },
            extinction_ratio_db: 5.0,
            rin_db_hz: if rin { -128.0 } else { -200.0 },
            bandwidth_hz: 0.0,
            thermal_noise_pa_rt_hz: if rin { 0.0 } else { 15.0 },
            shot_noise: false,
            ..OpticalSection::default()
        };
        cfg
    }

    #[test]
    fn optical_noise_grows_with_the_level_on_both_sampling_paths() {
        // RIN alone: σ ∝ I(a) = I_avg·(1 + m·a), m = 0.52 at ER 5 dB, so the top
        // level's noise variance is (1.52/0.48)² ≈ 10 times the bottom's; thermal
        // noise alone is the same on every level. The residual ISI (the same on
        // every level) is small against both.
        for sampling in [Sampling::Direct, Sampling::Oversampled] {
            let (l, y) = front_end_run(&optical_config(true, sampling), 120_000, 20_000);
            let v = per_level_variance(&l, &y);
            let ratio = v[3] / v[0];
            eprintln!("{sampling:?} RIN per-level variance {v:?}");
            assert!((5.0..15.0).contains(&ratio), "{sampling:?} RIN: {v:?}");
            assert!(v[1] < v[2] && v[2] < v[3], "{sampling:?} RIN: {v:?}");
            let (l, y) = front_end_run(&optical_config(false, sampling), 120_000, 20_000);
            let v = per_level_variance(&l, &y);
            eprintln!("{sampling:?} thermal per-level variance {v:?}");
            assert!(
                (v[3] / v[0] - 1.0).abs() < 0.15,
                "{sampling:?} thermal: {v:?}"
            );
        }
    }

    #[test]
    fn thermal_limited_optical_link_equals_the_electrical_link_at_the_same_snr() {
        // Thermal noise only, no optical bandwidth limit: the optical link is the
        // electrical one with σ² = i_th²·fb/(2·(R·P_avg·m)²) in level units, i.e.
        // snr_db = 10·log10(σa²·h0²/σ²), worked out here by hand.
        let mut opt = optical_config(false, Sampling::Direct);
        opt.fec.code = FecCode::None;
        opt.channel.optical.power_dbm = -12.0;
        let d = AnalogDesign::new(&opt).unwrap();
        let p_avg = 1e-3 * 10f64.powf(-1.2);
        let er = 10f64.powf(0.5);
        let m = (er - 1.0) / (er + 1.0);
        let slope = 0.8 * p_avg * m;
        let sigma2 = (15e-12f64).powi(2) * opt.baud_hz / (2.0 * slope * slope);
        let h0 = d.channel_main_cursor;
        let snr_db = 10.0 * (5.0 / 9.0 * h0 * h0 / sigma2).log10();
        let mut ele = opt.clone();
        ele.channel.optical.enabled = false;
        ele.channel.snr_db = snr_db;
        let mut ser = [0.0; 2];
        for (i, c) in [&opt, &ele].into_iter().enumerate() {
            let mut link = Link::new(c, 5).unwrap();
            link.run(300_000).unwrap();
            let r = link.result();
            assert!(
                r.symbol_errors > 300,
                "SNR {snr_db:.2} dB: {}",
                r.symbol_errors
            );
            ser[i] = r.ser;
        }
        eprintln!(
            "SNR {snr_db:.2} dB: optical SER {} electrical {}",
            ser[0], ser[1]
        );
        assert!(
            (ser[0] / ser[1] - 1.0).abs() < 0.05,
            "optical {} vs electrical {}",
            ser[0],
            ser[1]
        );
    }

    fn xtalk_config(sampling: Sampling, aggressor: bool) -> LinkConfig {
        let mut cfg = LinkConfig::default();
        cfg.channel.snr_db = 100.0;
        cfg.rx.sampling = sampling;
        if aggressor {
            cfg.channel.crosstalk = vec![CrosstalkConfig {
                kind: XtalkKind::Next,
                coupling_db: -20.0,
                ..CrosstalkConfig::default()
            }];
        }
        cfg
    }

    #[test]
    fn crosstalk_adds_its_power_at_the_sampler_on_both_paths() {
        // Noise-free: the sampler's error variance grows by the aggressor's power
        // at the victim's sampling phase, σa²·Σ_i q(iT + φ)², with q the
        // aggressor's combined pulse (the peak phase of the victim's pulse).
        let cfg = xtalk_config(Sampling::Direct, true);
        let d = AnalogDesign::new(&cfg).unwrap();
        let m = d.samples_per_ui;
        let q = &d.aggressors[0].pulse;
        let want: f64 = 5.0 / 9.0
            * q.iter()
                .skip(d.peak_index % m)
                .step_by(m)
                .map(|&v| (v as f64).powi(2))
                .sum::<f64>();
        assert!(want > 1e-3, "the aggressor is visible: {want}");
        for sampling in [Sampling::Direct, Sampling::Oversampled] {
            let var = |agg: bool| {
                let (l, y) = front_end_run(&xtalk_config(sampling, agg), 60_000, 20_000);
                let v = per_level_variance(&l, &y);
                v.iter().sum::<f64>() / 4.0
            };
            let (with, without) = (var(true), var(false));
            let got = with - without;
            eprintln!("{sampling:?}: crosstalk power {got} vs {want} (ISI alone {without})");
            assert!(
                (got / want - 1.0).abs() < 0.15,
                "{sampling:?}: crosstalk power {got} vs {want} (ISI alone {without})"
            );
        }
    }

    #[test]
    fn aggressors_are_seeded_and_independent() {
        let mut a = AggressorSources::new(2, Modulation::Pam4, 7).unwrap();
        let mut b = AggressorSources::new(2, Modulation::Pam4, 7).unwrap();
        a.next(1000);
        b.next(600);
        let first = b.chunk.clone();
        b.next(400);
        for ((whole, head), tail) in a.chunk.iter().zip(&first).zip(&b.chunk) {
            assert_eq!(&whole[..600], &head[..], "chunk invariance");
            assert_eq!(&whole[600..], &tail[..]);
        }
        let same = a.chunk[0]
            .iter()
            .zip(&a.chunk[1])
            .filter(|(x, y)| x == y)
            .count();
        assert!(
            (200..300).contains(&same),
            "two aggressors agree on {same} of 1000"
        );
    }
}
