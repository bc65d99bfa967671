//! Bindings of `serdes_dsp::analysis`: closed-form error rates and confidence intervals.
use numpy::{IntoPyArray, PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serdes_dsp::analysis;

use crate::errors::IntoPyResult;
use crate::samples::Samples;

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(pam4_ber, m)?)?;
    m.add_function(wrap_pyfunction!(pam4_ser, m)?)?;
    m.add_function(wrap_pyfunction!(nrz_ber, m)?)?;
    m.add_function(wrap_pyfunction!(q_function, m)?)?;
    m.add_function(wrap_pyfunction!(pam4_snr_db_for_ber, m)?)?;
    m.add_function(wrap_pyfunction!(confidence_interval, m)?)?;
    m.add_class::<PyEyeHistogram>()?;
    Ok(())
}

#[pyfunction]
fn pam4_ber(snr_db: f64) -> f64 {
    analysis::pam4_ber(snr_db)
}

#[pyfunction]
fn pam4_ser(snr_db: f64) -> f64 {
    analysis::pam4_ser(snr_db)
}

#[pyfunction]
fn nrz_ber(snr_db: f64) -> f64 {
    analysis::nrz_ber(snr_db)
}

#[pyfunction]
fn q_function(x: f64) -> f64 {
    analysis::q_function(x)
}

#[pyfunction]
fn pam4_snr_db_for_ber(ber: f64) -> Option<f64> {
    analysis::pam4_snr_db_for_ber(ber)
}

#[pyfunction]
fn confidence_interval(errors: u64, trials: u64, confidence: f64) -> (f64, f64) {
    analysis::clopper_pearson(errors, trials, confidence)
}

/// `serdes_dsp.analysis.EyeHistogram` over the core's `analysis::EyeHistogram`.
#[pyclass(name = "_EyeHistogram", module = "serdes_dsp._native")]
pub struct PyEyeHistogram {
    inner: analysis::EyeHistogram,
}

#[pymethods]
impl PyEyeHistogram {
    #[new]
    fn new(
        samples_per_ui: usize,
        ui_span: usize,
        amp_min: f32,
        amp_max: f32,
        amp_bins: usize,
        levels: usize,
    ) -> PyResult<Self> {
        let inner = analysis::EyeHistogram::new(
            samples_per_ui,
            ui_span,
            (amp_min, amp_max),
            amp_bins,
            levels,
        )
        .py()?;
        Ok(PyEyeHistogram { inner })
    }

    #[pyo3(signature = (waveform, symbols = None))]
    fn accumulate(
        &mut self,
        py: Python<'_>,
        waveform: Samples<'_>,
        symbols: Option<PyReadonlyArray1<'_, u8>>,
    ) -> PyResult<()> {
        let w = waveform.view("waveform")?;
        let inner = &mut self.inner;
        match symbols {
            Some(s) => {
                let s = s.as_slice()?;
                py.detach(|| match w.as_f32() {
                    Some(w) => inner.accumulate_with_symbols(w, s),
                    // The symbols' checks span the whole call: converted in one piece.
                    None => inner.accumulate_with_symbols(
                        &w.map(&mut (), |_, c, o| {
                            o.copy_from_slice(c);
                            Ok(())
                        })?,
                        s,
                    ),
                })
                .py()
            }
            None => py
                .detach(|| w.feed(inner, |eye, _, c| eye.accumulate(c)))
                .py(),
        }
    }

    /// The histogram as a (phase columns, amplitude bins) uint64 array.
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<u64>>> {
        let (cols, bins) = self.inner.shape();
        let flat = self.inner.counts().to_vec().into_pyarray(py);
        flat.reshape([cols, bins])
    }

    fn amplitudes<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f32>> {
        self.inner.amplitudes().into_pyarray(py)
    }

    fn phases_ui<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.phases_ui().into_pyarray(py)
    }

    #[getter]
    fn samples(&self) -> u64 {
        self.inner.samples()
    }

    /// `{"phase_ui", "ber", "thresholds"}` (thresholds: phases × (levels − 1)).
    fn bathtub<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let b = self.inner.bathtub().py()?;
        let d = PyDict::new(py);
        d.set_item("phase_ui", b.phase_ui.into_pyarray(py))?;
        d.set_item("ber", b.ber.into_pyarray(py))?;
        d.set_item("thresholds", b.thresholds)?;
        Ok(d)
    }
}
