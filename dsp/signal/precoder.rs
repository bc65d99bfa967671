//! The 1/(1+D) mod 4 precoder of IEEE 802.3 Clause 120.5.7.2 and its inverse.
//!
//! Precoding turns a single decision error at the receiver — the kind that a DFE
//! with a large first tap makes — into two isolated symbol errors instead of a burst
//! that propagates: `P(j) = (G(j) − P(j−1)) mod 4` at the transmitter, and
//! `G(j) = (P(j) + P(j−1)) mod 4` at the receiver. Both carry `P(j−1)` across chunks;
//! the initial state is 0.

use crate::error::{check_len, check_max_u8, Result};

/// Transmit-side precoder `P(j) = (G(j) − P(j−1)) mod 4` (streaming).
///
/// ```
/// use serdes_dsp::signal::{PrecodeDecoder, Precoder};
/// let g = [3u8, 1, 0, 2, 2];
/// let p = Precoder::new().process(&g).unwrap();
/// assert_eq!(PrecodeDecoder::new().process(&p).unwrap(), g);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Precoder {
    prev: u8,
}

impl Precoder {
    /// A precoder with `P(−1) = 0`.
    pub fn new() -> Self {
        Precoder { prev: 0 }
    }

    /// Precodes `symbols` (0..=3) into `out`; errors on a length mismatch or a symbol above 3
    /// (the state is left untouched then).
    pub fn process_into(&mut self, symbols: &[u8], out: &mut [u8]) -> Result<()> {
        check_len("out", symbols.len(), out.len())?;
        check_max_u8("symbols", symbols, 3)?;
        let mut p = self.prev;
        for (o, &g) in out.iter_mut().zip(symbols) {
            p = g.wrapping_sub(p) & 3;
            *o = p;
        }
        self.prev = p;
        Ok(())
    }

    /// Allocating form of [`Precoder::process_into`].
    pub fn process(&mut self, symbols: &[u8]) -> Result<Vec<u8>> {
        let mut out = vec![0; symbols.len()];
        self.process_into(symbols, &mut out)?;
        Ok(out)
    }

    /// Back to `P(−1) = 0`.
    pub fn reset(&mut self) {
        self.prev = 0;
    }
}

/// Receive-side inverse `G(j) = (P(j) + P(j−1)) mod 4` (streaming).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrecodeDecoder {
    prev: u8,
}

impl PrecodeDecoder {
    /// A decoder with `P(−1) = 0`.
    pub fn new() -> Self {
        PrecodeDecoder { prev: 0 }
    }

    /// Decodes precoded `symbols` into `out`; errors as [`Precoder::process_into`].
    pub fn process_into(&mut self, symbols: &[u8], out: &mut [u8]) -> Result<()> {
        check_len("out", symbols.len(), out.len())?;
        check_max_u8("symbols", symbols, 3)?;
        let mut prev = self.prev;
        for (o, &p) in out.iter_mut().zip(symbols) {
            *o = (p + prev) & 3;
            prev = p;
        }
        self.prev = prev;
        Ok(())
    }

    /// Allocating form of [`PrecodeDecoder::process_into`].
    pub fn process(&mut self, symbols: &[u8]) -> Result<Vec<u8>> {
        let mut out = vec![0; symbols.len()];
        self.process_into(symbols, &mut out)?;
        Ok(out)
    }

    /// Back to `P(−1) = 0`.
    pub fn reset(&mut self) {
        self.prev = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn recurrence_of_clause_120_5_7_2() {
        // worked by hand: P = G - P(prev) mod 4, P(-1) = 0
        let g = [1u8, 1, 3, 0, 2];
        // P0 = 1, P1 = 0, P2 = 3, P3 = 1, P4 = 1
        assert_eq!(Precoder::new().process(&g).unwrap(), vec![1, 0, 3, 1, 1]);
        assert!(Precoder::new().process(&[4]).is_err());
        assert!(PrecodeDecoder::new()
            .process_into(&[1, 2], &mut [0])
            .is_err());
    }

    proptest! {
        #[test]
        fn inverse_round_trips_in_any_chunking(
            g in proptest::collection::vec(0u8..4, 0..400),
            cuts in proptest::collection::vec(0usize..400, 0..6),
        ) {
            let whole = Precoder::new().process(&g).unwrap();
            let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(g.len())).collect();
            bounds.push(0);
            bounds.push(g.len());
            bounds.sort_unstable();
            let (mut pre, mut dec) = (Precoder::new(), PrecodeDecoder::new());
            let (mut p, mut back) = (Vec::new(), Vec::new());
            for w in bounds.windows(2) {
                let chunk = pre.process(&g[w[0]..w[1]]).unwrap();
                back.extend(dec.process(&chunk).unwrap());
                p.extend(chunk);
            }
            prop_assert_eq!(&p, &whole);
            prop_assert_eq!(back, g);
        }

        #[test]
        fn one_slicer_error_becomes_two_symbol_errors(
            g in proptest::collection::vec(0u8..4, 3..300),
            at in 0usize..300,
            delta in 1u8..4,
        ) {
            let at = at % (g.len() - 1);
            let mut p = Precoder::new().process(&g).unwrap();
            p[at] = (p[at] + delta) & 3;
            let back = PrecodeDecoder::new().process(&p).unwrap();
            let wrong: Vec<usize> = (0..g.len()).filter(|&i| back[i] != g[i]).collect();
            prop_assert_eq!(wrong, vec![at, at + 1]);
        }
    }
}
