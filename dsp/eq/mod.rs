//! Equalisers of a PAM4/NRZ receiver and transmitter, as streaming blocks.
//!
//! A link in IEEE 802.3 terms (Annex 93A/178A reference receiver) runs
//! [`TxFir`] → channel → [`Ctle`] → sampler (CDR) → [`Ffe`] → [`Dfe`] or [`Mlse`]:
//!
//! - [`txfir`]: the transmitter's FIR (pre-, main and post-cursor taps, sum |c| = 1);
//! - [`ctle`]: the continuous-time linear equaliser of Annex 93A/178A and generic
//!   real poles/zeros, discretised (matched-z plus a fitted magnitude correction) to
//!   filter oversampled waveforms, and applied exactly to impulse responses;
//! - [`ctle_adapt`]: the CTLE's gains `gDC`, `gDC2` chosen on the standard's grid
//!   for a pulse response ([`Ctle::adapt`]), as COM does;
//! - [`ffe`]: the feed-forward equaliser (symbol- or fractionally spaced FIR) with
//!   scalar, AVX2 and AVX-512 kernels;
//! - [`solve`]: FFE taps from a pulse response — zero-forcing and MMSE (small dense
//!   linear solves, Cholesky and Gaussian elimination written here);
//! - [`lms`]: adaptation on data — LMS and sign-sign LMS with the tap trajectory —
//!   used by [`Ffe::adapt`] and [`Dfe::adapt`];
//! - [`dfe`]: the decision-feedback equaliser (1 to 32 taps, NRZ and PAM4) with a
//!   look-up-table/look-ahead kernel, adaptive taps and slicer levels, and the
//!   error-burst counter [`ErrorBursts`];
//! - [`merit`]: the SNR of a reference receiver (MMSE FFE + DFE) on a pulse, the
//!   figure of merit that [`TxFir::adapt`] and [`Ctle::adapt`] maximise;
//! - [`floating`]: a DFE with fixed taps plus floating taps at chosen positions
//!   further out (reflections), on the fixed taps' fast kernels;
//! - [`mlse`]: a Viterbi sequence detector for short channel memory (1 + αD,
//!   two post-cursors) after a short FFE.
//!
//! Every block keeps its state in its fields: `process` on any chunking of a stream
//! gives the same output as on the whole stream, bit for bit on a given backend.
//! Each says its delay (`delay()`); each has `process` (allocating), `process_into`
//! (caller's buffer) and `reset`.

pub mod ctle;
pub mod ctle_adapt;
pub mod dfe;
pub mod ffe;
pub mod floating;
pub mod lms;
pub mod merit;
pub mod mlse;
mod modulation;
pub(crate) use modulation::check_finite_fast;
pub mod solve;
pub mod txfir;

pub use ctle::{Ctle, CtleParams};
pub use ctle_adapt::{CtleAdapted, CtleCandidate, CtleGrid};
pub use dfe::{Dfe, DfeAdapt, DfeAdapted, ErrorBursts};
pub use ffe::{Adapted, Ffe};
pub use floating::FloatingDfe;
pub use lms::{Lms, LmsAlgorithm, Trajectory};
pub use merit::{Merit, ReferenceReceiver};
pub use mlse::Mlse;
pub use modulation::Modulation;
pub use solve::{solve_ffe, FfeSolution, SolveMethod};
pub use txfir::{TxFir, TxFirAdapted, TxFirGrid};
