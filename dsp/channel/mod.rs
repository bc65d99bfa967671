//! The channel between transmitter and receiver: noise (and, to come, impulse
//! responses, Touchstone import, loss models, jitter and convolution).
//!
//! - [`noise`]: seeded Gaussian noise and the AWGN block, with SIMD kernels.
//! - [`model`]: [`Channel`] — analytic ([`analytic`]: lossy line, low-pass,
//!   reflection) or tabulated — and [`ChannelFilter`], its streaming convolution;
//! - [`response`]: frequency response → impulse and pulse responses, cursors, delay;
//! - [`conv`]: streaming convolution, direct SIMD or FFT overlap-save;
//! - [`crosstalk`]: seeded PAM4 aggressors through their own responses, summed.

pub mod noise;

pub use noise::{Awgn, Gaussian};

pub mod analytic;
pub mod conv;
pub mod crosstalk;
pub mod model;
pub mod response;

pub use model::{Channel, ChannelFilter};
pub use response::{ImpulseResponse, PulseResponse};
