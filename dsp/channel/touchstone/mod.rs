//! Touchstone import (versions 1.x and 2.0) and mixed-mode S parameters.
//!
//! - [`parse`](self::Network::parse) / [`Network::from_file`]: the parser (`parse.rs`)
//!   turns `.sNp` text into a [`Network`] (`network.rs`): frequencies in hertz, the
//!   N × N S matrix per frequency, the reference impedance of each port. Only S
//!   parameters are read; Y/Z/H/G files are an error. Every fault is an
//!   [`Error::Parse`](crate::Error::Parse) carrying the line number. A 2.0 file that
//!   stores mixed-mode data (`[Mixed-Mode Order] D1,3 D2,4 C1,3 C2,4 …`) is turned
//!   back into single-ended S parameters as it is read, so a `Network` is always
//!   single-ended and the rest of the crate need not know where it came from.
//! - `mixed_mode.rs`: a single-ended 4-port (or 2P-port) as differential pairs:
//!   SDD, SDC, SCD, SCC, with either [`PortOrdering`].
//! - `loss.rs`: insertion loss at a frequency (e.g. Nyquist), interpolated in dB.
//!
//! A channel model takes [`Network::sdd21`] (or `s_param(2, 1)` for a two-port) as
//! its transfer function.
//!
//! Speed (`benches/touchstone.rs`, a generated 10 MB 4-port 1.x file, wall time on
//! a Zen 4 core at machine load 9): 28 ms in RI (340 MiB/s), 50 ms in DB
//! (190 MiB/s) — the bound is one second.

mod loss;
mod mixed_mode;
mod network;
mod parse;

pub use loss::insertion_loss_db;
pub use mixed_mode::{MixedMode, PortOrdering};
pub use network::{nports_from_extension, Network};
pub use parse::MAX_PORTS;

/// Re-exported so that callers need not depend on `num-complex` themselves.
pub use num_complex::Complex64;

#[cfg(test)]
mod tests;
