//! [`Network`]: the S parameters of an N-port over frequency, as read from a
//! Touchstone file or built from arrays.

use std::path::Path;

use num_complex::Complex64;

use super::parse::{self, MAX_PORTS};
use crate::error::{Error, Result};

/// The S parameters of an N-port network at a list of frequencies.
///
/// `s` holds one N × N matrix per frequency, row-major (`S[i][j]` is the wave out of
/// port `i+1` for a wave into port `j+1`), frequencies one after another:
/// `s[f·N² + i·N + j]`. `z0` is the reference impedance of each port in ohms.
///
/// ```
/// use serdes_dsp::channel::touchstone::Network;
/// // A 1.x two-port: S11 S21 S12 S22 per line, here in dB/angle with MHz.
/// let text = "# MHz S DB R 50\n\
///             100 -30 0  -1 -90  -1 -90  -30 0\n\
///             200 -25 0  -2 -180 -2 -180 -25 0\n";
/// let net = Network::parse(text, Some(2))?;
/// assert_eq!(net.freqs_hz(), &[100e6, 200e6]);
/// let s21 = net.s_param(2, 1)?;
/// assert!((20.0 * s21[1].norm().log10() + 2.0).abs() < 1e-12);
/// # Ok::<(), serdes_dsp::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    freqs_hz: Vec<f64>,
    s: Vec<Complex64>,
    z0: Vec<f64>,
    nports: usize,
}

impl Network {
    /// A network from its arrays: `freqs_hz` strictly increasing, finite and ≥ 0;
    /// `s` of length `freqs_hz.len() · nports²` (row-major matrices, see
    /// [`Network`]), finite; `z0` one positive impedance (ohms) per port.
    pub fn new(freqs_hz: Vec<f64>, s: Vec<Complex64>, z0: Vec<f64>, nports: usize) -> Result<Self> {
        if nports == 0 || nports > MAX_PORTS {
            return Err(Error::invalid("nports", format!("1..={MAX_PORTS}"), nports));
        }
        if freqs_hz.is_empty() {
            return Err(Error::invalid("freqs_hz", "at least one frequency", "none"));
        }
        if let Some(index) = freqs_hz.iter().position(|f| !f.is_finite()) {
            return Err(Error::NonFinite {
                name: "freqs_hz",
                index,
            });
        }
        if freqs_hz[0] < 0.0 {
            return Err(Error::invalid(
                "freqs_hz",
                "frequencies >= 0 Hz",
                freqs_hz[0],
            ));
        }
        if let Some(i) = freqs_hz.windows(2).position(|w| w[1] <= w[0]) {
            return Err(Error::invalid(
                "freqs_hz",
                "strictly increasing frequencies",
                format!(
                    "{} at index {} after {}",
                    freqs_hz[i + 1],
                    i + 1,
                    freqs_hz[i]
                ),
            ));
        }
        let expected = freqs_hz.len() * nports * nports;
        if s.len() != expected {
            return Err(Error::LengthMismatch {
                name: "s",
                expected,
                actual: s.len(),
            });
        }
        if let Some(index) = s
            .iter()
            .position(|c| !(c.re.is_finite() && c.im.is_finite()))
        {
            return Err(Error::NonFinite { name: "s", index });
        }
        if z0.len() != nports {
            return Err(Error::LengthMismatch {
                name: "z0",
                expected: nports,
                actual: z0.len(),
            });
        }
        if let Some(&bad) = z0.iter().find(|r| !(r.is_finite() && **r > 0.0)) {
            return Err(Error::invalid("z0", "positive finite ohms", bad));
        }
        Ok(Network {
            freqs_hz,
            s,
            z0,
            nports,
        })
    }

    /// Reads a Touchstone file (1.x `.sNp`, or 2.0 `.sNp`/`.ts`). The port count of a
    /// 1.x file comes from the extension (`.s4p` → 4). Errors: [`Error::Io`] when the
    /// file cannot be read, [`Error::Parse`] with the line number when it is
    /// malformed. Bytes that are not UTF-8 (in comments, say) are replaced, not fatal.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let text = String::from_utf8_lossy(&bytes);
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Self::parse_named(&text, nports_from_extension(path), &name)
    }

    /// Parses Touchstone text. `nports` is the N of the `.sNp` file name: required for
    /// a 1.x file (which does not state it), optional for 2.0 (which has
    /// `[Number of Ports]`; when both are given they must agree). Errors name
    /// `<text>` as the source.
    pub fn parse(text: &str, nports: Option<usize>) -> Result<Self> {
        Self::parse_named(text, nports, "<text>")
    }

    /// [`Network::parse`] with `source` (a file name) in the error messages.
    pub fn parse_named(text: &str, nports: Option<usize>, source: &str) -> Result<Self> {
        let p = parse::parse(text, nports, source)?;
        Ok(Network {
            freqs_hz: p.freqs_hz,
            s: p.s,
            z0: p.z0,
            nports: p.nports,
        })
    }

    /// The frequencies in hertz, strictly increasing.
    pub fn freqs_hz(&self) -> &[f64] {
        &self.freqs_hz
    }

    /// All S parameters, `nfreq × nports × nports` row-major (see [`Network`]).
    pub fn s(&self) -> &[Complex64] {
        &self.s
    }

    /// The reference impedance of each port, ohms.
    pub fn z0(&self) -> &[f64] {
        &self.z0
    }

    /// The number of ports N.
    pub fn nports(&self) -> usize {
        self.nports
    }

    /// The number of frequencies.
    pub fn nfreq(&self) -> usize {
        self.freqs_hz.len()
    }

    /// `S_ij` over frequency, with 1-based port numbers as in the name: `s_param(2, 1)`
    /// is S21, the transmission from port 1 to port 2.
    pub fn s_param(&self, i: usize, j: usize) -> Result<Vec<Complex64>> {
        let n = self.nports;
        for (name, p) in [("i", i), ("j", j)] {
            if p == 0 || p > n {
                return Err(Error::invalid(
                    name,
                    format!("a port number in 1..={n} (1-based, as in S21)"),
                    p,
                ));
            }
        }
        let k = (i - 1) * n + (j - 1);
        Ok(self.s.chunks_exact(n * n).map(|m| m[k]).collect())
    }
}

/// The port count of a `.sNp` file name (`a.s4p` → 4, case-insensitive); `None` for
/// other names (`.ts`, no extension).
pub fn nports_from_extension(path: impl AsRef<Path>) -> Option<usize> {
    let ext = path.as_ref().extension()?.to_str()?.to_ascii_lowercase();
    let digits = ext.strip_prefix('s')?.strip_suffix('p')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}
