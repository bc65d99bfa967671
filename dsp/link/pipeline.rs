//! [`Link`]: a [`LinkConfig`] run as a streaming pipeline, and its [`LinkResult`].
//!
//! ```text
//! PRBS ─► 10-bit symbols ─► RS encode ─► interleave ─► bits ─► Gray PAM4 ─► 1/(1+D)
//!   ─► Tx FIR ─► channel pulse ─► AWGN ─► FFE ─► slicer | DFE | MLSE ─► (1+D) decode
//!   ─► bits ─► pre-FEC counts ─► deinterleave ─► RS decode ─► post-FEC counts
//! ```
//!
//! The channel is the symbol-spaced pulse response of [`ChannelConfig`] at the
//! receiver's sampling phase (the model of COM and of most statistical link
//! studies); the Rx FFE and DFE are solved once from it by MMSE, jointly (the FFE
//! leaves the post-cursors that the DFE cancels), and scaled so that the main cursor
//! is 1 (unbiased) — the slicer thresholds then sit at the nominal ±2/3, 0. Every
//! block carries its state across chunks, so memory is `O(CHUNK)` whatever the run
//! length and `run(a); run(b)` counts exactly what `run(a + b)` counts.
//!
//! [`ChannelConfig`]: super::config::ChannelConfig

use std::collections::VecDeque;

use super::config::{Detector, FecCode, LinkConfig};
use crate::analysis::ErrorCounter;
use crate::channel::Awgn;
use crate::eq::solve::cholesky_solve;
use crate::eq::{Dfe, Ffe, Mlse, Modulation, TxFir};
use crate::error::{Error, Result};
use crate::fec::interleave::SymbolInterleaver;
use crate::fec::stats::{post_fec_ber_from_histogram, FecCounters};
use crate::fec::{bits as fec_bits, Outcome, ReedSolomon};
use crate::signal::{bits_to_symbols, symbols_to_bits, Prbs, PrecodeDecoder, Precoder};

/// Symbols per internal chunk.
const CHUNK: usize = 16_384;

/// What decides in the receiver, built from the config.
enum Decider {
    Slicer([f32; 3], usize),
    Dfe(Box<Dfe>),
    Mlse(Box<Mlse>),
}

/// The FEC part of a link.
struct Fec {
    rs: ReedSolomon,
    interleaver: SymbolInterleaver,
    counters: FecCounters,
    /// Codewords sent and not yet decoded, `n` symbols each, in order.
    sent: VecDeque<u16>,
    /// Histogram of symbol errors per codeword before decoding (index = errors).
    pre_decode: Vec<u64>,
    /// Payload bit errors left after decoding, and payload bits decoded.
    post_errors: u64,
    post_bits: u64,
}

/// A link run in chunks: see the [module docs](self).
///
/// ```
/// use serdes_dsp::link::{Link, LinkConfig};
/// let mut cfg = LinkConfig::default();
/// cfg.channel.snr_db = 30.0;
/// let mut link = Link::new(&cfg, 1).unwrap();
/// link.run(20_000).unwrap();
/// let r = link.result();
/// assert_eq!(r.pre_fec_bit_errors, 0);
/// assert!(r.codewords > 0);
/// ```
pub struct Link {
    modulation: Modulation,
    bits_per_symbol: usize,
    prbs: Prbs,
    precoder: Option<Precoder>,
    decoder: Option<PrecodeDecoder>,
    tx_fir: Option<TxFir>,
    channel: Ffe,
    awgn: Awgn,
    ffe: Ffe,
    decider: Decider,
    fec: Option<Fec>,
    /// Decisions still to drop at the start: the pipeline's latency in symbols.
    to_skip: usize,
    /// Line symbols generated and not yet sent.
    tx_ready: VecDeque<u8>,
    /// Line symbols sent and not yet decided.
    in_flight: VecDeque<u8>,
    /// Decided line symbols not yet a whole FEC block.
    rx_block: Vec<u8>,
    bits: ErrorCounter,
    symbols: ErrorCounter,
    ffe_taps: Vec<f32>,
    feedback_taps: Vec<f32>,
    // Scratch, reused from chunk to chunk.
    s_sym: Vec<u8>,
    s_pre: Vec<u8>,
    s_lev: Vec<f32>,
    s_a: Vec<f32>,
    s_b: Vec<f32>,
    s_dec: Vec<u8>,
    s_bits_tx: Vec<u8>,
    s_bits_rx: Vec<u8>,
}

/// Everything a run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkResult {
    /// Symbols decided and compared.
    pub symbols: u64,
    /// Symbol errors among them.
    pub symbol_errors: u64,
    /// Line bits compared (before FEC decoding).
    pub bits: u64,
    /// Bit errors before FEC decoding.
    pub pre_fec_bit_errors: u64,
    /// `pre_fec_bit_errors / bits` (0 with no bits).
    pub pre_fec_ber: f64,
    /// 99% Clopper–Pearson interval of the pre-FEC BER.
    pub pre_fec_ber_interval: (f64, f64),
    /// `symbol_errors / symbols`.
    pub ser: f64,
    /// Histogram of bit-error burst lengths (index = length; the last bin collects
    /// longer bursts).
    pub burst_histogram: Vec<u64>,
    /// Codewords decoded (0 without FEC).
    pub codewords: u64,
    /// Codewords the decoder corrected (at least one symbol changed).
    pub corrected_codewords: u64,
    /// Codewords the decoder found uncorrectable.
    pub uncorrectable_codewords: u64,
    /// Histogram of symbol errors per codeword before decoding (index = errors).
    pub symbol_errors_per_codeword: Vec<u64>,
    /// Payload bits after FEC decoding.
    pub post_fec_bits: u64,
    /// Payload bit errors after FEC decoding.
    pub post_fec_bit_errors: u64,
    /// `post_fec_bit_errors / post_fec_bits` (measured; 0 with no bits).
    pub post_fec_ber: f64,
    /// Post-FEC BER extrapolated from `symbol_errors_per_codeword` (failed codewords
    /// keep their errors, one bit per symbol error); `None` without FEC or codewords.
    pub post_fec_ber_from_histogram: Option<f64>,
    /// The Rx FFE taps used.
    pub ffe_taps: Vec<f32>,
    /// The DFE taps (detector "dfe") or the MLSE channel `[h0, h1]` (detector "mlse").
    pub feedback_taps: Vec<f32>,
}

impl Link {
    /// Builds the link of `config` (validated first); `seed` sets the PRBS start and
    /// the noise, so the same config and seed give the same counts.
    pub fn new(config: &LinkConfig, seed: u64) -> Result<Link> {
        config.validate()?;
        let modulation: Modulation = config.tx.modulation.into();
        let bits_per_symbol = modulation.bits() as usize;
        let sigma_a2 = modulation.mean_power();

        // Tx FIR, normalised to Σ|c| = 1 (IEEE 802.3 Clause 120D.3.1.4).
        let tx_fir = if config.tx.fir.is_empty() {
            None
        } else {
            Some(TxFir::normalised(&config.tx.fir, config.tx.fir_cursor)?)
        };
        let (fir_taps, fir_cursor) = match &tx_fir {
            Some(f) => (f.taps().to_vec(), f.cursor()),
            None => (vec![1.0], 0),
        };
        let ch = &config.channel;
        let channel = Ffe::new(&ch.pulse, ch.cursor)?;
        // SNR at the Rx input relative to the main cursor of the channel alone.
        let noise_var =
            sigma_a2 * (ch.pulse[ch.cursor] as f64).powi(2) / 10f64.powf(ch.snr_db / 10.0);
        let awgn = Awgn::new(noise_var.sqrt() as f32, seed ^ 0x5EED_0000_0000_0001)?;

        // The pulse the receiver sees: Tx FIR then channel.
        let pulse = convolve(&fir_taps, &ch.pulse);
        let main = fir_cursor + ch.cursor;
        let rx = &config.rx;
        let free = match rx.detector {
            Detector::Slicer => 0,
            Detector::Dfe => rx.dfe_taps,
            Detector::Mlse => 1,
        };
        let (ffe_taps, q) = solve_ffe_dfe(
            &pulse,
            main,
            rx.ffe_taps,
            rx.ffe_cursor,
            free,
            sigma_a2,
            noise_var,
        )?;
        let d = main + rx.ffe_cursor;
        let ffe = Ffe::new(&ffe_taps, rx.ffe_cursor)?;
        let mut latency = fir_cursor + ch.cursor + rx.ffe_cursor;
        let at = |j: usize| q.get(j).copied().unwrap_or(0.0) as f32;
        let (decider, feedback_taps) = match rx.detector {
            Detector::Slicer => {
                let lv = modulation.levels();
                let n = modulation.n_levels();
                let mut t = [f32::INFINITY; 3];
                for (i, ti) in t.iter_mut().enumerate().take(n - 1) {
                    *ti = 0.5 * (lv[i] + lv[i + 1]);
                }
                (Decider::Slicer(t, n), vec![])
            }
            Detector::Dfe => {
                let b: Vec<f32> = (1..=rx.dfe_taps).map(|k| at(d + k)).collect();
                (Decider::Dfe(Box::new(Dfe::new(modulation, &b)?)), b)
            }
            Detector::Mlse => {
                let h = vec![at(d), at(d + 1)];
                let m = Mlse::new(modulation, &h, rx.mlse_depth)?;
                latency += m.delay();
                (Decider::Mlse(Box::new(m)), h)
            }
        };

        let fec = match config.fec.code {
            FecCode::None => None,
            code => {
                let rs = if code == FecCode::Kp4 {
                    ReedSolomon::kp4()
                } else {
                    ReedSolomon::kr4()
                };
                let interleaver = SymbolInterleaver::new(config.fec.interleave, rs.n())?;
                Some(Fec {
                    counters: FecCounters::new(rs.t()),
                    interleaver,
                    sent: VecDeque::new(),
                    pre_decode: vec![0; rs.n() + 1],
                    post_errors: 0,
                    post_bits: 0,
                    rs,
                })
            }
        };
        let precoding = config.tx.precoding;
        Ok(Link {
            modulation,
            bits_per_symbol,
            // Any non-zero register state, derived from the 64-bit seed (the order
            // is validated, so the period is at least 2^7 − 1).
            prbs: Prbs::new(
                config.tx.prbs_order,
                1 + seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) % ((1u64 << config.tx.prbs_order) - 1),
            )?,
            precoder: precoding.then(Precoder::new),
            decoder: precoding.then(PrecodeDecoder::new),
            tx_fir,
            channel,
            awgn,
            ffe,
            decider,
            fec,
            to_skip: latency,
            tx_ready: VecDeque::new(),
            in_flight: VecDeque::new(),
            rx_block: Vec::new(),
            bits: ErrorCounter::new(),
            symbols: ErrorCounter::new(),
            ffe_taps,
            feedback_taps,
            s_sym: Vec::new(),
            s_pre: Vec::new(),
            s_lev: Vec::new(),
            s_a: Vec::new(),
            s_b: Vec::new(),
            s_dec: Vec::new(),
            s_bits_tx: Vec::new(),
            s_bits_rx: Vec::new(),
        })
    }

    /// Sends `n_symbols` more symbols through the link and counts what comes out.
    pub fn run(&mut self, n_symbols: u64) -> Result<()> {
        let mut left = n_symbols;
        while left > 0 {
            let m = (left as usize).min(CHUNK);
            self.step(m)?;
            left -= m as u64;
        }
        Ok(())
    }

    /// Runs until `target_errors` pre-FEC bit errors have been counted or
    /// `max_symbols` symbols sent (whichever comes first), in chunks.
    pub fn run_until(&mut self, target_errors: u64, max_symbols: u64) -> Result<()> {
        let mut sent = 0u64;
        while sent < max_symbols && self.bits.errors() < target_errors {
            let m = ((max_symbols - sent) as usize).min(CHUNK);
            self.step(m)?;
            sent += m as u64;
        }
        Ok(())
    }

    /// What has been measured so far.
    pub fn result(&self) -> LinkResult {
        let bits = self.bits.units();
        let ratio = |e: u64, n: u64| if n == 0 { 0.0 } else { e as f64 / n as f64 };
        let (codewords, corrected, uncorrectable, hist, post_bits, post_errors, from_hist) =
            match &self.fec {
                None => (0, 0, 0, vec![], 0, 0, None),
                Some(f) => {
                    let extrapolated = if f.counters.codewords() > 0 {
                        post_fec_ber_from_histogram(&f.pre_decode, f.rs.n(), f.rs.t(), 1.0).ok()
                    } else {
                        None
                    };
                    let mut hist = f.pre_decode.clone();
                    while hist.len() > 1 && hist.last() == Some(&0) {
                        hist.pop();
                    }
                    (
                        f.counters.codewords(),
                        f.counters.corrected_codewords(),
                        f.counters.uncorrectable_codewords(),
                        hist,
                        f.post_bits,
                        f.post_errors,
                        extrapolated,
                    )
                }
            };
        LinkResult {
            symbols: self.symbols.units(),
            symbol_errors: self.symbols.errors(),
            bits,
            pre_fec_bit_errors: self.bits.errors(),
            pre_fec_ber: ratio(self.bits.errors(), bits),
            pre_fec_ber_interval: if bits == 0 {
                (0.0, 1.0)
            } else {
                self.bits.confidence_interval(0.99)
            },
            ser: ratio(self.symbols.errors(), self.symbols.units()),
            burst_histogram: self.bits.burst_histogram(),
            codewords,
            corrected_codewords: corrected,
            uncorrectable_codewords: uncorrectable,
            symbol_errors_per_codeword: hist,
            post_fec_bits: post_bits,
            post_fec_bit_errors: post_errors,
            post_fec_ber: ratio(post_errors, post_bits),
            post_fec_ber_from_histogram: from_hist,
            ffe_taps: self.ffe_taps.clone(),
            feedback_taps: self.feedback_taps.clone(),
        }
    }

    /// Fills `tx_ready` with at least `m` line symbols, whole FEC blocks at a time.
    fn generate(&mut self, m: usize) -> Result<()> {
        while self.tx_ready.len() < m {
            let line_bits = match &mut self.fec {
                None => self.prbs.bits(CHUNK * self.bits_per_symbol),
                Some(f) => {
                    let (n, k, ways) = (f.rs.n(), f.rs.k(), f.interleaver.ways());
                    let payload = fec_bits::bits_to_symbols(
                        &self.prbs.bits(ways * k * fec_bits::BITS_PER_SYMBOL),
                    )?;
                    let codewords = f.rs.encode_batch(&payload)?;
                    f.sent.extend(codewords.iter().copied());
                    debug_assert_eq!(codewords.len(), ways * n);
                    fec_bits::symbols_to_bits(&f.interleaver.interleave(&codewords)?)?
                }
            };
            if self.modulation == Modulation::Pam4 {
                let mut s = vec![0u8; line_bits.len() / 2];
                bits_to_symbols(&line_bits, &mut s)?;
                self.tx_ready.extend(s);
            } else {
                self.tx_ready.extend(line_bits);
            }
        }
        Ok(())
    }

    fn step(&mut self, m: usize) -> Result<()> {
        self.generate(m)?;
        // Tx: symbols → (precoder) → levels → Tx FIR → channel → noise.
        self.s_sym.clear();
        self.s_sym.extend(self.tx_ready.drain(..m));
        self.in_flight.extend(self.s_sym.iter().copied());
        let line: &[u8] = match &mut self.precoder {
            Some(p) => {
                self.s_pre.resize(m, 0);
                p.process_into(&self.s_sym, &mut self.s_pre)?;
                &self.s_pre
            }
            None => &self.s_sym,
        };
        let lv = self.modulation.levels();
        self.s_lev.clear();
        self.s_lev.extend(line.iter().map(|&s| lv[s as usize]));
        self.s_a.resize(m, 0.0);
        self.s_b.resize(m, 0.0);
        let tx_out: &[f32] = match &mut self.tx_fir {
            Some(f) => {
                f.process_into(&self.s_lev, &mut self.s_a)?;
                &self.s_a
            }
            None => &self.s_lev,
        };
        self.channel.process_into(tx_out, &mut self.s_b)?;
        self.awgn.process_in_place(&mut self.s_b);
        // Rx: FFE → decisions.
        self.ffe.process_into(&self.s_b, &mut self.s_a)?;
        self.s_dec.resize(m, 0);
        match &mut self.decider {
            Decider::Slicer(t, n) => {
                for (d, &y) in self.s_dec.iter_mut().zip(&self.s_a) {
                    *d = (0..*n - 1).map(|i| (y >= t[i]) as u8).sum();
                }
            }
            Decider::Dfe(dfe) => dfe.process_into(&self.s_a, &mut self.s_dec)?,
            Decider::Mlse(mlse) => mlse.process_into(&self.s_a, &mut self.s_dec)?,
        }
        let skip = self.to_skip.min(m);
        self.to_skip -= skip;
        if skip == m {
            return Ok(());
        }
        let mut decided = std::mem::take(&mut self.s_dec);
        decided.drain(..skip);
        if let Some(dec) = &mut self.decoder {
            let mut out = vec![0u8; decided.len()];
            dec.process_into(&decided, &mut out)?;
            decided = out;
        }
        self.compare(&decided)?;
        if self.fec.is_some() {
            self.rx_block.extend_from_slice(&decided);
            self.decode_blocks()?;
        }
        self.s_dec = decided;
        Ok(())
    }

    /// Pre-FEC symbol and bit counts of `decided` against the symbols sent.
    fn compare(&mut self, decided: &[u8]) -> Result<()> {
        let sent: Vec<u8> = self.in_flight.drain(..decided.len()).collect();
        self.symbols.compare(&sent, decided)?;
        if self.modulation == Modulation::Pam4 {
            self.s_bits_tx.resize(2 * sent.len(), 0);
            self.s_bits_rx.resize(2 * sent.len(), 0);
            symbols_to_bits(&sent, &mut self.s_bits_tx)?;
            symbols_to_bits(decided, &mut self.s_bits_rx)?;
            self.bits.compare(&self.s_bits_tx, &self.s_bits_rx)
        } else {
            self.bits.compare(&sent, decided)
        }
    }

    /// Decodes every whole FEC block in `rx_block`.
    fn decode_blocks(&mut self) -> Result<()> {
        let Some(f) = &mut self.fec else {
            return Ok(());
        };
        let (n, k, ways) = (f.rs.n(), f.rs.k(), f.interleaver.ways());
        let block_symbols = ways * n * fec_bits::BITS_PER_SYMBOL / self.bits_per_symbol;
        let mut done = 0;
        while self.rx_block.len() - done >= block_symbols {
            let line = &self.rx_block[done..done + block_symbols];
            let bits = if self.modulation == Modulation::Pam4 {
                let mut b = vec![0u8; 2 * line.len()];
                symbols_to_bits(line, &mut b)?;
                b
            } else {
                line.to_vec()
            };
            let mut words = f
                .interleaver
                .deinterleave(&fec_bits::bits_to_symbols(&bits)?)?;
            let sent: Vec<u16> = f.sent.drain(..ways * n).collect();
            for (rx, tx) in words.chunks_exact(n).zip(sent.chunks_exact(n)) {
                let e = rx.iter().zip(tx).filter(|(a, b)| a != b).count();
                f.pre_decode[e] += 1;
            }
            let mut outcomes = vec![Outcome::Corrected(0); ways];
            f.rs.decode_batch_in_place(&mut words, None, &mut outcomes)?;
            f.counters.record_all(&outcomes);
            for (rx, tx) in words.chunks_exact(n).zip(sent.chunks_exact(n)) {
                f.post_errors += rx[..k]
                    .iter()
                    .zip(&tx[..k])
                    .map(|(a, b)| (a ^ b).count_ones() as u64)
                    .sum::<u64>();
                f.post_bits += (k * fec_bits::BITS_PER_SYMBOL) as u64;
            }
            done += block_symbols;
        }
        self.rx_block.drain(..done);
        Ok(())
    }
}

/// Full linear convolution of two short sequences.
fn convolve(a: &[f32], b: &[f32]) -> Vec<f32> {
    let mut out = vec![0.0f32; a.len() + b.len() - 1];
    for (i, &x) in a.iter().enumerate() {
        for (j, &y) in b.iter().enumerate() {
            out[i + j] += x * y;
        }
    }
    out
}

/// Joint MMSE FFE for a DFE (or MLSE) with `free` feedback taps: minimises
/// `σa²·Σ_{j∉F}(q_j − δ_{j,D})² + σn²·‖c‖²` with `q = p ∗ c`, `D = main + cursor`
/// and `F = {D+1, …, D+free}` (the post-cursors the feedback cancels), then scales
/// `c` so that `q_D = 1`. Returns the taps and the equalised pulse `q`.
fn solve_ffe_dfe(
    pulse: &[f32],
    main: usize,
    n_taps: usize,
    cursor: usize,
    free: usize,
    sigma_a2: f64,
    noise_var: f64,
) -> Result<(Vec<f32>, Vec<f64>)> {
    let len_q = pulse.len() + n_taps - 1;
    let d = main + cursor;
    let h = |row: usize, col: usize| -> f64 {
        row.checked_sub(col)
            .and_then(|i| pulse.get(i))
            .map_or(0.0, |&v| v as f64)
    };
    let rows: Vec<usize> = (0..len_q)
        .filter(|&j| !(d + 1..=d + free).contains(&j))
        .collect();
    let mut a = vec![0.0f64; n_taps * n_taps];
    let mut b = vec![0.0f64; n_taps];
    for r in 0..n_taps {
        for c in 0..n_taps {
            a[r * n_taps + c] = sigma_a2 * rows.iter().map(|&j| h(j, r) * h(j, c)).sum::<f64>();
        }
        a[r * n_taps + r] += noise_var.max(1e-12 * sigma_a2);
        b[r] = sigma_a2 * h(d, r);
    }
    let c = cholesky_solve(&mut a, &b, n_taps)
        .ok_or_else(|| Error::invalid("rx.ffe_taps", "a solvable FFE for this channel", n_taps))?;
    let q: Vec<f64> = (0..len_q)
        .map(|j| (0..n_taps).map(|r| h(j, r) * c[r]).sum())
        .collect();
    let g = q[d];
    if !(g.is_finite() && g.abs() > 1e-9) {
        return Err(Error::invalid(
            "channel.pulse",
            "a pulse the FFE can equalise",
            "a zero main cursor after the FFE",
        ));
    }
    let taps = c.iter().map(|&v| (v / g) as f32).collect();
    let q = q.iter().map(|&v| v / g).collect();
    Ok((taps, q))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::theory;

    fn awgn_config(snr_db: f64, code: FecCode) -> LinkConfig {
        let mut c = LinkConfig::default();
        c.tx.fir = vec![];
        c.channel.pulse = vec![1.0];
        c.channel.cursor = 0;
        c.channel.snr_db = snr_db;
        c.rx.ffe_taps = 1;
        c.rx.ffe_cursor = 0;
        c.rx.detector = Detector::Slicer;
        c.fec.code = code;
        c
    }

    #[test]
    fn awgn_only_link_matches_the_closed_form() {
        for (snr, code) in [(14.0, FecCode::None), (15.0, FecCode::Kp4)] {
            let mut link = Link::new(&awgn_config(snr, code), 3).unwrap();
            link.run(400_000).unwrap();
            let r = link.result();
            let theory = theory::pam4_ber(snr);
            let (lo, hi) = r.pre_fec_ber_interval;
            assert!(
                lo <= theory && theory <= hi,
                "snr {snr}: {lo} <= {theory} <= {hi}"
            );
        }
    }

    #[test]
    fn chunking_does_not_change_the_counts() {
        let mut cfg = LinkConfig::default();
        cfg.channel.snr_db = 15.0;
        cfg.fec.interleave = 2;
        let mut a = Link::new(&cfg, 9).unwrap();
        a.run(50_000).unwrap();
        let mut b = Link::new(&cfg, 9).unwrap();
        for m in [1u64, 7, 16_385, 3_000, 30_607] {
            b.run(m).unwrap();
        }
        assert_eq!(a.result(), b.result());
        assert!(a.result().pre_fec_bit_errors > 0 && a.result().codewords > 0);
    }

    #[test]
    fn ffe_dfe_solution_removes_the_isi_it_should() {
        let p = [0.1f32, 0.7, 0.35, 0.1];
        let (_, q) = solve_ffe_dfe(&p, 1, 8, 2, 2, 5.0 / 9.0, 1e-9).unwrap();
        let d = 3;
        assert!((q[d] - 1.0).abs() < 1e-12);
        for (j, &v) in q.iter().enumerate() {
            if j != d && !(d + 1..=d + 2).contains(&j) {
                assert!(v.abs() < 0.02, "residual ISI q[{j}] = {v}");
            }
        }
    }
}
