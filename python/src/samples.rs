//! Sample arrays for the streaming blocks' `process`: a 1-D float32 or float64 numpy
//! array, strided or not, fed to the block as f32 without a second full-size copy.
//!
//! A contiguous float32 array goes to the block as it is. Anything else is converted
//! chunk by chunk ([`CHUNK`] samples) into one reused buffer, with the GIL released,
//! and each chunk is fed to the block in turn. The blocks are chunk-invariant and the
//! f64 → f32 rounding (to nearest, as numpy's `astype`) is per element, so the output
//! is bit-identical to converting the whole array first. A NaN or infinite sample (or
//! a float64 beyond the f32 range) makes the block refuse its chunk with its state
//! untouched; the block is then put back as it was before the call (a clone taken
//! before the first chunk) and the error's index counted from the array's start, so
//! that the error and the state are those of a float32 input.
use numpy::ndarray::{s, ArrayView1};
use numpy::{Element, IntoPyArray, PyArray1, PyReadonlyArray1, PyUntypedArrayMethods};
use pyo3::prelude::*;
use serdes_dsp::{Error, Result};

use crate::errors::{invalid, IntoPyResult};

/// A float32 numpy array returned to Python.
pub type F32Array<'py> = Bound<'py, PyArray1<f32>>;
/// A float64 numpy array returned to Python.
pub type F64Array<'py> = Bound<'py, PyArray1<f64>>;
/// A uint8 numpy array (symbols, decisions) returned to Python.
pub type U8Array<'py> = Bound<'py, PyArray1<u8>>;

/// Samples per converted chunk: 64 KiB of f32 (128 KiB of f64 read), well inside L2.
pub const CHUNK: usize = 16384;

/// A 1-D float32 or float64 numpy array of samples, as the `process` methods take it.
#[derive(FromPyObject)]
pub enum Samples<'py> {
    /// float32, used in place when contiguous.
    F32(PyReadonlyArray1<'py, f32>),
    /// float64, converted chunk by chunk.
    F64(PyReadonlyArray1<'py, f64>),
}

/// The borrowed elements of [`Samples`], sendable to a thread without the GIL.
pub enum SampleView<'a> {
    /// float32 elements.
    F32(ArrayView1<'a, f32>),
    /// float64 elements.
    F64(ArrayView1<'a, f64>),
}

/// Whether numpy's view can be read as an ndarray view: aligned elements and
/// strides that are whole elements (a field of a packed record array is neither).
fn readable<T: Element>(a: &PyReadonlyArray1<'_, T>) -> bool {
    let size = std::mem::size_of::<T>() as isize;
    a.len() == 0 || (a.is_aligned() && a.strides()[0] % size == 0)
}

/// The `process(x)` and `reset()` methods of the Python class `$class` of a
/// streaming block (`self.inner`) that writes one `$out` per input sample with its
/// `process_into` (a separate `#[pymethods]` block: pyo3's `multiple-pymethods`).
/// `stream_methods!($class, soft)` adds a DFE's `process_soft(x)`: the decisions and
/// the slicer input from its `process_soft_into`.
macro_rules! stream_methods {
    ($class:ty, soft) => {
        $crate::samples::stream_methods!($class, u8);

        #[pyo3::pymethods]
        impl $class {
            #[allow(clippy::type_complexity)]
            fn process_soft<'py>(
                &mut self,
                py: pyo3::Python<'py>,
                x: $crate::samples::Samples<'py>,
            ) -> pyo3::PyResult<(
                $crate::samples::U8Array<'py>,
                $crate::samples::F32Array<'py>,
            )> {
                x.map_soft(py, "x", &mut self.inner, |b, c, d, y| {
                    b.process_soft_into(c, d, y)
                })
            }
        }
    };
    ($class:ty, $out:ty) => {
        #[pyo3::pymethods]
        impl $class {
            fn process<'py>(
                &mut self,
                py: pyo3::Python<'py>,
                x: $crate::samples::Samples<'py>,
            ) -> pyo3::PyResult<pyo3::Bound<'py, numpy::PyArray1<$out>>> {
                x.map(py, "x", &mut self.inner, |b, c, o| b.process_into(c, o))
            }

            fn reset(&mut self) {
                self.inner.reset()
            }
        }
    };
}
pub(crate) use stream_methods;

impl<'py> Samples<'py> {
    /// The elements, or an error naming `name` for a misaligned or oddly strided view.
    pub fn view(&self, name: &'static str) -> PyResult<SampleView<'_>> {
        let ok = match self {
            Samples::F32(a) => readable(a),
            Samples::F64(a) => readable(a),
        };
        if !ok {
            return Err(invalid(
                name,
                "an aligned array with whole-element strides",
                "a misaligned view",
            ));
        }
        Ok(match self {
            Samples::F32(a) => SampleView::F32(a.as_array()),
            Samples::F64(a) => SampleView::F64(a.as_array()),
        })
    }

    /// Runs a same-length block over the samples with the GIL released and returns
    /// its output: `f(block, chunk, out)` fills `out` (as long as `chunk`) from the
    /// next chunk of the stream, as the blocks' `process_into` do. `name` is the
    /// argument's name for a view that cannot be read.
    pub fn map<B, T, F>(
        &self,
        py: Python<'py>,
        name: &'static str,
        block: &mut B,
        f: F,
    ) -> PyResult<Bound<'py, PyArray1<T>>>
    where
        B: Clone + Send,
        T: Element + Clone + Default + Send,
        F: FnMut(&mut B, &[f32], &mut [T]) -> Result<()> + Send,
    {
        let x = self.view(name)?;
        Ok(py.detach(|| x.map(block, f)).py()?.into_pyarray(py))
    }

    /// As [`Samples::map`] for a DFE's `process_soft_into`: `f(block, chunk, symbols,
    /// soft)` fills the decisions and the slicer input, both as long as `chunk`.
    #[allow(clippy::type_complexity)]
    pub fn map_soft<B, F>(
        &self,
        py: Python<'py>,
        name: &'static str,
        block: &mut B,
        mut f: F,
    ) -> PyResult<(Bound<'py, PyArray1<u8>>, Bound<'py, PyArray1<f32>>)>
    where
        B: Clone + Send,
        F: FnMut(&mut B, &[f32], &mut [u8], &mut [f32]) -> Result<()> + Send,
    {
        let x = self.view(name)?;
        let (d, y) = py
            .detach(|| {
                let (mut d, mut y) = (vec![0u8; x.len()], vec![0f32; x.len()]);
                x.feed(block, |b, at, c| {
                    let end = at + c.len();
                    f(b, c, &mut d[at..end], &mut y[at..end])
                })?;
                Ok((d, y))
            })
            .py()?;
        Ok((d.into_pyarray(py), y.into_pyarray(py)))
    }
}

/// Index of the first element that is not `finite`: on a contiguous array a
/// branch-free pass that LLVM vectorises first, the search only when one is bad.
fn first_non_finite<T: Copy>(v: &ArrayView1<'_, T>, finite: impl Fn(T) -> bool) -> Option<usize> {
    if let Some(s) = v.as_slice() {
        let ok = s
            .chunks(4096)
            .all(|c| c.iter().fold(true, |ok, &x| ok & finite(x)));
        if ok {
            return None;
        }
    }
    v.iter().position(|&x| !finite(x))
}

impl SampleView<'_> {
    /// Number of samples.
    pub fn len(&self) -> usize {
        match self {
            SampleView::F32(v) => v.len(),
            SampleView::F64(v) => v.len(),
        }
    }

    /// Converts samples `start..start + buf.len()` into `buf` (f64 rounded to nearest).
    fn convert(&self, start: usize, buf: &mut [f32]) {
        let end = start + buf.len();
        match self {
            SampleView::F32(v) => match v.as_slice() {
                Some(s) => buf.copy_from_slice(&s[start..end]),
                None => buf
                    .iter_mut()
                    .zip(v.slice(s![start..end]))
                    .for_each(|(d, &s)| *d = s),
            },
            SampleView::F64(v) => match v.as_slice() {
                Some(s) => buf
                    .iter_mut()
                    .zip(&s[start..end])
                    .for_each(|(d, &s)| *d = s as f32),
                None => buf
                    .iter_mut()
                    .zip(v.slice(s![start..end]))
                    .for_each(|(d, &s)| *d = s as f32),
            },
        }
    }

    /// The samples themselves when they are a contiguous float32 array.
    pub fn as_f32(&self) -> Option<&[f32]> {
        match self {
            SampleView::F32(v) => v.as_slice(),
            SampleView::F64(_) => None,
        }
    }

    /// [`Error::NonFinite`] naming `name` at the first sample that is not a finite f32.
    pub fn check_finite(&self, name: &'static str) -> Result<()> {
        let index = match self {
            SampleView::F32(v) => first_non_finite(v, |s| s.is_finite()),
            SampleView::F64(v) => first_non_finite(v, |s| (s as f32).is_finite()),
        };
        match index {
            Some(index) => Err(Error::NonFinite { name, index }),
            None => Ok(()),
        }
    }

    /// Feeds the samples to `block` in stream order, `f(block, offset, chunk)`: a
    /// contiguous float32 array in one call, anything else in converted chunks of
    /// [`CHUNK`]. If a chunk fails, `block` is put back as it was before the first
    /// chunk and the error's index ([`Error::NonFinite`]) counts from the start.
    pub fn feed<B: Clone>(
        &self,
        block: &mut B,
        f: impl FnMut(&mut B, usize, &[f32]) -> Result<()>,
    ) -> Result<()> {
        self.feed_on_grid(block, 0, 1, f)
    }

    /// As [`SampleView::feed`], with the chunks cut only where `phase + offset` is a
    /// multiple of `grid`: for a block that is chunk-invariant bit for bit only on a
    /// grid of stream positions (an FFT convolution's blocks; `phase` is the stream
    /// position of the first sample, or that modulo `grid`).
    pub fn feed_on_grid<B: Clone>(
        &self,
        block: &mut B,
        phase: u64,
        grid: usize,
        mut f: impl FnMut(&mut B, usize, &[f32]) -> Result<()>,
    ) -> Result<()> {
        if let Some(s) = self.as_f32() {
            return f(block, 0, s);
        }
        let len = self.len();
        let grid = grid.max(1);
        let step = (CHUNK / grid).max(1) * grid;
        let first = match (grid as u64 - phase % grid as u64) as usize % grid {
            0 => step,
            n => n,
        };
        // The failing chunk leaves the block untouched, so one chunk needs no copy.
        let saved = (len > first).then(|| block.clone());
        let mut buf = vec![0.0f32; len.min(first.max(step))];
        let (mut start, mut n) = (0, first);
        loop {
            let chunk = &mut buf[..n.min(len - start)];
            self.convert(start, chunk);
            if let Err(e) = f(block, start, chunk) {
                if let Some(saved) = saved {
                    *block = saved;
                }
                return Err(match e {
                    Error::NonFinite { name, index } => Error::NonFinite {
                        name,
                        index: start + index,
                    },
                    e => e,
                });
            }
            start += chunk.len();
            if start >= len {
                return Ok(());
            }
            n = step;
        }
    }

    /// The output of a same-length block: `f(block, chunk, out)` fills `out` (as
    /// long as `chunk`) from the next chunk, as the blocks' `process_into` do.
    pub fn map<B: Clone, T: Clone + Default>(
        &self,
        block: &mut B,
        mut f: impl FnMut(&mut B, &[f32], &mut [T]) -> Result<()>,
    ) -> Result<Vec<T>> {
        let mut out = vec![T::default(); self.len()];
        self.feed(block, |b, at, c| f(b, c, &mut out[at..at + c.len()]))?;
        Ok(out)
    }
}
