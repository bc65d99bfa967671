//! Insertion loss at a chosen frequency (the Nyquist frequency of a link, typically),
//! interpolated between the measured points.

use num_complex::Complex64;

use super::mixed_mode::PortOrdering;
use super::network::Network;
use crate::error::{Error, Result};

/// Insertion loss `−20·log10|h|` in dB at `f_hz`, interpolated linearly in dB between
/// the two neighbouring points of `freqs_hz` (strictly increasing). Interpolating
/// the loss in dB, rather than the complex response, keeps it right where the phase
/// turns fast between samples. Errors: `f_hz` outside `freqs_hz`, mismatched lengths,
/// or a response of zero magnitude (infinite loss).
pub fn insertion_loss_db(freqs_hz: &[f64], h: &[Complex64], f_hz: f64) -> Result<f64> {
    if h.len() != freqs_hz.len() {
        return Err(Error::LengthMismatch {
            name: "h",
            expected: freqs_hz.len(),
            actual: h.len(),
        });
    }
    let (Some(&lo), Some(&hi)) = (freqs_hz.first(), freqs_hz.last()) else {
        return Err(Error::invalid("freqs_hz", "at least one frequency", "none"));
    };
    if !(f_hz >= lo && f_hz <= hi) {
        return Err(Error::invalid(
            "f_hz",
            format!("a frequency within the data, {lo}..={hi} Hz"),
            f_hz,
        ));
    }
    let loss = |k: usize| -> Result<f64> {
        let m = h[k].norm();
        if m > 0.0 && m.is_finite() {
            Ok(-20.0 * m.log10())
        } else {
            Err(Error::invalid(
                "h",
                "a finite, non-zero response (finite loss)",
                format!("{} at {} Hz", h[k], freqs_hz[k]),
            ))
        }
    };
    // First index whose frequency is >= f_hz.
    let k = freqs_hz.partition_point(|&f| f < f_hz);
    if freqs_hz[k] == f_hz {
        return loss(k);
    }
    let (f0, f1) = (freqs_hz[k - 1], freqs_hz[k]);
    let t = (f_hz - f0) / (f1 - f0);
    Ok(loss(k - 1)? * (1.0 - t) + loss(k)? * t)
}

impl Network {
    /// The channel's insertion loss in dB at `f_hz`, interpolated: from S21 for a
    /// two-port, from SDD21 (with `ordering`) for a 4-port or larger even count.
    /// Errors name `nports` for other port counts and `f_hz` outside the data.
    pub fn insertion_loss_db(&self, f_hz: f64, ordering: PortOrdering) -> Result<f64> {
        let (freqs, h) = match self.nports() {
            2 => (self.freqs_hz().to_vec(), self.s_param(2, 1)?),
            n if n >= 4 && n.is_multiple_of(2) => self.sdd21(ordering)?,
            n => {
                return Err(Error::invalid(
                    "nports",
                    "2 (S21) or an even number >= 4 (SDD21)",
                    n,
                ))
            }
        };
        insertion_loss_db(&freqs, &h, f_hz)
    }
}
