//! Bindings of `serdes_dsp::channel`: Gaussian noise and the AWGN block.
use numpy::PyArray1;
use pyo3::prelude::*;
use serdes_dsp::channel::Awgn;
use serdes_dsp::cpu::Backend;

use crate::errors::IntoPyResult;
use crate::samples::{stream_methods, Samples};

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(awgn, m)?)?;
    m.add_class::<AwgnBlock>()?;
    Ok(())
}

/// One-shot AWGN: `x + N(0, signal_power / 10^(snr_db/10))`.
#[pyfunction]
#[pyo3(signature = (x, snr_db, seed, signal_power, backend = "auto"))]
fn awgn<'py>(
    py: Python<'py>,
    x: Samples<'py>,
    snr_db: f64,
    seed: u64,
    signal_power: f64,
    backend: &str,
) -> PyResult<Bound<'py, PyArray1<f32>>> {
    let backend = Backend::from_name(backend).py()?;
    let mut a = Awgn::from_snr_db(snr_db, signal_power, seed)
        .py()?
        .with_backend(backend)
        .py()?;
    x.map(py, "x", &mut a, |b, c, o| b.process_into(c, o))
}

/// Streaming AWGN block: state carried across `process` calls.
#[pyclass(name = "Awgn", module = "serdes_dsp._native")]
pub struct AwgnBlock {
    inner: Awgn,
}

#[pymethods]
impl AwgnBlock {
    #[new]
    #[pyo3(signature = (snr_db, seed, signal_power, backend = "auto"))]
    fn new(snr_db: f64, seed: u64, signal_power: f64, backend: &str) -> PyResult<Self> {
        let backend = Backend::from_name(backend).py()?;
        Ok(AwgnBlock {
            inner: Awgn::from_snr_db(snr_db, signal_power, seed)
                .py()?
                .with_backend(backend)
                .py()?,
        })
    }

    /// Noise standard deviation.
    #[getter]
    fn sigma(&self) -> f32 {
        self.inner.sigma()
    }
}

// `process(x)`: `x` plus the next noise samples; `reset()`: back to the start of the
// noise stream.
stream_methods!(AwgnBlock, f32);
