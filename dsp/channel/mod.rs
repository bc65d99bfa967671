//! The channel between transmitter and receiver: noise (and, to come, impulse
//! responses, Touchstone import, loss models, jitter and convolution).
//!
//! - [`noise`]: seeded Gaussian noise and the AWGN block, with SIMD kernels.
//! - [`jitter`]: RJ, SJ, DCD and BUJ applied to oversampled waveforms by resampling.
//! - [`tie`]: time-interval error of a waveform and the jitter fitted to it.
//! - [`optical`]: IM-DD optical link (ER, OMA, RIN, bandwidth, shot and thermal noise, TIA).

pub mod noise;

pub use noise::{Awgn, Gaussian};
pub mod jitter;
pub mod optical;
pub mod tie;
