//! The CDR's loop: a second-order (type II) proportional–integral loop filter driving
//! the sampling phase, and the lock detector.
//!
//! Per symbol, with the detector's error `e_n` (positive = late) the loop computes
//!
//! ```text
//! f  ← f − k_i·e_n            frequency accumulator, UI per UI (−ppm·1e−6)
//! θ  ← θ + f − k_p·e_n        sampling phase, UI
//! ```
//!
//! The [`crate::cdr::Cdr`] applies it once per block of `update_every` symbols with
//! the block's summed error (the decimated loop of a parallel receiver). For offsets
//! small against a UI and a bandwidth far below the baud rate this is the continuous
//! type II loop `H(s) = (2ζω_n·s + ω_n²)/(s² + 2ζω_n·s + ω_n²)` from the data phase to
//! the sampling phase, with `2ζω_n = K_d·k_p` and `ω_n² = K_d·k_i` (`ω` in rad per UI,
//! `K_d` the detector gain in error per UI). [`LoopGains::from_bandwidth`] inverts this
//! for the jitter-transfer −3 dB bandwidth:
//! `ω_3dB = ω_n·√(1 + 2ζ² + √((1 + 2ζ²)² + 1))` (Gardner, *Phaselock Techniques*).

use crate::error::{Error, Result};
use std::f64::consts::PI;

/// Proportional and integral gains of the loop, per symbol (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoopGains {
    /// Phase correction per unit of detector error, UI.
    pub kp: f64,
    /// Frequency correction per unit of detector error, UI per UI.
    pub ki: f64,
}

/// `ω_3dB / ω_n` of the type II loop with damping `zeta`.
pub fn bandwidth_over_natural(zeta: f64) -> f64 {
    let a = 1.0 + 2.0 * zeta * zeta;
    (a + (a * a + 1.0).sqrt()).sqrt()
}

impl LoopGains {
    /// Gains given directly: finite, `kp > 0`, `ki ≥ 0` (`ki = 0` is a first-order
    /// loop that cannot track a frequency offset without a phase error).
    pub fn new(kp: f64, ki: f64) -> Result<LoopGains> {
        if !(kp.is_finite() && kp > 0.0 && kp < 1.0) {
            return Err(Error::invalid("kp", "0 < kp < 1", kp));
        }
        if !(ki.is_finite() && (0.0..0.25).contains(&ki)) {
            return Err(Error::invalid("ki", "0 <= ki < 0.25", ki));
        }
        Ok(LoopGains { kp, ki })
    }

    /// Gains for a jitter-transfer −3 dB bandwidth `bandwidth_hz` (> 0, at most
    /// `baud_hz/20`) and damping `damping` (> 0; 0.707 to 1 is usual, larger values
    /// trade peaking for a slower frequency pull-in) at `baud_hz`, for a detector of
    /// gain `detector_gain` (error per symbol per UI, > 0).
    pub fn from_bandwidth(
        bandwidth_hz: f64,
        damping: f64,
        baud_hz: f64,
        detector_gain: f64,
    ) -> Result<LoopGains> {
        if !(baud_hz.is_finite() && baud_hz > 0.0) {
            return Err(Error::invalid("baud_hz", "a finite rate > 0", baud_hz));
        }
        if !(bandwidth_hz.is_finite() && bandwidth_hz > 0.0 && bandwidth_hz <= baud_hz / 20.0) {
            return Err(Error::invalid(
                "bandwidth_hz",
                format!("0 < bandwidth_hz <= baud_hz/20 = {}", baud_hz / 20.0),
                bandwidth_hz,
            ));
        }
        if !(damping.is_finite() && damping > 0.0 && damping <= 100.0) {
            return Err(Error::invalid("damping", "0 < damping <= 100", damping));
        }
        if !(detector_gain.is_finite() && detector_gain > 0.0) {
            return Err(Error::invalid(
                "detector_gain",
                "a finite gain > 0",
                detector_gain,
            ));
        }
        let w3 = 2.0 * PI * bandwidth_hz / baud_hz; // rad per UI
        let wn = w3 / bandwidth_over_natural(damping);
        LoopGains::new(2.0 * damping * wn / detector_gain, wn * wn / detector_gain)
    }

    /// Natural frequency `ω_n/2π` in Hz at `baud_hz` with detector gain `detector_gain`.
    pub fn natural_frequency_hz(&self, baud_hz: f64, detector_gain: f64) -> f64 {
        (detector_gain * self.ki).sqrt() * baud_hz / (2.0 * PI)
    }

    /// Damping factor `ζ = K_d·k_p / (2ω_n)`.
    pub fn damping(&self, detector_gain: f64) -> f64 {
        detector_gain * self.kp / (2.0 * (detector_gain * self.ki).sqrt())
    }

    /// Jitter-transfer −3 dB bandwidth in Hz of the continuous model.
    pub fn bandwidth_hz(&self, baud_hz: f64, detector_gain: f64) -> f64 {
        self.natural_frequency_hz(baud_hz, detector_gain)
            * bandwidth_over_natural(self.damping(detector_gain))
    }

    /// `H(j2πf)` of the continuous model as `(re, im)`: sampling phase over data phase
    /// at jitter frequency `freq_hz` (the jitter transfer).
    pub fn transfer(&self, freq_hz: f64, baud_hz: f64, detector_gain: f64) -> (f64, f64) {
        let w = 2.0 * PI * freq_hz / baud_hz;
        let a = detector_gain * self.kp; // 2ζω_n
        let b = detector_gain * self.ki; // ω_n²
                                         // (b + j·a·w) / (b − w² + j·a·w)
        let (nr, ni) = (b, a * w);
        let (dr, di) = (b - w * w, a * w);
        let d2 = dr * dr + di * di;
        ((nr * dr + ni * di) / d2, (ni * dr - nr * di) / d2)
    }

    /// `|H(j2πf)|` (see [`LoopGains::transfer`]).
    pub fn transfer_magnitude(&self, freq_hz: f64, baud_hz: f64, detector_gain: f64) -> f64 {
        let (r, i) = self.transfer(freq_hz, baud_hz, detector_gain);
        r.hypot(i)
    }

    /// `|1 − H(j2πf)|`: the part of the data's jitter the sampler sees (the error
    /// transfer); jitter tolerance is the eye margin divided by it.
    pub fn error_magnitude(&self, freq_hz: f64, baud_hz: f64, detector_gain: f64) -> f64 {
        let (r, i) = self.transfer(freq_hz, baud_hz, detector_gain);
        (1.0 - r).hypot(i)
    }
}

/// The loop filter's state: the frequency accumulator, with its clamp.
#[derive(Debug, Clone, PartialEq)]
pub struct LoopFilter {
    gains: LoopGains,
    freq: f64,
    max_freq: f64,
}

/// The largest frequency offset the accumulator holds, as a fraction (±5 %).
pub const MAX_FREQUENCY_OFFSET: f64 = 0.05;

impl LoopFilter {
    /// A loop with `gains`, starting at frequency offset `initial_ppm` (|·| ≤ 50 000).
    pub fn new(gains: LoopGains, initial_ppm: f64) -> Result<LoopFilter> {
        let lim = MAX_FREQUENCY_OFFSET * 1e6;
        if !(initial_ppm.is_finite() && initial_ppm.abs() <= lim) {
            return Err(Error::invalid(
                "initial_ppm",
                format!("|initial_ppm| <= {lim}"),
                initial_ppm,
            ));
        }
        Ok(LoopFilter {
            gains,
            freq: ppm_to_freq(initial_ppm),
            max_freq: MAX_FREQUENCY_OFFSET,
        })
    }

    /// The gains.
    pub fn gains(&self) -> LoopGains {
        self.gains
    }

    /// The accumulator: sampling-period change in UI per UI (the sampler's period is
    /// `1 + f` UI of the nominal clock).
    pub fn frequency(&self) -> f64 {
        self.freq
    }

    /// The recovered data-rate offset in ppm (positive: data faster than nominal).
    pub fn frequency_ppm(&self) -> f64 {
        (1.0 / (1.0 + self.freq) - 1.0) * 1e6
    }

    /// Applies the summed error `error_sum` of `symbols` symbols: returns the phase
    /// step in UI over those symbols (`symbols·f − k_p·Σe` with the frequency before
    /// the update, the proportional kick clamped to ±`symbols`/4 UI) and updates `f`.
    #[inline]
    pub fn update(&mut self, error_sum: f64, symbols: usize) -> f64 {
        let f = self.freq;
        symbols as f64 * f - self.update_kick(error_sum, symbols)
    }

    /// [`LoopFilter::update`] returning only the proportional kick (clamped, UI): the
    /// CDR adds the frequency part ahead of time, so that only the kick waits for the
    /// block's error.
    #[inline(always)]
    pub(crate) fn update_kick(&mut self, error_sum: f64, symbols: usize) -> f64 {
        let kick = (self.gains.kp * error_sum).clamp(-(symbols as f64) / 4.0, symbols as f64 / 4.0);
        self.freq = (self.freq - self.gains.ki * error_sum).clamp(-self.max_freq, self.max_freq);
        kick
    }

    /// Sets the accumulator back to `initial_ppm`.
    pub fn reset_to(&mut self, initial_ppm: f64) {
        self.freq = ppm_to_freq(initial_ppm);
    }
}

/// The accumulator value that tracks a data rate of `ppm` (data period `1/(1 + ppm·1e−6)`).
pub fn ppm_to_freq(ppm: f64) -> f64 {
    1.0 / (1.0 + ppm * 1e-6) - 1.0
}

/// Lock detector: the eye at the recovered instants is open and the frequency
/// accumulator is still.
///
/// Over windows of `window` symbols it measures the rms slicer error `ε/A` and the
/// change of the frequency accumulator. A window is good when the rms is below
/// `threshold` and the frequency moved by less than `freq_tol_ppm`. Lock is
/// declared after `windows` good windows in a row, and lost after as many bad ones;
/// [`LockDetector::lock_time`] is the first symbol of the good run that led to lock.
#[derive(Debug, Clone, PartialEq)]
pub struct LockDetector {
    window: u64,
    threshold: f64,
    freq_tol: f64,
    windows: u32,
    acc: f64,
    count: u64,
    window_start: u64,
    window_freq: f64,
    good_run: u32,
    bad_run: u32,
    run_start: u64,
    locked: bool,
    lock_time: Option<u64>,
    losses: u64,
}

impl LockDetector {
    /// A lock detector (see the type doc): `window` ≥ 16 symbols, `0 < threshold`,
    /// `freq_tol_ppm > 0`, `windows ≥ 1`.
    pub fn new(
        window: u64,
        threshold: f64,
        freq_tol_ppm: f64,
        windows: u32,
    ) -> Result<LockDetector> {
        if window < 16 {
            return Err(Error::invalid("lock_window", "at least 16 symbols", window));
        }
        if !(threshold.is_finite() && threshold > 0.0) {
            return Err(Error::invalid(
                "lock_threshold",
                "a finite value > 0",
                threshold,
            ));
        }
        if !(freq_tol_ppm.is_finite() && freq_tol_ppm > 0.0) {
            return Err(Error::invalid(
                "lock_freq_tol_ppm",
                "a finite value > 0",
                freq_tol_ppm,
            ));
        }
        if windows == 0 {
            return Err(Error::invalid("lock_windows", "at least 1", windows));
        }
        Ok(LockDetector {
            window,
            threshold,
            freq_tol: freq_tol_ppm * 1e-6,
            windows,
            acc: 0.0,
            count: 0,
            window_start: 0,
            window_freq: f64::NAN,
            good_run: 0,
            bad_run: 0,
            run_start: 0,
            locked: false,
            lock_time: None,
            losses: 0,
        })
    }

    /// Adds the squared normalised slicer errors of a block ending at symbol `end`
    /// (exclusive), with the accumulator value `freq` after it.
    #[inline]
    pub fn add(&mut self, sq_sum: f64, symbols: u64, end: u64, freq: f64) {
        if self.window_freq.is_nan() {
            self.window_freq = freq;
        }
        self.acc += sq_sum;
        self.count += symbols;
        if self.count >= self.window {
            let rms = (self.acc / self.count as f64).sqrt();
            let still = (freq - self.window_freq).abs() < self.freq_tol;
            if rms < self.threshold && still {
                if self.good_run == 0 {
                    self.run_start = self.window_start;
                }
                self.good_run += 1;
                self.bad_run = 0;
                if !self.locked && self.good_run >= self.windows {
                    self.locked = true;
                    self.lock_time = Some(self.run_start);
                }
            } else {
                self.good_run = 0;
                self.bad_run += 1;
                if self.locked && self.bad_run >= self.windows {
                    self.locked = false;
                    self.lock_time = None;
                    self.losses += 1;
                }
            }
            self.acc = 0.0;
            self.count = 0;
            self.window_start = end;
            self.window_freq = freq;
        }
    }

    /// Whether the loop is locked now.
    pub fn locked(&self) -> bool {
        self.locked
    }

    /// The symbol index at which the current lock was acquired (`None` unlocked).
    pub fn lock_time(&self) -> Option<u64> {
        self.lock_time
    }

    /// How many times lock was lost.
    pub fn losses(&self) -> u64 {
        self.losses
    }

    /// Back to unlocked, window empty.
    pub fn reset(&mut self) {
        *self = LockDetector::new(
            self.window,
            self.threshold,
            self.freq_tol * 1e6,
            self.windows,
        )
        .expect("parameters were checked at construction");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bandwidth_design_round_trips() {
        for &(bw, zeta, kd) in &[(10e6, 0.707, 0.87), (1e6, 1.0, 0.5), (50e6, 3.0, 2.0)] {
            let g = LoopGains::from_bandwidth(bw, zeta, 53.125e9, kd).unwrap();
            assert!((g.bandwidth_hz(53.125e9, kd) / bw - 1.0).abs() < 1e-9);
            assert!((g.damping(kd) / zeta - 1.0).abs() < 1e-9);
            // |H| at the designed bandwidth is −3 dB (1/√2), independently of the
            // closed form used to design it.
            let h = g.transfer_magnitude(bw, 53.125e9, kd);
            assert!((h - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-9, "{h}");
            assert!((g.transfer_magnitude(bw * 1e-4, 53.125e9, kd) - 1.0).abs() < 1e-6);
        }
        // Critically damped: ω_3dB/ω_n = √(3 + √10) = 2.4823.
        assert!((bandwidth_over_natural(1.0) - 2.482_4).abs() < 1e-4);
    }

    #[test]
    fn bad_gains_are_errors_naming_the_argument() {
        let e = LoopGains::from_bandwidth(-1.0, 0.7, 1e9, 1.0).unwrap_err();
        assert!(e.to_string().contains("`bandwidth_hz`"), "{e}");
        assert!(LoopGains::from_bandwidth(1e6, 0.0, 1e9, 1.0)
            .unwrap_err()
            .to_string()
            .contains("`damping`"));
        assert!(LoopGains::from_bandwidth(1e6, 0.7, f64::NAN, 1.0).is_err());
        assert!(LoopGains::new(0.0, 0.0).is_err());
        assert!(LoopGains::new(0.01, -1e-5).is_err());
        assert!(LoopFilter::new(LoopGains::new(0.01, 1e-5).unwrap(), 1e6).is_err());
    }

    #[test]
    fn accumulator_converges_to_a_frequency_offset() {
        // A first-difference loop driven by a ramp: the error goes to zero only when
        // the accumulator equals the ramp's slope.
        let g = LoopGains::new(0.02, 2e-4).unwrap();
        let mut lf = LoopFilter::new(g, 0.0).unwrap();
        let (mut theta, mut phi) = (0.0f64, 0.0f64);
        let slope = ppm_to_freq(300.0);
        for _ in 0..200_000 {
            phi += slope;
            theta += lf.update(theta - phi, 1);
        }
        assert!(
            (lf.frequency_ppm() - 300.0).abs() < 1e-3,
            "{}",
            lf.frequency_ppm()
        );
        // e is measured after the data phase moved: the sampler leads by one step.
        assert!((theta - phi - slope).abs() < 1e-9, "{}", theta - phi);
    }

    #[test]
    fn lock_detector_needs_consecutive_good_windows() {
        let mut ld = LockDetector::new(100, 0.1, 10.0, 3).unwrap();
        let mut n = 0u64;
        for w in 0..10 {
            let err2 = if w < 4 { 1.0 } else { 1e-4 };
            n += 100;
            ld.add(err2 * 100.0, 100, n, 0.0);
        }
        assert!(ld.locked());
        assert_eq!(ld.lock_time(), Some(400));
        for _ in 0..3 {
            n += 100;
            ld.add(100.0, 100, n, 0.0);
        }
        assert!(!ld.locked());
        assert_eq!(ld.losses(), 1);
    }
}
