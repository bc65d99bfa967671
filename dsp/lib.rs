#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_op_in_unsafe_fn)]

pub mod analysis;
pub mod cdr;
pub mod channel;
pub mod cpu;
pub mod eq;
pub mod error;
pub mod fec;
pub mod link;
pub mod signal;
#[cfg(test)]
mod testutil;

pub use error::{Error, Result};
