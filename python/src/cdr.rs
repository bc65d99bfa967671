//! Bindings of `serdes_dsp::cdr`: the streaming CDR, its characterisation sweeps and
//! the PAM4 test-waveform generator. Every kernel runs with the GIL released.
use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use serdes_dsp::cdr::characterise;
use serdes_dsp::cdr::waveform::{pam4_waveform, RaisedCosine, Timing};
use serdes_dsp::cdr::{Cdr, CdrConfig, CdrOutput, InterpKind, LoopGains, PhaseTrace};
use serdes_dsp::cpu::Backend;

use crate::errors::IntoPyResult;
use crate::samples::{F32Array, F64Array, Samples, U8Array};

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCdr>()?;
    m.add_function(wrap_pyfunction!(cdr_waveform, m)?)?;
    Ok(())
}

/// The streaming CDR; `process` returns (samples, symbols, phase_ui).
#[pyclass(name = "_Cdr", module = "serdes_dsp._native")]
pub struct PyCdr {
    inner: Cdr,
}

impl PyCdr {
    /// `magnitude(gains, f, baud_hz, detector_gain)` of the designed loop at each frequency.
    fn loop_response<'py>(
        &self,
        py: Python<'py>,
        frequencies_hz: &[f64],
        magnitude: fn(&LoopGains, f64, f64, f64) -> f64,
    ) -> PyResult<F64Array<'py>> {
        let c = self.inner.config();
        let kd = c.effective_detector_gain().py()?;
        let g = self.inner.gains();
        Ok(frequencies_hz
            .iter()
            .map(|&f| magnitude(&g, f, c.baud_hz, kd))
            .collect::<Vec<_>>()
            .into_pyarray(py))
    }
}

#[pymethods]
impl PyCdr {
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (detector, samples_per_ui, bandwidth_hz, baud_hz, damping, kp, ki, amplitude, interpolator, update_every, initial_phase_ui, initial_ppm, detector_gain, backend, trace = "symbol"))]
    fn new(
        detector: &str,
        samples_per_ui: usize,
        bandwidth_hz: Option<f64>,
        baud_hz: f64,
        damping: f64,
        kp: Option<f64>,
        ki: Option<f64>,
        amplitude: f32,
        interpolator: &str,
        update_every: usize,
        initial_phase_ui: f64,
        initial_ppm: f64,
        detector_gain: Option<f64>,
        backend: &str,
        trace: &str,
    ) -> PyResult<Self> {
        let mut c = CdrConfig::new(samples_per_ui);
        c.detector = detector.to_string();
        c.baud_hz = baud_hz;
        c.bandwidth_hz = bandwidth_hz.unwrap_or(baud_hz / 2500.0);
        c.damping = damping;
        c.gains = match (kp, ki) {
            (Some(kp), ki) => Some(LoopGains::new(kp, ki.unwrap_or(0.0)).py()?),
            (None, Some(_)) => {
                return Err(crate::errors::invalid(
                    "kp",
                    "given together with ki",
                    "None",
                ))
            }
            (None, None) => None,
        };
        c.amplitude = amplitude;
        c.interpolator = InterpKind::from_name(interpolator).py()?;
        c.update_every = update_every;
        c.initial_phase_ui = initial_phase_ui;
        c.initial_ppm = initial_ppm;
        c.detector_gain = detector_gain;
        c.backend = Backend::from_name(backend).py()?;
        c.trace = PhaseTrace::from_name(trace).py()?;
        Ok(PyCdr {
            inner: Cdr::new(c).py()?,
        })
    }

    fn process<'py>(
        &mut self,
        py: Python<'py>,
        waveform: Samples<'py>,
    ) -> PyResult<(F32Array<'py>, U8Array<'py>, F64Array<'py>)> {
        let x = waveform.view("waveform")?;
        let inner = &mut self.inner;
        let out = py
            .detach(|| {
                let mut out = CdrOutput::new();
                let n = inner.max_output_len(x.len());
                out.samples.reserve(n);
                out.symbols.reserve(n);
                x.feed(inner, |cdr, _, c| cdr.process_into(c, &mut out).map(drop))?;
                Ok(out)
            })
            .py()?;
        Ok((
            out.samples.into_pyarray(py),
            out.symbols.into_pyarray(py),
            out.phase_ui.into_pyarray(py),
        ))
    }

    fn reset(&mut self) {
        self.inner.reset()
    }

    #[getter]
    fn frequency_ppm(&self) -> f64 {
        self.inner.frequency_ppm()
    }

    #[getter]
    fn phase_ui(&self) -> f64 {
        self.inner.phase_ui()
    }

    #[getter]
    fn locked(&self) -> bool {
        self.inner.locked()
    }

    #[getter]
    fn lock_time(&self) -> Option<u64> {
        self.inner.lock_time()
    }

    #[getter]
    fn lock_losses(&self) -> u64 {
        self.inner.lock_losses()
    }

    #[getter]
    fn update_every(&self) -> usize {
        self.inner.config().update_every
    }

    #[getter]
    fn trace(&self) -> &'static str {
        match self.inner.config().trace {
            PhaseTrace::Symbol => "symbol",
            PhaseTrace::Block => "block",
            PhaseTrace::Off => "off",
        }
    }

    #[getter]
    fn slips(&self) -> i64 {
        self.inner.slips()
    }

    #[getter]
    fn symbols_out(&self) -> u64 {
        self.inner.symbols_out()
    }

    #[getter]
    fn kp(&self) -> f64 {
        self.inner.gains().kp
    }

    #[getter]
    fn ki(&self) -> f64 {
        self.inner.gains().ki
    }

    #[getter]
    fn detector_gain(&self) -> PyResult<f64> {
        self.inner.config().effective_detector_gain().py()
    }

    #[getter]
    fn backend(&self) -> &'static str {
        self.inner.backend().name()
    }

    /// |H(f)| of the designed loop (continuous model) at each frequency.
    fn theoretical_transfer<'py>(
        &self,
        py: Python<'py>,
        frequencies_hz: Vec<f64>,
    ) -> PyResult<F64Array<'py>> {
        self.loop_response(py, &frequencies_hz, LoopGains::transfer_magnitude)
    }

    /// |1 − H(f)| of the designed loop at each frequency.
    fn theoretical_error<'py>(
        &self,
        py: Python<'py>,
        frequencies_hz: Vec<f64>,
    ) -> PyResult<F64Array<'py>> {
        self.loop_response(py, &frequencies_hz, LoopGains::error_magnitude)
    }

    /// Measured |H(f)| of a fresh CDR with this configuration.
    fn jitter_transfer<'py>(
        &self,
        py: Python<'py>,
        frequencies_hz: Vec<f64>,
        amplitude_ui: f64,
        seed: u64,
    ) -> PyResult<F64Array<'py>> {
        let c = self.inner.config().clone();
        let g = py
            .detach(|| characterise::jitter_transfer(&c, &frequencies_hz, amplitude_ui, seed))
            .py()?;
        Ok(g.into_pyarray(py))
    }

    /// Jitter tolerance, UI peak to peak, of a fresh CDR with this configuration.
    fn jitter_tolerance<'py>(
        &self,
        py: Python<'py>,
        frequencies_hz: Vec<f64>,
        target_ser: f64,
        min_symbols: usize,
        max_pp_ui: f64,
        seed: u64,
    ) -> PyResult<F64Array<'py>> {
        let c = self.inner.config().clone();
        let t = py
            .detach(|| {
                characterise::jitter_tolerance(
                    &c,
                    &frequencies_hz,
                    target_ser,
                    min_symbols,
                    max_pp_ui,
                    seed,
                )
            })
            .py()?;
        Ok(t.into_pyarray(py))
    }
}

/// Oversampled PAM4 waveform with delay, ppm offset and SJ (raised cosine pulse).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (symbols, samples_per_ui, delay_ui = 0.0, ppm = 0.0, sj_amplitude_ui = 0.0, sj_frequency_per_ui = 0.0, rolloff = 0.5, span_ui = 16))]
fn cdr_waveform<'py>(
    py: Python<'py>,
    symbols: PyReadonlyArray1<'py, u8>,
    samples_per_ui: usize,
    delay_ui: f64,
    ppm: f64,
    sj_amplitude_ui: f64,
    sj_frequency_per_ui: f64,
    rolloff: f64,
    span_ui: usize,
) -> PyResult<F32Array<'py>> {
    let s = symbols.as_slice()?;
    let t = Timing {
        delay_ui,
        ppm,
        sj_amplitude_ui,
        sj_frequency_per_ui,
        sj_phase: 0.0,
    };
    let pulse = RaisedCosine::new(rolloff, span_ui).py()?;
    let x = py
        .detach(|| pam4_waveform(s, samples_per_ui, |k| t.offset_ui(k), &pulse))
        .py()?;
    Ok(x.into_pyarray(py))
}
