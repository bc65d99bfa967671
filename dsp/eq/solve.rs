//! FFE taps from a pulse response: least-squares zero-forcing and MMSE.
//!
//! The pulse `p` is the channel's response to one symbol, sampled at `M` samples per
//! unit interval (`M = 1`: symbol-spaced). An `N`-tap FFE `c` with cursor `k_c` turns
//! it into the symbol-rate response `q[n] = Σ_k c[k]·p[n·M − k]`, i.e. `q = H·c` with
//! the convolution matrix `H[n][k] = p[n·M − k]`. The target is a unit pulse at
//! `D = round((P + k_c)/M)`, `P` the index of the pulse's largest sample.
//!
//! - **MMSE** (Wiener): minimises `E[(y[n] − a[n−D])²] = σa²·‖H·c − e_D‖² + σn²·‖c‖²`
//!   for symbols of power `σa²` and white noise of variance `σn²` per sample at the
//!   FFE input: `(σa²·HᵀH + σn²·I)·c = σa²·Hᵀe_D`.
//! - **Zero-forcing** (least squares): the noise-free limit, minimising the residual
//!   ISI energy `‖H·c − e_D‖²` over the whole equalised pulse (rather than Lucky's
//!   peak distortion, which forces only `N` samples and can leave the rest large).
//!
//! Both are `N × N` symmetric positive-definite systems, solved by a Cholesky
//! factorisation written here in `f64` ([`cholesky_solve`]): the matrices have at most
//! a few hundred rows, where a dependency on a linear-algebra crate buys nothing.

use super::Ffe;
use crate::error::{check_finite, Error, Result};

/// How [`solve_ffe`] chooses the taps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SolveMethod {
    /// Least-squares zero-forcing: minimise residual ISI, ignore noise.
    ZeroForcing,
    /// Minimum mean square error with white noise of variance `noise_var` per input
    /// sample and symbols of power `signal_power` (5/9 for PAM4 at levels ±1, ±1/3).
    Mmse {
        /// Noise variance per sample at the FFE input (≥ 0).
        noise_var: f64,
        /// Mean symbol power `σa²` (> 0).
        signal_power: f64,
    },
}

/// Taps solved from a pulse response, with the figures of merit they reach.
#[derive(Debug, Clone, PartialEq)]
pub struct FfeSolution {
    /// The FFE taps, `c[0]` first.
    pub taps: Vec<f32>,
    /// Index of the main tap.
    pub cursor: usize,
    /// Symbol index `D` of the main cursor of the equalised pulse `q`.
    pub delay: usize,
    /// The equalised symbol-rate pulse `q = H·c`.
    pub equalised: Vec<f64>,
    /// Mean square error per symbol, `σa²‖Hc − e_D‖² + σn²‖c‖²` (for zero-forcing
    /// with `σa² = 1`, `σn² = 0`: the residual ISI energy).
    pub mse: f64,
    /// Output SNR `σa² / mse` in dB.
    pub snr_db: f64,
}

/// Solves `N = n_taps` FFE taps with cursor `cursor` for `pulse` sampled at
/// `samples_per_symbol` per UI. Errors name the argument: an empty or non-finite
/// pulse, `n_taps` outside 1..=1024, `cursor ≥ n_taps`, a bad noise or power, or a
/// system that is not positive definite (a pulse too short for the taps with no
/// noise).
pub fn solve_ffe(
    pulse: &[f32],
    n_taps: usize,
    cursor: usize,
    samples_per_symbol: usize,
    method: SolveMethod,
) -> Result<FfeSolution> {
    if pulse.is_empty() {
        return Err(Error::invalid("pulse", "at least 1 sample", 0));
    }
    check_finite("pulse", pulse)?;
    if pulse.iter().all(|&v| v == 0.0) {
        return Err(Error::invalid(
            "pulse",
            "a pulse with a non-zero sample",
            "all zeros",
        ));
    }
    if !(1..=super::ffe::MAX_TAPS).contains(&n_taps) {
        return Err(Error::invalid("n_taps", "1..=1024", n_taps));
    }
    if cursor >= n_taps {
        return Err(Error::invalid(
            "cursor",
            format!("0..={}", n_taps - 1),
            cursor,
        ));
    }
    let m = samples_per_symbol;
    if !(1..=super::ffe::MAX_SAMPLES_PER_SYMBOL).contains(&m) {
        return Err(Error::invalid("samples_per_symbol", "1..=64", m));
    }
    let (sa, sn) = match method {
        SolveMethod::ZeroForcing => (1.0, 0.0),
        SolveMethod::Mmse {
            noise_var,
            signal_power,
        } => {
            if !(noise_var.is_finite() && noise_var >= 0.0) {
                return Err(Error::invalid(
                    "noise_var",
                    "a finite variance >= 0",
                    noise_var,
                ));
            }
            if !(signal_power.is_finite() && signal_power > 0.0) {
                return Err(Error::invalid(
                    "signal_power",
                    "a finite power > 0",
                    signal_power,
                ));
            }
            (signal_power, noise_var)
        }
    };
    let l = pulse.len();
    let peak = (0..l)
        .max_by(|&a, &b| pulse[a].abs().total_cmp(&pulse[b].abs()))
        .unwrap_or(0);
    let rows = (l - 1 + n_taps - 1) / m + 1;
    let delay = ((peak + cursor) as f64 / m as f64).round() as usize;
    let h = |n: usize, k: usize| -> f64 {
        let i = n * m;
        if i >= k && i - k < l {
            pulse[i - k] as f64
        } else {
            0.0
        }
    };
    let mut a = vec![0.0f64; n_taps * n_taps];
    let mut b = vec![0.0f64; n_taps];
    for n in 0..rows {
        for i in 0..n_taps {
            let hi = h(n, i);
            if hi == 0.0 {
                continue;
            }
            for j in 0..n_taps {
                a[i * n_taps + j] += sa * hi * h(n, j);
            }
        }
    }
    for (i, bi) in b.iter_mut().enumerate() {
        *bi = sa * h(delay, i);
        a[i * n_taps + i] += sn;
    }
    let c = cholesky_solve(&mut a, &b, n_taps).ok_or_else(|| {
        Error::invalid(
            "pulse",
            "a pulse long enough for the taps, or noise_var > 0 (the normal matrix must be positive definite)",
            format!("{l} samples for {n_taps} taps at {m} samples/UI"),
        )
    })?;
    let equalised: Vec<f64> = (0..rows)
        .map(|n| (0..n_taps).map(|k| h(n, k) * c[k]).sum())
        .collect();
    let isi: f64 = equalised
        .iter()
        .enumerate()
        .map(|(n, &q)| {
            let t = if n == delay { 1.0 } else { 0.0 };
            (q - t) * (q - t)
        })
        .sum::<f64>()
        + if delay >= rows { 1.0 } else { 0.0 };
    let mse = sa * isi + sn * c.iter().map(|v| v * v).sum::<f64>();
    Ok(FfeSolution {
        taps: c.iter().map(|&v| v as f32).collect(),
        cursor,
        delay,
        equalised,
        mse,
        snr_db: 10.0 * (sa / mse).log10(),
    })
}

/// Solves `A·x = b` for a symmetric positive-definite `n × n` matrix `a` (row-major,
/// overwritten by its Cholesky factor). `None` if a pivot is not positive (relative
/// to the largest diagonal element), i.e. `A` is singular or indefinite.
pub fn cholesky_solve(a: &mut [f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    assert_eq!(a.len(), n * n, "cholesky_solve: `a` must be n × n");
    assert_eq!(b.len(), n, "cholesky_solve: `b` must have n elements");
    let scale = (0..n).map(|i| a[i * n + i].abs()).fold(0.0, f64::max);
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        if d.is_nan() || d <= 1e-13 * scale {
            return None;
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
    }
    let mut y = b.to_vec();
    for i in 0..n {
        for k in 0..i {
            y[i] -= a[i * n + k] * y[k];
        }
        y[i] /= a[i * n + i];
    }
    for i in (0..n).rev() {
        for k in i + 1..n {
            y[i] -= a[k * n + i] * y[k];
        }
        y[i] /= a[i * n + i];
    }
    Some(y)
}

impl Ffe {
    /// A symbol-spaced FFE with the MMSE taps for `pulse` (PAM4 symbol power 5/9,
    /// noise variance `noise_var` per sample; `noise_var = 0` gives least-squares
    /// zero-forcing). See [`solve_ffe`] for the fractionally spaced and general forms.
    ///
    /// ```
    /// use serdes_dsp::eq::Ffe;
    /// let ffe = Ffe::from_pulse_response(&[0.0, 1.0, 0.5], 8, 0, 0.0).unwrap();
    /// // the inverse of 1 + 0.5 D, truncated: 1, −0.5, 0.25, …
    /// assert!((ffe.taps()[1] + 0.5).abs() < 0.01);
    /// ```
    pub fn from_pulse_response(
        pulse: &[f32],
        n_taps: usize,
        cursor: usize,
        noise_var: f64,
    ) -> Result<Ffe> {
        let s = solve_ffe(
            pulse,
            n_taps,
            cursor,
            1,
            SolveMethod::Mmse {
                noise_var,
                signal_power: 5.0 / 9.0,
            },
        )?;
        Ffe::new(&s.taps, cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_a_known_system() {
        let mut a = vec![4.0, 2.0, 2.0, 3.0];
        let x = cholesky_solve(&mut a, &[2.0, 1.0], 2).unwrap();
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12);
        let mut s = vec![1.0, 1.0, 1.0, 1.0];
        assert!(cholesky_solve(&mut s, &[1.0, 1.0], 2).is_none());
    }

    #[test]
    fn zero_forcing_inverts_a_short_channel() {
        let s = solve_ffe(&[1.0, 0.5], 12, 0, 1, SolveMethod::ZeroForcing).unwrap();
        for (k, &c) in s.taps.iter().enumerate().take(6) {
            assert!(
                (c as f64 - (-0.5f64).powi(k as i32)).abs() < 1e-3,
                "{k}: {c}"
            );
        }
        assert!(s.snr_db > 30.0);
        assert!(solve_ffe(&[0.0], 3, 0, 1, SolveMethod::ZeroForcing).is_err());
        assert!(solve_ffe(&[1.0], 3, 3, 1, SolveMethod::ZeroForcing).is_err());
        let e = solve_ffe(
            &[1.0],
            3,
            0,
            1,
            SolveMethod::Mmse {
                noise_var: -1.0,
                signal_power: 1.0,
            },
        );
        assert!(e.unwrap_err().to_string().contains("noise_var"));
    }
}
