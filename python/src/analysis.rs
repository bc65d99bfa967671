//! Bindings of `serdes_dsp::analysis`: closed-form error rates and confidence intervals.
use pyo3::prelude::*;
use serdes_dsp::analysis;

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(pam4_ber, m)?)?;
    m.add_function(wrap_pyfunction!(pam4_ser, m)?)?;
    m.add_function(wrap_pyfunction!(nrz_ber, m)?)?;
    m.add_function(wrap_pyfunction!(q_function, m)?)?;
    m.add_function(wrap_pyfunction!(pam4_snr_db_for_ber, m)?)?;
    m.add_function(wrap_pyfunction!(confidence_interval, m)?)?;
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
