//! Interpolators: the waveform's value between its samples, at the instants the CDR
//! chooses.
//!
//! A CDR on an oversampled waveform (a fixed-rate ADC, `samples_per_ui ≥ 2`) does not
//! move a clock: it computes the samples at the recovered instants by interpolation
//! (Gardner's "interpolated timing recovery"). Two polynomial interpolators in the
//! Farrow structure of Erup, Gardner and Harris (IEEE Trans. Commun., 1993):
//!
//! - [`InterpKind::Linear`]: two neighbours, error `O(h²)`;
//! - [`InterpKind::Cubic`]: cubic Lagrange on four neighbours (offsets −1, 0, 1, 2),
//!   exact on cubic polynomials, error `O(h⁴)`. The Farrow structure evaluates it by
//!   Horner steps in the fraction `μ` after the samples; the kernels here evaluate the
//!   same polynomial as the samples weighted by the four Lagrange weights of `μ`,
//!   which are ready before the samples arrive from memory (the CDR's loop waits for
//!   each block's samples: three dependent operations after the loads instead of
//!   nine).
//!
//! The CDR asks for a *grid* of positions `start + k·step` (one block of symbols
//! between two loop updates), which is the batch the SIMD kernel computes:
//! `scalar.rs` is the reference, `avx2.rs` computes eight positions per register with
//! gathers and gives the same bits (same operations in the same order, no fused
//! multiply-add). AVX-512 machines run the AVX2 kernel: the loop is bound by the
//! gathers, which AVX-512 does not make cheaper per element.

pub(crate) mod avx2;
pub(crate) mod scalar;

use crate::cpu::Backend;
use crate::error::{Error, Result};

/// The interpolation polynomial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InterpKind {
    /// Straight line between the two neighbouring samples.
    Linear,
    /// Cubic Lagrange polynomial through the four nearest samples (the cubic Farrow
    /// interpolator's polynomial).
    Cubic,
}

impl InterpKind {
    /// Samples needed before the integer part of a position (1 for cubic, 0 for linear).
    pub fn support_before(self) -> usize {
        match self {
            InterpKind::Linear => 0,
            InterpKind::Cubic => 1,
        }
    }

    /// Samples needed after the integer part of a position (2 for cubic, 1 for linear).
    pub fn support_after(self) -> usize {
        match self {
            InterpKind::Linear => 1,
            InterpKind::Cubic => 2,
        }
    }

    /// Parses `linear` or `cubic`.
    pub fn from_name(name: &str) -> Result<InterpKind> {
        match name {
            "linear" => Ok(InterpKind::Linear),
            "cubic" => Ok(InterpKind::Cubic),
            other => Err(Error::invalid(
                "interpolator",
                "one of linear, cubic",
                other,
            )),
        }
    }
}

/// An interpolator with its kernel chosen once (see [`Backend`]).
///
/// ```
/// use serdes_dsp::cdr::interp::{InterpKind, Interpolator};
/// let x: Vec<f32> = (0..16).map(|i| (i * i) as f32).collect(); // x(t) = t²
/// let cubic = Interpolator::new(InterpKind::Cubic);
/// // Exact on polynomials up to degree 3 (to f32 rounding).
/// assert!((cubic.at(&x, 4.5).unwrap() - 20.25).abs() < 1e-4);
/// let mut out = [0.0; 3];
/// cubic.grid_into(&x, 2.25, 2.0, &mut out).unwrap(); // at 2.25, 4.25, 6.25
/// for (y, t) in out.iter().zip([2.25f32, 4.25, 6.25]) {
///     assert!((y - t * t).abs() < 1e-4);
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interpolator {
    kind: InterpKind,
    backend: Backend,
}

impl Interpolator {
    /// An interpolator of `kind` on the fastest backend of this CPU.
    pub fn new(kind: InterpKind) -> Interpolator {
        Interpolator {
            kind,
            backend: Backend::detect(),
        }
    }

    /// The same interpolator on `backend`; errors if this CPU cannot run it.
    pub fn with_backend(mut self, backend: Backend) -> Result<Interpolator> {
        self.backend = backend.require()?;
        Ok(self)
    }

    /// The polynomial.
    pub fn kind(&self) -> InterpKind {
        self.kind
    }

    /// The kernel in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The value of `x` at `position` (in samples, `x[i]` at position `i`).
    ///
    /// Errors unless the interpolator's support around `position` lies inside `x`
    /// (cubic: `1 ≤ position < len − 2`; linear: `0 ≤ position < len − 1`).
    pub fn at(&self, x: &[f32], position: f64) -> Result<f32> {
        let mut out = [0.0];
        self.grid_into(x, position as f32, 0.0, &mut out)?;
        Ok(out[0])
    }

    /// `out[k] = x(start + k·step)`, positions in samples computed in `f32` as
    /// `start + (k as f32)·step`.
    ///
    /// Errors if `start` or `step` is not finite, `step` is negative, or a position's
    /// support falls outside `x` (see [`Interpolator::at`]).
    pub fn grid_into(&self, x: &[f32], start: f32, step: f32, out: &mut [f32]) -> Result<()> {
        if !start.is_finite() {
            return Err(Error::invalid("start", "a finite position", start));
        }
        if !(step.is_finite() && step >= 0.0) {
            return Err(Error::invalid("step", "a finite step >= 0", step));
        }
        if out.is_empty() {
            return Ok(());
        }
        let lo = self.kind.support_before() as f32;
        let last = start + ((out.len() - 1) as f32) * step;
        let hi = x.len() as f32 - self.kind.support_after() as f32;
        if start < lo || last >= hi || x.len() > i32::MAX as usize {
            return Err(Error::invalid(
                "start",
                format!(
                    "positions start + k*step within [{lo}, {hi}) for a signal of {} samples",
                    x.len()
                ),
                format!("{start} (last position {last})"),
            ));
        }
        self.grid_unchecked(x, start, step, out);
        Ok(())
    }

    /// [`Interpolator::grid_into`] without the checks: the CDR's inner loop, which
    /// knows its positions are inside `x`. Out-of-range positions panic on the scalar
    /// backend (slice indexing), so the caller must guarantee the bounds.
    #[inline]
    pub(crate) fn grid_unchecked(&self, x: &[f32], start: f32, step: f32, out: &mut [f32]) {
        match self.backend {
            Backend::Scalar => scalar::grid(self.kind, x, start, step, out),
            #[cfg(target_arch = "x86_64")]
            Backend::Avx2 | Backend::Avx512 => {
                debug_assert!(self.bounds_ok(x.len(), start, step, out.len()));
                // SAFETY: the backend was checked available when stored (AVX-512
                // machines have AVX2); the caller guarantees the positions' support.
                unsafe { avx2::grid(self.kind, x, start, step, out) }
            }
            #[cfg(not(target_arch = "x86_64"))]
            _ => scalar::grid(self.kind, x, start, step, out),
        }
    }

    fn bounds_ok(&self, len: usize, start: f32, step: f32, n: usize) -> bool {
        n == 0
            || (start >= self.kind.support_before() as f32
                && ((start + ((n - 1) as f32) * step) as usize) + self.kind.support_after() < len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn kinds() -> [InterpKind; 2] {
        [InterpKind::Linear, InterpKind::Cubic]
    }

    #[test]
    fn exact_on_polynomials_of_their_degree() {
        // Cubic Lagrange reproduces any cubic; linear any line (closed forms).
        let f = |t: f64| 0.5 - 0.25 * t + 0.125 * t * t - 0.0625 * t * t * t;
        let x: Vec<f32> = (0..12).map(|i| f(i as f64) as f32).collect();
        let c = Interpolator::new(InterpKind::Cubic);
        for &p in &[1.0, 1.3, 4.77, 8.999] {
            let want = f(p);
            let got = c.at(&x, p).unwrap() as f64;
            assert!(
                (got - want).abs() < 1e-4 * want.abs().max(1.0),
                "{p}: {got} vs {want}"
            );
        }
        let l: Vec<f32> = (0..8).map(|i| 3.0 - 0.5 * i as f32).collect();
        let lin = Interpolator::new(InterpKind::Linear);
        assert_eq!(lin.at(&l, 2.5).unwrap(), 1.75);
        assert_eq!(lin.at(&l, 6.0).unwrap(), 0.0);
    }

    #[test]
    fn cubic_error_on_a_sine_is_fourth_order() {
        // Oversampled sine: cubic Lagrange error bound max|f''''|·h⁴·(9/16)/24 (h = 1),
        // for sin(ωt): ω⁴·9/384.
        for &sps in &[8.0f64, 16.0] {
            let w = std::f64::consts::PI / sps; // a PAM4 fundamental at sps samples per UI
            let x: Vec<f32> = (0..400).map(|i| (w * i as f64).sin() as f32).collect();
            let c = Interpolator::new(InterpKind::Cubic);
            let bound = w.powi(4) * 9.0 / 384.0 + 1e-6;
            for j in 0..1000 {
                let p = 1.0 + j as f64 * 0.397;
                let err = (c.at(&x, p).unwrap() as f64 - (w * p).sin()).abs();
                assert!(err <= bound, "sps {sps} at {p}: {err} > {bound}");
            }
        }
    }

    #[test]
    fn simd_equals_scalar_bit_for_bit() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(6);
        let x: Vec<f32> = (0..4096).map(|_| rng.random_range(-1.5..1.5)).collect();
        for backend in Backend::available() {
            if backend == Backend::Scalar {
                continue;
            }
            for kind in kinds() {
                let s = Interpolator::new(kind)
                    .with_backend(Backend::Scalar)
                    .unwrap();
                let v = Interpolator::new(kind).with_backend(backend).unwrap();
                for _ in 0..200 {
                    let n = rng.random_range(0..70usize);
                    let step: f32 = rng.random_range(0.0..20.0);
                    let start: f32 = rng.random_range(1.0..100.0);
                    let mut a = vec![f32::NAN; n];
                    let mut b = vec![0.0; n];
                    if s.grid_into(&x, start, step, &mut a).is_err() {
                        assert!(v.grid_into(&x, start, step, &mut b).is_err());
                        continue;
                    }
                    v.grid_into(&x, start, step, &mut b).unwrap();
                    let (ab, bb): (Vec<u32>, Vec<u32>) = (
                        a.iter().map(|v| v.to_bits()).collect(),
                        b.iter().map(|v| v.to_bits()).collect(),
                    );
                    assert_eq!(ab, bb, "{backend:?} {kind:?} start {start} step {step}");
                }
            }
        }
    }

    #[test]
    fn out_of_support_and_bad_steps_are_errors() {
        let x = [0.0f32; 10];
        let c = Interpolator::new(InterpKind::Cubic);
        assert!(c.at(&x, 0.5).is_err());
        assert!(c.at(&x, 8.0).is_err());
        assert!(c.at(&x, 7.99).is_ok());
        assert!(c.at(&x, 6.9).is_ok());
        assert!(Interpolator::new(InterpKind::Linear).at(&x, 0.0).is_ok());
        let mut out = [0.0; 4];
        let e = c.grid_into(&x, 1.0, 3.0, &mut out).unwrap_err();
        assert!(e.to_string().contains("`start`"), "{e}");
        assert!(c.grid_into(&x, 1.0, -1.0, &mut out).is_err());
        assert!(c.grid_into(&x, f32::NAN, 1.0, &mut out).is_err());
        assert!(InterpKind::from_name("sinc").is_err());
        assert!(Interpolator::new(InterpKind::Cubic)
            .with_backend(Backend::Scalar)
            .is_ok());
    }
}
