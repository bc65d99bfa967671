//! Time-interval error (TIE) of an oversampled waveform, and the jitter
//! components fitted to it.
//!
//! # Method
//!
//! 1. **Crossings.** Every crossing of each threshold is located by linear
//!    interpolation between the two samples around it (`t = i + (th − x_i)/(x_{i+1} − x_i)`,
//!    in samples). Crossings of one threshold closer than half a UI are one edge
//!    with noise chatter: an odd run of them is kept as one crossing at their mean
//!    time (direction of the first), an even run (a glitch that goes back) is dropped.
//!    With [`TieConfig::symmetry_tolerance`] set, a crossing is kept only if the
//!    waveform half a UI before and after it lies symmetrically about the threshold
//!    (`|(v_before + v_after)/2 − th| ≤ tol · |v_after − v_before|`): for PAM4
//!    with the three thresholds −⅔, 0, +⅔, this keeps the transitions 0↔1, 1↔2,
//!    2↔3 and 0↔3, whose crossing times do not depend on the data, and drops
//!    0↔2 and 1↔3 (their mid-point is ⅓ of the swing away from any threshold).
//! 2. **UI index.** Crossings in time order get a UI index `u`: the first 0, each
//!    next one the previous plus the gap rounded to whole UIs (so slow SJ of many
//!    UI is followed).
//! 3. **Ideal clock.** `t ≈ a + b·u` by least squares: phase `a` and period `b`
//!    (samples per UI; the frequency offset is `S/b − 1`). `TIE = (t − a − b·u)/b`
//!    in UI, positive when the edge is late.
//! 4. **SJ frequency.** Given, or searched: the TIE is put on the uniform UI grid
//!    (UIs without an edge interpolated linearly), Hann-windowed, zero-padded to a
//!    power of two and transformed (radix-2 FFT); the largest bin (above the
//!    lowest two) is refined by a golden-section search of the least-squares sine
//!    amplitude within ±1 bin, on the crossings themselves.
//! 5. **Joint fit.** `t = a + b·u + DCD·s_rf + DCD_eo·s_eo + A·sin(2πfu) + B·cos(2πfu)`
//!    by least squares, where `s_rf = ±½` on rising/falling and `s_eo = ±½` on
//!    even/odd UIs (each only if both kinds occur and the two are not the same
//!    split); the clock of this fit defines the TIE returned. SJ amplitude
//!    `√(A² + B²)/b` UI; DCD is the rising-minus-falling mean delay; RJ is the rms
//!    of what is left, the residual.

use crate::error::{check_finite, Error, Result};
use std::f64::consts::{PI, TAU};

/// How the sinusoidal jitter is fitted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SjFit {
    /// No SJ term in the fit.
    Off,
    /// Frequency found from the TIE spectrum.
    Search,
    /// Known frequency, cycles per UI (`f_sj / baud`, in `(0, 0.5]`).
    PerUi(f64),
}

/// What [`tie`] measures and fits.
#[derive(Debug, Clone, PartialEq)]
pub struct TieConfig {
    /// Samples per UI of the waveform, `>= 2` (the nominal clock).
    pub samples_per_ui: f64,
    /// Thresholds whose crossings are edges (`[0.0]` for NRZ ±1; `[-2/3, 0, 2/3]`
    /// for PAM4 levels ±1, ±⅓ with the symmetry filter).
    pub thresholds: Vec<f32>,
    /// Keep only crossings of transitions symmetric about their threshold, within
    /// this fraction of the swing (e.g. 0.15); `None` keeps every crossing.
    pub symmetry_tolerance: Option<f64>,
    /// How the SJ is fitted.
    pub sj: SjFit,
}

impl TieConfig {
    /// NRZ (or PAM4 middle threshold, every crossing): threshold 0, SJ searched.
    pub fn nrz(samples_per_ui: f64) -> TieConfig {
        TieConfig {
            samples_per_ui,
            thresholds: vec![0.0],
            symmetry_tolerance: None,
            sj: SjFit::Search,
        }
    }

    /// PAM4 with levels ±1, ±⅓: thresholds −⅔, 0, +⅔ with the symmetry filter at
    /// 0.15, SJ searched.
    pub fn pam4(samples_per_ui: f64) -> TieConfig {
        TieConfig {
            samples_per_ui,
            thresholds: vec![-2.0 / 3.0, 0.0, 2.0 / 3.0],
            symmetry_tolerance: Some(0.15),
            sj: SjFit::Search,
        }
    }
}

/// The fitted clock and jitter components; every `_ui` value is in UI of the
/// fitted clock.
#[derive(Debug, Clone, PartialEq)]
pub struct TieStats {
    /// Crossings used.
    pub edges: usize,
    /// Fitted period, samples per UI.
    pub period_samples: f64,
    /// Fitted time of UI index 0, samples.
    pub phase_samples: f64,
    /// `(samples_per_ui / period − 1)·10⁶`: how much faster the waveform's clock
    /// runs than the nominal one.
    pub frequency_offset_ppm: f64,
    /// RMS of the TIE.
    pub tie_rms_ui: f64,
    /// Peak-to-peak of the TIE.
    pub tie_pp_ui: f64,
    /// SJ amplitude (peak), 0 when not fitted.
    pub sj_amplitude_ui: f64,
    /// SJ frequency in cycles per UI (multiply by the baud rate for Hz); 0 when not fitted.
    pub sj_frequency_per_ui: f64,
    /// SJ phase at UI index 0, radians (`A·sin(2πfu + φ)`).
    pub sj_phase_rad: f64,
    /// DCD: mean delay of rising edges minus that of falling edges (`None` if one
    /// kind is missing).
    pub dcd_ui: Option<f64>,
    /// Mean delay of even-UI edges minus odd-UI ones (`None` if one kind is missing
    /// or it is the same split as rising/falling).
    pub dcd_even_odd_ui: Option<f64>,
    /// RJ: RMS of the residual after the clock, SJ and DCD terms.
    pub rj_rms_ui: f64,
}

/// A TIE measurement: per-crossing arrays (time order) and the fitted values.
#[derive(Debug, Clone, PartialEq)]
pub struct Tie {
    /// Crossing times, in samples from the start of the waveform.
    pub times: Vec<f64>,
    /// UI index of each crossing.
    pub ui: Vec<i64>,
    /// Whether each crossing is rising.
    pub rising: Vec<bool>,
    /// TIE against the fitted clock, UI (positive = late).
    pub tie_ui: Vec<f64>,
    /// TIE minus the fitted SJ and DCD: the random part, UI.
    pub residual_ui: Vec<f64>,
    /// The fitted values.
    pub stats: TieStats,
}

/// The fewest crossings [`tie`] fits.
pub const MIN_EDGES: usize = 8;

/// Measures the TIE of `waveform` and fits clock, SJ, DCD and RJ (see the
/// [module docs](self)). Errors name the argument: `samples_per_ui` below 2 or
/// not finite, no threshold or a non-finite one, a NaN in `waveform`, fewer than
/// [`MIN_EDGES`] crossings, a bad SJ frequency.
///
/// ```
/// use serdes_dsp::channel::tie::{tie, TieConfig};
/// // A clock pattern (1010…) at 8 samples/UI: edges exactly on the grid.
/// let x: Vec<f32> = (0..800).map(|i| if (i / 8) % 2 == 0 { 1.0 } else { -1.0 }).collect();
/// let t = tie(&x, &TieConfig::nrz(8.0))?;
/// assert!((t.stats.period_samples - 8.0).abs() < 1e-9);
/// assert!(t.stats.tie_rms_ui < 1e-9);
/// # Ok::<(), serdes_dsp::Error>(())
/// ```
pub fn tie(waveform: &[f32], cfg: &TieConfig) -> Result<Tie> {
    let s = cfg.samples_per_ui;
    if !(s.is_finite() && s >= 2.0) {
        return Err(Error::invalid("samples_per_ui", "a finite number >= 2", s));
    }
    if cfg.thresholds.is_empty() {
        return Err(Error::invalid(
            "thresholds",
            "at least one threshold",
            "none",
        ));
    }
    check_finite("thresholds", &cfg.thresholds)?;
    if let Some(tol) = cfg.symmetry_tolerance {
        if !(tol.is_finite() && tol > 0.0) {
            return Err(Error::invalid(
                "symmetry_tolerance",
                "a finite number > 0",
                tol,
            ));
        }
    }
    if let SjFit::PerUi(f) = cfg.sj {
        if !(f.is_finite() && f > 0.0 && f <= 0.5) {
            return Err(Error::invalid(
                "sj_frequency",
                "a frequency in (0, 0.5] cycles per UI (0 < f_sj <= baud/2)",
                f,
            ));
        }
    }
    check_finite("waveform", waveform)?;

    let mut edges: Vec<(f64, bool)> = Vec::new();
    for &th in &cfg.thresholds {
        crossings(waveform, th, s, cfg.symmetry_tolerance, &mut edges);
    }
    edges.sort_by(|a, b| a.0.total_cmp(&b.0));
    if edges.len() < MIN_EDGES {
        return Err(Error::invalid(
            "waveform",
            format!("a waveform with at least {MIN_EDGES} threshold crossings"),
            format!("{} crossings", edges.len()),
        ));
    }
    let times: Vec<f64> = edges.iter().map(|e| e.0).collect();
    let rising: Vec<bool> = edges.iter().map(|e| e.1).collect();
    let mut ui = Vec::with_capacity(times.len());
    ui.push(0i64);
    for w in times.windows(2) {
        let last = *ui.last().unwrap_or(&0);
        ui.push(last + ((w[1] - w[0]) / s).round() as i64);
    }

    // Step 3: the clock alone.
    let uf: Vec<f64> = ui.iter().map(|&u| u as f64).collect();
    let clock = lstsq(&[&ones(uf.len()), &uf], &times).unwrap_or_else(|| vec![times[0], s]);
    let tie0: Vec<f64> = times
        .iter()
        .zip(&uf)
        .map(|(t, u)| (t - clock[0] - clock[1] * u) / clock[1])
        .collect();

    // Step 4: the SJ frequency.
    let f_sj = match cfg.sj {
        SjFit::Off => None,
        SjFit::PerUi(f) => Some(f),
        SjFit::Search => search_sj(&ui, &tie0),
    };

    // Step 5: the joint fit.
    let half = |b: bool| if b { 0.5 } else { -0.5 };
    let s_rf: Vec<f64> = rising.iter().map(|&r| half(r)).collect();
    let s_eo: Vec<f64> = ui.iter().map(|&u| half(u.rem_euclid(2) == 0)).collect();
    let varies = |v: &[f64]| v.iter().any(|&a| a != v[0]);
    let use_rf = varies(&s_rf);
    let same_split = s_rf.iter().zip(&s_eo).all(|(a, b)| a == b)
        || s_rf.iter().zip(&s_eo).all(|(a, b)| a == &-b);
    let use_eo = varies(&s_eo) && !(use_rf && same_split);
    let one = ones(uf.len());
    let mut cols: Vec<&[f64]> = vec![&one, &uf];
    if use_rf {
        cols.push(&s_rf);
    }
    if use_eo {
        cols.push(&s_eo);
    }
    let (sin, cos): (Vec<f64>, Vec<f64>) = match f_sj {
        Some(f) => uf.iter().map(|&u| (TAU * f * u).sin_cos()).unzip(),
        None => (vec![], vec![]),
    };
    if f_sj.is_some() {
        cols.push(&sin);
        cols.push(&cos);
    }
    let coef = lstsq(&cols, &times).ok_or_else(|| {
        Error::invalid(
            "waveform",
            "crossings spread over enough UIs to fit the clock and jitter terms",
            format!("{} crossings", times.len()),
        )
    })?;
    let (a, b) = (coef[0], coef[1]);
    let mut next = 2;
    let mut take = |used: bool| {
        used.then(|| {
            next += 1;
            coef[next - 1]
        })
    };
    let dcd = take(use_rf);
    let dcd_eo = take(use_eo);
    let (sa, sb) = match f_sj {
        Some(_) => (coef[next], coef[next + 1]),
        None => (0.0, 0.0),
    };
    let tie_ui: Vec<f64> = times
        .iter()
        .zip(&uf)
        .map(|(t, u)| (t - a - b * u) / b)
        .collect();
    let residual_ui: Vec<f64> = (0..times.len())
        .map(|j| {
            let mut r = tie_ui[j] * b;
            if let Some(d) = dcd {
                r -= d * s_rf[j];
            }
            if let Some(d) = dcd_eo {
                r -= d * s_eo[j];
            }
            if f_sj.is_some() {
                r -= sa * sin[j] + sb * cos[j];
            }
            r / b
        })
        .collect();
    let rms = |v: &[f64]| (v.iter().map(|x| x * x).sum::<f64>() / v.len() as f64).sqrt();
    let (lo, hi) = tie_ui
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    let dof = (times.len() as f64 / (times.len() - cols.len()).max(1) as f64).sqrt();
    // A·sin(x + φ) = A cos φ sin x + A sin φ cos x.
    let stats = TieStats {
        edges: times.len(),
        period_samples: b,
        phase_samples: a,
        frequency_offset_ppm: (s / b - 1.0) * 1e6,
        tie_rms_ui: rms(&tie_ui),
        tie_pp_ui: hi - lo,
        sj_amplitude_ui: sa.hypot(sb) / b,
        sj_frequency_per_ui: f_sj.unwrap_or(0.0),
        sj_phase_rad: sb.atan2(sa),
        dcd_ui: dcd.map(|d| d / b),
        dcd_even_odd_ui: dcd_eo.map(|d| d / b),
        rj_rms_ui: rms(&residual_ui) * dof,
    };
    Ok(Tie {
        times,
        ui,
        rising,
        tie_ui,
        residual_ui,
        stats,
    })
}

fn ones(n: usize) -> Vec<f64> {
    vec![1.0; n]
}

/// Appends the crossings of `th` (time in samples, rising) to `out`.
fn crossings(x: &[f32], th: f32, s: f64, sym: Option<f64>, out: &mut Vec<(f64, bool)>) {
    let mut raw: Vec<(f64, bool)> = Vec::new();
    for (i, w) in x.windows(2).enumerate() {
        let (a, b) = (w[0], w[1]);
        if (a < th) != (b < th) {
            let (a, b, th) = (a as f64, b as f64, th as f64);
            raw.push((i as f64 + (th - a) / (b - a), b > a));
        }
    }
    // Merge chatter: runs of crossings closer than half a UI.
    let mut j = 0;
    while j < raw.len() {
        let mut e = j + 1;
        while e < raw.len() && raw[e].0 - raw[e - 1].0 < s / 2.0 {
            e += 1;
        }
        if (e - j) % 2 == 1 {
            let t = raw[j..e].iter().map(|c| c.0).sum::<f64>() / (e - j) as f64;
            let keep = match sym {
                None => true,
                Some(tol) => {
                    let (lo, hi) = (t - s / 2.0, t + s / 2.0);
                    if lo < 0.0 || hi > (x.len() - 1) as f64 {
                        false
                    } else {
                        let (vb, va) = (lerp(x, lo), lerp(x, hi));
                        ((vb + va) / 2.0 - th as f64).abs() <= tol * (va - vb).abs()
                    }
                }
            };
            if keep {
                out.push((t, raw[j].1));
            }
        }
        j = e;
    }
}

fn lerp(x: &[f32], t: f64) -> f64 {
    let i = (t.floor() as usize).min(x.len() - 2);
    let f = t - i as f64;
    x[i] as f64 * (1.0 - f) + x[i + 1] as f64 * f
}

/// Least squares `y ≈ Σ c_i cols[i]` by the normal equations (columns centred and
/// scaled first for conditioning); `None` if they are singular.
fn lstsq(cols: &[&[f64]], y: &[f64]) -> Option<Vec<f64>> {
    let p = cols.len();
    let n = y.len();
    // Scale each column to unit rms (the constant column stays 1).
    let scale: Vec<f64> = cols
        .iter()
        .map(|c| {
            let r = (c.iter().map(|v| v * v).sum::<f64>() / n as f64).sqrt();
            if r > 0.0 {
                r
            } else {
                1.0
            }
        })
        .collect();
    let mut m = vec![vec![0.0; p + 1]; p];
    for r in 0..p {
        for c in r..p {
            let v: f64 = cols[r].iter().zip(cols[c]).map(|(a, b)| a * b).sum::<f64>()
                / (scale[r] * scale[c]);
            m[r][c] = v;
            m[c][r] = v;
        }
        m[r][p] = cols[r].iter().zip(y).map(|(a, b)| a * b).sum::<f64>() / scale[r];
    }
    // Gaussian elimination with partial pivoting.
    for k in 0..p {
        let piv = (k..p).max_by(|&a, &b| m[a][k].abs().total_cmp(&m[b][k].abs()))?;
        if m[piv][k].abs() < 1e-9 * n as f64 {
            return None;
        }
        m.swap(k, piv);
        let (top, bottom) = m.split_at_mut(k + 1);
        let pivot = &top[k];
        for row in bottom {
            let f = row[k] / pivot[k];
            for (a, b) in row[k..].iter_mut().zip(&pivot[k..]) {
                *a -= f * b;
            }
        }
    }
    let mut x = vec![0.0; p];
    for k in (0..p).rev() {
        let mut v = m[k][p];
        for c in k + 1..p {
            v -= m[k][c] * x[c];
        }
        x[k] = v / m[k][k];
    }
    Some(x.iter().zip(&scale).map(|(v, s)| v / s).collect())
}

/// The LS amplitude² of a sine of `f` cycles/UI in `tie` (with a constant).
fn sine_power(ui: &[i64], tie: &[f64], f: f64) -> f64 {
    let (mut ss, mut sc, mut cc, mut ys, mut yc) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let mean = tie.iter().sum::<f64>() / tie.len() as f64;
    for (&u, &y) in ui.iter().zip(tie) {
        let (s, c) = (TAU * f * u as f64).sin_cos();
        let y = y - mean;
        ss += s * s;
        sc += s * c;
        cc += c * c;
        ys += y * s;
        yc += y * c;
    }
    let det = ss * cc - sc * sc;
    if det.abs() < 1e-12 {
        return 0.0;
    }
    let a = (ys * cc - yc * sc) / det;
    let b = (yc * ss - ys * sc) / det;
    a * a + b * b
}

/// The frequency (cycles per UI) of the largest sine in the TIE, if any.
fn search_sj(ui: &[i64], tie: &[f64]) -> Option<f64> {
    let span = (ui[ui.len() - 1] - ui[0]) as usize + 1;
    if span < 8 {
        return None;
    }
    let n = span.next_power_of_two().max(16);
    let mut re = vec![0.0; n];
    // The TIE on the UI grid, gaps interpolated linearly.
    for (w, t) in ui.windows(2).zip(tie.windows(2)) {
        let (u0, u1) = (w[0] as usize, w[1] as usize);
        for (u, v) in re.iter_mut().enumerate().take(u1.max(u0 + 1)).skip(u0) {
            let f = if u1 > u0 {
                (u - u0) as f64 / (u1 - u0) as f64
            } else {
                0.0
            };
            *v = t[0] + (t[1] - t[0]) * f;
        }
    }
    re[span - 1] = tie[tie.len() - 1];
    let mean = re[..span].iter().sum::<f64>() / span as f64;
    for (u, v) in re[..span].iter_mut().enumerate() {
        let w = 0.5 - 0.5 * (TAU * u as f64 / (span - 1) as f64).cos();
        *v = (*v - mean) * w;
    }
    let mut im = vec![0.0; n];
    fft(&mut re, &mut im);
    let k = (2..n / 2 + 1).max_by(|&a, &b| (re[a].hypot(im[a])).total_cmp(&re[b].hypot(im[b])))?;
    // Golden-section refinement of the LS sine power within ±1 bin.
    let bin = 1.0 / n as f64;
    let (mut lo, mut hi) = ((k as f64 - 1.0) * bin, ((k as f64 + 1.0) * bin).min(0.5));
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut x1 = hi - g * (hi - lo);
    let mut x2 = lo + g * (hi - lo);
    let (mut f1, mut f2) = (sine_power(ui, tie, x1), sine_power(ui, tie, x2));
    for _ in 0..60 {
        if f1 > f2 {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - g * (hi - lo);
            f1 = sine_power(ui, tie, x1);
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + g * (hi - lo);
            f2 = sine_power(ui, tie, x2);
        }
        if hi - lo < 1e-6 * bin {
            break;
        }
    }
    Some((lo + hi) / 2.0)
}

/// In-place radix-2 decimation-in-time FFT (`n` a power of two), `X_k = Σ x_n e^{−2πikn/N}`.
fn fft(re: &mut [f64], im: &mut [f64]) {
    let n = re.len();
    let bits = n.trailing_zeros();
    for i in 0..n {
        let j = i.reverse_bits() >> (usize::BITS - bits);
        if j > i {
            re.swap(i, j);
            im.swap(i, j);
        }
    }
    let mut len = 2;
    while len <= n {
        let ang = -2.0 * PI / len as f64;
        for start in (0..n).step_by(len) {
            for k in 0..len / 2 {
                let (ws, wc) = (ang * k as f64).sin_cos();
                let (a, b) = (start + k, start + k + len / 2);
                let (xr, xi) = (re[b] * wc - im[b] * ws, re[b] * ws + im[b] * wc);
                re[b] = re[a] - xr;
                im[b] = im[a] - xi;
                re[a] += xr;
                im[a] += xi;
            }
        }
        len *= 2;
    }
}

#[cfg(test)]
mod tests;
