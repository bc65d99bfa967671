//! The native module `serdes_dsp._native`: thin bindings over the `serdes-dsp` crate.
//!
//! Each function borrows its numpy input, releases the GIL (`py.detach`) around the
//! Rust kernel, and returns a new numpy array. One file per domain registers its
//! functions and classes; `errors.rs` maps the core's errors to `ValueError`.
use pyo3::prelude::*;

mod analysis;
mod cdr;
mod channel;
mod channel_model;
mod eq;
mod errors;
mod fec;
mod jitter;
mod link;
mod samples;
mod signal;
mod touchstone;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add(
        "SerdesDspError",
        m.py().get_type::<errors::SerdesDspError>(),
    )?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(cpu_backend, m)?)?;
    signal::register(m)?;
    channel::register(m)?;
    channel_model::register(m)?;
    analysis::register(m)?;
    link::register(m)?;
    fec::register(m)?;
    eq::register(m)?;
    touchstone::register(m)?;
    jitter::register(m)?;
    cdr::register(m)?;
    Ok(())
}

/// The SIMD backend the kernels use on this CPU: "scalar", "avx2" or "avx512".
#[pyfunction]
fn cpu_backend() -> &'static str {
    serdes_dsp::cpu::Backend::detect().name()
}
