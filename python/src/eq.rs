//! Bindings of `serdes_dsp::eq`: Tx FIR, CTLE, FFE (with LMS and the pulse-response
//! solvers), DFE with the error-burst counter, and MLSE. Each class keeps its Rust
//! block's stream state; every kernel runs with the GIL released. Trajectories come
//! back flat (`snapshots × taps`, row-major) and are reshaped in `serdes_dsp.eq`.
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use serdes_dsp::cpu::Backend;
use serdes_dsp::eq::{
    solve_ffe, Ctle, CtleGrid, CtleParams, Dfe, DfeAdapt, ErrorBursts, Ffe, FloatingDfe, Lms,
    LmsAlgorithm, Mlse, Modulation, ReferenceReceiver, SolveMethod, Trajectory, TxFir, TxFirGrid,
};

use crate::errors::{invalid, IntoPyResult};
use crate::samples::{stream_methods, F32Array, F64Array, Samples, U8Array};

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTxFir>()?;
    m.add_class::<PyCtle>()?;
    m.add_class::<PyFfe>()?;
    m.add_class::<PyDfe>()?;
    m.add_class::<PyFloatingDfe>()?;
    m.add_class::<PyMlse>()?;
    m.add_class::<PyErrorBursts>()?;
    m.add_function(wrap_pyfunction!(ffe_solve, m)?)?;
    Ok(())
}

/// `(output, flat taps trajectory, mse per snapshot)`.
type Adapted<'py, T> = (Bound<'py, PyArray1<T>>, F32Array<'py>, F32Array<'py>);

/// A read-write float32 array property `$name` of the Python class `$class`: the
/// block's `$get()` (copied out) and `$set(&[f32])` (a separate `#[pymethods]` block).
macro_rules! f32_array_property {
    ($class:ty: $name:ident = $get:ident, $set:ident($value:ident)) => {
        #[pymethods]
        impl $class {
            #[getter]
            fn $name<'py>(&self, py: Python<'py>) -> F32Array<'py> {
                self.inner.$get().to_vec().into_pyarray(py)
            }

            #[setter($name)]
            fn $set(&mut self, $value: PyReadonlyArray1<'_, f32>) -> PyResult<()> {
                self.inner.$set($value.as_slice()?).py()
            }
        }
    };
}

fn trajectory<'py>(py: Python<'py>, t: &Trajectory) -> (F32Array<'py>, F32Array<'py>) {
    (
        t.taps().to_vec().into_pyarray(py),
        t.mse().to_vec().into_pyarray(py),
    )
}

/// Transmit FIR (IEEE 802.3 Tx FFE), streaming.
#[pyclass(name = "_TxFir", module = "serdes_dsp._native")]
pub struct PyTxFir {
    inner: TxFir,
}

#[pymethods]
impl PyTxFir {
    #[new]
    #[pyo3(signature = (taps, cursor, normalise = true))]
    fn new(taps: PyReadonlyArray1<'_, f32>, cursor: usize, normalise: bool) -> PyResult<Self> {
        let t = taps.as_slice()?;
        let inner = if normalise {
            TxFir::normalised(t, cursor)
        } else {
            TxFir::new(t, cursor)
        }
        .py()?;
        Ok(PyTxFir { inner })
    }

    #[getter]
    fn taps<'py>(&self, py: Python<'py>) -> F32Array<'py> {
        self.inner.taps().to_vec().into_pyarray(py)
    }

    #[getter]
    fn cursor(&self) -> usize {
        self.inner.cursor()
    }

    #[getter]
    fn delay(&self) -> usize {
        self.inner.delay()
    }

    fn check_802_3ck_kr(&self) -> PyResult<()> {
        self.inner.check_802_3ck_kr().py()
    }

    #[staticmethod]
    fn preset(n: usize) -> PyResult<Self> {
        Ok(PyTxFir {
            inner: TxFir::preset(n).py()?,
        })
    }

    /// Searches the tap grid for `pulse` and becomes the best Tx FIR:
    /// `(snr_db, pulse at the receiver, its cursor, receiver FFE taps, evaluated)`.
    #[pyo3(signature = (pulse, cursor, grid = "802.3ck", step = None, ffe_taps = 1, ffe_cursor = 0, dfe_taps = 0, noise_var = 0.0, signal_power = 5.0 / 9.0))]
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn adapt<'py>(
        &mut self,
        py: Python<'py>,
        pulse: PyReadonlyArray1<'py, f32>,
        cursor: usize,
        grid: &str,
        step: Option<f64>,
        ffe_taps: usize,
        ffe_cursor: usize,
        dfe_taps: usize,
        noise_var: f64,
        signal_power: f64,
    ) -> PyResult<(f64, F64Array<'py>, usize, F64Array<'py>, usize)> {
        let mut g = match grid {
            "802.3ck" => TxFirGrid::ieee_802_3ck(),
            "802.3dj" => TxFirGrid::ieee_802_3dj(),
            other => return Err(invalid("grid", "one of 802.3ck, 802.3dj", other)),
        };
        if let Some(step) = step {
            g = g.with_step(step).py()?;
        }
        let rx = receiver(ffe_taps, ffe_cursor, dfe_taps, noise_var, signal_power);
        let p = pulse.as_slice()?;
        let a = py.detach(|| TxFir::adapt(p, cursor, &g, &rx)).py()?;
        self.inner = a.fir;
        Ok((
            a.snr_db,
            a.pulse.into_pyarray(py),
            a.cursor,
            a.merit.ffe_taps.into_pyarray(py),
            a.evaluated,
        ))
    }
}

stream_methods!(PyTxFir, f32);

fn receiver(
    ffe_taps: usize,
    ffe_cursor: usize,
    dfe_taps: usize,
    noise_var: f64,
    signal_power: f64,
) -> ReferenceReceiver {
    ReferenceReceiver {
        ffe_taps,
        ffe_cursor,
        dfe_taps,
        signal_power,
        noise_acf: vec![noise_var],
    }
}

/// `(g_dc_db, g_dc2_db, snr_db, symbol-spaced pulse, cursor, phase, flat table)`.
type CtleAdaptedPy<'py> = (f64, f64, f64, F64Array<'py>, usize, usize, F64Array<'py>);

/// Annex 93A/178A or poles/zeros CTLE, streaming, with its responses.
#[pyclass(name = "_Ctle", module = "serdes_dsp._native")]
pub struct PyCtle {
    inner: Ctle,
}

impl PyCtle {
    /// `gain(ctle, f)` (dB) at each frequency of `f_hz`.
    fn gain_db<'py>(
        &self,
        py: Python<'py>,
        f_hz: PyReadonlyArray1<'py, f64>,
        gain: fn(&Ctle, f64) -> f64,
    ) -> PyResult<F64Array<'py>> {
        let f = f_hz.as_slice()?;
        Ok(f.iter()
            .map(|&v| gain(&self.inner, v))
            .collect::<Vec<_>>()
            .into_pyarray(py))
    }
}

#[pymethods]
impl PyCtle {
    #[new]
    fn new(
        dc_gain: f64,
        zeros_hz: Vec<f64>,
        poles_hz: Vec<f64>,
        sample_rate_hz: f64,
    ) -> PyResult<Self> {
        Ok(PyCtle {
            inner: Ctle::from_poles_zeros(dc_gain, &zeros_hz, &poles_hz, sample_rate_hz).py()?,
        })
    }

    #[staticmethod]
    #[allow(clippy::too_many_arguments)]
    fn annex_93a(
        g_dc_db: f64,
        g_dc2_db: f64,
        fz_hz: f64,
        fp1_hz: f64,
        fp2_hz: f64,
        f_lf_hz: f64,
        sample_rate_hz: f64,
    ) -> PyResult<Self> {
        let p = CtleParams {
            g_dc_db,
            g_dc2_db,
            fz_hz,
            fp1_hz,
            fp2_hz,
            f_lf_hz,
        };
        Ok(PyCtle {
            inner: Ctle::annex_93a(p, sample_rate_hz).py()?,
        })
    }

    #[staticmethod]
    fn ieee_802_3ck(g_dc_db: f64, g_dc2_db: f64, sample_rate_hz: f64) -> PyResult<Self> {
        Ok(PyCtle {
            inner: Ctle::annex_93a(CtleParams::ieee_802_3ck(g_dc_db, g_dc2_db), sample_rate_hz)
                .py()?,
        })
    }

    #[staticmethod]
    fn ieee_802_3dj(
        baud_hz: f64,
        g_dc_db: f64,
        g_dc2_db: f64,
        sample_rate_hz: f64,
    ) -> PyResult<Self> {
        Ok(PyCtle {
            inner: Ctle::annex_93a(
                CtleParams::ieee_802_3dj(baud_hz, g_dc_db, g_dc2_db),
                sample_rate_hz,
            )
            .py()?,
        })
    }

    fn analog_gain_db<'py>(
        &self,
        py: Python<'py>,
        f_hz: PyReadonlyArray1<'py, f64>,
    ) -> PyResult<F64Array<'py>> {
        self.gain_db(py, f_hz, Ctle::analog_gain_db)
    }

    fn digital_gain_db<'py>(
        &self,
        py: Python<'py>,
        f_hz: PyReadonlyArray1<'py, f64>,
    ) -> PyResult<F64Array<'py>> {
        self.gain_db(py, f_hz, Ctle::digital_gain_db)
    }

    #[getter]
    fn g_dc_db(&self) -> Option<f64> {
        self.inner.params().map(|p| p.g_dc_db)
    }

    #[getter]
    fn g_dc2_db(&self) -> Option<f64> {
        self.inner.params().map(|p| p.g_dc2_db)
    }

    /// Chooses the gains on the grid for `pulse` and becomes that CTLE.
    #[pyo3(signature = (pulse, samples_per_ui, grid = "802.3dj", g_dc_db = None, g_dc2_db = None, ffe_taps = 1, ffe_cursor = 0, dfe_taps = 0, noise_var = 0.0, signal_power = 5.0 / 9.0))]
    #[allow(clippy::too_many_arguments)]
    fn adapt<'py>(
        &mut self,
        py: Python<'py>,
        pulse: PyReadonlyArray1<'py, f32>,
        samples_per_ui: usize,
        grid: &str,
        g_dc_db: Option<Vec<f64>>,
        g_dc2_db: Option<Vec<f64>>,
        ffe_taps: usize,
        ffe_cursor: usize,
        dfe_taps: usize,
        noise_var: f64,
        signal_power: f64,
    ) -> PyResult<CtleAdaptedPy<'py>> {
        let base = match grid {
            "802.3ck" => CtleGrid::ieee_802_3ck(),
            "802.3dj" => CtleGrid::ieee_802_3dj(),
            other => return Err(invalid("grid", "one of 802.3ck, 802.3dj", other)),
        };
        let g = CtleGrid::new(
            g_dc_db.as_deref().unwrap_or(base.g_dc_db()),
            g_dc2_db.as_deref().unwrap_or(base.g_dc2_db()),
        )
        .py()?;
        let rx = receiver(ffe_taps, ffe_cursor, dfe_taps, noise_var, signal_power);
        let p = pulse.as_slice()?;
        let inner = &mut self.inner;
        let a = py.detach(|| inner.adapt(p, samples_per_ui, &g, &rx)).py()?;
        let table: Vec<f64> = a
            .table
            .iter()
            .flat_map(|c| [c.g_dc_db, c.g_dc2_db, c.snr_db])
            .collect();
        Ok((
            a.params.g_dc_db,
            a.params.g_dc2_db,
            a.snr_db,
            a.pulse.into_pyarray(py),
            a.cursor,
            a.phase,
            table.into_pyarray(py),
        ))
    }

    #[getter]
    fn peaking_db(&self) -> f64 {
        self.inner.peaking_db()
    }

    #[getter]
    fn peak_frequency_hz(&self) -> f64 {
        self.inner.peak_frequency_hz()
    }

    #[getter]
    fn fit_error_db(&self) -> f64 {
        self.inner.fit_error_db()
    }

    #[getter]
    fn delay(&self) -> usize {
        self.inner.delay()
    }

    #[getter]
    fn sample_rate_hz(&self) -> f64 {
        self.inner.sample_rate_hz()
    }

    fn apply_to_impulse_response<'py>(
        &self,
        py: Python<'py>,
        h: PyReadonlyArray1<'py, f32>,
        dt_s: f64,
    ) -> PyResult<F32Array<'py>> {
        let h = h.as_slice()?;
        let inner = &self.inner;
        Ok(py
            .detach(|| inner.apply_to_impulse_response(h, dt_s))
            .py()?
            .into_pyarray(py))
    }
}

stream_methods!(PyCtle, f32);

fn lms_config(mu: f32, algorithm: &str, modulation: &str, record_every: usize) -> PyResult<Lms> {
    Lms::new(mu)
        .py()?
        .with_algorithm(LmsAlgorithm::from_name(algorithm).py()?)
        .with_modulation(Modulation::from_name(modulation).py()?)
        .with_record_every(record_every)
        .py()
}

/// Feed-forward equaliser, streaming, scalar/AVX2/AVX-512.
#[pyclass(name = "_Ffe", module = "serdes_dsp._native")]
pub struct PyFfe {
    inner: Ffe,
}

#[pymethods]
impl PyFfe {
    #[new]
    #[pyo3(signature = (taps, cursor, samples_per_symbol = 1, backend = "auto"))]
    fn new(
        taps: PyReadonlyArray1<'_, f32>,
        cursor: usize,
        samples_per_symbol: usize,
        backend: &str,
    ) -> PyResult<Self> {
        let b = Backend::from_name(backend).py()?;
        let inner = Ffe::fractional(taps.as_slice()?, cursor, samples_per_symbol)
            .py()?
            .with_backend(b)
            .py()?;
        Ok(PyFfe { inner })
    }

    #[getter]
    fn cursor(&self) -> usize {
        self.inner.cursor()
    }

    #[getter]
    fn delay(&self) -> usize {
        self.inner.delay()
    }

    #[getter]
    fn samples_per_symbol(&self) -> usize {
        self.inner.samples_per_symbol()
    }

    #[getter]
    fn backend(&self) -> &'static str {
        self.inner.backend().name()
    }

    fn process<'py>(&mut self, py: Python<'py>, x: Samples<'py>) -> PyResult<F32Array<'py>> {
        let x = x.view("x")?;
        let inner = &mut self.inner;
        let out = py.detach(|| {
            // One output per symbol: each chunk's share depends on the stream position.
            let mut out = vec![0.0; inner.output_len(x.len())];
            let mut at = 0;
            x.feed(inner, |ffe, _, c| {
                let n = ffe.output_len(c.len());
                ffe.process_into(c, &mut out[at..at + n])?;
                at += n;
                Ok(())
            })?;
            Ok(out)
        });
        Ok(out.py()?.into_pyarray(py))
    }

    #[pyo3(signature = (x, reference = None, mu = 1e-3, algorithm = "lms", modulation = "pam4", record_every = 1000))]
    #[allow(clippy::too_many_arguments)]
    fn adapt<'py>(
        &mut self,
        py: Python<'py>,
        x: PyReadonlyArray1<'py, f32>,
        reference: Option<PyReadonlyArray1<'py, f32>>,
        mu: f32,
        algorithm: &str,
        modulation: &str,
        record_every: usize,
    ) -> PyResult<Adapted<'py, f32>> {
        let cfg = lms_config(mu, algorithm, modulation, record_every)?;
        let x = x.as_slice()?;
        let r = match &reference {
            Some(r) => Some(r.as_slice()?),
            None => None,
        };
        let inner = &mut self.inner;
        let a = py.detach(|| inner.adapt(x, r, &cfg)).py()?;
        let (t, m) = trajectory(py, &a.trajectory);
        Ok((a.output.into_pyarray(py), t, m))
    }

    fn reset(&mut self) {
        self.inner.reset()
    }
}

f32_array_property!(PyFfe: taps = taps, set_taps(taps));

/// Taps from a pulse response: `(taps, delay, equalised pulse, mse, snr_db)`.
#[pyfunction]
#[pyo3(signature = (pulse, n_taps, cursor, samples_per_symbol = 1, method = "mmse", noise_var = 0.0, signal_power = 5.0 / 9.0))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn ffe_solve<'py>(
    py: Python<'py>,
    pulse: PyReadonlyArray1<'py, f32>,
    n_taps: usize,
    cursor: usize,
    samples_per_symbol: usize,
    method: &str,
    noise_var: f64,
    signal_power: f64,
) -> PyResult<(F32Array<'py>, usize, Bound<'py, PyArray1<f64>>, f64, f64)> {
    let m = match method {
        "zf" | "zero_forcing" => SolveMethod::ZeroForcing,
        "mmse" => SolveMethod::Mmse {
            noise_var,
            signal_power,
        },
        other => return Err(invalid("method", "one of mmse, zf", other)),
    };
    let p = pulse.as_slice()?;
    let s = py
        .detach(|| solve_ffe(p, n_taps, cursor, samples_per_symbol, m))
        .py()?;
    Ok((
        s.taps.into_pyarray(py),
        s.delay,
        s.equalised.into_pyarray(py),
        s.mse,
        s.snr_db,
    ))
}

/// Decision-feedback equaliser, streaming.
#[pyclass(name = "_Dfe", module = "serdes_dsp._native")]
pub struct PyDfe {
    inner: Dfe,
}

#[pymethods]
impl PyDfe {
    #[new]
    #[pyo3(signature = (taps, modulation = "pam4"))]
    fn new(taps: PyReadonlyArray1<'_, f32>, modulation: &str) -> PyResult<Self> {
        Ok(PyDfe {
            inner: Dfe::new(Modulation::from_name(modulation).py()?, taps.as_slice()?).py()?,
        })
    }

    #[getter]
    fn thresholds<'py>(&self, py: Python<'py>) -> F32Array<'py> {
        self.inner.thresholds().to_vec().into_pyarray(py)
    }

    #[getter]
    fn modulation(&self) -> &'static str {
        match self.inner.modulation() {
            Modulation::Nrz => "nrz",
            Modulation::Pam4 => "pam4",
        }
    }

    #[pyo3(signature = (x, reference = None, mu_taps = 1e-3, mu_levels = 1e-3, algorithm = "lms", record_every = 1000))]
    #[allow(clippy::too_many_arguments)]
    fn adapt<'py>(
        &mut self,
        py: Python<'py>,
        x: PyReadonlyArray1<'py, f32>,
        reference: Option<PyReadonlyArray1<'py, u8>>,
        mu_taps: f32,
        mu_levels: f32,
        algorithm: &str,
        record_every: usize,
    ) -> PyResult<Adapted<'py, u8>> {
        let cfg = DfeAdapt {
            mu_taps,
            mu_levels,
            algorithm: LmsAlgorithm::from_name(algorithm).py()?,
            record_every,
        };
        let x = x.as_slice()?;
        let r = match &reference {
            Some(r) => Some(r.as_slice()?),
            None => None,
        };
        let inner = &mut self.inner;
        let a = py.detach(|| inner.adapt(x, r, &cfg)).py()?;
        let (t, m) = trajectory(py, &a.trajectory);
        Ok((a.symbols.into_pyarray(py), t, m))
    }

    fn check_802_3ck_kr(&self) -> PyResult<()> {
        self.inner.check_802_3ck_kr().py()
    }
}

stream_methods!(PyDfe, soft);
f32_array_property!(PyDfe: taps = taps, set_taps(taps));
f32_array_property!(PyDfe: levels = slicer_levels, set_slicer_levels(levels));

/// DFE with fixed and floating taps, streaming.
#[pyclass(name = "_FloatingDfe", module = "serdes_dsp._native")]
pub struct PyFloatingDfe {
    inner: FloatingDfe,
}

#[pymethods]
impl PyFloatingDfe {
    #[new]
    #[pyo3(signature = (fixed, positions, taps, modulation = "pam4"))]
    fn new(
        fixed: PyReadonlyArray1<'_, f32>,
        positions: Vec<usize>,
        taps: PyReadonlyArray1<'_, f32>,
        modulation: &str,
    ) -> PyResult<Self> {
        let t = taps.as_slice()?;
        if t.len() != positions.len() {
            return Err(invalid(
                "taps",
                &format!("one tap per position ({})", positions.len()),
                t.len(),
            ));
        }
        let floating: Vec<(usize, f32)> = positions.into_iter().zip(t.iter().copied()).collect();
        Ok(PyFloatingDfe {
            inner: FloatingDfe::new(
                Modulation::from_name(modulation).py()?,
                fixed.as_slice()?,
                &floating,
            )
            .py()?,
        })
    }

    #[staticmethod]
    #[pyo3(signature = (pulse, cursor, n_fixed, n_floating, max_position, modulation = "pam4"))]
    fn from_pulse(
        pulse: PyReadonlyArray1<'_, f32>,
        cursor: usize,
        n_fixed: usize,
        n_floating: usize,
        max_position: usize,
        modulation: &str,
    ) -> PyResult<Self> {
        Ok(PyFloatingDfe {
            inner: FloatingDfe::from_pulse(
                Modulation::from_name(modulation).py()?,
                pulse.as_slice()?,
                cursor,
                n_fixed,
                n_floating,
                max_position,
            )
            .py()?,
        })
    }

    #[getter]
    fn fixed_taps<'py>(&self, py: Python<'py>) -> F32Array<'py> {
        self.inner.fixed_taps().to_vec().into_pyarray(py)
    }

    #[getter]
    fn positions(&self) -> Vec<usize> {
        self.inner.positions().to_vec()
    }

    #[getter]
    fn floating_taps<'py>(&self, py: Python<'py>) -> F32Array<'py> {
        self.inner.floating_taps().to_vec().into_pyarray(py)
    }
}

stream_methods!(PyFloatingDfe, soft);

/// Symbol/bit error and burst counter.
#[pyclass(name = "_ErrorBursts", module = "serdes_dsp._native")]
pub struct PyErrorBursts {
    inner: ErrorBursts,
}

#[pymethods]
impl PyErrorBursts {
    #[new]
    #[pyo3(signature = (max_distance, modulation = "pam4"))]
    fn new(max_distance: usize, modulation: &str) -> PyResult<Self> {
        Ok(PyErrorBursts {
            inner: ErrorBursts::new(Modulation::from_name(modulation).py()?, max_distance).py()?,
        })
    }

    fn update(
        &mut self,
        py: Python<'_>,
        decided: PyReadonlyArray1<'_, u8>,
        reference: PyReadonlyArray1<'_, u8>,
    ) -> PyResult<()> {
        let (d, r) = (decided.as_slice()?, reference.as_slice()?);
        let inner = &mut self.inner;
        py.detach(|| inner.update(d, r)).py()
    }

    #[getter]
    fn symbols(&self) -> u64 {
        self.inner.symbols()
    }

    #[getter]
    fn symbol_errors(&self) -> u64 {
        self.inner.symbol_errors()
    }

    #[getter]
    fn bit_errors(&self) -> u64 {
        self.inner.bit_errors()
    }

    #[getter]
    fn ber(&self) -> f64 {
        self.inner.ber()
    }

    #[getter]
    fn ser(&self) -> f64 {
        self.inner.ser()
    }

    #[getter]
    fn histogram<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u64>> {
        self.inner.histogram().into_pyarray(py)
    }
}

/// Viterbi sequence detector, streaming, fixed delay.
#[pyclass(name = "_Mlse", module = "serdes_dsp._native")]
pub struct PyMlse {
    inner: Mlse,
}

#[pymethods]
impl PyMlse {
    #[new]
    #[pyo3(signature = (channel, depth = 16, modulation = "pam4"))]
    fn new(channel: PyReadonlyArray1<'_, f32>, depth: usize, modulation: &str) -> PyResult<Self> {
        Ok(PyMlse {
            inner: Mlse::new(
                Modulation::from_name(modulation).py()?,
                channel.as_slice()?,
                depth,
            )
            .py()?,
        })
    }

    #[getter]
    fn delay(&self) -> usize {
        self.inner.delay()
    }

    fn finish<'py>(&self, py: Python<'py>) -> U8Array<'py> {
        self.inner.finish().into_pyarray(py)
    }

    fn estimate_channel<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArray1<'py, f32>,
        symbols: PyReadonlyArray1<'py, u8>,
    ) -> PyResult<F32Array<'py>> {
        let (x, s) = (x.as_slice()?, symbols.as_slice()?);
        let inner = &self.inner;
        Ok(py
            .detach(|| inner.estimate_channel(x, s))
            .py()?
            .into_pyarray(py))
    }
}

stream_methods!(PyMlse, u8);
f32_array_property!(PyMlse: channel = channel, set_channel(channel));
