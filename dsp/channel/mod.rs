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

pub mod noise;
pub mod touchstone;

pub use noise::{Awgn, Gaussian};

pub mod analytic;
pub mod conv;
pub mod crosstalk;
pub mod model;
pub mod response;

pub use model::{Channel, ChannelFilter};
pub use response::{ImpulseResponse, PulseResponse};
