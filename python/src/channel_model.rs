//! Bindings of `serdes_dsp::channel::{model, crosstalk}`: the `Channel` (analytic
//! lossy line, low-pass, tabulated response), its impulse and pulse responses and
//! streaming filter, and `Crosstalk`. The Python class `serdes_dsp.channel.Channel`
//! wraps `_Channel` (and adds `from_network` for scikit-rf networks).
use numpy::{Complex64, IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use serdes_dsp::channel::analytic::LossyLine;
use serdes_dsp::channel::crosstalk::{Crosstalk, CrosstalkKind};
use serdes_dsp::channel::{Channel, ChannelFilter};

use crate::errors::IntoPyResult;
use crate::samples::{F32Array, F64Array, Samples};

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyChannel>()?;
    m.add_class::<PyCrosstalk>()?;
    Ok(())
}

/// A channel model; see `serdes_dsp.channel.Channel`.
#[pyclass(name = "_Channel", module = "serdes_dsp._native")]
#[derive(Clone)]
pub struct PyChannel {
    inner: Channel,
    /// The streaming filter of `process` and the sampling it was built for.
    filter: Option<((usize, u64, usize), ChannelFilter)>,
}

impl PyChannel {
    fn of(inner: Channel) -> Self {
        PyChannel {
            inner,
            filter: None,
        }
    }
}

#[pymethods]
impl PyChannel {
    #[staticmethod]
    #[pyo3(signature = (loss_db, baud_hz, skin_fraction = 0.3))]
    fn lossy_line(loss_db: f64, baud_hz: f64, skin_fraction: f64) -> PyResult<Self> {
        let line = LossyLine::new(loss_db, baud_hz)
            .py()?
            .with_skin_fraction(skin_fraction)
            .py()?;
        Ok(Self::of(Channel::from_lossy_line(line)))
    }

    #[staticmethod]
    fn low_pass(order: u8, f3db_hz: f64) -> PyResult<Self> {
        Ok(Self::of(Channel::low_pass(order, f3db_hz).py()?))
    }

    #[staticmethod]
    fn from_touchstone(path: std::path::PathBuf, ordering: &str) -> PyResult<Self> {
        let o = serdes_dsp::channel::touchstone::PortOrdering::from_name(ordering).py()?;
        Ok(Self::of(Channel::from_touchstone(path, o).py()?))
    }

    #[staticmethod]
    fn from_frequency_response(
        freqs_hz: PyReadonlyArray1<'_, f64>,
        h: PyReadonlyArray1<'_, Complex64>,
    ) -> PyResult<Self> {
        Ok(Self::of(
            Channel::from_frequency_response(freqs_hz.as_slice()?, h.as_slice()?).py()?,
        ))
    }

    fn with_reflection(&self, amplitude: f64, delay_s: f64) -> PyResult<Self> {
        Ok(Self::of(
            self.inner
                .clone()
                .with_reflection(amplitude, delay_s)
                .py()?,
        ))
    }

    fn with_delay(&self, delay_s: f64) -> PyResult<Self> {
        Ok(Self::of(self.inner.clone().with_delay(delay_s).py()?))
    }

    fn insertion_loss_db<'py>(
        &self,
        py: Python<'py>,
        f_hz: PyReadonlyArray1<'py, f64>,
    ) -> PyResult<F64Array<'py>> {
        let f = f_hz.as_slice()?;
        let out = f
            .iter()
            .map(|&f| self.inner.insertion_loss_db(f))
            .collect::<serdes_dsp::Result<Vec<f64>>>()
            .py()?;
        Ok(out.into_pyarray(py))
    }

    /// `(samples, peak_index, delay_s)`.
    fn impulse_response<'py>(
        &self,
        py: Python<'py>,
        samples_per_ui: usize,
        baud_hz: f64,
        n_ui: usize,
    ) -> PyResult<(F32Array<'py>, usize, f64)> {
        let ch = &self.inner;
        let ir = py
            .detach(|| ch.impulse_response(samples_per_ui, baud_hz, n_ui))
            .py()?;
        Ok((ir.samples.into_pyarray(py), ir.peak_index, ir.delay_s))
    }

    /// `(samples, peak_index)`.
    fn pulse_response<'py>(
        &self,
        py: Python<'py>,
        samples_per_ui: usize,
        baud_hz: f64,
        n_ui: usize,
    ) -> PyResult<(F32Array<'py>, usize)> {
        let ch = &self.inner;
        let p = py
            .detach(|| ch.pulse_response(samples_per_ui, baud_hz, n_ui))
            .py()?;
        Ok((p.samples.into_pyarray(py), p.peak_index))
    }

    /// Streams `x` through the channel; the filter is rebuilt (and the stream
    /// restarted) when the sampling changes.
    fn process<'py>(
        &mut self,
        py: Python<'py>,
        x: Samples<'py>,
        samples_per_ui: usize,
        baud_hz: f64,
        n_ui: usize,
    ) -> PyResult<F32Array<'py>> {
        let key = (samples_per_ui, baud_hz.to_bits(), n_ui);
        let x = x.view("x")?;
        let ch = &self.inner;
        let filter = &mut self.filter;
        let out = py.detach(|| -> serdes_dsp::Result<Vec<f32>> {
            if filter.as_ref().map(|(k, _)| *k) != Some(key) {
                *filter = Some((key, ch.filter(samples_per_ui, baud_hz, n_ui)?));
            }
            let f = &mut filter.as_mut().expect("set above").1;
            // The FFT path gives the same bits only for chunks cut on its block grid.
            let grid = f.convolver().fft_block().map_or(1, |(_, l)| l);
            let filled = f.convolver().fft_block_filled() as u64;
            let mut out = vec![0.0; x.len()];
            x.feed_on_grid(f, filled, grid, |f, at, c| {
                f.process_into(c, &mut out[at..at + c.len()])
            })?;
            Ok(out)
        });
        Ok(out.py()?.into_pyarray(py))
    }

    /// Restarts the stream of `process`.
    fn reset(&mut self) {
        if let Some((_, f)) = &mut self.filter {
            f.reset();
        }
    }

    /// `"direct"`, `"ffa"` or `"fft"`: how `process` convolves (None before the first call).
    #[getter]
    fn method(&self) -> Option<&'static str> {
        self.filter
            .as_ref()
            .map(|(_, f)| match f.convolver().method() {
                serdes_dsp::channel::conv::Method::Direct => "direct",
                serdes_dsp::channel::conv::Method::Ffa => "ffa",
                _ => "fft",
            })
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.inner)
    }
}

/// Aggressors summed at a victim; see `serdes_dsp.channel.Crosstalk`.
#[pyclass(name = "_Crosstalk", module = "serdes_dsp._native")]
pub struct PyCrosstalk {
    inner: Crosstalk,
}

#[pymethods]
impl PyCrosstalk {
    #[new]
    fn new(samples_per_ui: usize) -> PyResult<Self> {
        Ok(PyCrosstalk {
            inner: Crosstalk::new(samples_per_ui).py()?,
        })
    }

    fn add_aggressor(
        &mut self,
        kind: &str,
        response: PyReadonlyArray1<'_, f32>,
        seed: u64,
        amplitude: f32,
    ) -> PyResult<()> {
        let kind = CrosstalkKind::from_name(kind).py()?;
        self.inner
            .add_aggressor(kind, response.as_slice()?, seed, amplitude)
            .py()
    }

    #[allow(clippy::too_many_arguments)]
    fn add_channel(
        &mut self,
        py: Python<'_>,
        kind: &str,
        channel: PyRef<'_, PyChannel>,
        baud_hz: f64,
        n_ui: usize,
        seed: u64,
        amplitude: f32,
    ) -> PyResult<()> {
        let kind = CrosstalkKind::from_name(kind).py()?;
        let ch = channel.inner.clone();
        let inner = &mut self.inner;
        py.detach(|| inner.add_channel(kind, &ch, baud_hz, n_ui, seed, amplitude))
            .py()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    #[getter]
    fn samples_per_ui(&self) -> usize {
        self.inner.samples_per_ui()
    }

    #[getter]
    fn kinds(&self) -> Vec<&'static str> {
        self.inner.kinds().into_iter().map(|k| k.name()).collect()
    }

    fn process<'py>(&mut self, py: Python<'py>, victim: Samples<'py>) -> PyResult<F32Array<'py>> {
        let v = victim.view("victim")?;
        let inner = &mut self.inner;
        let out = py.detach(|| -> serdes_dsp::Result<Vec<f32>> {
            if let Some(v) = v.as_f32() {
                return inner.process(v);
            }
            // The crosstalk does not depend on the victim: it is made in one piece
            // (the FFT path's bits depend on the chunking), the victim added as it is
            // converted; a bad sample is found before the patterns move.
            v.check_finite("victim")?;
            let mut out = vec![0.0; v.len()];
            inner.crosstalk_into(&mut out);
            v.feed(&mut (), |_, at, c| {
                for (o, &s) in out[at..].iter_mut().zip(c) {
                    *o += s;
                }
                Ok(())
            })?;
            Ok(out)
        });
        Ok(out.py()?.into_pyarray(py))
    }

    fn crosstalk<'py>(&mut self, py: Python<'py>, n: usize) -> F32Array<'py> {
        let inner = &mut self.inner;
        let out = py.detach(|| {
            let mut out = vec![0.0f32; n];
            inner.crosstalk_into(&mut out);
            out
        });
        out.into_pyarray(py)
    }

    fn reset(&mut self) {
        self.inner.reset();
    }
}
