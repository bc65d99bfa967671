//! Bindings of `serdes_dsp::signal`: patterns, Gray PAM4 mapping, precoder, slicer.
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use serdes_dsp::signal::{
    self, pattern, Pam4Mapper, Prbs, PrbsChecker, PrecodeDecoder, Precoder, Slicer,
};

use crate::errors::{invalid, IntoPyResult};
use crate::samples::Samples;

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(prbs, m)?)?;
    m.add_function(wrap_pyfunction!(quaternary_pattern, m)?)?;
    m.add_function(wrap_pyfunction!(prbs31q, m)?)?;
    m.add_function(wrap_pyfunction!(bits_to_symbols, m)?)?;
    m.add_function(wrap_pyfunction!(symbols_to_bits, m)?)?;
    m.add_function(wrap_pyfunction!(pam4_levels, m)?)?;
    m.add_function(wrap_pyfunction!(nrz_levels, m)?)?;
    m.add_function(wrap_pyfunction!(slice_samples, m)?)?;
    m.add_function(wrap_pyfunction!(precode, m)?)?;
    m.add_function(wrap_pyfunction!(decode_precoded, m)?)?;
    m.add_function(wrap_pyfunction!(check_prbs, m)?)?;
    Ok(())
}

fn check_n(n: i64) -> PyResult<usize> {
    if n < 0 {
        return Err(invalid("n", "n >= 0", n));
    }
    Ok(n as usize)
}

#[pyfunction]
#[pyo3(signature = (order, n, seed = 1, inverted = None))]
fn prbs<'py>(
    py: Python<'py>,
    order: u32,
    n: i64,
    seed: u64,
    inverted: Option<bool>,
) -> PyResult<Bound<'py, PyArray1<u8>>> {
    let n = check_n(n)?;
    let mut g = match inverted {
        None => Prbs::new(order, seed),
        Some(inv) => Prbs::with_inversion(order, seed, inv),
    }
    .py()?;
    let out = py.detach(|| g.bits(n));
    Ok(out.into_pyarray(py))
}

#[pyfunction]
fn quaternary_pattern<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyArray1<u8>>> {
    Ok(pattern::pattern(name).py()?.into_pyarray(py))
}

#[pyfunction]
#[pyo3(signature = (n, seed = 2))]
fn prbs31q<'py>(py: Python<'py>, n: i64, seed: u64) -> PyResult<Bound<'py, PyArray1<u8>>> {
    let n = check_n(n)?;
    let mut g = pattern::Prbs31Q::new(seed).py()?;
    let mut out = vec![0u8; n];
    py.detach(|| g.fill_symbols(&mut out));
    Ok(out.into_pyarray(py))
}

#[pyfunction]
fn bits_to_symbols<'py>(
    py: Python<'py>,
    bits: PyReadonlyArray1<'py, u8>,
) -> PyResult<Bound<'py, PyArray1<u8>>> {
    let b = bits.as_slice()?;
    if b.len() % 2 != 0 {
        return Err(invalid(
            "bits",
            "an even number of bits (two per PAM4 symbol)",
            b.len(),
        ));
    }
    let out = py.detach(|| {
        let mut s = vec![0u8; b.len() / 2];
        signal::bits_to_symbols(b, &mut s).map(|_| s)
    });
    Ok(out.py()?.into_pyarray(py))
}

#[pyfunction]
fn symbols_to_bits<'py>(
    py: Python<'py>,
    symbols: PyReadonlyArray1<'py, u8>,
) -> PyResult<Bound<'py, PyArray1<u8>>> {
    let s = symbols.as_slice()?;
    let out = py.detach(|| {
        let mut b = vec![0u8; s.len() * 2];
        signal::symbols_to_bits(s, &mut b).map(|_| b)
    });
    Ok(out.py()?.into_pyarray(py))
}

#[pyfunction]
#[pyo3(signature = (symbols, rlm = 1.0))]
fn pam4_levels<'py>(
    py: Python<'py>,
    symbols: PyReadonlyArray1<'py, u8>,
    rlm: f64,
) -> PyResult<Bound<'py, PyArray1<f32>>> {
    let s = symbols.as_slice()?;
    let m = Pam4Mapper::with_rlm(rlm).py()?;
    let out = py.detach(|| m.map(s));
    Ok(out.py()?.into_pyarray(py))
}

#[pyfunction]
fn nrz_levels<'py>(
    py: Python<'py>,
    bits: PyReadonlyArray1<'py, u8>,
) -> PyResult<Bound<'py, PyArray1<f32>>> {
    let b = bits.as_slice()?;
    let out = py.detach(|| signal::NrzMapper.map(b));
    Ok(out.py()?.into_pyarray(py))
}

#[pyfunction]
#[pyo3(signature = (samples, thresholds))]
fn slice_samples<'py>(
    py: Python<'py>,
    samples: Samples<'py>,
    thresholds: Vec<f32>,
) -> PyResult<Bound<'py, PyArray1<u8>>> {
    let mut s = Slicer::with_thresholds(&thresholds).py()?;
    samples.map(py, "samples", &mut s, |s, c, o| s.slice_into(c, o))
}

#[pyfunction]
fn precode<'py>(
    py: Python<'py>,
    symbols: PyReadonlyArray1<'py, u8>,
) -> PyResult<Bound<'py, PyArray1<u8>>> {
    let s = symbols.as_slice()?;
    let out = py.detach(|| Precoder::new().process(s));
    Ok(out.py()?.into_pyarray(py))
}

#[pyfunction]
fn decode_precoded<'py>(
    py: Python<'py>,
    symbols: PyReadonlyArray1<'py, u8>,
) -> PyResult<Bound<'py, PyArray1<u8>>> {
    let s = symbols.as_slice()?;
    let out = py.detach(|| PrecodeDecoder::new().process(s));
    Ok(out.py()?.into_pyarray(py))
}

/// Returns (bits_checked, errors, locked).
#[pyfunction]
#[pyo3(signature = (bits, order, inverted = None))]
fn check_prbs(
    py: Python<'_>,
    bits: PyReadonlyArray1<'_, u8>,
    order: u32,
    inverted: Option<bool>,
) -> PyResult<(u64, u64, bool)> {
    let b = bits.as_slice()?;
    let mut c = match inverted {
        None => PrbsChecker::new(order),
        Some(inv) => PrbsChecker::with_inversion(order, inv),
    }
    .py()?;
    py.detach(|| c.process(b)).py()?;
    Ok((c.bits_checked(), c.errors(), c.is_locked()))
}
