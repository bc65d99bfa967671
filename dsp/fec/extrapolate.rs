//! Burst-aware post-FEC extrapolation: from the error *events* seen before the FEC
//! to the codeword failure ratio and post-FEC BER far below what a simulation can
//! count.
//!
//! A DFE turns one wrong decision into a burst of symbol errors, so symbol errors are
//! not independent and the binomial model of [`crate::fec::stats`] is optimistic. The
//! model here counts *events* — runs of consecutive wrong symbols in a codeword,
//! transmission order — and their lengths:
//!
//! - events per codeword `N ~ Poisson(λ)`, `λ` = events / codewords;
//! - event lengths `L_i` i.i.d. with the measured histogram `f(l)`;
//! - symbol errors per codeword `S = L_1 + … + L_N` (compound Poisson), whose
//!   distribution follows from Panjer's recursion for the Poisson case:
//!   `P(S=0) = e^(−λ)`, `P(S=s) = (λ/s) Σ_{l=1}^{s} l f(l) P(S=s−l)`.
//!
//! The codeword fails when `S > t` (frame-loss ratio `Σ_{s>t} P(S=s)`); a failed
//! codeword keeps its errors, each symbol error carrying the measured mean number of
//! bit errors, so the post-FEC BER is `Σ_{s>t} P(S=s)·s·β / (10 n)` with `β` bits
//! per symbol error. Independent symbol errors are the special case where almost
//! every event has length 1 (then the model is the Poisson approximation of the
//! binomial tail). Tails are summed term by term (no `1 − Σ` cancellation), and the
//! recursion is rescaled so that large `λ` does not underflow `e^(−λ)`.
//!
//! ```
//! use serdes_dsp::fec::extrapolate::ErrorEventStats;
//!
//! let mut stats = ErrorEventStats::new(8)?;
//! let sent = [0u16; 16];
//! let mut rx = sent;
//! rx[2] = 1; rx[3] = 3; // one event of length 2 (3 bit errors) in codeword 0
//! rx[12] = 4;           // one event of length 1 in codeword 1
//! stats.record(&sent, &rx)?;
//! assert_eq!((stats.codewords(), stats.events()), (2, 2));
//! assert_eq!(stats.event_length_histogram()[1..3], [1, 1]);
//! assert_eq!(stats.bits_per_symbol_error(), 4.0 / 3.0);
//! let x = stats.extrapolate(1)?; // t = 1
//! assert!(x.frame_loss_ratio > 0.0 && x.frame_loss_ratio < 1.0);
//! # Ok::<(), serdes_dsp::Error>(())
//! ```

use crate::error::{Error, Result};

/// Accumulates, per codeword, the error events — runs of consecutive symbol errors
/// in codeword order (a run of length `L` counts once, with length `L`) — the number
/// of codewords, and the bit errors per symbol error. Runs never cross codeword
/// boundaries: a burst that straddles two codewords is one event in each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorEventStats {
    n: usize,
    codewords: u64,
    events: u64,
    /// Index = run length in symbols (`0` unused), `1 ..= n`.
    histogram: Vec<u64>,
    symbol_errors: u64,
    bit_errors: u64,
}

/// The result of [`ErrorEventStats::extrapolate`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extrapolation {
    /// Probability that a codeword has more than `t` symbol errors (uncorrectable;
    /// "frame loss ratio" of IEEE 802.3 Annex 178A / codeword error ratio).
    pub frame_loss_ratio: f64,
    /// Bit error ratio after the FEC: the errors of failed codewords, over all bits.
    pub post_fec_ber: f64,
    /// `λ`: error events per codeword.
    pub events_per_codeword: f64,
    /// Mean event length in symbols (`0` when no event was seen).
    pub mean_event_length: f64,
}

impl ErrorEventStats {
    /// Empty statistics for codewords of `n` symbols (`n ≥ 1`).
    pub fn new(n: usize) -> Result<Self> {
        if n == 0 {
            return Err(Error::invalid("n", "a codeword length >= 1 symbol", n));
        }
        Ok(ErrorEventStats {
            n,
            codewords: 0,
            events: 0,
            histogram: vec![0; n + 1],
            symbol_errors: 0,
            bit_errors: 0,
        })
    }

    /// Codeword length `n` in symbols.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Records whole codewords: `sent` and `received` hold the same number of
    /// symbols, a multiple of `n`, codeword after codeword in transmission order.
    /// Symbols are 10-bit FEC symbols (`< 1024`).
    pub fn record(&mut self, sent: &[u16], received: &[u16]) -> Result<()> {
        if received.len() != sent.len() {
            return Err(Error::LengthMismatch {
                name: "received",
                expected: sent.len(),
                actual: received.len(),
            });
        }
        if !sent.len().is_multiple_of(self.n) {
            return Err(Error::invalid(
                "sent",
                format!("a multiple of n = {} symbols (whole codewords)", self.n),
                format!("{} symbols", sent.len()),
            ));
        }
        crate::fec::rs::check_symbols("sent", sent)?;
        crate::fec::rs::check_symbols("received", received)?;
        for (s, r) in sent.chunks_exact(self.n).zip(received.chunks_exact(self.n)) {
            let mut run = 0usize;
            for (&a, &b) in s.iter().zip(r) {
                let diff = a ^ b;
                if diff != 0 {
                    run += 1;
                    self.bit_errors += diff.count_ones() as u64;
                } else if run > 0 {
                    self.close_run(run);
                    run = 0;
                }
            }
            if run > 0 {
                self.close_run(run);
            }
        }
        self.codewords += (sent.len() / self.n) as u64;
        Ok(())
    }

    fn close_run(&mut self, len: usize) {
        self.events += 1;
        self.symbol_errors += len as u64;
        self.histogram[len] += 1;
    }

    /// Adds the counts of `other` (same `n`): the result equals having recorded
    /// both streams into one.
    pub fn merge(&mut self, other: &ErrorEventStats) -> Result<()> {
        if other.n != self.n {
            return Err(Error::invalid(
                "other",
                format!("statistics of the same codeword length n = {}", self.n),
                format!("n = {}", other.n),
            ));
        }
        self.codewords += other.codewords;
        self.events += other.events;
        self.symbol_errors += other.symbol_errors;
        self.bit_errors += other.bit_errors;
        for (a, b) in self.histogram.iter_mut().zip(&other.histogram) {
            *a += b;
        }
        Ok(())
    }

    /// Codewords recorded.
    pub fn codewords(&self) -> u64 {
        self.codewords
    }

    /// Error events (runs of consecutive symbol errors) recorded.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Symbol errors recorded (the sum of the event lengths).
    pub fn symbol_errors(&self) -> u64 {
        self.symbol_errors
    }

    /// Bit errors recorded (the differing bits of the wrong symbols).
    pub fn bit_errors(&self) -> u64 {
        self.bit_errors
    }

    /// Events by length: index = length in symbols (`0 ..= n`; entry 0 is always 0).
    pub fn event_length_histogram(&self) -> &[u64] {
        &self.histogram
    }

    /// Mean number of wrong bits in a wrong symbol (1 … 10); `0` when no symbol
    /// error has been seen.
    pub fn bits_per_symbol_error(&self) -> f64 {
        if self.symbol_errors == 0 {
            0.0
        } else {
            self.bit_errors as f64 / self.symbol_errors as f64
        }
    }

    /// Compound-Poisson model: events per codeword ~ Poisson(`λ` = events /
    /// codewords), i.i.d. lengths from the histogram; `P(S = s)` for the symbol errors
    /// per codeword by Panjer's recursion up to `n`. Returns the frame-loss ratio
    /// `P(S > t)` and the post-FEC BER `Σ_{s>t} P(S=s)·s·β / (10 n)` (a failed
    /// codeword keeps its errors; `β` = [`Self::bits_per_symbol_error`]).
    /// Errors when no codeword was recorded, or when `t ≥ n`.
    pub fn extrapolate(&self, t: usize) -> Result<Extrapolation> {
        if self.codewords == 0 {
            return Err(Error::invalid(
                "codewords",
                "at least one recorded codeword (call record first)",
                0,
            ));
        }
        if t >= self.n {
            return Err(Error::invalid(
                "t",
                format!("0 ..= n − 1 = {}", self.n - 1),
                t,
            ));
        }
        let lambda = self.events as f64 / self.codewords as f64;
        let mean_len = if self.events == 0 {
            0.0
        } else {
            self.symbol_errors as f64 / self.events as f64
        };
        let pmf = self.symbol_error_distribution();
        let beta = self.bits_per_symbol_error();
        let mut flr = 0.0;
        let mut ber = 0.0;
        for (s, &p) in pmf.iter().enumerate().skip(t + 1) {
            flr += p;
            ber += p * s as f64;
        }
        Ok(Extrapolation {
            frame_loss_ratio: flr.min(1.0),
            post_fec_ber: ber * beta / (10.0 * self.n as f64),
            events_per_codeword: lambda,
            mean_event_length: mean_len,
        })
    }

    /// `P(S = s)`, `s = 0 ..= n`, of the compound-Poisson model (needs codewords > 0).
    fn symbol_error_distribution(&self) -> Vec<f64> {
        let n = self.n;
        let lambda = self.events as f64 / self.codewords as f64;
        let mut g = vec![0.0f64; n + 1];
        if self.events == 0 {
            g[0] = 1.0;
            return g;
        }
        // l·f(l)·λ: the Panjer weights of the Poisson case (a = 0, b = λ).
        let total = self.events as f64;
        let w: Vec<f64> = self
            .histogram
            .iter()
            .enumerate()
            .map(|(l, &c)| lambda * l as f64 * c as f64 / total)
            .collect();
        let max_len = self.histogram.iter().rposition(|&c| c != 0).unwrap_or(0);
        // Run unnormalised from g(0) = 1 and carry e^(−λ) as a log scale, rescaling
        // whenever the terms grow large, so that e^(−λ) never underflows.
        const BIG: f64 = 1e200;
        let mut log_scale = -lambda;
        g[0] = 1.0;
        for s in 1..=n {
            let mut acc = 0.0;
            for l in 1..=s.min(max_len) {
                acc += w[l] * g[s - l];
            }
            g[s] = acc / s as f64;
            if g[s] > BIG {
                for v in g[..=s].iter_mut() {
                    *v /= BIG;
                }
                log_scale += BIG.ln();
            }
        }
        let scale = log_scale.exp();
        for v in g.iter_mut() {
            *v *= scale;
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        /// Uniform in (0, 1).
        fn unit(&mut self) -> f64 {
            ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        }
        fn below(&mut self, m: usize) -> usize {
            (self.next() % m as u64) as usize
        }
        /// Poisson(λ) by inversion (small λ).
        fn poisson(&mut self, lambda: f64) -> usize {
            let u = self.unit();
            let (mut k, mut p) = (0usize, (-lambda).exp());
            let mut cdf = p;
            while u > cdf && k < 1000 {
                k += 1;
                p *= lambda / k as f64;
                cdf += p;
            }
            k
        }
    }

    /// `Σ_{s>t} C(n,s) p^s (1−p)^(n−s)`, each term in log space.
    fn binomial_tail(n: usize, p: f64, t: usize) -> f64 {
        let mut log_c = 0.0f64; // ln C(n, s)
        let mut tail = 0.0;
        for s in 1..=n {
            log_c += ((n - s + 1) as f64).ln() - (s as f64).ln();
            if s > t {
                tail += (log_c + s as f64 * p.ln() + (n - s) as f64 * (-p).ln_1p()).exp();
            }
        }
        tail
    }

    #[test]
    fn independent_errors_match_the_binomial_tail() {
        // Symbol errors i.i.d. with probability p; the received symbol differs by a
        // random non-zero pattern. Where Poisson approximates the binomial
        // (s²/2n and s·p small), the extrapolated FLR is the binomial tail within a
        // few % (model bias ≈ 1 %, statistical ≈ 1 % per sigma here).
        let n = 544;
        for (p, t, seed) in [(1e-3f64, 2usize, 1u64), (5e-4, 2, 2)] {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed);
            let mut stats = ErrorEventStats::new(n).unwrap();
            let per_batch = 1000;
            let sent = vec![0u16; n * per_batch];
            let mut rx = sent.clone();
            let log_q = (-p).ln_1p();
            for _ in 0..400 {
                rx.fill(0);
                // Geometric gaps between errors: i.i.d. Bernoulli(p) positions.
                let mut pos = (rng.unit().ln() / log_q) as usize;
                while pos < rx.len() {
                    rx[pos] = 1 + rng.below(1023) as u16;
                    pos += 1 + (rng.unit().ln() / log_q) as usize;
                }
                stats.record(&sent, &rx).unwrap();
            }
            let x = stats.extrapolate(t).unwrap();
            let want = binomial_tail(n, p, t);
            let rel = x.frame_loss_ratio / want - 1.0;
            assert!(
                rel.abs() < 0.05,
                "p={p} t={t}: {} vs {want}",
                x.frame_loss_ratio
            );
            // Random non-zero 10-bit patterns carry 5·1024/1023 bits on average.
            let beta = 5.0 * 1024.0 / 1023.0;
            assert!((stats.bits_per_symbol_error() / beta - 1.0).abs() < 0.01);
            // Post-FEC BER of failed words: ≈ Σ_{s>t} s·P(s)·β/(10n).
            let mut want_ber = 0.0;
            for s in t + 1..=n {
                want_ber += s as f64 * (binomial_tail(n, p, s - 1) - binomial_tail(n, p, s));
            }
            want_ber *= beta / (10.0 * n as f64);
            assert!((x.post_fec_ber / want_ber - 1.0).abs() < 0.06);
            assert!((x.events_per_codeword / (n as f64 * p) - 1.0).abs() < 0.02);
        }
    }

    #[test]
    fn burst_process_matches_simulated_frame_loss() {
        // Events of length 1..=4 with probabilities 0.5, 0.25, 0.15, 0.1, a
        // Poisson number per codeword, placed at random without touching (so each
        // is one run). The FLR counted over the codewords must agree with the
        // extrapolation within 3 sigma of the count.
        let (n, t) = (544usize, 15usize);
        let cdf = [0.5, 0.75, 0.9, 1.0];
        let lambda = 3.4;
        let count = 40_000;
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        let mut stats = ErrorEventStats::new(n).unwrap();
        let sent = vec![0u16; n];
        let mut rx = vec![0u16; n];
        let mut failed = 0u64;
        for _ in 0..count {
            rx.fill(0);
            let k = rng.poisson(lambda);
            let mut placed = 0;
            let mut wrong = 0;
            while placed < k {
                let u = rng.unit();
                let len = 1 + cdf.iter().position(|&c| u < c).unwrap_or(3);
                let start = rng.below(n - len + 1);
                // Free if the run and one symbol either side are clean.
                let lo = start.saturating_sub(1);
                let hi = (start + len + 1).min(n);
                if rx[lo..hi].iter().any(|&v| v != 0) {
                    continue;
                }
                for v in &mut rx[start..start + len] {
                    *v = 1 << rng.below(10); // one bit error per symbol
                }
                placed += 1;
                wrong += len;
            }
            failed += (wrong > t) as u64;
            stats.record(&sent, &rx).unwrap();
        }
        let measured = failed as f64 / count as f64;
        assert!(measured > 3e-3 && measured < 3e-2, "FLR {measured}");
        let sigma = (measured * (1.0 - measured) / count as f64).sqrt();
        let x = stats.extrapolate(t).unwrap();
        assert!(
            (x.frame_loss_ratio - measured).abs() < 3.0 * sigma,
            "extrapolated {} vs measured {measured} ± {sigma}",
            x.frame_loss_ratio
        );
        assert_eq!(stats.bits_per_symbol_error(), 1.0);
        assert!((x.mean_event_length / 1.85 - 1.0).abs() < 0.02);
    }

    #[test]
    fn panjer_equals_direct_convolution() {
        // 4 codewords, events of length 1, 1, 3 and 2: λ = 1, f = (1/2, 1/4, 1/4).
        // P(S = s) = Σ_k e^(−1)/k! · f^{*k}(s), computed here by convolution.
        let n = 40;
        let mut stats = ErrorEventStats::new(n).unwrap();
        let sent = vec![0u16; 4 * n];
        let mut rx = sent.clone();
        rx[5] = 1;
        rx[n + 7] = 2;
        rx[2 * n + 10..2 * n + 13].fill(3);
        rx[4 * n - 2..4 * n].fill(1023);
        stats.record(&sent, &rx).unwrap();
        assert_eq!(stats.events(), 4);
        assert_eq!(&stats.event_length_histogram()[..5], &[0, 2, 1, 1, 0]);
        let f = [0.0, 0.5, 0.25, 0.25];
        let mut conv = vec![0.0f64; n + 1];
        conv[0] = 1.0; // f^{*0}
        let mut dist = vec![0.0f64; n + 1];
        let mut weight = (-1.0f64).exp();
        for k in 0..=n {
            for s in 0..=n {
                dist[s] += weight * conv[s];
            }
            let mut next = vec![0.0; n + 1];
            for s in 0..=n {
                for (l, &fl) in f.iter().enumerate() {
                    if s + l <= n {
                        next[s + l] += conv[s] * fl;
                    }
                }
            }
            conv = next;
            weight /= (k + 1) as f64;
        }
        for t in [0usize, 1, 3, 6, 10] {
            let want: f64 = dist[t + 1..].iter().sum();
            let want_ber: f64 = dist
                .iter()
                .enumerate()
                .skip(t + 1)
                .map(|(s, &p)| p * s as f64)
                .sum::<f64>()
                * stats.bits_per_symbol_error()
                / (10.0 * n as f64);
            let x = stats.extrapolate(t).unwrap();
            assert!((x.frame_loss_ratio / want - 1.0).abs() < 1e-12, "t={t}");
            assert!((x.post_fec_ber / want_ber - 1.0).abs() < 1e-12, "t={t}");
        }
        // bits: 1 + 1 + 3·2 + 2·10 over 7 symbol errors.
        assert_eq!(stats.bits_per_symbol_error(), 28.0 / 7.0);
        assert_eq!(stats.extrapolate(1).unwrap().mean_event_length, 7.0 / 4.0);
    }

    #[test]
    fn large_rates_do_not_underflow() {
        // One codeword of n = 2000 with 1000 single-symbol events: λ = 1000 and
        // e^(−1000) underflows f64; the rescaled recursion does not. S is then
        // Poisson(1000): P(S > 900) ≈ 1 − 7e-4 and P(S > 1100) ≈ 8e-4 (normal
        // approximation with continuity correction, z ≈ ±3.16).
        let n = 2000;
        let mut stats = ErrorEventStats::new(n).unwrap();
        let sent = vec![0u16; n];
        let rx: Vec<u16> = (0..n).map(|i| (i % 2 == 0) as u16).collect();
        stats.record(&sent, &rx).unwrap();
        assert_eq!(stats.events(), 1000);
        let x = stats.extrapolate(900).unwrap();
        assert!(
            x.frame_loss_ratio > 0.9985 && x.frame_loss_ratio < 0.9998,
            "{x:?}"
        );
        let x = stats.extrapolate(1100).unwrap();
        assert!(
            x.frame_loss_ratio > 4e-4 && x.frame_loss_ratio < 1.6e-3,
            "{x:?}"
        );
        assert!(x.post_fec_ber.is_finite() && x.post_fec_ber > 0.0);
    }

    #[test]
    fn merge_equals_recording_all_at_once() {
        let n = 30;
        let mut rng = Rng(77);
        let sent: Vec<u16> = (0..n * 50).map(|_| rng.below(1024) as u16).collect();
        let rx: Vec<u16> = sent
            .iter()
            .map(|&s| {
                if rng.below(6) == 0 {
                    s ^ (1 + rng.below(1023) as u16)
                } else {
                    s
                }
            })
            .collect();
        let mut all = ErrorEventStats::new(n).unwrap();
        all.record(&sent, &rx).unwrap();
        let mut a = ErrorEventStats::new(n).unwrap();
        let mut b = ErrorEventStats::new(n).unwrap();
        a.record(&sent[..n * 20], &rx[..n * 20]).unwrap();
        b.record(&sent[n * 20..], &rx[n * 20..]).unwrap();
        a.merge(&b).unwrap();
        assert_eq!(a, all);
        assert_eq!(a.extrapolate(4).unwrap(), all.extrapolate(4).unwrap());
        let total: u64 = all
            .event_length_histogram()
            .iter()
            .enumerate()
            .map(|(l, &c)| l as u64 * c)
            .sum();
        assert_eq!(total, all.symbol_errors());
        assert_eq!(
            total,
            sent.iter().zip(&rx).filter(|(a, b)| a != b).count() as u64
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(ErrorEventStats::new(0).is_err());
        let mut s = ErrorEventStats::new(10).unwrap();
        assert!(matches!(
            s.extrapolate(2),
            Err(Error::InvalidParameter {
                name: "codewords",
                ..
            })
        ));
        assert!(matches!(
            s.record(&[0; 10], &[0; 9]),
            Err(Error::LengthMismatch {
                name: "received",
                ..
            })
        ));
        assert!(matches!(
            s.record(&[0; 15], &[0; 15]),
            Err(Error::InvalidParameter { name: "sent", .. })
        ));
        let mut big = [0u16; 10];
        big[4] = 1024;
        assert!(matches!(
            s.record(&[0; 10], &big),
            Err(Error::OutOfRange {
                name: "received",
                index: 4,
                ..
            })
        ));
        s.record(&[0; 10], &[0; 10]).unwrap();
        assert!(matches!(
            s.extrapolate(10),
            Err(Error::InvalidParameter { name: "t", .. })
        ));
        let x = s.extrapolate(0).unwrap();
        assert_eq!((x.frame_loss_ratio, x.post_fec_ber), (0.0, 0.0));
        assert!(matches!(
            s.merge(&ErrorEventStats::new(11).unwrap()),
            Err(Error::InvalidParameter { name: "other", .. })
        ));
    }
}
