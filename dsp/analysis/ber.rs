//! Counting errors: rates, exact confidence intervals and burst lengths.

use statrs::distribution::{ContinuousCDF, Gamma};

/// Longest burst length kept in its own histogram bin; longer bursts go in the last bin.
pub const MAX_BURST_BIN: usize = 64;

/// Streaming error counter over units (bits or symbols) compared one by one.
///
/// Besides the count it keeps a histogram of error bursts, a burst being a maximal
/// run of consecutive units in error. A run that crosses a chunk boundary is one
/// burst: the counter gives the same figures for any chunking of the stream. The run
/// still open at the end of the data is included in [`ErrorCounter::burst_histogram`]
/// as if the stream ended there.
///
/// ```
/// use serdes_dsp::analysis::ErrorCounter;
/// let mut c = ErrorCounter::new();
/// c.compare(&[0, 1, 1, 0, 1], &[0, 0, 0, 0, 1]).unwrap();
/// assert_eq!((c.units(), c.errors()), (5, 2));
/// assert_eq!(c.burst_histogram()[2], 1); // one burst of length 2
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorCounter {
    units: u64,
    errors: u64,
    run: u64,
    bursts: Vec<u64>,
}

impl ErrorCounter {
    /// An empty counter.
    pub fn new() -> Self {
        ErrorCounter {
            units: 0,
            errors: 0,
            run: 0,
            bursts: vec![0; MAX_BURST_BIN + 1],
        }
    }

    /// Counts the positions where `sent` and `received` differ.
    /// Errors if their lengths differ.
    pub fn compare(&mut self, sent: &[u8], received: &[u8]) -> crate::Result<()> {
        if sent.len() != received.len() {
            return Err(crate::Error::LengthMismatch {
                name: "received",
                expected: sent.len(),
                actual: received.len(),
            });
        }
        // Fast path: whole 32-unit blocks without any error cost only a compare.
        let mut i = 0;
        while i < sent.len() {
            let end = (i + 32).min(sent.len());
            if sent[i..end] == received[i..end] {
                self.close_run();
                i = end;
                continue;
            }
            for j in i..end {
                self.push(sent[j] != received[j]);
            }
            i = end;
        }
        self.units += sent.len() as u64;
        Ok(())
    }

    /// Counts `n` units without errors (what [`ErrorCounter::compare`] of `n` equal
    /// units counts).
    pub fn add_correct(&mut self, n: u64) {
        if n > 0 {
            self.close_run();
            self.units += n;
        }
    }

    /// Counts one flag per unit: `true` means that unit is in error.
    pub fn count_flags(&mut self, errors: &[bool]) {
        for &e in errors {
            self.push(e);
        }
        self.units += errors.len() as u64;
    }

    #[inline]
    fn push(&mut self, err: bool) {
        if err {
            self.errors += 1;
            self.run += 1;
        } else {
            self.close_run();
        }
    }

    #[inline]
    fn close_run(&mut self) {
        if self.run > 0 {
            self.bursts[(self.run as usize).min(MAX_BURST_BIN)] += 1;
            self.run = 0;
        }
    }

    /// Units compared so far.
    pub fn units(&self) -> u64 {
        self.units
    }

    /// Units in error so far.
    pub fn errors(&self) -> u64 {
        self.errors
    }

    /// Error rate `errors / units` (0 before anything was counted).
    pub fn ber(&self) -> f64 {
        if self.units == 0 {
            0.0
        } else {
            self.errors as f64 / self.units as f64
        }
    }

    /// Exact (Clopper–Pearson) two-sided interval at `confidence` (e.g. 0.99);
    /// see [`clopper_pearson`].
    pub fn confidence_interval(&self, confidence: f64) -> (f64, f64) {
        clopper_pearson(self.errors, self.units, confidence)
    }

    /// `h[L]` = number of bursts of exactly `L` consecutive units in error, for
    /// `1 <= L < MAX_BURST_BIN`; `h[MAX_BURST_BIN]` counts longer ones; `h[0]` is 0.
    pub fn burst_histogram(&self) -> Vec<u64> {
        let mut h = self.bursts.clone();
        if self.run > 0 {
            h[(self.run as usize).min(MAX_BURST_BIN)] += 1;
        }
        h
    }

    /// Adds another counter's figures (for runs split over threads). The open burst of
    /// each is closed: use it on independent streams.
    pub fn merge(&mut self, other: &ErrorCounter) {
        self.close_run();
        self.units += other.units;
        self.errors += other.errors;
        for (a, b) in self.bursts.iter_mut().zip(other.burst_histogram()) {
            *a += b;
        }
    }

    /// Back to zero.
    pub fn reset(&mut self) {
        *self = ErrorCounter::new();
    }
}

/// Exact two-sided binomial confidence interval for `errors` in `trials` at
/// `confidence` (in (0, 1)), clamped to [0, 1].
///
/// Clopper–Pearson bounds are quantiles of Beta(k, n−k+1) and Beta(k+1, n−k). For the
/// rare-event regime of BER measurement (k ≪ n) they equal, to within `k/n`, the
/// exact Poisson bounds `χ²`-quantiles `/2n`, which are what is computed here
/// (gamma quantiles, stable for n up to 10^18): lower `Γ⁻¹(α/2; k)/n`, upper
/// `Γ⁻¹(1−α/2; k+1)/n`. With no trials the interval is `(0, 1)`.
pub fn clopper_pearson(errors: u64, trials: u64, confidence: f64) -> (f64, f64) {
    if trials == 0 || !(confidence > 0.0 && confidence < 1.0) {
        return (0.0, 1.0);
    }
    let alpha = 1.0 - confidence;
    let n = trials as f64;
    let k = errors.min(trials) as f64;
    let lo = if k == 0.0 {
        0.0
    } else {
        Gamma::new(k, 1.0)
            .map(|g| g.inverse_cdf(alpha / 2.0))
            .unwrap_or(0.0)
            / n
    };
    let hi = Gamma::new(k + 1.0, 1.0)
        .map(|g| g.inverse_cdf(1.0 - alpha / 2.0))
        .unwrap_or(n)
        / n;
    (lo.clamp(0.0, 1.0), hi.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn add_correct_counts_like_comparing_equal_units() {
        let (mut a, mut b) = (ErrorCounter::new(), ErrorCounter::new());
        a.compare(&[1, 1], &[0, 0]).unwrap();
        b.compare(&[1, 1], &[0, 0]).unwrap();
        a.compare(&[1; 40], &[1; 40]).unwrap();
        b.add_correct(40);
        b.add_correct(0);
        a.compare(&[1], &[0]).unwrap();
        b.compare(&[1], &[0]).unwrap();
        assert_eq!(a, b);
        assert_eq!(b.burst_histogram()[2], 1);
        assert_eq!((b.units(), b.errors()), (43, 3));
    }

    #[test]
    fn poisson_bounds_known_values() {
        // Exact Poisson 95% limits for k = 0: upper 3.689 (the "rule of three" at 97.5%),
        // k = 10: [4.795, 18.39] (Garwood's table).
        let (lo, hi) = clopper_pearson(0, 1_000_000, 0.95);
        assert_eq!(lo, 0.0);
        assert!((hi * 1e6 - 3.689).abs() < 1e-3, "{hi}");
        let (lo, hi) = clopper_pearson(10, 1_000_000_000_000, 0.95);
        assert!((lo * 1e12 - 4.795).abs() < 1e-3, "{lo}");
        assert!((hi * 1e12 - 18.39).abs() < 1e-2, "{hi}");
        assert_eq!(clopper_pearson(1, 0, 0.9), (0.0, 1.0));
    }

    #[test]
    fn bursts_and_rate() {
        let mut c = ErrorCounter::new();
        c.count_flags(&[true, false, true, true, true, false, false, true]);
        let h = c.burst_histogram();
        assert_eq!((h[1], h[3]), (2, 1));
        assert_eq!(c.errors(), 5);
        assert!((c.ber() - 5.0 / 8.0).abs() < 1e-12);
        assert!(c.compare(&[1], &[]).is_err());
        let mut long = ErrorCounter::new();
        long.count_flags(&[true; 100]);
        assert_eq!(long.burst_histogram()[MAX_BURST_BIN], 1);
    }

    proptest! {
        #[test]
        fn any_chunking_gives_the_same_counts(
            a in proptest::collection::vec(0u8..2, 0..600),
            flips in proptest::collection::vec(any::<bool>(), 600),
            cuts in proptest::collection::vec(0usize..600, 0..5),
        ) {
            let b: Vec<u8> = a.iter().zip(&flips).map(|(&x, &f)| x ^ f as u8).collect();
            let mut whole = ErrorCounter::new();
            whole.compare(&a, &b).unwrap();
            let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(a.len())).collect();
            bounds.extend([0, a.len()]);
            bounds.sort_unstable();
            let mut parts = ErrorCounter::new();
            for w in bounds.windows(2) {
                parts.compare(&a[w[0]..w[1]], &b[w[0]..w[1]]).unwrap();
            }
            prop_assert_eq!(parts.burst_histogram(), whole.burst_histogram());
            prop_assert_eq!(parts.errors(), whole.errors());
            // the histogram accounts for every error
            let total: u64 = whole.burst_histogram().iter().enumerate()
                .map(|(l, &n)| l as u64 * n).sum();
            prop_assert!(total == whole.errors() || whole.burst_histogram()[MAX_BURST_BIN] > 0);
            let expect = flips[..a.len()].iter().filter(|&&f| f).count() as u64;
            prop_assert_eq!(whole.errors(), expect);
        }
    }
}
