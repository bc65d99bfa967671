//! Bindings of `serdes_dsp::channel::touchstone`: Touchstone 1.x/2.0 import, mixed-mode
//! S parameters and insertion loss. Networks cross as plain arrays — frequencies
//! (float64, Hz), S (complex128, `(nfreq, n, n)`), z0 (float64, ohms per port) — and
//! `serdes_dsp.touchstone` wraps them in a small dataclass.
use std::path::PathBuf;

use numpy::ndarray::Array3;
use numpy::{Complex64, IntoPyArray, PyArray1, PyArray3, PyReadonlyArray1, PyReadonlyArray3};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serdes_dsp::channel::touchstone::{self, Network, PortOrdering};

use crate::errors::{invalid, IntoPyResult};

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(touchstone_read, m)?)?;
    m.add_function(wrap_pyfunction!(touchstone_parse, m)?)?;
    m.add_function(wrap_pyfunction!(mixed_mode, m)?)?;
    m.add_function(wrap_pyfunction!(insertion_loss_db, m)?)?;
    Ok(())
}

/// `(freqs_hz, s (nfreq, n, n), z0)`.
type Arrays<'py> = (
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray3<Complex64>>,
    Bound<'py, PyArray1<f64>>,
);

fn to_3d(
    py: Python<'_>,
    v: Vec<Complex64>,
    a: usize,
    b: usize,
) -> PyResult<Bound<'_, PyArray3<Complex64>>> {
    let arr = Array3::from_shape_vec((v.len() / (b * b).max(1), a, b), v)
        .map_err(|e| invalid("s", "a consistent shape", e))?;
    Ok(arr.into_pyarray(py))
}

fn arrays(py: Python<'_>, net: Network) -> PyResult<Arrays<'_>> {
    let n = net.nports();
    let freqs = net.freqs_hz().to_vec().into_pyarray(py);
    let z0 = net.z0().to_vec().into_pyarray(py);
    let s = to_3d(py, net.s().to_vec(), n, n)?;
    Ok((freqs, s, z0))
}

/// Reads a Touchstone file: `(freqs_hz, s, z0)`.
#[pyfunction]
fn touchstone_read(py: Python<'_>, path: PathBuf) -> PyResult<Arrays<'_>> {
    let net = py.detach(|| Network::from_file(&path)).py()?;
    arrays(py, net)
}

/// Parses Touchstone text (`nports` is the N of `.sNp`, required for 1.x).
#[pyfunction]
#[pyo3(signature = (text, nports = None))]
fn touchstone_parse<'py>(
    py: Python<'py>,
    text: &str,
    nports: Option<usize>,
) -> PyResult<Arrays<'py>> {
    let net = py.detach(|| Network::parse(text, nports)).py()?;
    arrays(py, net)
}

/// Mixed-mode blocks `{"sdd", "sdc", "scd", "scc"}`, each `(nfreq, P, P)`.
#[pyfunction]
#[pyo3(signature = (freqs_hz, s, ordering = "adjacent"))]
fn mixed_mode<'py>(
    py: Python<'py>,
    freqs_hz: PyReadonlyArray1<'py, f64>,
    s: PyReadonlyArray3<'py, Complex64>,
    ordering: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let ordering = PortOrdering::from_name(ordering).py()?;
    let shape = s.as_array().shape().to_vec();
    if shape[1] != shape[2] {
        return Err(invalid("s", "shape (nfreq, n, n)", format!("{shape:?}")));
    }
    let n = shape[1];
    let freqs = freqs_hz.as_slice()?.to_vec();
    // Any standard layout: `as_array` copies a strided view into row-major order.
    let s: Vec<Complex64> = s.as_array().iter().copied().collect();
    let mm = py
        .detach(|| {
            // The transform does not depend on z0 once it is equal on every port.
            Network::new(freqs, s, vec![50.0; n], n)?.mixed_mode(ordering)
        })
        .py()?;
    let p = mm.npairs;
    let d = PyDict::new(py);
    d.set_item("freqs_hz", mm.freqs_hz.into_pyarray(py))?;
    d.set_item("sdd", to_3d(py, mm.sdd, p, p)?)?;
    d.set_item("sdc", to_3d(py, mm.sdc, p, p)?)?;
    d.set_item("scd", to_3d(py, mm.scd, p, p)?)?;
    d.set_item("scc", to_3d(py, mm.scc, p, p)?)?;
    Ok(d)
}

/// Insertion loss `-20 log10 |h|` at `f_hz`, interpolated in dB.
#[pyfunction]
fn insertion_loss_db(
    freqs_hz: PyReadonlyArray1<'_, f64>,
    h: PyReadonlyArray1<'_, Complex64>,
    f_hz: f64,
) -> PyResult<f64> {
    touchstone::insertion_loss_db(freqs_hz.as_slice()?, h.as_slice()?, f_hz).py()
}
