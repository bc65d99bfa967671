//! The one error type of the crate.
//!
//! Every fallible constructor and processing call returns [`Result<T>`]. Each
//! variant names the argument at fault and, where there is one, the allowed range,
//! so that the message can be acted on without reading the source. The Python
//! bindings map every variant to `ValueError`.

use std::fmt;

/// The result type of every fallible call in the crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Everything that can go wrong in `serdes-dsp`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// A configuration value is outside its allowed set or range.
    InvalidParameter {
        /// The argument's name, as in the signature (`order`, `snr_db`, …).
        name: &'static str,
        /// What is allowed, in words (`one of 7, 9, 11, 13, 15, 23, 31`).
        allowed: String,
        /// The value that was given.
        actual: String,
    },
    /// Two buffers that must agree in length do not.
    LengthMismatch {
        /// The argument's name.
        name: &'static str,
        /// The length required.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// A sample is NaN or infinite where only finite values make sense.
    NonFinite {
        /// The argument's name.
        name: &'static str,
        /// Index of the first offending element.
        index: usize,
    },
    /// An integer element (a symbol, a level) is outside its alphabet.
    OutOfRange {
        /// The argument's name.
        name: &'static str,
        /// Index of the first offending element.
        index: usize,
        /// The offending value.
        value: u64,
        /// The largest allowed value.
        max: u64,
    },
    /// A SIMD backend was asked for on a CPU that lacks the instructions.
    MissingCpuFeature {
        /// The backend asked for (`avx2`, `avx512`).
        backend: &'static str,
    },
    /// A text input (a Touchstone file) is malformed at a given line.
    Parse {
        /// Where the text came from: the file name, or `<text>` for a string.
        source: String,
        /// The 1-based line number of the fault.
        line: usize,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A file could not be read (missing, unreadable).
    Io {
        /// The file's path as given.
        path: String,
        /// The operating system's reason.
        message: String,
    },
}

impl Error {
    /// Shorthand for [`Error::InvalidParameter`].
    pub fn invalid(
        name: &'static str,
        allowed: impl Into<String>,
        actual: impl fmt::Display,
    ) -> Self {
        Error::InvalidParameter {
            name,
            allowed: allowed.into(),
            actual: actual.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidParameter {
                name,
                allowed,
                actual,
            } => {
                write!(f, "invalid `{name}` = {actual}: allowed {allowed}")
            }
            Error::LengthMismatch {
                name,
                expected,
                actual,
            } => {
                write!(
                    f,
                    "wrong length of `{name}`: expected {expected}, got {actual}"
                )
            }
            Error::NonFinite { name, index } => {
                write!(f, "`{name}` holds a NaN or infinite value at index {index}: only finite values are allowed")
            }
            Error::OutOfRange {
                name,
                index,
                value,
                max,
            } => {
                write!(
                    f,
                    "`{name}`[{index}] = {value} is out of range: allowed 0..={max}"
                )
            }
            Error::MissingCpuFeature { backend } => {
                write!(f, "this CPU cannot run the `{backend}` backend")
            }
            Error::Parse {
                source,
                line,
                message,
            } => {
                write!(f, "{source}, line {line}: {message}")
            }
            Error::Io { path, message } => {
                write!(f, "cannot read `{path}`: {message}")
            }
        }
    }
}

impl std::error::Error for Error {}

/// Checks that every element of `x` is finite; the error names `name` and the first bad index.
pub(crate) fn check_finite(name: &'static str, x: &[f32]) -> Result<()> {
    match x.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(Error::NonFinite { name, index }),
        None => Ok(()),
    }
}

/// Whether every sample of `x` is finite: the largest `|x|` bit pattern is below the
/// exponent-all-ones of infinity and NaN. An integer `max` reduction, which LLVM
/// vectorises with several accumulators (no early exit: bad input is the rare case),
/// at about the speed of the loads on AVX2 — the kernels' input check costs little
/// next to the filter.
#[inline(always)]
pub(crate) fn all_finite(x: &[f32]) -> bool {
    x.iter()
        .map(|v| v.to_bits() & 0x7fff_ffff)
        .fold(0, u32::max)
        < 0x7f80_0000
}

/// Checks that a buffer has the length its partner asks for: `actual == expected`,
/// else [`Error::LengthMismatch`] naming `name`.
pub(crate) fn check_len(name: &'static str, expected: usize, actual: usize) -> Result<()> {
    if expected != actual {
        return Err(Error::LengthMismatch {
            name,
            expected,
            actual,
        });
    }
    Ok(())
}

/// Checks that every symbol of `x` is at most `max`.
pub(crate) fn check_max_u8(name: &'static str, x: &[u8], max: u8) -> Result<()> {
    match x.iter().position(|&v| v > max) {
        Some(index) => Err(Error::OutOfRange {
            name,
            index,
            value: x[index] as u64,
            max: max as u64,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_argument_and_the_range() {
        let e = Error::invalid("order", "one of 7, 9, 11, 13, 15, 23, 31", 8);
        let s = e.to_string();
        assert!(
            s.contains("`order`") && s.contains("8") && s.contains("7, 9"),
            "{s}"
        );
        let e = Error::OutOfRange {
            name: "symbols",
            index: 3,
            value: 4,
            max: 3,
        };
        assert_eq!(
            e.to_string(),
            "`symbols`[3] = 4 is out of range: allowed 0..=3"
        );
        assert!(check_finite("x", &[1.0, f32::NAN])
            .unwrap_err()
            .to_string()
            .contains("index 1"));
        assert!(check_max_u8("s", &[0, 3, 9], 3).is_err());
        assert!(check_max_u8("s", &[0, 3, 2], 3).is_ok());
        let e = Error::Parse {
            source: "a.s2p".into(),
            line: 7,
            message: "`x` is not a number".into(),
        };
        assert_eq!(e.to_string(), "a.s2p, line 7: `x` is not a number");
        let e = Error::Io {
            path: "missing.s4p".into(),
            message: "No such file".into(),
        };
        assert_eq!(e.to_string(), "cannot read `missing.s4p`: No such file");
    }
}
