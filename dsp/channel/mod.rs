//! The channel between transmitter and receiver: noise (and, to come, impulse
//! responses, Touchstone import, loss models, jitter and convolution).
//!
//! - [`noise`]: seeded Gaussian noise and the AWGN block, with SIMD kernels.

pub mod noise;

pub use noise::{Awgn, Gaussian};
