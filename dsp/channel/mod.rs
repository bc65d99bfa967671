//! The channel between transmitter and receiver: noise (and, to come, impulse
//! responses, Touchstone import, loss models, jitter and convolution).
//!
//! - [`noise`]: seeded Gaussian noise and the AWGN block, with SIMD kernels.
//! - [`touchstone`]: Touchstone 1.x/2.0 import and mixed-mode (SDD21) S parameters.

pub mod noise;
pub mod touchstone;

pub use noise::{Awgn, Gaussian};
