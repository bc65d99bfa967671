//! The transmitter's FIR equaliser (IEEE 802.3 Clauses 120D, 162–163: "Tx FFE"):
//! pre-cursor taps `c(−k)`, the main cursor `c(0)` and post-cursor taps `c(k)`, at
//! the symbol rate, with the 802.3 normalisation `Σ|c| = 1` (the peak output stays
//! at the unequalised swing).
//!
//! `y[n] = Σ_k c[k]·a[n − k]` with `c[cursor] = c(0)`: a causal FIR whose delay is
//! `cursor` symbols, run by an [`Ffe`] (so with its SIMD kernels).

use super::Ffe;
use crate::error::{Error, Result};
use crate::signal::Pam4Mapper;

/// A streaming transmit FIR.
///
/// ```
/// use serdes_dsp::eq::TxFir;
/// // c(−1) = −0.1, c(0) = 0.7, c(1) = −0.2: already Σ|c| = 1
/// let mut tx = TxFir::normalised(&[-0.1, 0.7, -0.2], 1).unwrap();
/// let y = tx.process(&[1.0, 1.0, 1.0, -1.0]).unwrap();
/// assert!((y[2] - 0.4).abs() < 1e-6); // (−0.1 + 0.7 − 0.2)·1 at steady state
/// assert_eq!(tx.delay(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct TxFir {
    ffe: Ffe,
}

impl TxFir {
    /// A Tx FIR with `taps` as given (`c[cursor]` is `c(0)`): 1 to 1024 finite taps,
    /// `cursor < taps.len()`, not all zero.
    pub fn new(taps: &[f32], cursor: usize) -> Result<TxFir> {
        let ffe = Ffe::new(taps, cursor)?;
        if taps.iter().all(|&c| c == 0.0) {
            return Err(Error::invalid(
                "taps",
                "at least one non-zero tap",
                "all zeros",
            ));
        }
        Ok(TxFir { ffe })
    }

    /// As [`TxFir::new`] with the taps scaled to `Σ|c| = 1` (IEEE 802.3 normalisation).
    pub fn normalised(taps: &[f32], cursor: usize) -> Result<TxFir> {
        crate::error::check_finite("taps", taps)?;
        let s: f64 = taps.iter().map(|&c| (c as f64).abs()).sum();
        if s == 0.0 {
            return Err(Error::invalid(
                "taps",
                "at least one non-zero tap",
                "all zeros",
            ));
        }
        let t: Vec<f32> = taps.iter().map(|&c| (c as f64 / s) as f32).collect();
        TxFir::new(&t, cursor)
    }

    /// Preset 1 of the 802.3ck/dj Tx FFE (no equalisation): `c(−3..=1) = 0, 0, 0, 1, 0`,
    /// cursor 3. (Other presets are not yet confirmed against the standard's tables.)
    pub fn preset1() -> TxFir {
        TxFir::new(&[0.0, 0.0, 0.0, 1.0, 0.0], 3).expect("valid preset")
    }

    /// The taps, the earliest pre-cursor first.
    pub fn taps(&self) -> &[f32] {
        self.ffe.taps()
    }

    /// Index of `c(0)`.
    pub fn cursor(&self) -> usize {
        self.ffe.cursor()
    }

    /// Delay in symbols: the number of pre-cursor taps.
    pub fn delay(&self) -> usize {
        self.ffe.delay()
    }

    /// Back to an idle line (zero history).
    pub fn reset(&mut self) {
        self.ffe.reset()
    }

    /// Filters levels `a` (finite) into `out` (same length).
    pub fn process_into(&mut self, a: &[f32], out: &mut [f32]) -> Result<()> {
        self.ffe.process_into(a, out)
    }

    /// Allocating form of [`TxFir::process_into`].
    pub fn process(&mut self, a: &[f32]) -> Result<Vec<f32>> {
        self.ffe.process(a)
    }

    /// Maps PAM4 symbols 0..=3 to levels ±1, ±1/3 and filters them.
    pub fn process_symbols(&mut self, symbols: &[u8]) -> Result<Vec<f32>> {
        let a = Pam4Mapper::new().map(symbols)?;
        self.ffe.process(&a)
    }

    /// Checks the taps against the 802.3ck KR Tx FFE ranges (COM 3.70 sheets, one
    /// source): 3 pre-cursors and 1 post-cursor (5 taps, cursor 3) with
    /// `c(−3) ∈ [−0.06, 0]`, `c(−2) ∈ [0, 0.12]`, `c(−1) ∈ [−0.34, 0]`,
    /// `c(1) ∈ [−0.2, 0]`, `c(0) ≥ 0.54`. The error names the first tap outside.
    pub fn check_802_3ck_kr(&self) -> Result<()> {
        let t = self.taps();
        if t.len() != 5 || self.cursor() != 3 {
            return Err(Error::invalid(
                "taps",
                "5 taps c(-3..=1) with the cursor at index 3",
                format!("{} taps, cursor {}", t.len(), self.cursor()),
            ));
        }
        let ranges = [
            ("c(-3)", -0.06, 0.0),
            ("c(-2)", 0.0, 0.12),
            ("c(-1)", -0.34, 0.0),
            ("c(0)", 0.54, 1.0),
            ("c(1)", -0.2, 0.0),
        ];
        for (&c, (name, lo, hi)) in t.iter().zip(ranges) {
            if !(lo - 1e-6..=hi + 1e-6).contains(&c) {
                return Err(Error::invalid(
                    "taps",
                    format!("{name} in [{lo}, {hi}] (802.3ck KR)"),
                    c,
                ));
            }
        }
        Ok(())
    }
}
