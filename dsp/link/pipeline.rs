//! [`Link`]: a [`LinkConfig`] run as a streaming pipeline, and its [`LinkResult`].
//!
//! ```text
//! PRBS ─► 10-bit symbols ─► RS encode ─► interleave ─► lanes ─► bits ─► Gray PAM4 ─► 1/(1+D)
//!   ─► ┬ analog: [Tx FIR ⊗ channel (⊗ optical) ⊗ front end ⊗ CTLE] waveform ─► jitter
//!      │         ─► + crosstalk ─► noise ─► CDR
//!      └ pulse:  Tx FIR ─► symbol-spaced channel pulse ─► AWGN
//!   ─► FFE ─► slicer | DFE | MLSE ─► (1+D) decode ─► bits ─► pre-FEC counts
//!   ─► lanes back ─► deinterleave ─► RS decode ─► post-FEC counts
//! ```
//!
//! **Analog models** (`channel.model = "lossy_line"` or `"touchstone"`, the
//! default): the receiver sees the oversampled waveform at the CTLE output (see
//! [`super::analog`]) and recovers its clock with a [`crate::cdr::Cdr`]. The link
//! then trains as a real receiver does: the first [`LOCK_SYMBOLS`] symbols let the
//! CDR lock; over the next [`TRAIN_SYMBOLS`] the symbol-spaced pulse response at the
//! recovered sampling phase and the noise correlation are estimated from the CDR's
//! samples and the known transmitted levels (least squares: what LMS adaptation
//! converges to); the FFE and DFE are solved from them by MMSE, and counting starts
//! at the next FEC block boundary.
//!
//! **Pulse model** (`channel.model = "pulse"`): the channel is the symbol-spaced
//! pulse response of the config at the receiver's sampling phase (the model of COM's
//! statistical core), the FFE/DFE are solved from it, and counting starts at the
//! first symbol.
//!
//! Either way the FFE and DFE are solved jointly (the FFE leaves the post-cursors
//! that the DFE cancels) and scaled so that the main cursor is 1 (unbiased), which
//! puts the slicer thresholds at the nominal ±2/3, 0. Every block carries its state
//! across chunks, so memory is `O(CHUNK)` whatever the run length and
//! `run(a); run(b)` counts exactly what `run(a + b)` counts.
//!
//! [`LinkConfig`]: super::config::LinkConfig

use std::collections::VecDeque;

use super::analog::{AnalogDesign, AnalogFrontEnd};
use super::config::{ChannelModel, Detector, FecCode, LinkConfig};
use crate::analysis::{Bathtub, ErrorCounter, EyeHistogram};
use crate::channel::Awgn;
use crate::eq::solve::cholesky_solve;
use crate::eq::{Dfe, Ffe, Mlse, Modulation, TxFir};
use crate::error::{Error, Result};
use crate::fec::extrapolate::ErrorEventStats;
use crate::fec::interleave::SymbolInterleaver;
use crate::fec::lanes::LaneMap;
use crate::fec::stats::{post_fec_ber_from_histogram, FecCounters};
use crate::fec::{bits as fec_bits, Outcome, ReedSolomon};
use crate::signal::{bits_to_symbols, symbols_to_bits, Prbs, PrecodeDecoder, Precoder};

/// Symbols per internal chunk.
const CHUNK: usize = 16_384;

/// Symbols sent before training (analog models): the CDR locks.
pub const LOCK_SYMBOLS: usize = 32_768;

/// Symbols over which the analog receiver estimates its pulse and noise.
pub const TRAIN_SYMBOLS: usize = 65_536;

/// Symbols after training before counting may start (the FFE and DFE fill).
const SETTLE_SYMBOLS: u64 = 256;

/// Codewords the FEC encodes and decodes per call: the bit-sliced SIMD kernels
/// work on groups of 64–128 codewords, and a batch under 32 takes the scalar path
/// (about 50× slower per codeword). Memory: two batches of line symbols, 0.7 MB.
const FEC_BATCH_CODEWORDS: usize = 128;

/// What decides in the receiver, built from the config.
enum Decider {
    Slicer([f32; 3], usize),
    Dfe(Box<Dfe>),
    Mlse(Box<Mlse>),
}

/// What sits between the Tx levels and the FFE.
enum FrontEnd {
    /// Symbol-spaced: Tx FIR, channel pulse, AWGN.
    Pulse {
        tx_fir: Option<TxFir>,
        channel: Box<Ffe>,
        awgn: Box<Awgn>,
    },
    /// Oversampled waveform and CDR.
    Analog(Box<AnalogFrontEnd>),
}

/// The FEC part of a link.
struct Fec {
    rs: ReedSolomon,
    /// Interleaving and the lanes of `fec.lanes` (one lane: the interleaver alone).
    map: LaneMap,
    /// FEC symbols of a counting block: one interleaver block, or with lanes a
    /// whole batch dealt out lane after lane.
    unit: usize,
    /// Codewords sent and not yet decoded, `n` symbols each, in order.
    sent: VecDeque<u16>,
    /// Whole blocks at the front of `sent` still to drop (sent before counting).
    skip_blocks: u64,
    tally: FecTally,
}

/// What the decoded codewords have counted.
#[derive(Clone)]
struct FecTally {
    counters: FecCounters,
    /// Histogram of symbol errors per codeword before decoding (index = errors).
    pre_decode: Vec<u64>,
    /// Payload bit errors left after decoding, and payload bits decoded.
    post_errors: u64,
    post_bits: u64,
    /// Error events (runs of symbol errors) per codeword, for the burst-aware
    /// extrapolation.
    events: ErrorEventStats,
}

impl FecTally {
    /// Decodes the received stream `line` (whole blocks, line symbols) against the
    /// codewords `sent` and counts.
    fn decode(
        &mut self,
        rs: &ReedSolomon,
        (map, unit): (&LaneMap, usize),
        modulation: Modulation,
        line: &[u8],
        sent: &[u16],
    ) -> Result<()> {
        let (n, k) = (rs.n(), rs.k());
        let mut words = lanes_in(map, &line_to_fec(line, modulation), unit)?;
        for (rx, tx) in words.chunks_exact(n).zip(sent.chunks_exact(n)) {
            let e = rx.iter().zip(tx).filter(|(a, b)| a != b).count();
            self.pre_decode[e] += 1;
        }
        self.events.record(sent, &words)?;
        let mut outcomes = vec![Outcome::Corrected(0); words.len() / n];
        rs.decode_batch_in_place(&mut words, None, &mut outcomes)?;
        self.counters.record_all(&outcomes);
        for (rx, tx) in words.chunks_exact(n).zip(sent.chunks_exact(n)) {
            self.post_errors += rx[..k]
                .iter()
                .zip(&tx[..k])
                .map(|(a, b)| (a ^ b).count_ones() as u64)
                .sum::<u64>();
            self.post_bits += (k * fec_bits::BITS_PER_SYMBOL) as u64;
        }
        Ok(())
    }
}

/// A link run in chunks: see the [module docs](self).
///
/// ```
/// use serdes_dsp::link::{Link, LinkConfig};
/// let mut cfg = LinkConfig::default(); // lossy line, CTLE, CDR, FFE, DFE, KP4
/// cfg.channel.snr_db = 30.0;
/// let mut link = Link::new(&cfg, 1).unwrap(); // the CDR locks, the FFE/DFE train
/// link.run(20_000).unwrap();
/// let r = link.result();
/// assert_eq!(r.pre_fec_bit_errors, 0);
/// assert!(r.codewords > 0);
/// assert_eq!(r.cdr_locked, Some(true));
/// ```
pub struct Link {
    modulation: Modulation,
    bits_per_symbol: usize,
    prbs: Prbs,
    precoder: Option<Precoder>,
    decoder: Option<PrecodeDecoder>,
    front: FrontEnd,
    ffe: Ffe,
    decider: Decider,
    fec: Option<Fec>,
    /// Line symbols generated and not yet sent.
    tx_ready: VecDeque<u8>,
    /// Symbols sent and not yet compared; `sent[0]` has tx index `sent_base`.
    sent: VecDeque<u8>,
    sent_base: u64,
    /// Front-end samples not yet through the FFE.
    pending: Vec<f32>,
    /// Index of the next decision.
    next_decision: u64,
    /// Decision `j` decides tx symbol `j − decision_offset`.
    decision_offset: i64,
    /// The first tx symbol counted (a FEC block boundary).
    first_counted: u64,
    /// Decided symbols not yet a whole FEC block.
    rx_block: Vec<u8>,
    bits: ErrorCounter,
    symbols: ErrorCounter,
    ffe_taps: Vec<f32>,
    feedback_taps: Vec<f32>,
    symbol_pulse: Vec<f32>,
    symbol_pulse_cursor: usize,
    design: Option<AnalogDesign>,
    // Scratch, reused from chunk to chunk.
    s_sym: Vec<u8>,
    s_pre: Vec<u8>,
    s_lev: Vec<f32>,
    s_a: Vec<f32>,
    s_b: Vec<f32>,
    s_dec: Vec<u8>,
    s_out: Vec<u8>,
    s_sent: Vec<u8>,
    s_line: Vec<u8>,
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
    /// Post-FEC BER read off `symbol_errors_per_codeword` (the measured tail:
    /// failed codewords keep their errors, one bit per symbol error); `None` without
    /// FEC or codewords.
    pub post_fec_ber_from_histogram: Option<f64>,
    /// Post-FEC BER extrapolated by the burst-aware model of
    /// [`crate::fec::extrapolate`] (error events per codeword ~ Poisson, their
    /// lengths as measured): reaches far below what a run can count.
    pub post_fec_ber_extrapolated: Option<f64>,
    /// Codeword failure (frame loss) ratio of the same model.
    pub frame_loss_ratio_extrapolated: Option<f64>,
    /// The Rx FFE taps used.
    pub ffe_taps: Vec<f32>,
    /// The DFE taps (detector "dfe") or the MLSE channel `[h0, h1]` (detector "mlse").
    pub feedback_taps: Vec<f32>,
    /// The symbol-spaced pulse response the FFE/DFE were solved from: estimated at
    /// the recovered sampling phase for the analog models, the config's (after the
    /// Tx FIR) for the pulse model.
    pub symbol_pulse: Vec<f32>,
    /// Index of the main cursor in `symbol_pulse`.
    pub symbol_pulse_cursor: usize,
    /// The combined pulse at the CTLE output (analog models), `samples_per_ui` per
    /// UI, peak 1; empty for the pulse model.
    pub analog_pulse: Vec<f32>,
    /// Samples per UI of `analog_pulse` and of the eye (0 for the pulse model).
    pub samples_per_ui: usize,
    /// `(gDC, gDC2)` of the CTLE in use, dB.
    pub ctle_gains_db: Option<(f64, f64)>,
    /// The SNR at the decision point that the MMSE design predicts, dB.
    pub predicted_snr_db: Option<f64>,
    /// Whether the CDR's lock detector says locked at the end (analog models).
    pub cdr_locked: Option<bool>,
    /// Recovered frequency offset, ppm (analog models).
    pub cdr_frequency_ppm: Option<f64>,
    /// CDR phase trace: recovered symbol index and sampling phase (UI), one point
    /// per loop update from the end of training, `record.trace_symbols` at most.
    pub cdr_trace: Vec<(u64, f64)>,
    /// The 2-D eye of the CTLE-output waveform over `record.eye_symbols` symbols
    /// after training: two UI, each UI window centred on its symbol's pulse peak.
    pub eye: Option<EyeHistogram>,
    /// The Gaussian-extrapolated bathtub of that eye.
    pub bathtub: Option<Bathtub>,
}

impl Link {
    /// Builds the link of `config` (validated first) and, for the analog models,
    /// trains it (see the [module docs](self)); `seed` sets the PRBS start and the
    /// noise, so the same config and seed give the same counts.
    pub fn new(config: &LinkConfig, seed: u64) -> Result<Link> {
        config.validate()?;
        let modulation: Modulation = config.tx.modulation.into();
        let bits_per_symbol = modulation.bits() as usize;
        let sigma_a2 = modulation.mean_power();
        let rx = &config.rx;
        let free = match rx.detector {
            Detector::Slicer => 0,
            Detector::Dfe => rx.dfe_taps,
            Detector::Mlse => 1,
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
                let lanes = config.fec.lanes;
                let ways = interleaver.ways();
                let unit = if lanes > 1 {
                    (FEC_BATCH_CODEWORDS / ways).max(1) * ways * rs.n()
                } else {
                    ways * rs.n()
                };
                if !unit.is_multiple_of(lanes) {
                    return Err(Error::invalid(
                        "fec.lanes",
                        format!("a divisor of {unit}"),
                        lanes,
                    ));
                }
                Some(Fec {
                    map: LaneMap::new(interleaver, lanes)?,
                    unit,
                    sent: VecDeque::new(),
                    skip_blocks: 0,
                    tally: FecTally {
                        counters: FecCounters::new(rs.t()),
                        pre_decode: vec![0; rs.n() + 1],
                        post_errors: 0,
                        post_bits: 0,
                        events: ErrorEventStats::new(rs.n())?,
                    },
                    rs,
                })
            }
        };
        let precoding = config.tx.precoding;
        let mut link = Link {
            modulation,
            bits_per_symbol,
            prbs: Prbs::from_seed_u64(config.tx.prbs_order, seed)?,
            precoder: precoding.then(Precoder::new),
            decoder: precoding.then(PrecodeDecoder::new),
            front: FrontEnd::Pulse {
                tx_fir: None,
                channel: Box::new(Ffe::new(&[1.0], 0)?),
                awgn: Box::new(Awgn::new(0.0, 0)?),
            },
            ffe: Ffe::new(&[1.0], 0)?,
            decider: Decider::Slicer([0.0; 3], 2),
            fec,
            tx_ready: VecDeque::new(),
            sent: VecDeque::new(),
            sent_base: 0,
            pending: Vec::new(),
            next_decision: 0,
            decision_offset: 0,
            first_counted: 0,
            rx_block: Vec::new(),
            bits: ErrorCounter::new(),
            symbols: ErrorCounter::new(),
            ffe_taps: Vec::new(),
            feedback_taps: Vec::new(),
            symbol_pulse: Vec::new(),
            symbol_pulse_cursor: 0,
            design: None,
            s_sym: Vec::new(),
            s_pre: Vec::new(),
            s_lev: Vec::new(),
            s_a: Vec::new(),
            s_b: Vec::new(),
            s_dec: Vec::new(),
            s_out: Vec::new(),
            s_sent: Vec::new(),
            s_line: Vec::new(),
        };

        if config.channel.model == ChannelModel::Pulse {
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
            let pulse = convolve(&fir_taps, &ch.pulse);
            let main = fir_cursor + ch.cursor;
            let sol = solve_ffe_dfe(
                &pulse,
                main,
                rx.ffe_taps,
                rx.ffe_cursor,
                free,
                sigma_a2,
                &[noise_var],
            )?;
            // Sample n carries tx symbol n − main (the Tx FIR and channel cursors).
            link.front = FrontEnd::Pulse {
                tx_fir,
                channel: Box::new(channel),
                awgn: Box::new(awgn),
            };
            link.install(config, &pulse, main, &sol, 0, main as i64)?;
        } else {
            let design = AnalogDesign::new(config)?;
            let front = AnalogFrontEnd::new(config, &design, seed)?;
            link.front = FrontEnd::Analog(Box::new(front));
            link.design = Some(design);
            link.train(config, free, sigma_a2)?;
        }
        Ok(link)
    }

    /// Sets the FFE and the decider from a solution; `n_start` is the index of the
    /// front-end sample that enters the FFE first and front-end sample `n` carries
    /// tx symbol `n − delay`.
    fn install(
        &mut self,
        config: &LinkConfig,
        pulse: &[f32],
        main: usize,
        sol: &FfeDfeSolution,
        n_start: u64,
        delay: i64,
    ) -> Result<()> {
        let rx = &config.rx;
        let modulation = self.modulation;
        let d = main + rx.ffe_cursor;
        let at = |j: usize| sol.q.get(j).copied().unwrap_or(0.0) as f32;
        let mut extra = 0usize;
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
                extra = m.delay();
                (Decider::Mlse(Box::new(m)), h)
            }
        };
        self.ffe = Ffe::new(&sol.taps, rx.ffe_cursor)?;
        self.decider = decider;
        self.ffe_taps = sol.taps.clone();
        self.feedback_taps = feedback_taps;
        self.symbol_pulse = pulse.to_vec();
        self.symbol_pulse_cursor = main;
        // Decision j = FFE output j = front-end sample n_start + j − ffe_cursor
        // (− the MLSE's delay) = tx symbol n_start + j − ffe_cursor − extra − delay.
        self.decision_offset = rx.ffe_cursor as i64 + extra as i64 + delay - n_start as i64;
        Ok(())
    }

    /// Trains the analog receiver: CDR lock, then the pulse and noise estimate at the
    /// recovered phase, the MMSE FFE/DFE, and the first counted symbol.
    fn train(&mut self, config: &LinkConfig, free: usize, sigma_a2: f64) -> Result<()> {
        let rx = &config.rx;
        let lv = self.modulation.levels();
        let mut levels: Vec<f32> = Vec::with_capacity(LOCK_SYMBOLS + TRAIN_SYMBOLS);
        let mut samples: Vec<f32> = Vec::with_capacity(LOCK_SYMBOLS + TRAIN_SYMBOLS);
        let mut lock_outputs = 0usize;
        let mut sent = 0usize;
        while sent < LOCK_SYMBOLS + TRAIN_SYMBOLS {
            let m = CHUNK.min(LOCK_SYMBOLS + TRAIN_SYMBOLS - sent);
            self.send(m, &mut samples)?;
            levels.extend(self.s_lev.iter().copied());
            sent += m;
            if sent == LOCK_SYMBOLS {
                lock_outputs = samples.len();
            }
        }
        let _ = lv;
        let n_start = samples.len() as u64;
        // Least-squares pulse at lags −pre..=post around the delay: first the delay
        // (the lag of the largest correlation), then the window around it.
        let x = &samples[lock_outputs..];
        let first = lock_outputs as i64;
        let corr = |lag: i64| -> f64 {
            let mut acc = 0.0f64;
            let mut cnt = 0usize;
            for (i, &v) in x.iter().enumerate() {
                let k = first + i as i64 - lag;
                if k >= 0 && (k as usize) < levels.len() {
                    acc += v as f64 * levels[k as usize] as f64;
                    cnt += 1;
                }
            }
            acc / (cnt.max(1) as f64 * sigma_a2)
        };
        let max_lag = (self
            .design
            .as_ref()
            .map_or(64, |d| d.pulse.len() / d.samples_per_ui)
            + 16) as i64;
        let (mut delay, mut best) = (0i64, 0.0f64);
        for lag in 0..=max_lag {
            let c = corr(lag).abs();
            if c > best {
                best = c;
                delay = lag;
            }
        }
        let pre = (rx.ffe_taps + 2) as i64;
        let lo = (delay - pre).max(0);
        let hi = max_lag.max(delay + rx.ffe_taps as i64 + rx.dfe_taps as i64 + 8);
        let pulse: Vec<f64> = (lo..=hi).map(corr).collect();
        let main = (delay - lo) as usize;
        // Residual noise (and unmodelled ISI) correlation at the FFE's lags.
        let resid: Vec<f64> = x
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let n = first + i as i64;
                let mut y = v as f64;
                for (j, &h) in pulse.iter().enumerate() {
                    let k = n - (lo + j as i64);
                    if k >= 0 && (k as usize) < levels.len() {
                        y -= h * levels[k as usize] as f64;
                    }
                }
                y
            })
            .collect();
        let acf: Vec<f64> = (0..=rx.ffe_taps)
            .map(|k| {
                let s: f64 = resid[k..].iter().zip(&resid).map(|(a, b)| a * b).sum();
                s / (resid.len() - k) as f64
            })
            .collect();
        let pulse32: Vec<f32> = pulse.iter().map(|&v| v as f32).collect();
        let sol = solve_ffe_dfe(
            &pulse32,
            main,
            rx.ffe_taps,
            rx.ffe_cursor,
            free,
            sigma_a2,
            &acf,
        )?;
        // A locked CDR gives the main cursor (near 1 after the gain) at one lag and
        // one output per symbol; anything else is a CDR that did not lock.
        if best < 0.3 || n_start as usize > levels.len() {
            return Err(Error::invalid(
                "rx.cdr",
                "a CDR that locks during training (try rx.cdr.detector = \"bang_bang\" or \"gardner\", or other rx.ctle gains)",
                format!(
                    "a largest symbol correlation of {best:.3} and {n_start} samples for {} symbols",
                    levels.len()
                ),
            ));
        }
        // Sample n carries tx symbol n − (lo + main).
        self.install(config, &pulse32, main, &sol, n_start, lo + main as i64)?;
        // Count from the first FEC block boundary once the FFE and DFE are full.
        let block = self.block_symbols() as u64;
        let earliest = (n_start as i64 - (lo + main as i64)).max(0) as u64 + SETTLE_SYMBOLS;
        self.first_counted = earliest.div_ceil(block) * block;
        if let Some(f) = &mut self.fec {
            f.skip_blocks = self.first_counted / block;
        }
        if let FrontEnd::Analog(a) = &mut self.front {
            a.start_recording();
        }
        Ok(())
    }

    /// Line symbols per FEC block (1 without FEC).
    fn block_symbols(&self) -> usize {
        match &self.fec {
            None => 1,
            Some(f) => f.unit * fec_bits::BITS_PER_SYMBOL / self.bits_per_symbol,
        }
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

    /// The FEC tally including the whole blocks received and not yet decoded
    /// (the link decodes in batches; these are decoded here, on a copy).
    fn fec_tally(&self) -> Option<std::borrow::Cow<'_, FecTally>> {
        let f = self.fec.as_ref()?;
        let block = self.block_symbols();
        let blocks = self.rx_block.len() / block;
        if blocks == 0 {
            return Some(std::borrow::Cow::Borrowed(&f.tally));
        }
        let per_block = f.unit;
        let skip = f.skip_blocks as usize * per_block;
        let want = blocks * per_block;
        if f.sent.len() < skip + want {
            return Some(std::borrow::Cow::Borrowed(&f.tally));
        }
        let sent: Vec<u16> = f.sent.range(skip..skip + want).copied().collect();
        let mut tally = f.tally.clone();
        match tally.decode(
            &f.rs,
            (&f.map, f.unit),
            self.modulation,
            &self.rx_block[..blocks * block],
            &sent,
        ) {
            Ok(()) => Some(std::borrow::Cow::Owned(tally)),
            Err(_) => Some(std::borrow::Cow::Borrowed(&f.tally)),
        }
    }

    /// What has been measured so far (every whole FEC block received is decoded).
    pub fn result(&self) -> LinkResult {
        let bits = self.bits.units();
        let ratio = |e: u64, n: u64| if n == 0 { 0.0 } else { e as f64 / n as f64 };
        let tally = self.fec_tally();
        let model = self
            .fec
            .as_ref()
            .zip(tally.as_ref())
            .filter(|(_, t)| t.counters.codewords() > 0)
            .and_then(|(f, t)| t.events.extrapolate(f.rs.t()).ok());
        let (codewords, corrected, uncorrectable, hist, post_bits, post_errors, from_hist) =
            match self.fec.as_ref().zip(tally.as_ref()) {
                None => (0, 0, 0, vec![], 0, 0, None),
                Some((f, t)) => {
                    let extrapolated = if t.counters.codewords() > 0 {
                        post_fec_ber_from_histogram(&t.pre_decode, f.rs.n(), f.rs.t(), 1.0).ok()
                    } else {
                        None
                    };
                    let mut hist = t.pre_decode.clone();
                    while hist.len() > 1 && hist.last() == Some(&0) {
                        hist.pop();
                    }
                    (
                        t.counters.codewords(),
                        t.counters.corrected_codewords(),
                        t.counters.uncorrectable_codewords(),
                        hist,
                        t.post_bits,
                        t.post_errors,
                        extrapolated,
                    )
                }
            };
        let analog = match &self.front {
            FrontEnd::Analog(a) => Some(a),
            FrontEnd::Pulse { .. } => None,
        };
        let eye = analog
            .and_then(|a| a.eye.clone())
            .filter(|e| e.samples() > 0);
        let bathtub = eye.as_ref().and_then(|e| e.bathtub().ok());
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
            post_fec_ber_extrapolated: model.as_ref().map(|m| m.post_fec_ber),
            frame_loss_ratio_extrapolated: model.as_ref().map(|m| m.frame_loss_ratio),
            ffe_taps: self.ffe_taps.clone(),
            feedback_taps: self.feedback_taps.clone(),
            symbol_pulse: self.symbol_pulse.clone(),
            symbol_pulse_cursor: self.symbol_pulse_cursor,
            analog_pulse: self
                .design
                .as_ref()
                .map_or_else(Vec::new, |d| d.pulse.clone()),
            samples_per_ui: self.design.as_ref().map_or(0, |d| d.samples_per_ui),
            ctle_gains_db: self.design.as_ref().and_then(|d| d.ctle_gains_db),
            predicted_snr_db: self.design.as_ref().map(|d| d.predicted_snr_db),
            cdr_locked: analog.map(|a| a.cdr_locked()),
            cdr_frequency_ppm: analog.map(|a| a.cdr_frequency_ppm()),
            cdr_trace: analog.map_or_else(Vec::new, |a| a.cdr_trace().to_vec()),
            eye,
            bathtub,
        }
    }

    /// Fills `tx_ready` with at least `m` line symbols, whole FEC blocks at a time
    /// (about [`FEC_BATCH_CODEWORDS`] codewords per encoder call).
    fn generate(&mut self, m: usize) -> Result<()> {
        while self.tx_ready.len() < m {
            let line_bits = match &mut self.fec {
                None => self.prbs.bits(CHUNK * self.bits_per_symbol),
                Some(f) => {
                    let (n, k, ways) = (f.rs.n(), f.rs.k(), f.map.interleaver().ways());
                    let blocks = (FEC_BATCH_CODEWORDS / ways).max(1);
                    let payload = payload_symbols(&mut self.prbs, blocks * ways * k)?;
                    let codewords = f.rs.encode_batch(&payload)?;
                    f.sent.extend(&codewords);
                    debug_assert_eq!(codewords.len(), blocks * ways * n);
                    let stream = lanes_out(&f.map, &codewords, f.unit)?;
                    self.s_line.clear();
                    fec_to_line(&stream, self.modulation, &mut self.s_line);
                    self.tx_ready.extend(&self.s_line);
                    continue;
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

    /// Sends the next `m` symbols: their line levels end in `s_lev` and the
    /// front end's samples are appended to `out`.
    fn send(&mut self, m: usize, out: &mut Vec<f32>) -> Result<()> {
        self.generate(m)?;
        self.s_sym.clear();
        move_front(&mut self.tx_ready, m, &mut self.s_sym);
        self.sent.extend(&self.s_sym);
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
        match &mut self.front {
            FrontEnd::Pulse {
                tx_fir,
                channel,
                awgn,
            } => {
                self.s_a.resize(m, 0.0);
                self.s_b.resize(m, 0.0);
                let tx_out: &[f32] = match tx_fir {
                    Some(f) => {
                        f.process_into(&self.s_lev, &mut self.s_a)?;
                        &self.s_a
                    }
                    None => &self.s_lev,
                };
                channel.process_into(tx_out, &mut self.s_b)?;
                awgn.process_in_place(&mut self.s_b);
                out.extend_from_slice(&self.s_b);
            }
            FrontEnd::Analog(a) => a.process(&self.s_lev, line, out)?,
        }
        Ok(())
    }

    fn step(&mut self, m: usize) -> Result<()> {
        let mut pending = std::mem::take(&mut self.pending);
        self.send(m, &mut pending)?;
        // Rx: FFE → decisions.
        let len = pending.len();
        self.s_a.resize(len, 0.0);
        self.ffe.process_into(&pending, &mut self.s_a)?;
        pending.clear();
        self.pending = pending;
        self.s_dec.resize(len, 0);
        match &mut self.decider {
            Decider::Slicer(t, n) => {
                for (d, &y) in self.s_dec.iter_mut().zip(&self.s_a) {
                    *d = (0..*n - 1).map(|i| (y >= t[i]) as u8).sum();
                }
            }
            Decider::Dfe(dfe) => dfe.process_into(&self.s_a, &mut self.s_dec)?,
            Decider::Mlse(mlse) => mlse.process_into(&self.s_a, &mut self.s_dec)?,
        }
        let j0 = self.next_decision;
        self.next_decision += len as u64;
        // Tx index of decision j0; decisions before the first symbol sent (the
        // pipeline's latency) are dropped before the (1+D) decoder, which starts
        // in step with the precoder.
        let k0 = j0 as i64 - self.decision_offset;
        let neg = (-k0).clamp(0, len as i64) as usize;
        let mut decided = std::mem::take(&mut self.s_dec);
        if let Some(dec) = &mut self.decoder {
            self.s_out.resize(len, 0);
            dec.process_into(&decided[neg..], &mut self.s_out[neg..])?;
            std::mem::swap(&mut decided, &mut self.s_out);
        }
        let skip = (self.first_counted as i64 - k0).clamp(0, len as i64) as usize;
        if skip < len {
            let k_first = (k0 + skip as i64) as u64;
            self.compare(&decided[skip..], k_first)?;
            if self.fec.is_some() {
                self.rx_block.extend_from_slice(&decided[skip..]);
                self.decode_blocks()?;
            }
        }
        self.s_dec = decided;
        Ok(())
    }

    /// Pre-FEC symbol and bit counts of `decided` against the symbols sent from tx
    /// index `k_first` on.
    fn compare(&mut self, decided: &[u8], k_first: u64) -> Result<()> {
        if k_first < self.sent_base {
            return Err(Error::invalid(
                "link",
                "decisions in transmission order",
                "a decision for a symbol already compared",
            ));
        }
        let drop = ((k_first - self.sent_base) as usize).min(self.sent.len());
        self.sent.drain(..drop);
        self.sent_base += drop as u64;
        if self.sent.len() < decided.len() {
            return Err(Error::invalid(
                "link",
                "decisions for symbols that were sent",
                "more decisions than symbols in flight",
            ));
        }
        self.s_sent.clear();
        move_front(&mut self.sent, decided.len(), &mut self.s_sent);
        self.sent_base += decided.len() as u64;
        let sent = &self.s_sent;
        self.symbols.compare(sent, decided)?;
        if self.modulation != Modulation::Pam4 {
            return self.bits.compare(sent, decided);
        }
        // Bits only where the symbols differ: an equal run of symbols is an equal
        // run of twice as many bits.
        let (mut tx, mut rx) = ([0u8; 64], [0u8; 64]);
        for (a, b) in sent.chunks(32).zip(decided.chunks(32)) {
            if a == b {
                self.bits.add_correct(2 * a.len() as u64);
            } else {
                let n = 2 * a.len();
                symbols_to_bits(a, &mut tx[..n])?;
                symbols_to_bits(b, &mut rx[..n])?;
                self.bits.compare(&tx[..n], &rx[..n])?;
            }
        }
        Ok(())
    }

    /// Decodes the whole FEC blocks in `rx_block` once they make a batch of about
    /// [`FEC_BATCH_CODEWORDS`] codewords (what is left over, [`Link::result`]
    /// decodes on a copy).
    fn decode_blocks(&mut self) -> Result<()> {
        let block_symbols = self.block_symbols();
        let Some(f) = &mut self.fec else {
            return Ok(());
        };
        let unit = f.unit;
        while f.skip_blocks > 0 && f.sent.len() >= unit {
            f.sent.drain(..unit);
            f.skip_blocks -= 1;
        }
        let blocks = self.rx_block.len() / block_symbols;
        if blocks * unit < FEC_BATCH_CODEWORDS * f.rs.n() {
            return Ok(());
        }
        let mut sent = Vec::with_capacity(blocks * unit);
        move_front(&mut f.sent, blocks * unit, &mut sent);
        f.tally.decode(
            &f.rs,
            (&f.map, f.unit),
            self.modulation,
            &self.rx_block[..blocks * block_symbols],
            &sent,
        )?;
        self.rx_block.drain(..blocks * block_symbols);
        Ok(())
    }
}

/// `codewords` (whole units of `unit` symbols) interleaved and dealt to the lanes
/// of `map` ([`LaneMap::distribute`], Clause 119.2.4.7), each unit sent lane
/// after lane: the order in which the simulated link carries them. With one lane
/// this is the interleaved stream.
fn lanes_out(map: &LaneMap, codewords: &[u16], unit: usize) -> Result<Vec<u16>> {
    if map.lanes() == 1 {
        return map.interleaver().interleave(codewords);
    }
    let mut out = Vec::with_capacity(codewords.len());
    for u in codewords.chunks_exact(unit) {
        for lane in map.distribute(u)? {
            out.extend(lane);
        }
    }
    Ok(out)
}

/// The codewords back from the received order of [`lanes_out`]
/// ([`LaneMap::gather`] unit by unit).
fn lanes_in(map: &LaneMap, line: &[u16], unit: usize) -> Result<Vec<u16>> {
    if map.lanes() == 1 {
        return map.interleaver().deinterleave(line);
    }
    let per = unit / map.lanes();
    let mut out = Vec::with_capacity(line.len());
    for u in line.chunks_exact(unit) {
        let lanes: Vec<Vec<u16>> = u.chunks_exact(per).map(<[u16]>::to_vec).collect();
        out.extend(map.gather(&lanes)?);
    }
    Ok(out)
}

/// Moves the first `m` elements of `from` to the end of `to` (slice copies: a
/// `Vec::extend` from a `VecDeque` drain goes element by element).
fn move_front<T: Copy>(from: &mut VecDeque<T>, m: usize, to: &mut Vec<T>) {
    let (a, b) = from.as_slices();
    let na = a.len().min(m);
    to.extend_from_slice(&a[..na]);
    to.extend_from_slice(&b[..m - na]);
    from.drain(..m);
}

/// The next `count` 10-bit payload symbols of `prbs`: stream bits LSB first in
/// each symbol (Clause 91 bit order), as [`fec_bits::bits_to_symbols`] of
/// [`Prbs::bits`] gives, read from packed words when `10·count` is a multiple of 64.
fn payload_symbols(prbs: &mut Prbs, count: usize) -> Result<Vec<u16>> {
    let nbits = count * fec_bits::BITS_PER_SYMBOL;
    if !nbits.is_multiple_of(64) {
        return fec_bits::bits_to_symbols(&prbs.bits(nbits));
    }
    let mut words = vec![0u64; nbits / 64 + 1];
    prbs.fill_words(&mut words[..nbits / 64]);
    Ok((0..count)
        .map(|j| {
            let (w, off) = (j * 10 / 64, j * 10 % 64);
            let v = (words[w] >> off) | words[w + 1].checked_shl(64 - off as u32).unwrap_or(0);
            (v & 0x3FF) as u16
        })
        .collect())
}

/// The line symbols of FEC symbols: each 10-bit symbol's bits LSB first, as NRZ
/// bits or as five Gray-coded PAM4 symbols (bit pair `(2i, 2i+1)` = (MSB, LSB) of
/// the pair, as [`bits_to_symbols`]).
fn fec_to_line(symbols: &[u16], modulation: Modulation, out: &mut Vec<u8>) {
    let start = out.len();
    match modulation {
        Modulation::Pam4 => {
            const GRAY: [u8; 4] = pam4_pair_to_symbol();
            out.resize(start + 5 * symbols.len(), 0);
            for (&s, o) in symbols.iter().zip(out[start..].chunks_exact_mut(5)) {
                for (i, oi) in o.iter_mut().enumerate() {
                    *oi = GRAY[((s >> (2 * i)) & 3) as usize];
                }
            }
        }
        Modulation::Nrz => {
            out.resize(start + 10 * symbols.len(), 0);
            for (&s, o) in symbols.iter().zip(out[start..].chunks_exact_mut(10)) {
                for (b, ob) in o.iter_mut().enumerate() {
                    *ob = ((s >> b) & 1) as u8;
                }
            }
        }
    }
}

/// The inverse of [`fec_to_line`] (`line.len()` a multiple of 5 or 10).
fn line_to_fec(line: &[u8], modulation: Modulation) -> Vec<u16> {
    match modulation {
        Modulation::Pam4 => {
            const PAIR: [u16; 4] = pam4_symbol_to_pair();
            line.chunks_exact(5)
                .map(|c| {
                    c.iter().enumerate().fold(0u16, |acc, (i, &p)| {
                        acc | (PAIR[(p & 3) as usize] << (2 * i))
                    })
                })
                .collect()
        }
        Modulation::Nrz => line
            .chunks_exact(10)
            .map(|c| {
                c.iter()
                    .enumerate()
                    .fold(0u16, |acc, (b, &v)| acc | (((v & 1) as u16) << b))
            })
            .collect(),
    }
}

/// PAM4 symbol of the bit pair `v = first | second << 1` (first bit the MSB).
const fn pam4_pair_to_symbol() -> [u8; 4] {
    let mut t = [0u8; 4];
    let mut v = 0;
    while v < 4 {
        t[v] = crate::signal::pam4::gray_encode((v & 1) as u8, (v >> 1) as u8);
        v += 1;
    }
    t
}

/// The bit pair `first | second << 1` of each PAM4 symbol.
const fn pam4_symbol_to_pair() -> [u16; 4] {
    let mut t = [0u16; 4];
    let mut s = 0;
    while s < 4 {
        let (msb, lsb) = crate::signal::pam4::gray_decode(s as u8);
        t[s] = (msb as u16) | ((lsb as u16) << 1);
        s += 1;
    }
    t
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

/// An FFE (and DFE) solution of the joint MMSE design (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq)]
pub struct FfeDfeSolution {
    /// The FFE taps, scaled so that the equalised main cursor is 1.
    pub taps: Vec<f32>,
    /// The equalised pulse `p ∗ c` (scaled), main cursor at `main + cursor`.
    pub q: Vec<f64>,
    /// SNR at the decision point: `σa²` over the residual ISI (outside the main
    /// cursor and the feedback taps) plus the noise through the FFE, dB.
    pub snr_db: f64,
}

/// Joint MMSE FFE for a DFE (or MLSE) with `free` feedback taps: minimises
/// `σa²·Σ_{j∉F}(q_j − δ_{j,D})² + cᵀRc` with `q = p ∗ c`, `D = main + cursor`,
/// `F = {D+1, …, D+free}` (the post-cursors the feedback cancels) and `R` the
/// Toeplitz noise covariance of `noise_acf` (`R(0), R(T), …`; lags beyond its end
/// are 0, so `[σ²]` is white noise), then scales `c` so that `q_D = 1`.
pub(crate) fn solve_ffe_dfe(
    pulse: &[f32],
    main: usize,
    n_taps: usize,
    cursor: usize,
    free: usize,
    sigma_a2: f64,
    noise_acf: &[f64],
) -> Result<FfeDfeSolution> {
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
    let r = |lag: usize| noise_acf.get(lag).copied().unwrap_or(0.0);
    let mut a = vec![0.0f64; n_taps * n_taps];
    let mut b = vec![0.0f64; n_taps];
    for row in 0..n_taps {
        for col in 0..n_taps {
            a[row * n_taps + col] = sigma_a2
                * rows.iter().map(|&j| h(j, row) * h(j, col)).sum::<f64>()
                + r(row.abs_diff(col));
        }
        a[row * n_taps + row] += 1e-12 * sigma_a2;
        b[row] = sigma_a2 * h(d, row);
    }
    let c = cholesky_solve(&mut a, &b, n_taps)
        .ok_or_else(|| Error::invalid("rx.ffe_taps", "a solvable FFE for this channel", n_taps))?;
    let q: Vec<f64> = (0..len_q)
        .map(|j| (0..n_taps).map(|r| h(j, r) * c[r]).sum())
        .collect();
    let g = q.get(d).copied().unwrap_or(0.0);
    if !(g.is_finite() && g.abs() > 1e-9) {
        return Err(Error::invalid(
            "channel.pulse",
            "a pulse the FFE can equalise",
            "a zero main cursor after the FFE",
        ));
    }
    let taps: Vec<f32> = c.iter().map(|&v| (v / g) as f32).collect();
    let q: Vec<f64> = q.iter().map(|&v| v / g).collect();
    let isi: f64 = q
        .iter()
        .enumerate()
        .filter(|&(j, _)| j != d && !(d + 1..=d + free).contains(&j))
        .map(|(_, v)| v * v)
        .sum::<f64>()
        * sigma_a2;
    let mut noise = 0.0;
    for (i, &ci) in taps.iter().enumerate() {
        for (k, &ck) in taps.iter().enumerate() {
            noise += ci as f64 * ck as f64 * r(i.abs_diff(k));
        }
    }
    let snr_db = 10.0 * (sigma_a2 / (isi + noise).max(1e-300)).log10();
    Ok(FfeDfeSolution { taps, q, snr_db })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::theory;
    use crate::link::config::Sampling;

    fn awgn_config(snr_db: f64, code: FecCode) -> LinkConfig {
        let mut c = LinkConfig::default();
        c.tx.fir = vec![];
        c.channel.model = ChannelModel::Pulse;
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
        for model in [ChannelModel::Pulse, ChannelModel::LossyLine] {
            let mut cfg = LinkConfig::default();
            cfg.channel.model = model;
            cfg.channel.snr_db = if model == ChannelModel::Pulse {
                15.0
            } else {
                17.0
            };
            cfg.fec.interleave = 2;
            cfg.record.eye_symbols = 20_000;
            // 420 000 symbols: one batch of FEC blocks decoded in the run, the
            // rest by `result` on a copy.
            let mut a = Link::new(&cfg, 9).unwrap();
            a.run(420_000).unwrap();
            let mut b = Link::new(&cfg, 9).unwrap();
            for m in [1u64, 7, 16_385, 3_000, 30_607] {
                b.run(m).unwrap();
            }
            let partial = b.result();
            assert!(
                partial.codewords > 0 && partial.codewords < 128,
                "{model:?}"
            );
            b.run(370_000).unwrap();
            assert_eq!(a.result(), b.result(), "{model:?}");
            assert!(a.result().codewords > 128, "{model:?}");
            assert!(a.result().pre_fec_bit_errors > 0 && a.result().codewords > 0);
        }
    }

    #[test]
    fn ffe_dfe_solution_removes_the_isi_it_should() {
        let p = [0.1f32, 0.7, 0.35, 0.1];
        let sol = solve_ffe_dfe(&p, 1, 8, 2, 2, 5.0 / 9.0, &[1e-9]).unwrap();
        let q = &sol.q;
        let d = 3;
        assert!((q[d] - 1.0).abs() < 1e-12);
        for (j, &v) in q.iter().enumerate() {
            if j != d && !(d + 1..=d + 2).contains(&j) {
                assert!(v.abs() < 0.02, "residual ISI q[{j}] = {v}");
            }
        }
        assert!(sol.snr_db > 25.0, "{}", sol.snr_db);
    }

    #[test]
    fn white_noise_snr_of_a_clean_channel_is_the_input_snr() {
        // p = [1], one tap: SNR = σa²/σ².
        let sol = solve_ffe_dfe(&[1.0], 0, 1, 0, 0, 5.0 / 9.0, &[5.0 / 9.0 / 100.0]).unwrap();
        assert!((sol.snr_db - 20.0).abs() < 1e-6, "{}", sol.snr_db);
    }

    #[test]
    fn analog_link_trains_locks_and_meets_its_prediction() {
        // The default analog link: the measured SER agrees with the Gaussian
        // prediction from the design's SNR at the decision point (the estimate at
        // the recovered phase, not the design's peak phase, so within a factor).
        let mut cfg = LinkConfig::default();
        cfg.channel.snr_db = 16.0;
        cfg.rx.detector = Detector::Slicer;
        cfg.fec.code = FecCode::None;
        let mut link = Link::new(&cfg, 5).unwrap();
        link.run(300_000).unwrap();
        let r = link.result();
        eprintln!(
            "SER {} predicted SNR {:?} ctle {:?} ffe {:?} dfe {:?}",
            r.ser, r.predicted_snr_db, r.ctle_gains_db, r.ffe_taps, r.feedback_taps
        );
        assert_eq!(r.cdr_locked, Some(true));
        assert!(r.symbols > 250_000);
        let snr = r.predicted_snr_db.unwrap();
        // PAM4 SER with the unbiased decision SNR: 1.5·erfc(√(SNR/ (5))) form via
        // the BER closed form ×2 (Gray: one bit per symbol error, 2 bits/symbol).
        let ser_pred = 2.0 * theory::pam4_ber(snr);
        assert!(
            r.ser > ser_pred / 3.0 && r.ser < ser_pred * 3.0,
            "SER {} vs predicted {ser_pred} at {snr} dB",
            r.ser
        );
        let eye = r.eye.as_ref().expect("an eye");
        assert_eq!(eye.samples(), cfg.record.eye_symbols * 8);
        assert!(!r.cdr_trace.is_empty());
    }

    #[test]
    fn lane_order_is_the_pcs_lane_distribution() {
        // Unit by unit, stream symbol s (round robin to lane s mod L, Clause
        // 119.2.4.7) is sent at (s mod L)·(unit/L) + ⌊s/L⌋: lane after lane;
        // lanes_in undoes it. One lane is the interleaved stream itself.
        let rs = ReedSolomon::kp4();
        let il = SymbolInterleaver::new(2, rs.n()).unwrap();
        let unit = 4 * rs.n();
        let cw: Vec<u16> = (0..2 * unit).map(|i| (i * 7 % 1024) as u16).collect();
        let stream = il.interleave(&cw).unwrap();
        for lanes in [1, 2, 8, 16] {
            let map = LaneMap::new(il, lanes).unwrap();
            let line = lanes_out(&map, &cw, unit).unwrap();
            let per = unit / lanes;
            for (u, (got, want)) in line
                .chunks_exact(unit)
                .zip(stream.chunks_exact(unit))
                .enumerate()
            {
                for (s, &v) in want.iter().enumerate() {
                    assert_eq!(
                        got[(s % lanes) * per + s / lanes],
                        v,
                        "{lanes} lanes, unit {u}, symbol {s}"
                    );
                }
            }
            assert_eq!(lanes_in(&map, &line, unit).unwrap(), cw, "{lanes} lanes");
        }
    }

    #[test]
    fn a_link_over_lanes_decodes_like_one_lane() {
        // 2-way interleaved KP4 over 8 lanes, the lanes carried one after another:
        // the codewords decode (at most 1% uncorrectable at this BER; a wrong lane
        // order would make nearly all of them uncorrectable) and the symbol
        // errors per codeword are those of the one-lane link within statistics.
        let mut cfg = LinkConfig::default();
        cfg.channel.snr_db = 22.0;
        cfg.fec.interleave = 2;
        let mut mean = [0.0f64; 2];
        for (i, lanes) in [1usize, 8].into_iter().enumerate() {
            cfg.fec.lanes = lanes;
            let mut link = Link::new(&cfg, 9).unwrap();
            link.run(1_500_000).unwrap();
            let r = link.result();
            assert!(
                r.codewords >= 256,
                "{lanes} lanes: {} codewords",
                r.codewords
            );
            assert!(
                r.uncorrectable_codewords * 100 <= r.codewords,
                "{lanes} lanes: {r:?}"
            );
            assert!(
                r.corrected_codewords > r.codewords / 4,
                "{lanes} lanes: {r:?}"
            );
            let h = &r.symbol_errors_per_codeword;
            let errs: u64 = h.iter().enumerate().map(|(e, &c)| e as u64 * c).sum();
            mean[i] = errs as f64 / r.codewords as f64;
            eprintln!(
                "{lanes} lanes: {} codewords, {errs} symbol errors, {} uncorrectable",
                r.codewords, r.uncorrectable_codewords
            );
        }
        assert!(
            (mean[1] / mean[0] - 1.0).abs() < 0.2,
            "errors per codeword {mean:?}"
        );
    }

    #[test]
    fn line_conversions_match_the_bit_level_functions() {
        let mut prbs = Prbs::from_seed_u64(31, 7).unwrap();
        let mut check = Prbs::from_seed_u64(31, 7).unwrap();
        let fast = payload_symbols(&mut prbs, 64 * 10).unwrap();
        let slow = fec_bits::bits_to_symbols(&check.bits(64 * 10 * 10)).unwrap();
        assert_eq!(fast, slow);
        let bits = fec_bits::symbols_to_bits(&fast).unwrap();
        let mut pam = vec![0u8; bits.len() / 2];
        bits_to_symbols(&bits, &mut pam).unwrap();
        let mut line = Vec::new();
        fec_to_line(&fast, Modulation::Pam4, &mut line);
        assert_eq!(line, pam);
        assert_eq!(line_to_fec(&line, Modulation::Pam4), fast);
        line.clear();
        fec_to_line(&fast, Modulation::Nrz, &mut line);
        assert_eq!(line, bits);
        assert_eq!(line_to_fec(&line, Modulation::Nrz), fast);
        let mut dq: VecDeque<u8> = (0..10).collect();
        dq.rotate_left(3);
        let mut to = vec![99];
        move_front(&mut dq, 9, &mut to);
        assert_eq!(to, [99, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
        assert_eq!(dq.len(), 1);
    }

    #[test]
    fn direct_sampling_agrees_with_the_oversampled_cdr() {
        // The same link through the oversampled waveform and the interpolating CDR,
        // and through the direct sampler: the same error rates within their
        // statistics (the noise realisations differ) and the cubic's small error.
        let mut cfg = LinkConfig::default();
        cfg.channel.snr_db = 20.0;
        cfg.fec.code = FecCode::None;
        let mut ser = [0.0f64; 2];
        for (i, sampling) in [Sampling::Direct, Sampling::Oversampled]
            .into_iter()
            .enumerate()
        {
            cfg.rx.sampling = sampling;
            let mut link = Link::new(&cfg, 3).unwrap();
            link.run(400_000).unwrap();
            let r = link.result();
            assert_eq!(r.cdr_locked, Some(true), "{sampling:?}");
            assert!(r.symbol_errors > 200, "{sampling:?}: {}", r.symbol_errors);
            eprintln!("{sampling:?}: SER {} errors {}", r.ser, r.symbol_errors);
            ser[i] = r.ser;
        }
        assert!(
            (ser[0] / ser[1] - 1.0).abs() < 0.1,
            "direct SER {} vs oversampled {}",
            ser[0],
            ser[1]
        );
    }
}
