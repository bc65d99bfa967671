//! [`LinkConfig`]: a whole link described as data — TOML or JSON in, validated,
//! with errors that name the key.
//!
//! ```toml
//! baud_hz = 53.125e9
//! [tx]
//! modulation = "pam4"     # or "nrz"
//! prbs_order = 31
//! precoding = false       # 1/(1+D) mod 4, Clause 120.5.7.2
//! fir = [-0.1, 0.8, -0.1] # Tx FIR, main tap at fir_cursor; [] = none
//! fir_cursor = 1
//! [channel]
//! pulse = [0.05, 0.6, 0.3, 0.1, 0.03]  # symbol-spaced pulse response
//! cursor = 1                            # index of its main cursor
//! snr_db = 22.0
//! [rx]
//! ffe_taps = 8
//! ffe_cursor = 2
//! dfe_taps = 2
//! detector = "dfe"        # "slicer", "dfe" or "mlse"
//! mlse_depth = 16
//! [fec]
//! code = "kp4"            # "kp4", "kr4" or "none"
//! interleave = 1          # codewords symbol-interleaved: 1, 2 or 4
//! ```
//!
//! Every section and key is optional: what is missing takes the value of
//! [`LinkConfig::default`], the built-in default link. Unknown keys are errors.

use serde::{Deserialize, Serialize};

use crate::eq::Modulation;
use crate::error::{Error, Result};

/// A whole link: transmitter, channel, receiver and FEC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinkConfig {
    /// Symbol rate in Hz (53.125e9 for 106.25 Gb/s PAM4, IEEE 802.3ck).
    pub baud_hz: f64,
    /// The transmitter.
    pub tx: TxConfig,
    /// The channel and its noise.
    pub channel: ChannelConfig,
    /// The receiver's equalisation and detection.
    pub rx: RxConfig,
    /// Forward error correction.
    pub fec: FecConfig,
}

/// The transmitter: pattern, line coding, precoding and Tx FIR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TxConfig {
    /// `"pam4"` (Gray-coded, Clause 120.5.7) or `"nrz"`.
    pub modulation: ModulationName,
    /// PRBS order of the payload: 7, 9, 11, 13, 15, 23 or 31.
    pub prbs_order: u32,
    /// The 1/(1+D) mod 4 precoder (PAM4 only).
    pub precoding: bool,
    /// Tx FIR taps (any scale: they are normalised to Σ|c| = 1, Clause 120D.3.1.4);
    /// empty for none.
    pub fir: Vec<f32>,
    /// Index of the main tap in `fir`.
    pub fir_cursor: usize,
}

/// The channel: a symbol-spaced pulse response and additive Gaussian noise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChannelConfig {
    /// Pulse response sampled once per UI at the receiver's sampling phase.
    pub pulse: Vec<f32>,
    /// Index of the main cursor in `pulse`.
    pub cursor: usize,
    /// SNR at the receiver input in dB: mean power of the symbols scaled by the
    /// main cursor (`σa²·h0²`) over the noise variance. With `pulse = [1]` this is
    /// the SNR of [`crate::analysis::theory`].
    pub snr_db: f64,
}

/// The receiver: FFE, then a slicer, a DFE or an MLSE.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RxConfig {
    /// FFE taps, 1..=64 (1 with `ffe_cursor = 0` is a gain only).
    pub ffe_taps: usize,
    /// Index of the FFE's main tap (the number of pre-cursor taps).
    pub ffe_cursor: usize,
    /// DFE taps, 1..=32 (with `detector = "dfe"`).
    pub dfe_taps: usize,
    /// What decides: a slicer, a DFE or an MLSE over `1 + αD`.
    pub detector: Detector,
    /// Traceback depth of the MLSE in symbols, 1..=256.
    pub mlse_depth: usize,
}

/// FEC: the code and its interleaving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FecConfig {
    /// `"kp4"` = RS(544,514), `"kr4"` = RS(528,514) (Clause 91) or `"none"`.
    pub code: FecCode,
    /// Codewords symbol-interleaved on the line: 1, 2 (Clause 119) or 4.
    pub interleave: usize,
}

/// Line coding, as written in a config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModulationName {
    /// Two levels.
    Nrz,
    /// Four levels, Gray-coded.
    Pam4,
}

impl From<ModulationName> for Modulation {
    fn from(m: ModulationName) -> Modulation {
        match m {
            ModulationName::Nrz => Modulation::Nrz,
            ModulationName::Pam4 => Modulation::Pam4,
        }
    }
}

/// The receiver's decision device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Detector {
    /// A plain slicer after the FFE.
    Slicer,
    /// A decision-feedback equaliser after the FFE.
    Dfe,
    /// A Viterbi detector over `1 + αD` after the FFE.
    Mlse,
}

/// The Reed–Solomon code of the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FecCode {
    /// No FEC: the PRBS goes on the line as it is.
    None,
    /// RS(544,514), t = 15 (Clause 91, 119).
    Kp4,
    /// RS(528,514), t = 7 (Clause 91).
    Kr4,
}

impl Default for LinkConfig {
    /// The built-in default link: 106.25 Gb/s PAM4 (53.125 GBd), PRBS31 payload,
    /// KP4 FEC, a three-tap Tx FIR, a moderately lossy symbol-spaced channel,
    /// 8-tap FFE and 2-tap DFE at 22 dB SNR.
    fn default() -> Self {
        LinkConfig {
            baud_hz: 53.125e9,
            tx: TxConfig::default(),
            channel: ChannelConfig::default(),
            rx: RxConfig::default(),
            fec: FecConfig::default(),
        }
    }
}

impl Default for TxConfig {
    fn default() -> Self {
        TxConfig {
            modulation: ModulationName::Pam4,
            prbs_order: 31,
            precoding: false,
            fir: vec![-0.05, 0.85, -0.1],
            fir_cursor: 1,
        }
    }
}

impl Default for ChannelConfig {
    fn default() -> Self {
        ChannelConfig {
            pulse: vec![0.04, 0.55, 0.3, 0.1, 0.04, 0.015],
            cursor: 1,
            snr_db: 22.0,
        }
    }
}

impl Default for RxConfig {
    fn default() -> Self {
        RxConfig {
            ffe_taps: 8,
            ffe_cursor: 2,
            dfe_taps: 2,
            detector: Detector::Dfe,
            mlse_depth: 16,
        }
    }
}

impl Default for FecConfig {
    fn default() -> Self {
        FecConfig {
            code: FecCode::Kp4,
            interleave: 1,
        }
    }
}

fn bad(name: &'static str, allowed: &str, actual: impl std::fmt::Debug) -> Error {
    Error::InvalidParameter {
        name,
        allowed: allowed.to_string(),
        actual: format!("{actual:?}"),
    }
}

impl LinkConfig {
    /// Parses TOML; missing keys take their defaults, unknown keys are errors.
    pub fn from_toml(text: &str) -> Result<LinkConfig> {
        let c: LinkConfig =
            toml::from_str(text).map_err(|e| bad("config", "a valid link TOML", e.to_string()))?;
        c.validate()?;
        Ok(c)
    }

    /// Parses JSON; missing keys take their defaults, unknown keys are errors.
    pub fn from_json(text: &str) -> Result<LinkConfig> {
        let c: LinkConfig = serde_json::from_str(text)
            .map_err(|e| bad("config", "a valid link JSON", e.to_string()))?;
        c.validate()?;
        Ok(c)
    }

    /// The config as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a LinkConfig always serialises")
    }

    /// The config as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a LinkConfig always serialises")
    }

    /// Checks every value; the error names the key (`channel.snr_db`, …).
    pub fn validate(&self) -> Result<()> {
        if !(self.baud_hz.is_finite() && self.baud_hz > 0.0) {
            return Err(bad("baud_hz", "a finite rate > 0 Hz", self.baud_hz));
        }
        let tx = &self.tx;
        if ![7, 9, 11, 13, 15, 23, 31].contains(&tx.prbs_order) {
            return Err(bad(
                "tx.prbs_order",
                "one of 7, 9, 11, 13, 15, 23, 31",
                tx.prbs_order,
            ));
        }
        if tx.precoding && tx.modulation != ModulationName::Pam4 {
            return Err(bad("tx.precoding", "false with modulation = \"nrz\"", true));
        }
        if !tx.fir.is_empty() {
            if tx.fir.iter().any(|c| !c.is_finite()) || tx.fir.iter().all(|&c| c == 0.0) {
                return Err(bad("tx.fir", "finite taps, not all zero", &tx.fir));
            }
            if tx.fir_cursor >= tx.fir.len() {
                return Err(bad(
                    "tx.fir_cursor",
                    &format!("0..{}", tx.fir.len()),
                    tx.fir_cursor,
                ));
            }
        }
        let ch = &self.channel;
        if ch.pulse.is_empty() || ch.pulse.len() > 1024 || ch.pulse.iter().any(|p| !p.is_finite()) {
            return Err(bad("channel.pulse", "1..=1024 finite samples", &ch.pulse));
        }
        if ch.cursor >= ch.pulse.len() || ch.pulse[ch.cursor] == 0.0 {
            return Err(bad(
                "channel.cursor",
                &format!("an index 0..{} of a non-zero sample", ch.pulse.len()),
                ch.cursor,
            ));
        }
        if !ch.snr_db.is_finite() || !(-20.0..=100.0).contains(&ch.snr_db) {
            return Err(bad("channel.snr_db", "-20..=100 dB", ch.snr_db));
        }
        let rx = &self.rx;
        if !(1..=64).contains(&rx.ffe_taps) {
            return Err(bad("rx.ffe_taps", "1..=64", rx.ffe_taps));
        }
        if rx.ffe_cursor >= rx.ffe_taps {
            return Err(bad(
                "rx.ffe_cursor",
                &format!("0..{}", rx.ffe_taps),
                rx.ffe_cursor,
            ));
        }
        if rx.detector == Detector::Dfe && !(1..=32).contains(&rx.dfe_taps) {
            return Err(bad("rx.dfe_taps", "1..=32", rx.dfe_taps));
        }
        if rx.detector == Detector::Mlse && !(1..=256).contains(&rx.mlse_depth) {
            return Err(bad("rx.mlse_depth", "1..=256", rx.mlse_depth));
        }
        if ![1, 2, 4].contains(&self.fec.interleave) {
            return Err(bad("fec.interleave", "1, 2 or 4", self.fec.interleave));
        }
        if self.fec.code == FecCode::None && self.fec.interleave != 1 {
            return Err(bad(
                "fec.interleave",
                "1 with code = \"none\"",
                self.fec.interleave,
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_round_trips_through_toml_and_json() {
        let c = LinkConfig::default();
        c.validate().unwrap();
        assert_eq!(LinkConfig::from_toml(&c.to_toml()).unwrap(), c);
        assert_eq!(LinkConfig::from_json(&c.to_json()).unwrap(), c);
    }

    #[test]
    fn missing_keys_take_defaults() {
        let c = LinkConfig::from_toml("[channel]\nsnr_db = 15.0\n").unwrap();
        assert_eq!(c.channel.snr_db, 15.0);
        assert_eq!(c.rx, RxConfig::default());
        assert_eq!(c.channel.pulse, ChannelConfig::default().pulse);
    }

    #[test]
    fn errors_name_the_key() {
        let msg = |t: &str| LinkConfig::from_toml(t).unwrap_err().to_string();
        assert!(msg("[rx]\nffe_tapz = 3\n").contains("ffe_tapz"));
        assert!(msg("[rx]\nffe_taps = 0\n").contains("rx.ffe_taps"));
        assert!(msg("[channel]\nsnr_db = nan\n").contains("channel.snr_db"));
        assert!(msg("[channel]\npulse = []\n").contains("channel.pulse"));
        assert!(msg("[fec]\ninterleave = 3\n").contains("fec.interleave"));
        assert!(msg("[fec]\ncode = \"kp5\"\n").contains("kp5"));
        assert!(msg("[tx]\nprbs_order = 8\n").contains("tx.prbs_order"));
        assert!(msg("[tx]\nmodulation = \"nrz\"\nprecoding = true\n").contains("tx.precoding"));
        assert!(msg("[rx]\ndetector = \"dfe\"\ndfe_taps = 0\n").contains("rx.dfe_taps"));
        assert!(LinkConfig::from_json("{\"bogus\": 1}")
            .unwrap_err()
            .to_string()
            .contains("bogus"));
    }
}
