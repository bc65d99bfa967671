//! Whole links: a transmitter, a channel and a receiver run together in chunks,
//! with error counting.
//!
//! - [`awgn`]: the first link — PRBS → Gray PAM4 or NRZ (optionally precoded) →
//!   AWGN → slicer → bit and symbol error counts.

pub mod awgn;

pub use awgn::{AwgnLink, AwgnLinkConfig, Modulation};
