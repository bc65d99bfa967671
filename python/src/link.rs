//! Bindings of `serdes_dsp::link`: the AWGN link and the configurable whole link.
use numpy::{IntoPyArray, PyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serdes_dsp::link::{AwgnLink, AwgnLinkConfig, LinkConfig, Modulation};

use crate::errors::{invalid, IntoPyResult};

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(simulate_awgn, m)?)?;
    m.add_function(wrap_pyfunction!(link_default_json, m)?)?;
    m.add_function(wrap_pyfunction!(link_config_json, m)?)?;
    m.add_function(wrap_pyfunction!(link_config_replace, m)?)?;
    m.add_function(wrap_pyfunction!(link_simulate, m)?)?;
    m.add_function(wrap_pyfunction!(point_seed, m)?)?;
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

/// The seed of sweep point `index` (the core's `link::point_seed`).
#[pyfunction]
fn point_seed(seed: u64, index: u64) -> u64 {
    serdes_dsp::link::point_seed(seed, index)
}

/// The built-in default link as JSON.
#[pyfunction]
fn link_default_json() -> String {
    LinkConfig::default().to_json()
}

/// Parses and validates a link config given as TOML (`fmt = "toml"`) or JSON and
/// returns it as complete JSON (defaults filled in).
#[pyfunction]
fn link_config_json(text: &str, fmt: &str) -> PyResult<String> {
    let c = match fmt {
        "toml" => LinkConfig::from_toml(text),
        "json" => LinkConfig::from_json(text),
        other => return Err(invalid("fmt", "\"toml\" or \"json\"", other)),
    }
    .py()?;
    Ok(c.to_json())
}

/// `config_json` with the dotted key `param` set to the JSON value `value_json`,
/// validated, as complete JSON (the core's `link::with_param`: one implementation
/// of dotted keys for Rust sweeps and Python).
#[pyfunction]
fn link_config_replace(config_json: &str, param: &str, value_json: &str) -> PyResult<String> {
    let base = LinkConfig::from_json(config_json).py()?;
    let value: serde_json::Value = serde_json::from_str(value_json)
        .map_err(|e| invalid("value", "a JSON-serialisable value", e))?;
    Ok(serdes_dsp::link::with_param(&base, param, &value)
        .py()?
        .to_json())
}

/// Runs the link of `config_json` for `n_symbols` symbols (or until `target_errors`
/// pre-FEC bit errors); returns a dict of results (see `serdes_dsp.link.simulate`).
#[pyfunction]
#[pyo3(signature = (config_json, n_symbols, seed, target_errors = None))]
fn link_simulate<'py>(
    py: Python<'py>,
    config_json: &str,
    n_symbols: i64,
    seed: u64,
    target_errors: Option<u64>,
) -> PyResult<Bound<'py, PyDict>> {
    if n_symbols < 0 {
        return Err(invalid("n_symbols", "n_symbols >= 0", n_symbols));
    }
    let config = LinkConfig::from_json(config_json).py()?;
    let rule = serdes_dsp::link::StopRule {
        target_errors,
        max_symbols: n_symbols as u64,
    };
    let r = py
        .detach(|| serdes_dsp::link::run_point(&config, rule, seed))
        .py()?;
    let d = PyDict::new(py);
    d.set_item("symbols", r.symbols)?;
    d.set_item("symbol_errors", r.symbol_errors)?;
    d.set_item("ser", r.ser)?;
    d.set_item("bits", r.bits)?;
    d.set_item("errors", r.pre_fec_bit_errors)?;
    d.set_item("ber", r.pre_fec_ber)?;
    d.set_item("ber_low", r.pre_fec_ber_interval.0)?;
    d.set_item("ber_high", r.pre_fec_ber_interval.1)?;
    d.set_item("burst_histogram", r.burst_histogram)?;
    d.set_item("codewords", r.codewords)?;
    d.set_item("corrected_codewords", r.corrected_codewords)?;
    d.set_item("uncorrectable_codewords", r.uncorrectable_codewords)?;
    d.set_item("symbol_errors_per_codeword", r.symbol_errors_per_codeword)?;
    d.set_item("post_fec_bits", r.post_fec_bits)?;
    d.set_item("post_fec_errors", r.post_fec_bit_errors)?;
    d.set_item("post_fec_ber", r.post_fec_ber)?;
    d.set_item("post_fec_ber_extrapolated", r.post_fec_ber_extrapolated)?;
    d.set_item(
        "frame_loss_ratio_extrapolated",
        r.frame_loss_ratio_extrapolated,
    )?;
    d.set_item("post_fec_ber_from_histogram", r.post_fec_ber_from_histogram)?;
    d.set_item("ffe_taps", r.ffe_taps)?;
    d.set_item("feedback_taps", r.feedback_taps)?;
    d.set_item("symbol_pulse", r.symbol_pulse)?;
    d.set_item("symbol_pulse_cursor", r.symbol_pulse_cursor)?;
    d.set_item("analog_pulse", r.analog_pulse)?;
    d.set_item("samples_per_ui", r.samples_per_ui)?;
    d.set_item("ctle_gains_db", r.ctle_gains_db)?;
    d.set_item("predicted_snr_db", r.predicted_snr_db)?;
    d.set_item("cdr_locked", r.cdr_locked)?;
    d.set_item("cdr_frequency_ppm", r.cdr_frequency_ppm)?;
    let (idx, phase): (Vec<u64>, Vec<f64>) = r.cdr_trace.iter().copied().unzip();
    d.set_item("cdr_trace_symbol", idx.into_pyarray(py))?;
    d.set_item("cdr_trace_phase_ui", phase.into_pyarray(py))?;
    match &r.eye {
        Some(eye) => {
            let (phases, bins) = eye.shape();
            let counts =
                numpy::ndarray::Array2::from_shape_vec((phases, bins), eye.counts().to_vec())
                    .map_err(|e| invalid("eye", "a consistent histogram", e))?;
            let e = PyDict::new(py);
            let counts: Bound<'py, PyArray2<u64>> = counts.into_pyarray(py);
            e.set_item("counts", counts)?;
            e.set_item("amplitudes", eye.amplitudes().into_pyarray(py))?;
            e.set_item("phases_ui", eye.phases_ui().into_pyarray(py))?;
            e.set_item("samples", eye.samples())?;
            d.set_item("eye", e)?;
        }
        None => d.set_item("eye", py.None())?,
    }
    match &r.bathtub {
        Some(b) => {
            let t = PyDict::new(py);
            t.set_item("phase_ui", b.phase_ui.clone().into_pyarray(py))?;
            t.set_item("ber", b.ber.clone().into_pyarray(py))?;
            d.set_item("bathtub", t)?;
        }
        None => d.set_item("bathtub", py.None())?,
    }
    Ok(d)
}
