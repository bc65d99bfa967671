//! Clock and data recovery (CDR) on an oversampled waveform.
//!
//! The receiver's ADC samples at a fixed rate, `samples_per_ui ≥ 2` per nominal UI;
//! the CDR finds the symbol centres and computes the samples there by interpolation
//! (interpolated timing recovery): no clock is moved, a phase is.
//!
//! - [`interp`]: linear and cubic Farrow interpolators, scalar reference and AVX2
//!   batch kernel on the grid of one block of symbols;
//! - [`ted`]: the timing-error detectors (Mueller–Müller, bang-bang/Alexander,
//!   Gardner) behind [`ted::TimingErrorDetector`];
//! - [`loop_filter`]: the proportional–integral loop (gains or bandwidth + damping),
//!   the frequency accumulator and the lock detector;
//! - [`Cdr`] (file `recovery.rs`): the streaming block tying them
//!   together: waveform in, one sample per UI out, with the phase trace;
//! - `sampler/`: the Mueller–Müller tracking loop's inner pass fused (interpolate,
//!   slice, sum the detector's errors), scalar reference + AVX2 + AVX-512;
//! - [`waveform`]: oversampled PAM4 test waveforms with delay, ppm offset and SJ;
//! - [`characterise`]: jitter transfer, jitter tolerance and ppm tracking
//!   measurements of a configured CDR.

pub mod characterise;
pub mod interp;
pub mod loop_filter;
mod recovery;
mod sampler;
pub mod ted;
pub mod waveform;

pub use interp::{InterpKind, Interpolator};
pub use loop_filter::{LockDetector, LoopFilter, LoopGains};
pub(crate) use recovery::ClockLoop;
pub use recovery::{Cdr, CdrConfig, CdrOutput, PhaseTrace};
pub use ted::{BangBang, Detector, Gardner, MmForm, MuellerMuller, TimingErrorDetector};
