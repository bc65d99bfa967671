//! Whole links: a transmitter, a channel and a receiver run together in chunks,
//! with error counting.
//!
//! - [`config`]: [`LinkConfig`], a whole link as data (TOML/JSON), validated with
//!   errors that name the key; `LinkConfig::default()` is the built-in default link.
//! - [`pipeline`]: [`Link`], a config run as a streaming pipeline (Tx FIR, channel,
//!   noise, jitter, CTLE, CDR, FFE, DFE or MLSE, KP4/KR4 FEC) and its [`LinkResult`]
//!   (pre- and post-FEC BER, bursts, codeword statistics, eye, bathtub, CDR trace).
//! - [`analog`]: the receiver front end of the analog channel models (design,
//!   oversampled waveform); [`direct`]: its CDR sampling the waveform directly.
//! - [`mod@sweep`]: one parameter over a list of values, points in parallel (rayon),
//!   per-point seeds so results do not depend on the thread count.
//! - [`awgn`]: the first link — PRBS → Gray PAM4 or NRZ (optionally precoded) →
//!   AWGN → slicer → bit and symbol error counts.

pub mod analog;
pub mod awgn;
pub mod config;
pub mod direct;
pub mod impair;
pub mod pipeline;
pub mod sweep;

pub use awgn::{AwgnLink, AwgnLinkConfig, Modulation};
pub use config::{
    CdrSection, ChannelConfig, ChannelModel, CrosstalkConfig, CtleConfig, CtleKind, Detector,
    FecCode, FecConfig, JitterConfig, LinkConfig, OpticalPowerKind, OpticalSection, RecordConfig,
    RxConfig, Sampling, TxConfig, XtalkKind,
};
pub use pipeline::{FfeDfeSolution, Link, LinkResult, LOCK_SYMBOLS, TRAIN_SYMBOLS};
pub use sweep::{point_seed, run_point, sweep, with_param, StopRule};
