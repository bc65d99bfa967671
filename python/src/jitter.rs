//! Bindings of `serdes_dsp::channel::{jitter, tie, optical}`: the jitter block, the
//! TIE measurement and the IM-DD optical link. Each kernel runs with the GIL
//! released; the Python layer is `serdes_dsp.jitter`.
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serdes_dsp::channel::jitter::{Buj, DcdMode, Jitter};
use serdes_dsp::channel::optical::{OpticalConfig, OpticalLink, OpticalPower};
use serdes_dsp::channel::tie::{tie as measure_tie, SjFit, TieConfig};
use serdes_dsp::cpu::Backend;

use crate::errors::{invalid, IntoPyResult};
use crate::samples::{stream_methods, F64Array};

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyJitter>()?;
    m.add_class::<PyOpticalLink>()?;
    m.add_function(wrap_pyfunction!(tie, m)?)?;
    Ok(())
}

/// Jitter (RJ, SJ, DCD, BUJ) on an oversampled waveform, streaming.
#[pyclass(name = "_Jitter", module = "serdes_dsp._native")]
pub struct PyJitter {
    inner: Jitter,
}

#[pymethods]
impl PyJitter {
    #[new]
    #[pyo3(signature = (samples_per_ui, baud_hz, seed, rj_rms_ui, sj_amplitude_ui, sj_frequency_hz,
        sj_phase_rad, dcd_ui, dcd_mode, buj_peak_ui, buj, edge_offset, backend))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        samples_per_ui: usize,
        baud_hz: f64,
        seed: u64,
        rj_rms_ui: f64,
        sj_amplitude_ui: f64,
        sj_frequency_hz: f64,
        sj_phase_rad: f64,
        dcd_ui: f64,
        dcd_mode: &str,
        buj_peak_ui: f64,
        buj: &str,
        edge_offset: usize,
        backend: &str,
    ) -> PyResult<Self> {
        let mode = match dcd_mode {
            "even_odd" => DcdMode::EvenOdd,
            "rising_falling" => DcdMode::RisingFalling,
            other => {
                return Err(invalid(
                    "dcd_mode",
                    "\"even_odd\" or \"rising_falling\"",
                    other,
                ))
            }
        };
        let kind = match buj {
            "uniform" => Buj::Uniform,
            p if p.starts_with("prbs") => match p[4..].parse::<u32>() {
                Ok(order) => Buj::Prbs(order),
                Err(_) => {
                    return Err(invalid(
                        "buj",
                        "\"uniform\" or \"prbs<order>\" (e.g. \"prbs7\")",
                        p,
                    ))
                }
            },
            other => {
                return Err(invalid(
                    "buj",
                    "\"uniform\" or \"prbs<order>\" (e.g. \"prbs7\")",
                    other,
                ))
            }
        };
        let inner = Jitter::new(samples_per_ui, baud_hz, seed)
            .py()?
            .rj(rj_rms_ui)
            .py()?
            .sj(sj_amplitude_ui, sj_frequency_hz, sj_phase_rad)
            .py()?
            .dcd(dcd_ui, mode)
            .py()?
            .buj(buj_peak_ui, kind)
            .py()?
            .edge_offset(edge_offset)
            .py()?
            .with_backend(Backend::from_name(backend).py()?)
            .py()?;
        Ok(PyJitter { inner })
    }

    #[getter]
    fn delay(&self) -> usize {
        self.inner.delay()
    }

    #[getter]
    fn max_displacement_ui(&self) -> f64 {
        self.inner.max_displacement_ui()
    }

    #[getter]
    fn backend(&self) -> &'static str {
        self.inner.backend().name()
    }
}

stream_methods!(PyJitter, f32);

/// IM-DD optical link, streaming.
#[pyclass(name = "_OpticalLink", module = "serdes_dsp._native")]
pub struct PyOpticalLink {
    inner: OpticalLink,
}

#[pymethods]
impl PyOpticalLink {
    #[new]
    #[pyo3(signature = (sample_rate_hz, extinction_ratio_db, average_power_dbm, oma_dbm, rin_db_hz,
        bandwidth_hz, bandwidth_order, responsivity_a_per_w, thermal_noise_pa_per_rt_hz,
        shot_noise, tia_gain_ohm, seed))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        sample_rate_hz: f64,
        extinction_ratio_db: f64,
        average_power_dbm: Option<f64>,
        oma_dbm: Option<f64>,
        rin_db_hz: Option<f64>,
        bandwidth_hz: Option<f64>,
        bandwidth_order: u32,
        responsivity_a_per_w: f64,
        thermal_noise_pa_per_rt_hz: f64,
        shot_noise: bool,
        tia_gain_ohm: f64,
        seed: u64,
    ) -> PyResult<Self> {
        let power = match (average_power_dbm, oma_dbm) {
            (Some(p), None) => OpticalPower::AverageDbm(p),
            (None, Some(p)) => OpticalPower::OmaDbm(p),
            _ => {
                return Err(invalid(
                    "average_power_dbm",
                    "exactly one of average_power_dbm and oma_dbm",
                    "both or neither",
                ))
            }
        };
        let cfg = OpticalConfig {
            sample_rate_hz,
            extinction_ratio_db,
            power,
            rin_db_hz,
            bandwidth_hz,
            bandwidth_order,
            responsivity_a_per_w,
            thermal_noise_pa_per_rt_hz,
            shot_noise,
            tia_gain_ohm,
        };
        Ok(PyOpticalLink {
            inner: OpticalLink::new(cfg, seed).py()?,
        })
    }

    #[getter]
    fn average_power_w(&self) -> f64 {
        self.inner.average_power_w()
    }

    #[getter]
    fn p0_w(&self) -> f64 {
        self.inner.p0_w()
    }

    #[getter]
    fn p1_w(&self) -> f64 {
        self.inner.p1_w()
    }

    #[getter]
    fn oma_w(&self) -> f64 {
        self.inner.oma_w()
    }

    #[getter]
    fn noise_bandwidth_hz(&self) -> f64 {
        self.inner.noise_bandwidth_hz()
    }

    #[getter]
    fn levels_v(&self) -> (f64, f64) {
        let [a, b] = self.inner.levels_v();
        (a, b)
    }

    fn noise_sigma_a(&self, i_a: f64) -> f64 {
        self.inner.noise_sigma_a(i_a)
    }
}

stream_methods!(PyOpticalLink, f32);

/// `(times, ui, rising, tie_ui, residual_ui)` and the fitted values.
type TieOut<'py> = (
    F64Array<'py>,
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<bool>>,
    F64Array<'py>,
    F64Array<'py>,
    Bound<'py, PyDict>,
);

/// TIE of a waveform; `sj_frequency_per_ui`: `None` searches, `0` turns the SJ fit off.
#[pyfunction]
#[pyo3(signature = (waveform, samples_per_ui, thresholds, symmetry_tolerance, sj_frequency_per_ui))]
fn tie<'py>(
    py: Python<'py>,
    waveform: PyReadonlyArray1<'py, f32>,
    samples_per_ui: f64,
    thresholds: Vec<f32>,
    symmetry_tolerance: Option<f64>,
    sj_frequency_per_ui: Option<f64>,
) -> PyResult<TieOut<'py>> {
    let x = waveform.as_slice()?;
    let cfg = TieConfig {
        samples_per_ui,
        thresholds,
        symmetry_tolerance,
        sj: match sj_frequency_per_ui {
            None => SjFit::Search,
            Some(0.0) => SjFit::Off,
            Some(f) => SjFit::PerUi(f),
        },
    };
    let t = py.detach(|| measure_tie(x, &cfg)).py()?;
    let s = &t.stats;
    let d = PyDict::new(py);
    d.set_item("edges", s.edges)?;
    d.set_item("period_samples", s.period_samples)?;
    d.set_item("phase_samples", s.phase_samples)?;
    d.set_item("frequency_offset_ppm", s.frequency_offset_ppm)?;
    d.set_item("tie_rms_ui", s.tie_rms_ui)?;
    d.set_item("tie_pp_ui", s.tie_pp_ui)?;
    d.set_item("sj_amplitude_ui", s.sj_amplitude_ui)?;
    d.set_item("sj_frequency_per_ui", s.sj_frequency_per_ui)?;
    d.set_item("sj_phase_rad", s.sj_phase_rad)?;
    d.set_item("dcd_ui", s.dcd_ui)?;
    d.set_item("dcd_even_odd_ui", s.dcd_even_odd_ui)?;
    d.set_item("rj_rms_ui", s.rj_rms_ui)?;
    Ok((
        t.times.into_pyarray(py),
        t.ui.into_pyarray(py),
        t.rising.into_pyarray(py),
        t.tie_ui.into_pyarray(py),
        t.residual_ui.into_pyarray(py),
        d,
    ))
}
