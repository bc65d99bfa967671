//! Adaptation of equaliser taps on data: least mean squares (LMS) and sign-sign LMS,
//! with the tap trajectory kept for plots.
//!
//! The error is `e = y − d`, the equaliser output minus its desired value `d`: the
//! reference level when training data is given (data-aided), else the nearest level
//! of the [`Modulation`] (decision-directed). For a tap `c_k` seeing input `u_k`
//! (`y = Σ c_k u_k + …`):
//!
//! - LMS (Widrow–Hoff, the stochastic gradient of `E[e²]`): `c_k ← c_k − μ·e·u_k`;
//! - sign-sign LMS (the form hardware uses, as in IEEE 802.3 Annex 93A's adaptive
//!   reference receivers): `c_k ← c_k − μ·sgn(e)·sgn(u_k)`.
//!
//! With LMS the excess mean square error over the Wiener (MMSE) solution is about
//! `μ·N·E[u²]/2` relative (misadjustment), so a smaller `μ` converges slower and
//! closer; sign-sign LMS dithers around the solution by about `μ` per tap.

use super::Modulation;
use crate::error::{Error, Result};

/// The update rule of an adaptation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LmsAlgorithm {
    /// `c ← c − μ·e·u`.
    Lms,
    /// `c ← c − μ·sgn(e)·sgn(u)`.
    SignSign,
}

impl LmsAlgorithm {
    /// Parses `lms` or `sign_sign` (also `sslms`).
    pub fn from_name(name: &str) -> Result<LmsAlgorithm> {
        match name {
            "lms" => Ok(LmsAlgorithm::Lms),
            "sign_sign" | "sslms" => Ok(LmsAlgorithm::SignSign),
            other => Err(Error::invalid("algorithm", "one of lms, sign_sign", other)),
        }
    }

    /// The step to subtract from a tap whose input is `u`, for error `e` and step `mu`.
    #[inline]
    pub(crate) fn step(self, mu: f32, e: f32, u: f32) -> f32 {
        match self {
            LmsAlgorithm::Lms => mu * e * u,
            LmsAlgorithm::SignSign => mu * sgn(e) * sgn(u),
        }
    }
}

#[inline]
fn sgn(v: f32) -> f32 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// Settings of an adaptation run.
///
/// ```
/// use serdes_dsp::eq::{Lms, LmsAlgorithm};
/// let cfg = Lms::new(1e-3).unwrap().with_algorithm(LmsAlgorithm::SignSign).with_record_every(100).unwrap();
/// assert_eq!(cfg.mu(), 1e-3);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Lms {
    mu: f32,
    algorithm: LmsAlgorithm,
    modulation: Modulation,
    record_every: usize,
}

impl Lms {
    /// LMS with step `mu` (finite, `0 < mu ≤ 1`), decision-directed on PAM4, recording
    /// the taps every 1000 symbols.
    pub fn new(mu: f32) -> Result<Lms> {
        if !(mu.is_finite() && mu > 0.0 && mu <= 1.0) {
            return Err(Error::invalid("mu", "a finite step with 0 < mu <= 1", mu));
        }
        Ok(Lms {
            mu,
            algorithm: LmsAlgorithm::Lms,
            modulation: Modulation::Pam4,
            record_every: 1000,
        })
    }

    /// The same settings with another update rule.
    pub fn with_algorithm(mut self, algorithm: LmsAlgorithm) -> Lms {
        self.algorithm = algorithm;
        self
    }

    /// The alphabet that decision-directed adaptation slices to.
    pub fn with_modulation(mut self, modulation: Modulation) -> Lms {
        self.modulation = modulation;
        self
    }

    /// Record the taps (and the mean square error since the last record) every
    /// `every ≥ 1` symbols.
    pub fn with_record_every(mut self, every: usize) -> Result<Lms> {
        if every == 0 {
            return Err(Error::invalid("record_every", "at least 1 symbol", every));
        }
        self.record_every = every;
        Ok(self)
    }

    /// Step size `μ`.
    pub fn mu(&self) -> f32 {
        self.mu
    }

    /// Update rule.
    pub fn algorithm(&self) -> LmsAlgorithm {
        self.algorithm
    }

    /// Alphabet for decision-directed adaptation.
    pub fn modulation(&self) -> Modulation {
        self.modulation
    }

    /// Symbols between two records of the trajectory.
    pub fn record_every(&self) -> usize {
        self.record_every
    }
}

/// The taps over an adaptation run: one snapshot every [`Trajectory::every`] symbols,
/// with the mean square error `E[e²]` over the symbols since the previous snapshot.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Trajectory {
    every: usize,
    n_taps: usize,
    taps: Vec<f32>,
    mse: Vec<f32>,
    acc: f64,
    count: usize,
}

impl Trajectory {
    pub(crate) fn new(every: usize, n_taps: usize) -> Trajectory {
        Trajectory {
            every,
            n_taps,
            ..Trajectory::default()
        }
    }

    /// Adds one symbol's error; records `taps` when `every` symbols have gone by.
    #[inline]
    pub(crate) fn push(&mut self, e: f32, taps: impl FnOnce() -> Vec<f32>) {
        self.acc += (e as f64) * (e as f64);
        self.count += 1;
        if self.count == self.every {
            self.taps.extend(taps());
            self.mse.push((self.acc / self.count as f64) as f32);
            self.acc = 0.0;
            self.count = 0;
        }
    }

    /// Symbols between snapshots.
    pub fn every(&self) -> usize {
        self.every
    }

    /// Taps per snapshot.
    pub fn n_taps(&self) -> usize {
        self.n_taps
    }

    /// Number of snapshots.
    pub fn len(&self) -> usize {
        self.mse.len()
    }

    /// Whether no snapshot was taken (fewer than `every` symbols).
    pub fn is_empty(&self) -> bool {
        self.mse.is_empty()
    }

    /// Snapshot `i`'s taps (`i < len()`), in the equaliser's tap order.
    pub fn taps_at(&self, i: usize) -> &[f32] {
        &self.taps[i * self.n_taps..(i + 1) * self.n_taps]
    }

    /// All snapshots, row-major `len() × n_taps()`.
    pub fn taps(&self) -> &[f32] {
        &self.taps
    }

    /// Mean square error over each snapshot's interval.
    pub fn mse(&self) -> &[f32] {
        &self.mse
    }
}

/// Checks that a training reference, if given, matches the output length and is finite.
pub(crate) fn check_reference(reference: Option<&[f32]>, outputs: usize) -> Result<()> {
    if let Some(r) = reference {
        if r.len() != outputs {
            return Err(Error::LengthMismatch {
                name: "reference",
                expected: outputs,
                actual: r.len(),
            });
        }
        crate::error::check_finite("reference", r)?;
    }
    Ok(())
}
