//! Signals before the channel: test patterns, line coding and decisions.
//!
//! - [`prbs`]: PRBS generators (ITU-T O.150 / IEEE 802.3 polynomials) and a
//!   self-synchronising checker;
//! - [`pattern`]: the quaternary test patterns of IEEE 802.3 Clause 120 and 94
//!   (PRBS13Q, PRBS31Q, QPRBS13, SSPRQ);
//! - [`pam4`]: Gray coding (Clause 120.5.7), PAM4 and NRZ level mapping with level
//!   mismatch;
//! - [`precoder`]: the 1/(1+D) mod 4 precoder of Clause 120.5.7.2 and its inverse;
//! - [`slicer`]: the decision device that turns samples back into symbols.
//!
//! A transmitter is `Prbs` → [`pam4::bits_to_symbols`] → optional [`precoder::Precoder`]
//! → [`pam4::Pam4Mapper`]; a receiver runs the same chain backwards with
//! [`slicer::Slicer`], [`precoder::PrecodeDecoder`] and [`pam4::symbols_to_bits`].

pub mod pam4;
pub mod pattern;
pub mod prbs;
pub mod precoder;
pub mod slicer;

pub use pam4::{bits_to_symbols, gray_decode, gray_encode, symbols_to_bits, NrzMapper, Pam4Mapper};
pub use prbs::{Prbs, PrbsChecker};
pub use precoder::{PrecodeDecoder, Precoder};
pub use slicer::Slicer;
