//! Optical intensity modulation with direct detection (IM-DD), as in co-packaged
//! optics links: electrical drive → laser/modulator → fibre and bandwidth limit →
//! photodiode → transimpedance amplifier (TIA) → electrical waveform.
//!
//! # The model, per sample
//!
//! 1. **Modulator.** The drive `v` (normalised: −1 is the "0" level, +1 the "1"
//!    level, PAM4 levels ±1, ±⅓ in between) sets the optical power
//!    `P = P_avg · (1 + m·v)`, clipped at 0 W, with `m = (ER − 1)/(ER + 1)` so that
//!    `P1/P0 = ER` (extinction ratio, linear) and `OMA = P1 − P0 = 2·m·P_avg`.
//!    Either `P_avg` or the OMA is given (dBm); the other follows from the ER.
//! 2. **Bandwidth.** The power goes through a unit-DC-gain low pass: first order, or
//!    second-order Butterworth, −3 dB at the given frequency (bilinear transform
//!    with pre-warping, so the −3 dB point is exact), standing for the modulator,
//!    fibre and photodiode response.
//! 3. **Photodiode.** `I = R·P` (responsivity `R`, A/W) plus Gaussian noise of
//!    variance `σ² = (RIN·I² + 2q·I + i_th²)·B`: relative intensity noise of the
//!    laser (`RIN` in dB/Hz, one-sided, on the received power), shot noise (`q` the
//!    electron charge) and the receiver's input-referred thermal noise density
//!    `i_th` (A/√Hz). `B = sample_rate_hz / 2`: the noise is white over the
//!    simulated band; band-limit it with the receiver's own filter (a CTLE) after
//!    this block.
//! 4. **TIA.** `V = G·I`, `G` the transimpedance in Ω.
//!
//! Streaming: the filter state and the noise stream carry across calls, so any
//! chunking gives the same output, bit for bit. Before the first sample the filter
//! is at rest at the first sample's power (no start-up transient).

use crate::channel::Gaussian;
use crate::error::{check_finite, check_len, Error, Result};

/// The electron charge, C.
pub const ELECTRON_CHARGE: f64 = 1.602_176_634e-19;

/// How the optical power level is given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OpticalPower {
    /// Average power, dBm.
    AverageDbm(f64),
    /// Optical modulation amplitude `P1 − P0`, dBm.
    OmaDbm(f64),
}

/// The configuration of an [`OpticalLink`].
#[derive(Debug, Clone, PartialEq)]
pub struct OpticalConfig {
    /// Sample rate of the waveform, Hz (finite, `> 0`).
    pub sample_rate_hz: f64,
    /// Extinction ratio `10·log10(P1/P0)`, dB (finite, `> 0`).
    pub extinction_ratio_db: f64,
    /// Average power or OMA.
    pub power: OpticalPower,
    /// Laser RIN, dB/Hz (e.g. −140); `None` for none.
    pub rin_db_hz: Option<f64>,
    /// −3 dB bandwidth of the optical path, Hz (`< sample_rate_hz / 2`); `None` for none.
    pub bandwidth_hz: Option<f64>,
    /// Order of the bandwidth limit: 1 or 2 (Butterworth).
    pub bandwidth_order: u32,
    /// Photodiode responsivity, A/W (finite, `> 0`).
    pub responsivity_a_per_w: f64,
    /// Input-referred thermal noise density of the receiver, pA/√Hz (finite, `>= 0`).
    pub thermal_noise_pa_per_rt_hz: f64,
    /// Whether to add shot noise `2qI·B`.
    pub shot_noise: bool,
    /// TIA transimpedance, Ω (finite, `> 0`).
    pub tia_gain_ohm: f64,
}

impl OpticalConfig {
    /// A typical 200G-per-lane CPO receiver at `sample_rate_hz`: ER 5 dB, 0 dBm
    /// average, RIN −145 dB/Hz, 45 GHz second-order bandwidth, 0.8 A/W,
    /// 15 pA/√Hz, shot noise on, 1 kΩ.
    pub fn typical(sample_rate_hz: f64) -> OpticalConfig {
        OpticalConfig {
            sample_rate_hz,
            extinction_ratio_db: 5.0,
            power: OpticalPower::AverageDbm(0.0),
            rin_db_hz: Some(-145.0),
            bandwidth_hz: Some(45e9),
            bandwidth_order: 2,
            responsivity_a_per_w: 0.8,
            thermal_noise_pa_per_rt_hz: 15.0,
            shot_noise: true,
            tia_gain_ohm: 1000.0,
        }
    }
}

/// A biquad in transposed direct form II, `f64` state.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Biquad {
    b: [f64; 3],
    a: [f64; 2],
    s: [f64; 2],
}

impl Biquad {
    fn step(&mut self, x: f64) -> f64 {
        let y = self.b[0] * x + self.s[0];
        self.s[0] = self.b[1] * x - self.a[0] * y + self.s[1];
        self.s[1] = self.b[2] * x - self.a[1] * y;
        y
    }

    /// The state of a filter at rest at the constant `c` (DC gain 1).
    fn rest_at(&mut self, c: f64) {
        self.s[1] = (self.b[2] - self.a[1]) * c;
        self.s[0] = (self.b[1] - self.a[0]) * c + self.s[1];
    }
}

/// The IM-DD link: see the [module docs](self).
///
/// ```
/// use serdes_dsp::channel::optical::{OpticalConfig, OpticalLink, OpticalPower};
///
/// let cfg = OpticalConfig {
///     rin_db_hz: None,
///     thermal_noise_pa_per_rt_hz: 0.0,
///     shot_noise: false,
///     bandwidth_hz: None,
///     power: OpticalPower::AverageDbm(0.0), // 1 mW
///     extinction_ratio_db: 10.0 * 3f64.log10(), // ER = 3
///     ..OpticalConfig::typical(8.0 * 53.125e9)
/// };
/// let mut link = OpticalLink::new(cfg, 1)?;
/// // P1 = 1.5 mW, P0 = 0.5 mW; 0.8 A/W, 1 kΩ: 1.2 V and 0.4 V.
/// let v = link.process(&[1.0, -1.0])?;
/// assert!((v[0] - 1.2).abs() < 1e-6 && (v[1] - 0.4).abs() < 1e-6);
/// # Ok::<(), serdes_dsp::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct OpticalLink {
    cfg: OpticalConfig,
    p_avg_w: f64,
    m: f64,
    rin: f64,
    ith2: f64,
    bandwidth: f64,
    filter: Option<Biquad>,
    started: bool,
    noise: Gaussian,
    scratch: Vec<f32>,
}

fn positive(name: &'static str, v: f64, unit: &str) -> Result<()> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            name,
            format!("a finite number of {unit} > 0"),
            v,
        ))
    }
}

impl OpticalLink {
    /// The link for `cfg`, noise seeded by `seed`. Errors name the field at fault.
    pub fn new(cfg: OpticalConfig, seed: u64) -> Result<OpticalLink> {
        positive("sample_rate_hz", cfg.sample_rate_hz, "Hz")?;
        positive("extinction_ratio_db", cfg.extinction_ratio_db, "dB")?;
        positive("responsivity_a_per_w", cfg.responsivity_a_per_w, "A/W")?;
        positive("tia_gain_ohm", cfg.tia_gain_ohm, "Ω")?;
        let th = cfg.thermal_noise_pa_per_rt_hz;
        if !(th.is_finite() && th >= 0.0) {
            return Err(Error::invalid(
                "thermal_noise_pa_per_rt_hz",
                "a finite number of pA/√Hz >= 0",
                th,
            ));
        }
        let er = 10f64.powf(cfg.extinction_ratio_db / 10.0);
        let m = (er - 1.0) / (er + 1.0);
        let p_avg_w = match cfg.power {
            OpticalPower::AverageDbm(d) => {
                if !(d.is_finite() && d <= 60.0) {
                    return Err(Error::invalid(
                        "power_dbm",
                        "a finite number of dBm <= 60",
                        d,
                    ));
                }
                1e-3 * 10f64.powf(d / 10.0)
            }
            OpticalPower::OmaDbm(d) => {
                if !(d.is_finite() && d <= 60.0) {
                    return Err(Error::invalid("oma_dbm", "a finite number of dBm <= 60", d));
                }
                1e-3 * 10f64.powf(d / 10.0) / (2.0 * m)
            }
        };
        let rin = match cfg.rin_db_hz {
            None => 0.0,
            Some(r) => {
                if !(r.is_finite() && r <= 0.0) {
                    return Err(Error::invalid(
                        "rin_db_hz",
                        "a finite number of dB/Hz <= 0",
                        r,
                    ));
                }
                10f64.powf(r / 10.0)
            }
        };
        let fs = cfg.sample_rate_hz;
        let filter = match cfg.bandwidth_hz {
            None => None,
            Some(f) => {
                if !(f.is_finite() && f > 0.0 && f < fs / 2.0) {
                    return Err(Error::invalid(
                        "bandwidth_hz",
                        format!(
                            "a number of Hz in (0, {}) (below half the sample rate)",
                            fs / 2.0
                        ),
                        f,
                    ));
                }
                let k = (std::f64::consts::PI * f / fs).tan();
                Some(match cfg.bandwidth_order {
                    1 => Biquad {
                        b: [k / (1.0 + k), k / (1.0 + k), 0.0],
                        a: [(k - 1.0) / (k + 1.0), 0.0],
                        s: [0.0; 2],
                    },
                    2 => {
                        let q = std::f64::consts::FRAC_1_SQRT_2;
                        let norm = 1.0 / (1.0 + k / q + k * k);
                        let b0 = k * k * norm;
                        Biquad {
                            b: [b0, 2.0 * b0, b0],
                            a: [2.0 * (k * k - 1.0) * norm, (1.0 - k / q + k * k) * norm],
                            s: [0.0; 2],
                        }
                    }
                    o => return Err(Error::invalid("bandwidth_order", "1 or 2", o)),
                })
            }
        };
        Ok(OpticalLink {
            p_avg_w,
            m,
            rin,
            ith2: (th * 1e-12).powi(2),
            bandwidth: fs / 2.0,
            filter,
            started: false,
            noise: Gaussian::new(seed),
            scratch: Vec::new(),
            cfg,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &OpticalConfig {
        &self.cfg
    }

    /// Average optical power, W.
    pub fn average_power_w(&self) -> f64 {
        self.p_avg_w
    }

    /// Optical power of the "1" level (drive +1), W.
    pub fn p1_w(&self) -> f64 {
        self.p_avg_w * (1.0 + self.m)
    }

    /// Optical power of the "0" level (drive −1), W.
    pub fn p0_w(&self) -> f64 {
        self.p_avg_w * (1.0 - self.m)
    }

    /// Optical modulation amplitude `P1 − P0`, W.
    pub fn oma_w(&self) -> f64 {
        2.0 * self.m * self.p_avg_w
    }

    /// Noise bandwidth `B` of the noise terms: half the sample rate, Hz.
    pub fn noise_bandwidth_hz(&self) -> f64 {
        self.bandwidth
    }

    /// Standard deviation of the photocurrent noise at photocurrent `i_a` (A):
    /// `√((RIN·I² + 2qI + i_th²)·B)`, A.
    pub fn noise_sigma_a(&self, i_a: f64) -> f64 {
        let shot = if self.cfg.shot_noise {
            2.0 * ELECTRON_CHARGE * i_a
        } else {
            0.0
        };
        ((self.rin * i_a * i_a + shot + self.ith2) * self.bandwidth).sqrt()
    }

    /// The noiseless output levels `[G·R·P0, G·R·P1]` for drives −1 and +1, V.
    pub fn levels_v(&self) -> [f64; 2] {
        let g = self.cfg.tia_gain_ohm * self.cfg.responsivity_a_per_w;
        [g * self.p0_w(), g * self.p1_w()]
    }

    /// Back to the start of the stream: filter not started, noise from the seed.
    pub fn reset(&mut self) {
        self.started = false;
        self.noise.reset();
    }

    /// Allocating form of [`OpticalLink::process_into`].
    pub fn process(&mut self, x: &[f32]) -> Result<Vec<f32>> {
        let mut out = vec![0.0; x.len()];
        self.process_into(x, &mut out)?;
        Ok(out)
    }

    /// The electrical output (V) for the next chunk of drive `x` into `out` (same
    /// length). Errors, leaving the state untouched, on a wrong `out` length or a
    /// NaN or infinite drive sample.
    pub fn process_into(&mut self, x: &[f32], out: &mut [f32]) -> Result<()> {
        check_len("out", x.len(), out.len())?;
        check_finite("x", x)?;
        if x.is_empty() {
            return Ok(());
        }
        let power = |v: f32| (self.p_avg_w * (1.0 + self.m * v as f64)).max(0.0);
        if !self.started {
            if let Some(f) = &mut self.filter {
                f.rest_at(power(x[0]));
            }
            self.started = true;
        }
        self.scratch.resize(x.len(), 0.0);
        self.noise.fill(&mut self.scratch);
        let r = self.cfg.responsivity_a_per_w;
        let g = self.cfg.tia_gain_ohm;
        let shot = if self.cfg.shot_noise {
            2.0 * ELECTRON_CHARGE
        } else {
            0.0
        };
        let (rin, ith2, b) = (self.rin, self.ith2, self.bandwidth);
        let (p_avg, m) = (self.p_avg_w, self.m);
        for ((o, &v), &n) in out.iter_mut().zip(x).zip(&self.scratch) {
            let p = (p_avg * (1.0 + m * v as f64)).max(0.0);
            let p = match &mut self.filter {
                Some(f) => f.step(p),
                None => p,
            };
            let i = r * p;
            let sigma = ((rin * i * i + shot * i.max(0.0) + ith2) * b).sqrt();
            *o = (g * (i + sigma * n as f64)) as f32;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
