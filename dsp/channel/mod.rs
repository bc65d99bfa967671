//! The channel between transmitter and receiver: noise, analytic and measured
//! (Touchstone) responses, impulse/pulse responses, convolution and crosstalk.
//!
//! - [`noise`]: seeded Gaussian noise and the AWGN block, with SIMD kernels.
//! - [`model`]: [`Channel`] — analytic ([`analytic`]: lossy line, low-pass,
//!   reflection) or tabulated — and [`ChannelFilter`], its streaming convolution;
//! - [`response`]: frequency response → impulse and pulse responses, cursors, delay;
//! - [`conv`]: streaming convolution, direct SIMD or FFT overlap-save;
//! - [`crosstalk`]: seeded PAM4 aggressors through their own responses, summed.
//! - [`touchstone`]: Touchstone 1.x/2.0 import and mixed-mode (SDD21) S parameters.
//! - [`jitter`]: RJ, SJ, DCD and BUJ applied to oversampled waveforms by resampling.
//! - [`tie`]: time-interval error of a waveform and the jitter fitted to it.
//! - [`optical`]: IM-DD optical link (ER, OMA, RIN, bandwidth, shot and thermal noise, TIA).

pub mod analytic;
pub mod conv;
pub mod crosstalk;
pub mod jitter;
pub mod model;
pub mod noise;
pub mod optical;
pub mod response;
pub mod tie;
pub mod touchstone;

pub use model::{Channel, ChannelFilter};
pub use noise::{Awgn, Gaussian};
pub use response::{ImpulseResponse, PulseResponse};
