//! # serdes-dsp
//!
//! Signal processing for high-speed serial links — PAM4 patterns and mapping,
//! channels and noise, equalisation, clock recovery and IEEE 802.3 Reed-Solomon
//! FEC — as streaming blocks with SIMD kernels, for 100G–200G per lane studies.
//!
//! Conventions used throughout (see `DESIGN.md`):
//!
//! - samples are `f32`, PAM4 symbols are `u8` levels `0..=3`, bits are `u8` `0`/`1`,
//!   all in transmission order (index 0 is first in time);
//! - every stateful block works on a stream in chunks of any size and gives the same
//!   output as on the whole stream at once (`process`, `process_into`, `reset`);
//! - every random source takes a `u64` seed;
//! - bad configuration or input is an [`Error`] naming the argument, never a panic;
//! - SIMD backends ([`cpu::Backend`]) are chosen once, when an object is built, and
//!   each is tested against the scalar reference.
//!
//! ```
//! use serdes_dsp::link::AwgnLink;
//! // 1e5 PAM4 symbols through AWGN at 17 dB SNR, Gray coded, not precoded.
//! let mut link = AwgnLink::new(17.0, 42).unwrap();
//! link.run(100_000).unwrap();
//! let ber = link.counter().ber();
//! let theory = serdes_dsp::analysis::pam4_ber(17.0);
//! assert!((ber / theory - 1.0).abs() < 0.3);
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_op_in_unsafe_fn)]

pub mod analysis;
pub mod channel;
pub mod cpu;
pub mod error;
pub mod link;
pub mod signal;

pub use error::{Error, Result};
