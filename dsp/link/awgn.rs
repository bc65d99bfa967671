//! PRBS → PAM4/NRZ → AWGN → slicer → BER, streaming in bounded memory.

use crate::analysis::ErrorCounter;
use crate::channel::Awgn;
use crate::error::{Error, Result};
use crate::signal::{
    bits_to_symbols, symbols_to_bits, NrzMapper, Pam4Mapper, Prbs, PrecodeDecoder, Precoder, Slicer,
};

/// Symbols processed per internal chunk: the link's memory is O(CHUNK), whatever the run length.
const CHUNK: usize = 16_384;

/// Line coding of the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modulation {
    /// Two levels ±1, one bit per symbol.
    Nrz,
    /// Gray-coded four levels ±1, ±1/3 (Clause 120.5.7), two bits per symbol.
    Pam4,
}

impl Modulation {
    /// Bits carried by one symbol.
    pub fn bits_per_symbol(self) -> usize {
        match self {
            Modulation::Nrz => 1,
            Modulation::Pam4 => 2,
        }
    }
}

/// Configuration of an [`AwgnLink`].
#[derive(Debug, Clone, PartialEq)]
pub struct AwgnLinkConfig {
    /// SNR at the slicer in dB: mean signal power over noise variance (see
    /// [`crate::analysis::theory`]). Finite.
    pub snr_db: f64,
    /// PRBS order of the payload: 7, 9, 11, 13, 15, 23 or 31.
    pub prbs_order: u32,
    /// Line coding.
    pub modulation: Modulation,
    /// Apply the 1/(1+D) mod 4 precoder (PAM4 only).
    pub precoding: bool,
    /// Seed of the noise (and of the PRBS start state).
    pub seed: u64,
}

impl AwgnLinkConfig {
    /// PAM4, PRBS31, no precoding.
    pub fn new(snr_db: f64, seed: u64) -> Self {
        AwgnLinkConfig {
            snr_db,
            prbs_order: 31,
            modulation: Modulation::Pam4,
            precoding: false,
            seed,
        }
    }
}

/// A streaming PAM4/NRZ link through AWGN with bit and symbol error counting.
///
/// Noise is added to the nominal levels at the configured SNR; the slicer decides
/// with thresholds half way between the levels. The PRBS start state is derived from
/// the seed, so different seeds also give different payloads. Running `run(a)` then
/// `run(b)` gives the same counts as `run(a + b)`.
///
/// ```
/// use serdes_dsp::link::AwgnLink;
/// let mut link = AwgnLink::new(20.0, 7).unwrap();
/// link.run(50_000).unwrap();
/// assert_eq!(link.bit_counter().units(), 100_000);
/// ```
pub struct AwgnLink {
    config: AwgnLinkConfig,
    prbs: Prbs,
    awgn: Awgn,
    pam4: Pam4Mapper,
    slicer: Slicer,
    precoder: Precoder,
    decoder: PrecodeDecoder,
    bits: ErrorCounter,
    symbols: ErrorCounter,
    // chunk buffers, reused
    tx_bits: Vec<u8>,
    tx_syms: Vec<u8>,
    line_syms: Vec<u8>,
    wave: Vec<f32>,
    rx_line: Vec<u8>,
    rx_syms: Vec<u8>,
    rx_bits: Vec<u8>,
}

impl AwgnLink {
    /// PAM4 over PRBS31 at `snr_db` with the given seed.
    pub fn new(snr_db: f64, seed: u64) -> Result<Self> {
        Self::with_config(AwgnLinkConfig::new(snr_db, seed))
    }

    /// A link from a full configuration; errors name the bad field.
    pub fn with_config(config: AwgnLinkConfig) -> Result<Self> {
        if config.precoding && config.modulation == Modulation::Nrz {
            return Err(Error::invalid(
                "precoding",
                "only with PAM4 modulation",
                "true with NRZ",
            ));
        }
        let pam4 = Pam4Mapper::new();
        let power = match config.modulation {
            Modulation::Pam4 => pam4.mean_power(),
            Modulation::Nrz => 1.0,
        };
        let awgn = Awgn::from_snr_db(config.snr_db, power, config.seed)?;
        let prbs = Prbs::from_seed_u64(config.prbs_order, config.seed)?;
        let slicer = match config.modulation {
            Modulation::Pam4 => Slicer::pam4(),
            Modulation::Nrz => Slicer::nrz(),
        };
        let bps = config.modulation.bits_per_symbol();
        Ok(AwgnLink {
            prbs,
            awgn,
            pam4,
            slicer,
            precoder: Precoder::new(),
            decoder: PrecodeDecoder::new(),
            bits: ErrorCounter::new(),
            symbols: ErrorCounter::new(),
            tx_bits: vec![0; CHUNK * bps],
            tx_syms: vec![0; CHUNK],
            line_syms: vec![0; CHUNK],
            wave: vec![0.0; CHUNK],
            rx_line: vec![0; CHUNK],
            rx_syms: vec![0; CHUNK],
            rx_bits: vec![0; CHUNK * bps],
            config,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &AwgnLinkConfig {
        &self.config
    }

    /// Sends `n_symbols` more symbols through the link.
    pub fn run(&mut self, n_symbols: u64) -> Result<()> {
        let mut left = n_symbols;
        while left > 0 {
            let n = (left as usize).min(CHUNK);
            self.chunk(n)?;
            left -= n as u64;
        }
        Ok(())
    }

    /// Runs until `target_errors` bit errors are counted or `max_symbols` symbols were sent,
    /// whichever comes first (checked once per internal chunk).
    pub fn run_until(&mut self, target_errors: u64, max_symbols: u64) -> Result<()> {
        let mut sent = 0u64;
        while sent < max_symbols && self.bits.errors() < target_errors {
            let n = ((max_symbols - sent) as usize).min(CHUNK);
            self.chunk(n)?;
            sent += n as u64;
        }
        Ok(())
    }

    fn chunk(&mut self, n: usize) -> Result<()> {
        let bps = self.config.modulation.bits_per_symbol();
        let tx_bits = &mut self.tx_bits[..n * bps];
        self.prbs.fill_bits(tx_bits);
        let wave = &mut self.wave[..n];
        let rx_bits = &mut self.rx_bits[..n * bps];
        match self.config.modulation {
            Modulation::Nrz => {
                NrzMapper.map_into(tx_bits, wave)?;
                self.awgn.process_in_place(wave);
                self.slicer.slice_into(wave, rx_bits)?;
                self.symbols.compare(tx_bits, rx_bits)?;
            }
            Modulation::Pam4 => {
                let tx_syms = &mut self.tx_syms[..n];
                bits_to_symbols(tx_bits, tx_syms)?;
                let line = &mut self.line_syms[..n];
                let rx_line = &mut self.rx_line[..n];
                let rx_syms = &mut self.rx_syms[..n];
                if self.config.precoding {
                    self.precoder.process_into(tx_syms, line)?;
                } else {
                    line.copy_from_slice(tx_syms);
                }
                self.pam4.map_into(line, wave)?;
                self.awgn.process_in_place(wave);
                self.slicer.slice_into(wave, rx_line)?;
                if self.config.precoding {
                    self.decoder.process_into(rx_line, rx_syms)?;
                } else {
                    rx_syms.copy_from_slice(rx_line);
                }
                self.symbols.compare(tx_syms, rx_syms)?;
                symbols_to_bits(rx_syms, rx_bits)?;
            }
        }
        self.bits.compare(tx_bits, rx_bits)?;
        Ok(())
    }

    /// Bit error counts (with burst histogram in bits).
    pub fn bit_counter(&self) -> &ErrorCounter {
        &self.bits
    }

    /// Alias of [`AwgnLink::bit_counter`].
    pub fn counter(&self) -> &ErrorCounter {
        &self.bits
    }

    /// Symbol error counts (with burst histogram in symbols).
    pub fn symbol_counter(&self) -> &ErrorCounter {
        &self.symbols
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_runs_equal_one_run() {
        let mut a = AwgnLink::new(12.0, 3).unwrap();
        a.run(40_000).unwrap();
        let mut b = AwgnLink::new(12.0, 3).unwrap();
        b.run(12_345).unwrap();
        b.run(27_655).unwrap();
        assert_eq!(a.bit_counter(), b.bit_counter());
        assert_eq!(a.symbol_counter(), b.symbol_counter());
        assert!(a.bit_counter().errors() > 100);
    }

    #[test]
    fn bad_configs_are_errors() {
        assert!(AwgnLink::new(f64::NAN, 1).is_err());
        assert!(AwgnLink::new(f64::INFINITY, 1).is_err());
        let mut c = AwgnLinkConfig::new(10.0, 1);
        c.prbs_order = 8;
        assert!(AwgnLink::with_config(c.clone())
            .err()
            .unwrap()
            .to_string()
            .contains("order"));
        for order in [0, 1, 64, 200] {
            c.prbs_order = order;
            assert!(AwgnLink::with_config(c.clone())
                .err()
                .unwrap()
                .to_string()
                .contains("order"));
        }
        c.prbs_order = 31;
        c.modulation = Modulation::Nrz;
        c.precoding = true;
        assert!(AwgnLink::with_config(c).is_err());
    }
}
