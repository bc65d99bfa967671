//! Bindings of `serdes_dsp::link`: the AWGN link.
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serdes_dsp::link::{AwgnLink, AwgnLinkConfig, Modulation};

use crate::errors::{invalid, IntoPyResult};

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(simulate_awgn, m)?)?;
    Ok(())
}

/// Runs the AWGN link; returns a dict of counts (see the Python wrapper's docstring).
#[pyfunction]
#[pyo3(signature = (snr_db, n_symbols, seed, modulation = "pam4", precoding = false, prbs_order = 31, target_errors = None, confidence = 0.99))]
#[allow(clippy::too_many_arguments)]
fn simulate_awgn<'py>(
    py: Python<'py>,
    snr_db: f64,
    n_symbols: i64,
    seed: u64,
    modulation: &str,
    precoding: bool,
    prbs_order: u32,
    target_errors: Option<u64>,
    confidence: f64,
) -> PyResult<Bound<'py, PyDict>> {
    if n_symbols < 0 {
        return Err(invalid("n_symbols", "n_symbols >= 0", n_symbols));
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(invalid("confidence", "0 < confidence < 1", confidence));
    }
    let modulation = match modulation {
        "pam4" => Modulation::Pam4,
        "nrz" => Modulation::Nrz,
        other => return Err(invalid("modulation", "\"pam4\" or \"nrz\"", other)),
    };
    let config = AwgnLinkConfig {
        snr_db,
        prbs_order,
        modulation,
        precoding,
        seed,
    };
    let mut link = AwgnLink::with_config(config).py()?;
    py.detach(|| match target_errors {
        Some(t) => link.run_until(t, n_symbols as u64),
        None => link.run(n_symbols as u64),
    })
    .py()?;
    let (b, s) = (link.bit_counter(), link.symbol_counter());
    let (lo, hi) = b.confidence_interval(confidence);
    let d = PyDict::new(py);
    d.set_item("snr_db", snr_db)?;
    d.set_item("symbols", s.units())?;
    d.set_item("symbol_errors", s.errors())?;
    d.set_item("ser", s.ber())?;
    d.set_item("bits", b.units())?;
    d.set_item("errors", b.errors())?;
    d.set_item("ber", b.ber())?;
    d.set_item("ber_low", lo)?;
    d.set_item("ber_high", hi)?;
    d.set_item("burst_histogram", b.burst_histogram())?;
    Ok(d)
}
