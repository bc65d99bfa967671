//! From a frequency response to impulse and pulse responses sampled at
//! `samples_per_ui × baud_hz`.
//!
//! # The route
//!
//! 1. **Grid.** `n = samples_per_ui · n_ui` time samples at `fs = samples_per_ui ·
//!    baud_hz`, i.e. frequencies `k · fs/n` for `k = 0 ..= n/2` (spacing
//!    `baud_hz / n_ui`). The response is periodic with period `n_ui` UI: choose
//!    `n_ui` longer than the channel's delay plus its settling time.
//! 2. **DC extrapolation** (tabulated data that starts above 0 Hz): the magnitude is
//!    held at its lowest-frequency value and the unwrapped phase goes linearly to 0 at
//!    DC (its multiple of 2π at the first point is chosen from the phase slope of the
//!    first two points, so that a long delay is not wrapped away).
//! 3. **Interpolation**: magnitude and unwrapped phase linearly onto the grid; zero
//!    above the last data point.
//! 4. **Window**: a raised-cosine roll-off over the top `roll_off` fraction of the
//!    band up to the band edge (the last data point or `fs/2`, whichever is lower). A
//!    smooth, real, even window in frequency is a short symmetric kernel in time: it
//!    removes the Gibbs ringing of the cut without the long non-causal tails of a
//!    brick wall, so the response stays causal to within its rise time.
//! 5. **Inverse FFT** (realfft, `f64`), scaled so that `h[k] = h(k/fs)/fs`: the
//!    samples are a discrete FIR whose DC gain `Σ h[k]` is `H(0)` and whose
//!    convolution with a waveform sampled at `fs` approximates the channel's output.
//! 6. **Delay**: the index of the peak, and the time where the step response first
//!    crosses 50 % of its final value (linear interpolation between samples).
//!
//! The pulse response is the impulse response convolved with a 1-UI rectangle of
//! unit height (`samples_per_ui` ones): the channel's answer to one isolated symbol.

use crate::error::{Error, Result};
use num_complex::Complex64;
use realfft::RealFftPlanner;

/// The default fraction of the band rolled off by the raised-cosine window.
pub const DEFAULT_ROLL_OFF: f64 = 0.1;

/// The largest number of samples (`samples_per_ui · n_ui`) of a response: `2^22`.
pub const MAX_SAMPLES: usize = 1 << 22;

/// The largest oversampling ratio.
pub const MAX_SAMPLES_PER_UI: usize = 1024;

/// A uniform frequency grid for a response of `n` samples at `fs`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    /// Samples per unit interval.
    pub samples_per_ui: usize,
    /// Symbol rate in Hz.
    pub baud_hz: f64,
    /// Number of time samples (`samples_per_ui · n_ui`).
    pub n: usize,
}

impl Grid {
    /// Checks and builds the grid: `samples_per_ui` in 1..=[`MAX_SAMPLES_PER_UI`],
    /// `baud_hz` finite and > 0, `n_ui ≥ 1` and `samples_per_ui · n_ui ≤`
    /// [`MAX_SAMPLES`].
    pub fn new(samples_per_ui: usize, baud_hz: f64, n_ui: usize) -> Result<Grid> {
        if !(1..=MAX_SAMPLES_PER_UI).contains(&samples_per_ui) {
            return Err(Error::invalid(
                "samples_per_ui",
                format!("1..={MAX_SAMPLES_PER_UI}"),
                samples_per_ui,
            ));
        }
        if !(baud_hz.is_finite() && baud_hz > 0.0) {
            return Err(Error::invalid("baud_hz", "a finite rate > 0 Hz", baud_hz));
        }
        let n = samples_per_ui.saturating_mul(n_ui);
        if n_ui == 0 || n > MAX_SAMPLES {
            return Err(Error::invalid(
                "n_ui",
                format!(
                    "1..={} at {samples_per_ui} samples per UI",
                    MAX_SAMPLES / samples_per_ui
                ),
                n_ui,
            ));
        }
        Ok(Grid {
            samples_per_ui,
            baud_hz,
            n,
        })
    }

    /// Sample rate `samples_per_ui · baud_hz` in Hz.
    pub fn sample_rate_hz(&self) -> f64 {
        self.samples_per_ui as f64 * self.baud_hz
    }

    /// Frequency spacing `fs / n` in Hz.
    pub fn df_hz(&self) -> f64 {
        self.sample_rate_hz() / self.n as f64
    }

    /// The frequencies `k · df` for `k = 0 ..= n/2`, in Hz.
    pub fn frequencies_hz(&self) -> Vec<f64> {
        let df = self.df_hz();
        (0..=self.n / 2).map(|k| k as f64 * df).collect()
    }
}

/// An impulse response sampled at `samples_per_ui · baud_hz`.
#[derive(Debug, Clone, PartialEq)]
pub struct ImpulseResponse {
    /// `h[k] = h(k/fs)/fs`: a discrete FIR with DC gain `Σ h[k] = H(0)`.
    pub samples: Vec<f32>,
    /// Samples per unit interval.
    pub samples_per_ui: usize,
    /// Symbol rate in Hz.
    pub baud_hz: f64,
    /// Index of the largest `|h[k]|`.
    pub peak_index: usize,
    /// Delay in seconds: where the step response first crosses half its final value
    /// (the peak's time if the final value is 0, as for a DC-blocked channel).
    pub delay_s: f64,
}

impl ImpulseResponse {
    /// Sample rate in Hz.
    pub fn sample_rate_hz(&self) -> f64 {
        self.samples_per_ui as f64 * self.baud_hz
    }

    /// The step response: running sum of the samples (unit step input).
    pub fn step(&self) -> Vec<f32> {
        let mut acc = 0.0f64;
        self.samples
            .iter()
            .map(|&v| {
                acc += v as f64;
                acc as f32
            })
            .collect()
    }

    /// The pulse response: the answer to a unit rectangle one UI long.
    pub fn pulse(&self) -> PulseResponse {
        let sps = self.samples_per_ui;
        let h = &self.samples;
        let mut acc = 0.0f64;
        let samples: Vec<f32> = (0..h.len())
            .map(|n| {
                acc += h[n] as f64;
                if n >= sps {
                    acc -= h[n - sps] as f64;
                }
                acc as f32
            })
            .collect();
        PulseResponse::new(samples, sps)
    }
}

/// A pulse response: the channel's output for one isolated unit symbol one UI long.
#[derive(Debug, Clone, PartialEq)]
pub struct PulseResponse {
    /// The samples, `samples_per_ui` per UI.
    pub samples: Vec<f32>,
    /// Samples per unit interval.
    pub samples_per_ui: usize,
    /// Index of the main cursor: the largest `|p[k]|`.
    pub peak_index: usize,
}

impl PulseResponse {
    /// Wraps pulse samples, finding the main cursor at the largest magnitude.
    pub fn new(samples: Vec<f32>, samples_per_ui: usize) -> PulseResponse {
        let peak_index = argmax_abs(&samples);
        PulseResponse {
            samples,
            samples_per_ui,
            peak_index,
        }
    }

    /// The main cursor value `p[peak_index]`.
    pub fn main_cursor(&self) -> f32 {
        self.samples.get(self.peak_index).copied().unwrap_or(0.0)
    }

    /// Symbol-spaced cursors around the main one: `pre` pre-cursors, the main
    /// cursor, `post` post-cursors, `p[peak ± k·samples_per_ui]` (0 outside the
    /// response), earliest first; the main cursor is at index `pre`.
    pub fn cursors(&self, pre: usize, post: usize) -> Vec<f32> {
        let sps = self.samples_per_ui as isize;
        let peak = self.peak_index as isize;
        (-(pre as isize)..=post as isize)
            .map(|k| {
                let i = peak + k * sps;
                if i >= 0 && (i as usize) < self.samples.len() {
                    self.samples[i as usize]
                } else {
                    0.0
                }
            })
            .collect()
    }
}

fn argmax_abs(x: &[f32]) -> usize {
    let mut best = 0;
    for (i, v) in x.iter().enumerate() {
        if v.abs() > x[best].abs() {
            best = i;
        }
    }
    best
}

/// Checks tabulated data: at least 2 points, frequencies finite, `≥ 0` and strictly
/// increasing, responses finite, lengths equal.
pub fn check_tabulated(freqs_hz: &[f64], h: &[Complex64]) -> Result<()> {
    if freqs_hz.len() < 2 {
        return Err(Error::invalid(
            "freqs_hz",
            "at least 2 frequencies",
            format!("{} frequencies", freqs_hz.len()),
        ));
    }
    if h.len() != freqs_hz.len() {
        return Err(Error::LengthMismatch {
            name: "h",
            expected: freqs_hz.len(),
            actual: h.len(),
        });
    }
    for (i, &f) in freqs_hz.iter().enumerate() {
        if !f.is_finite() || f < 0.0 {
            return Err(Error::invalid(
                "freqs_hz",
                "finite frequencies >= 0 Hz",
                format!("{f} at index {i}"),
            ));
        }
        if i > 0 && f <= freqs_hz[i - 1] {
            return Err(Error::invalid(
                "freqs_hz",
                "strictly increasing frequencies",
                format!("{f} after {} at index {i}", freqs_hz[i - 1]),
            ));
        }
    }
    if let Some(i) = h
        .iter()
        .position(|c| !(c.re.is_finite() && c.im.is_finite()))
    {
        return Err(Error::NonFinite {
            name: "h",
            index: i,
        });
    }
    Ok(())
}

/// Magnitude and unwrapped phase of tabulated data, with a DC point prepended when
/// the data starts above 0 Hz (see the module doc, step 2).
pub(crate) fn polar_with_dc(freqs_hz: &[f64], h: &[Complex64]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut phase: Vec<f64> = Vec::with_capacity(h.len() + 1);
    for c in h {
        let p = c.arg();
        match phase.last() {
            None => phase.push(p),
            Some(&prev) => {
                let d = p - prev;
                let d =
                    d - (2.0 * std::f64::consts::PI) * (d / (2.0 * std::f64::consts::PI)).round();
                phase.push(prev + d);
            }
        }
    }
    let mut mag: Vec<f64> = h.iter().map(|c| c.norm()).collect();
    let mut freqs = freqs_hz.to_vec();
    let tau = std::f64::consts::TAU;
    if freqs_hz[0] > 0.0 {
        // The phase at f0 as the first segment's slope extrapolates it from 0 Hz.
        let slope = (phase[1] - phase[0]) / (freqs_hz[1] - freqs_hz[0]);
        let k = ((slope * freqs_hz[0] - phase[0]) / tau).round();
        for p in &mut phase {
            *p += k * tau;
        }
        freqs.insert(0, 0.0);
        mag.insert(0, mag[0]);
        phase.insert(0, 0.0);
    } else {
        // At DC a real channel's response is real: phase 0 or π.
        let k = (phase[0] / tau).round();
        for p in &mut phase {
            *p -= k * tau;
        }
    }
    (freqs, mag, phase)
}

/// Linear interpolation of `y(x)` at `t` (`x` increasing, `x[0] ≤ t ≤ x[last]`).
pub(crate) fn interp(x: &[f64], y: &[f64], t: f64) -> f64 {
    let j = x.partition_point(|&v| v <= t);
    if j == 0 {
        return y[0];
    }
    if j >= x.len() {
        return y[x.len() - 1];
    }
    let (x0, x1) = (x[j - 1], x[j]);
    y[j - 1] + (y[j] - y[j - 1]) * (t - x0) / (x1 - x0)
}

/// Tabulated data on the grid (module doc, steps 2–3); returns the spectrum and the
/// last data frequency.
pub(crate) fn tabulated_on_grid(freqs_hz: &[f64], h: &[Complex64], grid: &Grid) -> Vec<Complex64> {
    let (f, mag, phase) = polar_with_dc(freqs_hz, h);
    let fmax = f[f.len() - 1];
    grid.frequencies_hz()
        .into_iter()
        .map(|t| {
            if t > fmax {
                Complex64::new(0.0, 0.0)
            } else {
                Complex64::from_polar(interp(&f, &mag, t), interp(&f, &phase, t))
            }
        })
        .collect()
}

/// The raised-cosine window of the module doc (step 4) at `f_hz`.
pub fn window(f_hz: f64, band_edge_hz: f64, roll_off: f64) -> f64 {
    let start = band_edge_hz * (1.0 - roll_off);
    if f_hz <= start {
        1.0
    } else if f_hz >= band_edge_hz {
        0.0
    } else {
        0.5 * (1.0 + (std::f64::consts::PI * (f_hz - start) / (band_edge_hz - start)).cos())
    }
}

/// Steps 4–6 of the module doc: windows `spectrum` (bins `0 ..= n/2` of `grid`) up
/// to `band_edge_hz`, inverts it and finds the delay.
pub(crate) fn impulse_from_spectrum(
    mut spectrum: Vec<Complex64>,
    grid: &Grid,
    band_edge_hz: f64,
    roll_off: f64,
) -> ImpulseResponse {
    let n = grid.n;
    let df = grid.df_hz();
    for (k, s) in spectrum.iter_mut().enumerate() {
        *s *= window(k as f64 * df, band_edge_hz, roll_off);
    }
    // A real signal's DC bin (and Nyquist bin for even n) is real.
    spectrum[0].im = 0.0;
    if n.is_multiple_of(2) {
        let last = spectrum.len() - 1;
        spectrum[last].im = 0.0;
    }
    let mut planner = RealFftPlanner::<f64>::new();
    let inv = planner.plan_fft_inverse(n);
    let mut out = inv.make_output_vec();
    inv.process(&mut spectrum, &mut out)
        .expect("lengths come from the plan and the edge bins are real");
    let samples: Vec<f32> = out.iter().map(|v| (v / n as f64) as f32).collect();
    let peak_index = argmax_abs(&samples);
    let fs = grid.sample_rate_hz();
    let delay_s = step_crossing(&out).unwrap_or(peak_index as f64) / fs;
    ImpulseResponse {
        samples,
        samples_per_ui: grid.samples_per_ui,
        baud_hz: grid.baud_hz,
        peak_index,
        delay_s,
    }
}

/// Fractional index where the running sum of `h` first crosses half its final value.
fn step_crossing(h: &[f64]) -> Option<f64> {
    let total: f64 = h.iter().sum();
    let scale: f64 = h.iter().map(|v| v.abs()).sum();
    if total.abs() <= 1e-6 * scale || scale == 0.0 {
        return None;
    }
    let half = 0.5 * total;
    let mut prev = 0.0f64;
    for (i, &v) in h.iter().enumerate() {
        let s = prev + v;
        if (s - half) * total.signum() >= 0.0 {
            // Between sample i−1 (prev) and i (s).
            let frac = if s != prev {
                (half - prev) / (s - prev)
            } else {
                1.0
            };
            return Some(i as f64 - 1.0 + frac);
        }
        prev = s;
    }
    None
}

/// Impulse response of tabulated data (`freqs_hz` strictly increasing, ≥ 0 Hz, `h`
/// the complex response there), by the route of the module doc with the default
/// roll-off.
///
/// ```
/// use num_complex::Complex64;
/// use serdes_dsp::channel::response::impulse_response;
/// // A flat, lossless channel: an impulse of unit area at t = 0.
/// let f: Vec<f64> = (0..=100).map(|k| k as f64 * 1e9).collect();
/// let h = vec![Complex64::new(1.0, 0.0); f.len()];
/// let ir = impulse_response(&f, &h, 8, 25e9, 64).unwrap();
/// let area: f32 = ir.samples.iter().sum();
/// assert!((area - 1.0).abs() < 1e-3);
/// assert_eq!(ir.peak_index, 0);
/// ```
pub fn impulse_response(
    freqs_hz: &[f64],
    h: &[Complex64],
    samples_per_ui: usize,
    baud_hz: f64,
    n_ui: usize,
) -> Result<ImpulseResponse> {
    check_tabulated(freqs_hz, h)?;
    let grid = Grid::new(samples_per_ui, baud_hz, n_ui)?;
    let spectrum = tabulated_on_grid(freqs_hz, h, &grid);
    let edge = freqs_hz[freqs_hz.len() - 1].min(grid.sample_rate_hz() / 2.0);
    Ok(impulse_from_spectrum(
        spectrum,
        &grid,
        edge,
        DEFAULT_ROLL_OFF,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pure_delay_is_found() {
        // H = exp(-j 2π f τ), τ = 100 ps, data from 10 MHz to 50 GHz.
        let tau = 100e-12;
        let f: Vec<f64> = (1..=5000).map(|k| k as f64 * 10e6).collect();
        let h: Vec<Complex64> = f
            .iter()
            .map(|&f| Complex64::from_polar(1.0, -std::f64::consts::TAU * f * tau))
            .collect();
        let ir = impulse_response(&f, &h, 16, 25e9, 32).unwrap();
        let fs = 16.0 * 25e9;
        // The peak is at 100 ps = 40 samples; the step crosses half a sample before.
        assert_eq!(ir.peak_index, 40);
        assert!((ir.delay_s - tau).abs() < 1.0 / fs, "{}", ir.delay_s);
        let pulse = ir.pulse();
        let c = pulse.cursors(1, 1);
        assert_eq!(c.len(), 3);
        // Band-limited to 2·baud, the rectangle overshoots (Gibbs) by about 9 %.
        assert!(
            (pulse.main_cursor() - 1.0).abs() < 0.15,
            "{}",
            pulse.main_cursor()
        );
    }

    #[test]
    fn dc_extrapolation_unwraps_a_long_delay() {
        // τ = 1 ns and data from 3 GHz: the wrapped phase at f0 is 0, the true −6π.
        let tau = 1e-9;
        let f: Vec<f64> = (0..200).map(|k| 3e9 + k as f64 * 0.1e9).collect();
        let h: Vec<Complex64> = f
            .iter()
            .map(|&f| Complex64::from_polar(1.0, -std::f64::consts::TAU * f * tau))
            .collect();
        let (_, _, phase) = polar_with_dc(&f, &h);
        assert_eq!(phase[0], 0.0);
        assert!(
            (phase[1] + 6.0 * std::f64::consts::PI).abs() < 1e-9,
            "{}",
            phase[1]
        );
    }

    #[test]
    fn bad_tabulated_data_is_an_error_naming_the_argument() {
        let c = Complex64::new(1.0, 0.0);
        let e = impulse_response(&[], &[], 8, 1e9, 16)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`freqs_hz`"), "{e}");
        let e = impulse_response(&[0.0, 2.0, 1.0], &[c; 3], 8, 1e9, 16)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`freqs_hz`") && e.contains("increasing"), "{e}");
        let e = impulse_response(&[0.0, f64::NAN], &[c; 2], 8, 1e9, 16)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`freqs_hz`"), "{e}");
        let e = impulse_response(&[0.0, 1.0], &[c; 3], 8, 1e9, 16)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`h`"), "{e}");
        let e = impulse_response(&[0.0, 1.0], &[c, Complex64::new(f64::NAN, 0.0)], 8, 1e9, 16)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`h`"), "{e}");
        let e = impulse_response(&[0.0, 1.0], &[c; 2], 0, 1e9, 16)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`samples_per_ui`"), "{e}");
        let e = impulse_response(&[0.0, 1.0], &[c; 2], 8, -1.0, 16)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`baud_hz`"), "{e}");
        let e = impulse_response(&[0.0, 1.0], &[c; 2], 8, 1e9, 0)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`n_ui`"), "{e}");
    }

    #[test]
    fn cursors_are_symbol_spaced_around_the_peak() {
        let p = PulseResponse::new(vec![0.0, 0.1, 0.2, 1.0, 0.5, 0.3, 0.2, 0.1], 2);
        assert_eq!(p.peak_index, 3);
        assert_eq!(p.cursors(2, 3), vec![0.0, 0.1, 1.0, 0.3, 0.1, 0.0]);
    }
}
