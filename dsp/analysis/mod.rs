//! Measurements and the theory they are compared with.
//!
//! - [`theory`]: closed-form error rates of NRZ and Gray-coded PAM4 in AWGN, and the
//!   SNR, Es/N0 and Eb/N0 conventions of the crate;
//! - [`ber`]: a streaming error counter with confidence intervals and an
//!   error-burst histogram;
//! - [`eye`]: streaming 2-D eye histograms of oversampled waveforms and bathtub
//!   curves (BER against sampling phase) by Gaussian extrapolation.

pub mod ber;
pub mod eye;
pub mod theory;

pub use ber::{clopper_pearson, ErrorCounter};
pub use eye::{Bathtub, EyeHistogram};
pub use theory::{
    ebn0_db_from_snr_db, esn0_db_from_snr_db, nrz_ber, pam4_ber, pam4_ser, pam4_snr_db_for_ber,
    q_function, snr_db_from_esn0_db,
};
