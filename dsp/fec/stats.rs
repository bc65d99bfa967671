//! FEC statistics: the 802.3 counters of a decoder, and the analytic codeword
//! failure probability and post-FEC BER.
//!
//! # Analytic model
//!
//! Bit errors are independent with probability `p` (the pre-FEC BER). A 10-bit
//! symbol is wrong with probability `q = 1 − (1 − p)^10`; symbol errors in a
//! codeword of `n` symbols are Binomial(`n`, `q`); the codeword fails when more
//! than `t` are wrong. A failed codeword is passed on uncorrected, so its `i` symbol
//! errors carry on average `i · 10p/q` bit errors into the `10n` bits:
//!
//! - codeword failure probability `P_cw = Σ_{i>t} C(n,i) q^i (1−q)^(n−i)`;
//! - post-FEC BER `= Σ_{i>t} i · C(n,i) q^i (1−q)^(n−i) · p / (q · n)`.
//!
//! For KP4 at `p = 2.4e-4`: `q ≈ 2.4e-3`, `P_cw ≈ 8.2e-13`, post-FEC BER ≈ 2.4e-15
//! (STANDARDS.md). The same quantities from a measured histogram of symbol errors
//! per codeword are in [`failure_probability_from_histogram`] and
//! [`post_fec_ber_from_histogram`].

use crate::error::{Error, Result};
use crate::fec::decode::Outcome;

/// The FEC counters of IEEE 802.3 Clause 91.6 / 45.2.1: corrected codewords
/// (`FEC_corrected_cw_counter`), uncorrectable codewords
/// (`FEC_uncorrected_cw_counter`), corrected symbols (`FEC_symbol_error_counter`),
/// and the histogram of corrected symbols per codeword (the codeword error bins
/// of 802.3ck/dj), plus the total number of codewords.
///
/// ```
/// use serdes_dsp::fec::{Outcome, stats::FecCounters};
///
/// let mut c = FecCounters::new(15);
/// c.record_all(&[Outcome::Corrected(0), Outcome::Corrected(3), Outcome::Failed]);
/// assert_eq!((c.codewords(), c.corrected_codewords(), c.uncorrectable_codewords()), (3, 1, 1));
/// assert_eq!(c.histogram()[3], 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FecCounters {
    codewords: u64,
    corrected_codewords: u64,
    uncorrectable_codewords: u64,
    corrected_symbols: u64,
    histogram: Vec<u64>,
}

impl FecCounters {
    /// Empty counters for a code correcting `t` symbols (histogram bins `0..=t`).
    pub fn new(t: usize) -> Self {
        FecCounters {
            codewords: 0,
            corrected_codewords: 0,
            uncorrectable_codewords: 0,
            corrected_symbols: 0,
            histogram: vec![0; t + 1],
        }
    }

    /// Counts one decoded codeword.
    pub fn record(&mut self, outcome: Outcome) {
        self.codewords += 1;
        match outcome {
            Outcome::Corrected(c) => {
                if c > 0 {
                    self.corrected_codewords += 1;
                    self.corrected_symbols += c as u64;
                }
                if c >= self.histogram.len() {
                    self.histogram.resize(c + 1, 0);
                }
                self.histogram[c] += 1;
            }
            Outcome::Failed => self.uncorrectable_codewords += 1,
        }
    }

    /// Counts every outcome of a batch.
    pub fn record_all(&mut self, outcomes: &[Outcome]) {
        for &o in outcomes {
            self.record(o);
        }
    }

    /// Adds another set of counters (for example from another thread).
    pub fn merge(&mut self, other: &FecCounters) {
        self.codewords += other.codewords;
        self.corrected_codewords += other.corrected_codewords;
        self.uncorrectable_codewords += other.uncorrectable_codewords;
        self.corrected_symbols += other.corrected_symbols;
        if other.histogram.len() > self.histogram.len() {
            self.histogram.resize(other.histogram.len(), 0);
        }
        for (a, b) in self.histogram.iter_mut().zip(&other.histogram) {
            *a += b;
        }
    }

    /// Codewords decoded.
    pub fn codewords(&self) -> u64 {
        self.codewords
    }

    /// Codewords with at least one symbol corrected (`FEC_corrected_cw_counter`).
    pub fn corrected_codewords(&self) -> u64 {
        self.corrected_codewords
    }

    /// Codewords found uncorrectable (`FEC_uncorrected_cw_counter`).
    pub fn uncorrectable_codewords(&self) -> u64 {
        self.uncorrectable_codewords
    }

    /// Symbols corrected in all codewords (`FEC_symbol_error_counter`).
    pub fn corrected_symbols(&self) -> u64 {
        self.corrected_symbols
    }

    /// `histogram()[i]`: decoded codewords in which `i` symbols were corrected
    /// (bin 0: error-free codewords); failed codewords are not in it.
    pub fn histogram(&self) -> &[u64] {
        &self.histogram
    }

    /// Uncorrectable codewords per codeword (the measured codeword failure rate).
    pub fn codeword_failure_ratio(&self) -> f64 {
        if self.codewords == 0 {
            0.0
        } else {
            self.uncorrectable_codewords as f64 / self.codewords as f64
        }
    }
}

fn check_probability(name: &'static str, p: f64) -> Result<()> {
    if !(0.0..=1.0).contains(&p) {
        return Err(Error::invalid(name, "a probability in 0 ..= 1", p));
    }
    Ok(())
}

fn check_code(n: usize, t: usize) -> Result<()> {
    if n == 0 {
        return Err(Error::invalid("n", ">= 1", n));
    }
    if 2 * t >= n {
        return Err(Error::invalid("t", format!("2t < n = {n}"), t));
    }
    Ok(())
}

/// Symbol error rate of 10-bit symbols at bit error rate `pre_fec_ber`
/// (independent bit errors): `1 − (1 − p)^10`.
pub fn symbol_error_rate(pre_fec_ber: f64) -> Result<f64> {
    check_probability("pre_fec_ber", pre_fec_ber)?;
    Ok(-(10.0 * (-pre_fec_ber).ln_1p()).exp_m1())
}

/// `(i, P(i symbol errors))` for `i = t+1 … n` — the binomial tail terms, in logs
/// so that tails of 1e-300 are still right.
fn tail_terms(q: f64, n: usize, t: usize) -> impl Iterator<Item = (usize, f64)> {
    let ln_q = q.ln();
    let ln_1q = (-q).ln_1p();
    let ln_n_fact = libm::lgamma(n as f64 + 1.0);
    (t + 1..=n).map(move |i| {
        let ln_c = ln_n_fact - libm::lgamma(i as f64 + 1.0) - libm::lgamma((n - i) as f64 + 1.0);
        let v = if q == 0.0 {
            0.0
        } else if q == 1.0 {
            if i == n {
                1.0
            } else {
                0.0
            }
        } else {
            (ln_c + i as f64 * ln_q + (n - i) as f64 * ln_1q).exp()
        };
        (i, v)
    })
}

/// Probability that a codeword of `n` symbols has more than `t` symbol errors at
/// symbol error rate `ser` (independent symbol errors): the codeword failure
/// probability of a bounded-distance decoder.
pub fn codeword_failure_probability(ser: f64, n: usize, t: usize) -> Result<f64> {
    check_probability("ser", ser)?;
    check_code(n, t)?;
    Ok(tail_terms(ser, n, t).map(|(_, v)| v).sum::<f64>().min(1.0))
}

/// Post-FEC bit error rate for independent bit errors at `pre_fec_ber`, a code of
/// `n` symbols correcting `t`, failed codewords passed through uncorrected (see the
/// [module docs](self)). For RS(544,514) at 2.4e-4 it is about 2.4e-15.
pub fn post_fec_ber(pre_fec_ber: f64, n: usize, t: usize) -> Result<f64> {
    let q = symbol_error_rate(pre_fec_ber)?;
    check_code(n, t)?;
    if q == 0.0 {
        return Ok(0.0);
    }
    let expected_errors: f64 = tail_terms(q, n, t).map(|(i, v)| i as f64 * v).sum();
    Ok((expected_errors * pre_fec_ber / (q * n as f64)).min(1.0))
}

/// The pre-FEC BER at which [`post_fec_ber`] equals `target` (bisection on a log
/// scale; the post-FEC BER increases with the pre-FEC BER). For RS(544,514) and
/// 1e-15 it is about 2.26e-4.
pub fn pre_fec_ber_for_post_fec_ber(target: f64, n: usize, t: usize) -> Result<f64> {
    if !(target > 0.0 && target < 0.5) {
        return Err(Error::invalid("target", "0 < target < 0.5", target));
    }
    check_code(n, t)?;
    let (mut lo, mut hi) = (1e-12f64.ln(), 0.5f64.ln());
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if post_fec_ber(mid.exp(), n, t)? < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok((0.5 * (lo + hi)).exp())
}

/// Codeword failure probability from a measured histogram: `histogram[i]` counts
/// codewords that had `i` symbol errors *before* decoding (for example from a
/// simulation that compares with the sent codewords); the estimate is the fraction
/// with more than `t`.
pub fn failure_probability_from_histogram(histogram: &[u64], t: usize) -> Result<f64> {
    let total: u64 = histogram.iter().sum();
    if total == 0 {
        return Err(Error::invalid("histogram", "at least one codeword", 0));
    }
    let failed: u64 = histogram.iter().skip(t + 1).sum();
    Ok(failed as f64 / total as f64)
}

/// Post-FEC BER from a measured histogram of symbol errors per codeword (as in
/// [`failure_probability_from_histogram`]) for codewords of `n` symbols: failed
/// codewords keep their errors, each symbol error costing `bits_per_symbol_error`
/// bit errors on average (1 for isolated bit errors; up to 10 for bursts).
pub fn post_fec_ber_from_histogram(
    histogram: &[u64],
    n: usize,
    t: usize,
    bits_per_symbol_error: f64,
) -> Result<f64> {
    check_code(n, t)?;
    if !(1.0..=10.0).contains(&bits_per_symbol_error) {
        return Err(Error::invalid(
            "bits_per_symbol_error",
            "1 ..= 10",
            bits_per_symbol_error,
        ));
    }
    let total: u64 = histogram.iter().sum();
    if total == 0 {
        return Err(Error::invalid("histogram", "at least one codeword", 0));
    }
    let errors: f64 = histogram
        .iter()
        .enumerate()
        .skip(t + 1)
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    Ok(errors * bits_per_symbol_error / (total as f64 * n as f64 * 10.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        ((a - b) / b).abs() < rel
    }

    #[test]
    fn kp4_and_kr4_figures_of_standards_md() {
        let q = symbol_error_rate(2.4e-4).unwrap();
        assert!(close(q, 2.4e-3, 0.01), "{q}");
        let p = codeword_failure_probability(q, 544, 15).unwrap();
        assert!(close(p, 8.2e-13, 0.03), "{p:e}");
        let b = post_fec_ber(2.4e-4, 544, 15).unwrap();
        assert!(close(b, 2.4e-15, 0.03), "{b:e}");
        let x = pre_fec_ber_for_post_fec_ber(1e-15, 544, 15).unwrap();
        assert!(close(x, 2.26e-4, 0.01), "{x:e}");
        let kr4 = codeword_failure_probability(q, 528, 7).unwrap();
        assert!(close(kr4, 5e-5, 0.1), "{kr4:e}");
        assert!(post_fec_ber(-1.0, 544, 15).is_err());
        assert!(codeword_failure_probability(0.1, 10, 5).is_err());
    }

    #[test]
    fn histogram_estimates() {
        let h = [90u64, 5, 3, 2]; // 2 codewords with 3 errors, t = 2
        assert_eq!(failure_probability_from_histogram(&h, 2).unwrap(), 0.02);
        let b = post_fec_ber_from_histogram(&h, 10, 2, 1.0).unwrap();
        assert!(close(b, 6.0 / (100.0 * 100.0), 1e-12));
        let mut c = FecCounters::new(2);
        c.record_all(&[Outcome::Corrected(1), Outcome::Failed]);
        let mut d = c.clone();
        d.merge(&c);
        assert_eq!((d.codewords(), d.corrected_symbols()), (4, 2));
        assert_eq!(d.codeword_failure_ratio(), 0.5);
    }
}
