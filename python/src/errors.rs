//! Mapping of `serdes_dsp::Error` to Python exceptions.
//!
//! Every error of the core crate becomes `serdes_dsp.SerdesDspError`, a subclass of
//! `ValueError`, carrying the core's message (which names the argument and the
//! allowed range).
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    _native,
    SerdesDspError,
    PyValueError,
    "Bad argument or input to a serdes_dsp function; the message names the argument and the allowed range."
);

/// Converts a core error into the Python exception.
pub fn to_py(e: serdes_dsp::Error) -> PyErr {
    SerdesDspError::new_err(e.to_string())
}

/// `.py()` on a core `Result` turns its error into the Python exception.
pub trait IntoPyResult<T> {
    /// The same value, or the error as `SerdesDspError`.
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for serdes_dsp::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// A `SerdesDspError` for a bad argument found on the Python side of the boundary.
pub fn invalid(name: &'static str, allowed: &str, actual: impl std::fmt::Display) -> PyErr {
    to_py(serdes_dsp::Error::invalid(name, allowed, actual))
}
