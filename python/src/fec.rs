//! Bindings of `serdes_dsp::fec`: the Reed-Solomon codec on 2-D C-contiguous
//! `uint16` arrays (one codeword per row), and the analytic post-FEC error rates.
//!
//! The Python wrapper `serdes_dsp.fec` validates dtypes, reshapes any leading shape
//! to 2-D and back, and builds the result object.
use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;
use serdes_dsp::cpu::Backend;
use serdes_dsp::fec::{stats, Outcome, ReedSolomon};

use crate::errors::{invalid, IntoPyResult};

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<RsCodec>()?;
    m.add_function(wrap_pyfunction!(fec_post_fec_ber, m)?)?;
    m.add_function(wrap_pyfunction!(fec_codeword_failure_probability, m)?)?;
    m.add_function(wrap_pyfunction!(fec_pre_fec_ber_for_post_fec_ber, m)?)?;
    Ok(())
}

type Decoded<'py> = (
    Bound<'py, PyArray2<u16>>,
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<bool>>,
);

/// A Reed-Solomon code over GF(2^10) (IEEE 802.3 Clause 91/119): RS(n, k).
#[pyclass(name = "RsCodec", module = "serdes_dsp._native", frozen)]
pub struct RsCodec {
    inner: ReedSolomon,
}

fn rows_of<'py>(
    name: &'static str,
    a: &PyReadonlyArray2<'py, u16>,
    width: usize,
) -> PyResult<usize> {
    let shape = a.shape();
    if shape[1] != width {
        return Err(invalid(
            name,
            &format!("rows of {width} symbols"),
            format!("rows of {}", shape[1]),
        ));
    }
    Ok(shape[0])
}

fn to_2d(
    py: Python<'_>,
    v: Vec<u16>,
    rows: usize,
    cols: usize,
) -> PyResult<Bound<'_, PyArray2<u16>>> {
    let a = Array2::from_shape_vec((rows, cols), v)
        .map_err(|e| invalid("output", "a consistent shape", e))?;
    Ok(a.into_pyarray(py))
}

#[pymethods]
impl RsCodec {
    #[new]
    #[pyo3(signature = (n, k, backend = "auto"))]
    fn new(n: usize, k: usize, backend: &str) -> PyResult<Self> {
        let backend = Backend::from_name(backend).py()?;
        Ok(RsCodec {
            inner: ReedSolomon::new(n, k).py()?.with_backend(backend).py()?,
        })
    }

    /// Codeword length in symbols.
    #[getter]
    fn n(&self) -> usize {
        self.inner.n()
    }

    /// Message length in symbols.
    #[getter]
    fn k(&self) -> usize {
        self.inner.k()
    }

    /// Correctable symbol errors per codeword.
    #[getter]
    fn t(&self) -> usize {
        self.inner.t()
    }

    /// The SIMD backend used for batches.
    #[getter]
    fn backend(&self) -> &'static str {
        self.inner.backend().name()
    }

    /// Generator polynomial g_0 … g_2t, lowest power first.
    fn generator<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u16>> {
        self.inner.generator().to_vec().into_pyarray(py)
    }

    /// Encodes (N, k) uint16 messages into (N, n) codewords (GIL released).
    fn encode<'py>(
        &self,
        py: Python<'py>,
        messages: PyReadonlyArray2<'py, u16>,
    ) -> PyResult<Bound<'py, PyArray2<u16>>> {
        let rows = rows_of("msg", &messages, self.inner.k())?;
        let msgs = messages.as_slice()?;
        let n = self.inner.n();
        let rs = &self.inner;
        let out = py.detach(|| -> serdes_dsp::Result<Vec<u16>> {
            let mut out = vec![0u16; rows * n];
            rs.encode_batch_into(msgs, &mut out)?;
            Ok(out)
        });
        to_2d(py, out.py()?, rows, n)
    }

    /// Decodes (N, n) uint16 words, with an optional (N, n) bool erasure mask:
    /// returns (codewords (N, n), corrected (N,) int64, failed (N,) bool). Failed
    /// words are returned as received with corrected = 0.
    #[pyo3(signature = (received, erasures = None))]
    fn decode<'py>(
        &self,
        py: Python<'py>,
        received: PyReadonlyArray2<'py, u16>,
        erasures: Option<PyReadonlyArray2<'py, bool>>,
    ) -> PyResult<Decoded<'py>> {
        let n = self.inner.n();
        let rows = rows_of("rx", &received, n)?;
        let rx = received.as_slice()?;
        let mask = match &erasures {
            Some(e) => {
                if e.shape() != received.shape() {
                    return Err(invalid(
                        "erasures",
                        "a bool mask of the shape of rx",
                        format!("shape {:?}", e.shape()),
                    ));
                }
                Some(e.as_slice()?)
            }
            None => None,
        };
        let rs = &self.inner;
        let res = py.detach(|| -> serdes_dsp::Result<(Vec<u16>, Vec<i64>, Vec<bool>)> {
            let mut words = vec![0u16; rows * n];
            let mut outcomes = vec![Outcome::Failed; rows];
            rs.decode_batch_into(rx, mask, &mut words, &mut outcomes)?;
            let corrected = outcomes.iter().map(|o| o.corrected() as i64).collect();
            let failed = outcomes.iter().map(|o| o.is_failed()).collect();
            Ok((words, corrected, failed))
        });
        let (words, corrected, failed) = res.py()?;
        Ok((
            to_2d(py, words, rows, n)?,
            corrected.into_pyarray(py),
            failed.into_pyarray(py),
        ))
    }

    /// Syndromes S_0 … S_2t−1 of (N, n) words: (N, 2t) uint16 (GIL released).
    fn syndromes<'py>(
        &self,
        py: Python<'py>,
        received: PyReadonlyArray2<'py, u16>,
    ) -> PyResult<Bound<'py, PyArray2<u16>>> {
        let n = self.inner.n();
        let rows = rows_of("rx", &received, n)?;
        let rx = received.as_slice()?;
        let two_t = self.inner.parity_len();
        let rs = &self.inner;
        let out = py.detach(|| -> serdes_dsp::Result<Vec<u16>> {
            let mut out = vec![0u16; rows * two_t];
            rs.syndromes_batch_into(rx, &mut out)?;
            Ok(out)
        });
        to_2d(py, out.py()?, rows, two_t)
    }
}

/// Post-FEC BER for independent bit errors at `pre_fec_ber`, codeword of n symbols
/// correcting t, failed codewords passed through.
#[pyfunction]
fn fec_post_fec_ber(pre_fec_ber: f64, n: usize, t: usize) -> PyResult<f64> {
    stats::post_fec_ber(pre_fec_ber, n, t).py()
}

/// Codeword failure probability for independent bit errors at `pre_fec_ber`.
#[pyfunction]
fn fec_codeword_failure_probability(pre_fec_ber: f64, n: usize, t: usize) -> PyResult<f64> {
    let q = stats::symbol_error_rate(pre_fec_ber).py()?;
    stats::codeword_failure_probability(q, n, t).py()
}

/// The pre-FEC BER at which the post-FEC BER equals `target`.
#[pyfunction]
fn fec_pre_fec_ber_for_post_fec_ber(target: f64, n: usize, t: usize) -> PyResult<f64> {
    stats::pre_fec_ber_for_post_fec_ber(target, n, t).py()
}
