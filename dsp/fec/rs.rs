//! [`ReedSolomon`]: the shortened Reed-Solomon codes over GF(2^10) of IEEE 802.3 —
//! encoder, errors-and-erasures decoder, single-codeword and batch APIs.

use std::sync::Arc;

use super::bitslice::SlicedCode;
use super::chien::Chien;
use super::decode::{self, Correction, Outcome, Scratch};
use super::{encode, gf, syndrome};
use crate::cpu::Backend;
use crate::error::{check_len, Error, Result};

/// Codewords per block of a batch encode or decode: one AVX2 bit-sliced group. A
/// block (278 KiB for KP4) is checked and copied with sequential reads, which
/// leave it in L2, and then read again by the SIMD kernels 256 rows apart, which
/// the hardware prefetchers cannot follow from DRAM.
const BLOCK: usize = 256;

/// A Reed-Solomon code RS(n, k) over GF(2^10) as in IEEE 802.3 Clause 91.5.2.7 and
/// Clause 119.2.4.6: primitive polynomial `x^10 + x^3 + 1`, generator
/// `g(x) = ∏_{j=0}^{2t−1} (x − α^j)`, systematic, shortened from RS(1023, 1023 − 2t).
///
/// Symbols are `u16` in `0..1024`, in transmission order: index 0 is the first
/// symbol sent and the coefficient of `x^(n−1)`; the `k` message symbols come
/// first, the `2t = n − k` parity symbols last.
///
/// The SIMD backend (for batches) is chosen once, at construction
/// ([`Backend::detect`]), or set with [`ReedSolomon::with_backend`].
///
/// ```
/// use serdes_dsp::fec::{Outcome, ReedSolomon};
///
/// let rs = ReedSolomon::kp4(); // RS(544,514), t = 15
/// let msg: Vec<u16> = (0..514).map(|i| (i * 7 % 1024) as u16).collect();
/// let mut word = rs.encode(&msg)?;
/// word[3] ^= 0x155; // two symbol errors
/// word[500] ^= 1;
/// assert_eq!(rs.decode_in_place(&mut word, &[])?, Outcome::Corrected(2));
/// assert_eq!(&word[..514], &msg[..]);
/// # Ok::<(), serdes_dsp::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ReedSolomon {
    n: usize,
    k: usize,
    generator: Vec<u16>,
    backend: Backend,
    sliced: Arc<SlicedCode>,
    chien: Chien,
}

impl ReedSolomon {
    /// RS(n, k) over GF(2^10): `n ≤ 1023`, `1 ≤ k < n`, `n − k` even (`t = (n − k)/2`
    /// symbol errors corrected). Errors name the argument at fault.
    pub fn new(n: usize, k: usize) -> Result<ReedSolomon> {
        if !(2..=gf::ORDER).contains(&n) {
            return Err(Error::invalid("n", "2 ..= 1023 (GF(2^10))", n));
        }
        if k < 1 || k >= n {
            return Err(Error::invalid("k", format!("1 ..= n − 1 = {}", n - 1), k));
        }
        if !(n - k).is_multiple_of(2) {
            return Err(Error::invalid(
                "k",
                format!("n − k even (n = {n}): 2t parity symbols"),
                k,
            ));
        }
        let two_t = n - k;
        // g(x) = ∏ (x + α^j), lowest power first.
        let mut generator = vec![0u16; two_t + 1];
        generator[0] = 1;
        for j in 0..two_t {
            let root = gf::alpha_pow(j as i64);
            for i in (1..=j + 1).rev() {
                generator[i] = generator[i - 1] ^ gf::mul(generator[i], root);
            }
            generator[0] = gf::mul(generator[0], root);
        }
        let sliced = Arc::new(SlicedCode::new(&generator));
        let backend = Backend::detect();
        Ok(ReedSolomon {
            n,
            k,
            generator,
            backend,
            sliced,
            chien: Chien::new(backend, n, two_t),
        })
    }

    /// RS(544, 514), "KP4": `t = 15`, the FEC of 100G–800G PAM4 Ethernet (IEEE 802.3
    /// Clauses 91, 119, 134; 802.3ck/df/dj).
    pub fn kp4() -> ReedSolomon {
        Self::new(544, 514).unwrap_or_else(|_| unreachable!("RS(544,514) is valid"))
    }

    /// RS(528, 514), "KR4": `t = 7`, the FEC of 25G/100G NRZ Ethernet (IEEE 802.3
    /// Clauses 91 and 108).
    pub fn kr4() -> ReedSolomon {
        Self::new(528, 514).unwrap_or_else(|_| unreachable!("RS(528,514) is valid"))
    }

    /// The same code on another SIMD backend; [`Error::MissingCpuFeature`] if this CPU
    /// cannot run it. Every backend gives identical results.
    pub fn with_backend(mut self, backend: Backend) -> Result<ReedSolomon> {
        self.backend = backend.require()?;
        self.chien = Chien::new(self.backend, self.n, self.parity_len());
        Ok(self)
    }

    /// The backend used for batches.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Codeword length `n` in symbols.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Message length `k` in symbols.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Symbol errors corrected per codeword, `t = (n − k)/2`.
    pub fn t(&self) -> usize {
        (self.n - self.k) / 2
    }

    /// Parity symbols per codeword, `2t = n − k`.
    pub fn parity_len(&self) -> usize {
        self.n - self.k
    }

    /// The generator polynomial `g_0 … g_(2t)`, lowest power first (`g_(2t) = 1`);
    /// for KP4 compare IEEE 802.3 Table 119-3.
    pub fn generator(&self) -> &[u16] {
        &self.generator
    }

    /// Encodes one message of `k` symbols into a codeword of `n` (message first,
    /// parity last).
    pub fn encode(&self, message: &[u16]) -> Result<Vec<u16>> {
        let mut out = vec![0u16; self.n];
        self.encode_into(message, &mut out)?;
        Ok(out)
    }

    /// Encodes one message into `codeword` (length `n`), without allocating.
    pub fn encode_into(&self, message: &[u16], codeword: &mut [u16]) -> Result<()> {
        check_len("message", self.k, message.len())?;
        check_len("codeword", self.n, codeword.len())?;
        check_symbols("message", message)?;
        codeword[..self.k].copy_from_slice(message);
        encode::parity(&self.generator, message, &mut codeword[self.k..]);
        Ok(())
    }

    /// Encodes a batch: `messages` holds `N` messages back to back (`N·k` symbols);
    /// returns the `N` codewords back to back (`N·n` symbols).
    pub fn encode_batch(&self, messages: &[u16]) -> Result<Vec<u16>> {
        let count = self.batch_count("messages", messages.len(), self.k)?;
        let mut out = vec![0u16; count * self.n];
        self.encode_batch_into(messages, &mut out)?;
        Ok(out)
    }

    /// Encodes a batch into `codewords` (`N·n` symbols for `N·k` message symbols),
    /// without allocating. The fast path: bit-sliced SIMD on AVX2/AVX-512. The
    /// messages are checked block by block: on an error, the codewords of the
    /// blocks before the faulty symbol are already written.
    pub fn encode_batch_into(&self, messages: &[u16], codewords: &mut [u16]) -> Result<()> {
        let count = self.batch_count("messages", messages.len(), self.k)?;
        check_len("codewords", count * self.n, codewords.len())?;
        let (n, k) = (self.n, self.k);
        let mut first = 0;
        while first < count {
            let c = BLOCK.min(count - first);
            let src = &messages[first * k..(first + c) * k];
            let dst = &mut codewords[first * n..(first + c) * n];
            for (d, m) in dst.chunks_exact_mut(n).zip(src.chunks_exact(k)) {
                d[..k].copy_from_slice(m);
            }
            // The kernels check the symbols on the way (see `parity_batch`).
            let in_range = encode::parity_batch(
                self.backend,
                &self.generator,
                &self.sliced,
                src,
                k,
                c,
                &mut dst[k..],
                n,
            );
            if !in_range {
                check_symbols("messages", src).map_err(|e| offset_index(e, first * k))?;
            }
            first += c;
        }
        Ok(())
    }

    /// The `2t` syndromes `S_j = r(α^j)` of one received word (all zero exactly for
    /// codewords).
    pub fn syndromes(&self, word: &[u16]) -> Result<Vec<u16>> {
        check_len("word", self.n, word.len())?;
        check_symbols("word", word)?;
        let mut s = vec![0u16; self.parity_len()];
        syndrome::syndromes(word, &mut s);
        Ok(s)
    }

    /// Syndromes of a batch (`N·n` symbols) into `out` (`N·2t`), on the stored backend.
    pub fn syndromes_batch_into(&self, words: &[u16], out: &mut [u16]) -> Result<()> {
        let count = self.batch_count("words", words.len(), self.n)?;
        check_len("out", count * self.parity_len(), out.len())?;
        if !syndrome::syndrome_batch(self.backend, &self.sliced, words, self.n, count, out) {
            check_symbols("words", words)?;
        }
        Ok(())
    }

    /// Decodes one received word (length `n`) in place, with the given erased
    /// positions (indices in transmission order, distinct, each `< n`): corrects any
    /// `e` errors and `s` erasures with `2e + s ≤ 2t`. On [`Outcome::Failed`] the word
    /// is left as received.
    pub fn decode_in_place(&self, word: &mut [u16], erasures: &[usize]) -> Result<Outcome> {
        self.decode_single(word, erasures, None)
    }

    /// As [`ReedSolomon::decode_in_place`], also appending each changed symbol
    /// (position and error value) to `corrections`.
    pub fn decode_with_corrections(
        &self,
        word: &mut [u16],
        erasures: &[usize],
        corrections: &mut Vec<Correction>,
    ) -> Result<Outcome> {
        self.decode_single(word, erasures, Some(corrections))
    }

    /// Decodes a copy of `received` (length `n`, no erasures): the corrected word and
    /// the outcome.
    pub fn decode(&self, received: &[u16]) -> Result<(Vec<u16>, Outcome)> {
        let mut w = received.to_vec();
        let o = self.decode_in_place(&mut w, &[])?;
        Ok((w, o))
    }

    fn decode_single(
        &self,
        word: &mut [u16],
        erasures: &[usize],
        record: Option<&mut Vec<Correction>>,
    ) -> Result<Outcome> {
        check_len("word", self.n, word.len())?;
        check_symbols("word", word)?;
        let mut seen = vec![false; self.n];
        for (i, &p) in erasures.iter().enumerate() {
            if p >= self.n {
                return Err(Error::OutOfRange {
                    name: "erasures",
                    index: i,
                    value: p as u64,
                    max: self.n as u64 - 1,
                });
            }
            if std::mem::replace(&mut seen[p], true) {
                return Err(Error::invalid(
                    "erasures",
                    "distinct positions",
                    format!("position {p} twice"),
                ));
            }
        }
        let mut syn = vec![0u16; self.parity_len()];
        syndrome::syndromes(word, &mut syn);
        let mut scratch = Scratch::default();
        Ok(decode::decode_with_syndromes(
            word,
            &syn,
            erasures,
            &mut scratch,
            record,
            &self.chien,
        ))
    }

    /// Decodes a batch in place: `words` holds `N` received words back to back
    /// (`N·n` symbols); `erasures`, if given, is a mask of the same length (`true` =
    /// symbol erased); one [`Outcome`] per word goes to `outcomes` (length `N`).
    /// Failed words are left as received. The fast path: syndromes bit-sliced on
    /// AVX2/AVX-512, words with zero syndromes done at once, one or two errors in
    /// closed form. Symbols are checked block by block (256 words): on an error,
    /// the blocks before the faulty symbol are already decoded.
    pub fn decode_batch_in_place(
        &self,
        words: &mut [u16],
        erasures: Option<&[bool]>,
        outcomes: &mut [Outcome],
    ) -> Result<()> {
        self.decode_blocks(words, None, erasures, outcomes)
    }

    /// Decodes a batch into caller buffers, without allocating per call beyond the
    /// decoder's scratch: `received` is copied to `words` (same length) and decoded
    /// there; `outcomes` gets one entry per word. The copy is made block by block,
    /// just before the block is decoded (it then sits in cache); on an error the
    /// contents of `words` and `outcomes` are unspecified.
    pub fn decode_batch_into(
        &self,
        received: &[u16],
        erasures: Option<&[bool]>,
        words: &mut [u16],
        outcomes: &mut [Outcome],
    ) -> Result<()> {
        check_len("words", received.len(), words.len())?;
        self.decode_blocks(words, Some(received), erasures, outcomes)
    }

    /// The batch decoder: block by block, `received` (if given, else `words`
    /// itself) is checked, copied to `words`, its syndromes computed, and the
    /// words with non-zero syndromes decoded.
    fn decode_blocks(
        &self,
        words: &mut [u16],
        received: Option<&[u16]>,
        erasures: Option<&[bool]>,
        outcomes: &mut [Outcome],
    ) -> Result<()> {
        let count = self.batch_count("words", words.len(), self.n)?;
        check_len("outcomes", count, outcomes.len())?;
        if let Some(mask) = erasures {
            check_len("erasures", words.len(), mask.len())?;
        }
        let (n, two_t) = (self.n, self.parity_len());
        let mut syn = vec![0u16; BLOCK.min(count) * two_t];
        let mut scratch = Scratch::default();
        let mut positions = Vec::new();
        let mut first = 0;
        while first < count {
            let c = BLOCK.min(count - first);
            let range = first * n..(first + c) * n;
            let block = &mut words[range.clone()];
            let at = |e| offset_index(e, first * n);
            if let Some(rx) = received {
                block.copy_from_slice(&rx[range]);
            }
            let syn = &mut syn[..c * two_t];
            // The syndrome kernels check the symbols on the way; the block is
            // not modified before this point.
            if !syndrome::syndrome_batch(self.backend, &self.sliced, block, n, c, syn) {
                let name = if received.is_some() {
                    "received"
                } else {
                    "words"
                };
                check_symbols(name, block).map_err(at)?;
            }
            for (i, (word, s)) in block
                .chunks_exact_mut(n)
                .zip(syn.chunks_exact(two_t))
                .enumerate()
            {
                let mut erased: &[usize] = &[];
                if let Some(mask) = erasures {
                    let m = &mask[(first + i) * n..(first + i + 1) * n];
                    positions.clear();
                    positions.extend(m.iter().enumerate().filter(|(_, &e)| e).map(|(p, _)| p));
                    erased = &positions;
                } else if s.iter().all(|&x| x == 0) {
                    outcomes[first + i] = Outcome::Corrected(0);
                    continue;
                }
                outcomes[first + i] =
                    decode::decode_with_syndromes(word, s, erased, &mut scratch, None, &self.chien);
            }
            first += c;
        }
        Ok(())
    }

    /// Codeword failure probability of this code for independent bit errors at
    /// `pre_fec_ber` (see [`crate::fec::stats`]).
    pub fn codeword_failure_probability(&self, pre_fec_ber: f64) -> Result<f64> {
        let q = super::stats::symbol_error_rate(pre_fec_ber)?;
        super::stats::codeword_failure_probability(q, self.n, self.t())
    }

    /// Post-FEC BER of this code for independent bit errors at `pre_fec_ber`
    /// (see [`crate::fec::stats::post_fec_ber`]).
    pub fn post_fec_ber(&self, pre_fec_ber: f64) -> Result<f64> {
        super::stats::post_fec_ber(pre_fec_ber, self.n, self.t())
    }

    /// Decodes a batch into new buffers: the corrected words (`N·n` symbols, failed
    /// words as received) and the outcomes.
    pub fn decode_batch(
        &self,
        received: &[u16],
        erasures: Option<&[bool]>,
    ) -> Result<(Vec<u16>, Vec<Outcome>)> {
        let count = self.batch_count("received", received.len(), self.n)?;
        let mut words = received.to_vec();
        let mut outcomes = vec![Outcome::Failed; count];
        self.decode_batch_in_place(&mut words, erasures, &mut outcomes)?;
        Ok((words, outcomes))
    }

    /// The message part (first `k` symbols) of a codeword.
    pub fn message<'a>(&self, codeword: &'a [u16]) -> Result<&'a [u16]> {
        check_len("codeword", self.n, codeword.len())?;
        Ok(&codeword[..self.k])
    }

    fn batch_count(&self, name: &'static str, len: usize, unit: usize) -> Result<usize> {
        if !len.is_multiple_of(unit) {
            return Err(Error::invalid(
                name,
                format!("a multiple of {unit} symbols (whole words)"),
                format!("{len} symbols"),
            ));
        }
        Ok(len / unit)
    }
}

/// `e` with its symbol index moved by `offset` (errors of a block, reported for
/// the whole batch).
fn offset_index(e: Error, offset: usize) -> Error {
    match e {
        Error::OutOfRange {
            name,
            index,
            value,
            max,
        } => Error::OutOfRange {
            name,
            index: index + offset,
            value,
            max,
        },
        e => e,
    }
}

/// Every symbol `< 1024`; the error names the first that is not.
pub(crate) fn check_symbols(name: &'static str, x: &[u16]) -> Result<()> {
    // An OR over the whole slice vectorises; the position is looked for only on error.
    if x.iter().fold(0u16, |a, &v| a | v) <= gf::MAX_SYMBOL {
        return Ok(());
    }
    let index = x.iter().position(|&v| v > gf::MAX_SYMBOL).unwrap_or(0);
    Err(Error::OutOfRange {
        name,
        index,
        value: x[index] as u64,
        max: gf::MAX_SYMBOL as u64,
    })
}
