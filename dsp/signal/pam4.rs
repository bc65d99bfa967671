//! Gray coding and level mapping for PAM4 and NRZ.
//!
//! IEEE 802.3 Clause 120.5.7 takes bits in pairs in time order, the first bit of a
//! pair being the most significant, and Gray codes them: `00 → 0`, `01 → 1`,
//! `11 → 2`, `10 → 3`. Symbol `s` is sent at level `−1, −1/3, +1/3, +1` for
//! `s = 0, 1, 2, 3`. The level mismatch ratio of Clause 120D.3.1.2 is
//! `RLM = min(3·ES1, 3·ES2, 2 − 3·ES1, 2 − 3·ES2)` with `ES1 = (V1 − Vmid)/(V0 − Vmid)`;
//! a mapper built with [`Pam4Mapper::with_rlm`] puts the inner levels at `±RLM/3`, so
//! that its output has exactly that RLM.

use crate::error::{check_finite, check_len, check_max_u8, Error, Result};

/// Gray code of one bit pair (Clause 120.5.7): `msb`, `lsb` in `0..=1` → symbol `0..=3`.
#[inline]
pub const fn gray_encode(msb: u8, lsb: u8) -> u8 {
    let b = ((msb & 1) << 1) | (lsb & 1);
    b ^ (b >> 1)
}

/// Inverse of [`gray_encode`]: symbol `0..=3` → `(msb, lsb)`.
#[inline]
pub const fn gray_decode(symbol: u8) -> (u8, u8) {
    let b = (symbol & 3) ^ ((symbol & 3) >> 1);
    (b >> 1, b & 1)
}

/// Gray-codes bit pairs into PAM4 symbols: `symbols[i] = gray(bits[2i], bits[2i+1])`.
///
/// Errors if `bits.len() != 2 * symbols.len()` or a bit is not 0 or 1.
pub fn bits_to_symbols(bits: &[u8], symbols: &mut [u8]) -> Result<()> {
    check_len("bits", 2 * symbols.len(), bits.len())?;
    check_max_u8("bits", bits, 1)?;
    for (s, pair) in symbols.iter_mut().zip(bits.chunks_exact(2)) {
        *s = gray_encode(pair[0], pair[1]);
    }
    Ok(())
}

/// Inverse of [`bits_to_symbols`]: `bits[2i], bits[2i+1]` = Gray decode of `symbols[i]`.
///
/// Errors if `bits.len() != 2 * symbols.len()` or a symbol is above 3.
pub fn symbols_to_bits(symbols: &[u8], bits: &mut [u8]) -> Result<()> {
    check_len("bits", 2 * symbols.len(), bits.len())?;
    check_max_u8("symbols", symbols, 3)?;
    for (&s, pair) in symbols.iter().zip(bits.chunks_exact_mut(2)) {
        let (m, l) = gray_decode(s);
        pair[0] = m;
        pair[1] = l;
    }
    Ok(())
}

/// Maps PAM4 symbols `0..=3` to sample levels (stateless).
///
/// ```
/// use serdes_dsp::signal::Pam4Mapper;
/// let m = Pam4Mapper::new();
/// assert_eq!(m.map(&[0, 1, 2, 3]).unwrap(), vec![-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Pam4Mapper {
    levels: [f32; 4],
}

impl Default for Pam4Mapper {
    fn default() -> Self {
        Self::new()
    }
}

impl Pam4Mapper {
    /// Equally spaced levels −1, −1/3, +1/3, +1 (RLM = 1); mean power 5/9.
    pub fn new() -> Self {
        Pam4Mapper {
            levels: [-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0],
        }
    }

    /// Symmetric level mismatch: inner levels at ±`rlm`/3, outer at ±1.
    /// `rlm` in (0, 1]; 802.3 transmitters must reach RLM ≥ 0.95.
    pub fn with_rlm(rlm: f64) -> Result<Self> {
        if !(rlm > 0.0 && rlm <= 1.0) {
            return Err(Error::invalid("rlm", "0 < rlm <= 1", rlm));
        }
        let e = (rlm / 3.0) as f32;
        Ok(Pam4Mapper {
            levels: [-1.0, -e, e, 1.0],
        })
    }

    /// Arbitrary finite, strictly increasing levels for symbols 0..=3.
    pub fn with_levels(levels: [f32; 4]) -> Result<Self> {
        check_finite("levels", &levels)?;
        if !(levels[0] < levels[1] && levels[1] < levels[2] && levels[2] < levels[3]) {
            return Err(Error::invalid(
                "levels",
                "four strictly increasing values",
                format!("{levels:?}"),
            ));
        }
        Ok(Pam4Mapper { levels })
    }

    /// The four levels, symbol 0 first.
    pub fn levels(&self) -> [f32; 4] {
        self.levels
    }

    /// Mean power of the levels for equiprobable symbols.
    pub fn mean_power(&self) -> f64 {
        self.levels
            .iter()
            .map(|&v| (v as f64) * (v as f64))
            .sum::<f64>()
            / 4.0
    }

    /// The slicer thresholds half way between adjacent levels.
    pub fn thresholds(&self) -> [f32; 3] {
        let l = self.levels;
        [
            0.5 * (l[0] + l[1]),
            0.5 * (l[1] + l[2]),
            0.5 * (l[2] + l[3]),
        ]
    }

    /// `out[i] = levels[symbols[i]]`. Errors on a length mismatch or a symbol above 3.
    pub fn map_into(&self, symbols: &[u8], out: &mut [f32]) -> Result<()> {
        check_len("out", symbols.len(), out.len())?;
        check_max_u8("symbols", symbols, 3)?;
        for (o, &s) in out.iter_mut().zip(symbols) {
            *o = self.levels[(s & 3) as usize];
        }
        Ok(())
    }

    /// Allocating form of [`Pam4Mapper::map_into`].
    pub fn map(&self, symbols: &[u8]) -> Result<Vec<f32>> {
        let mut out = vec![0.0; symbols.len()];
        self.map_into(symbols, &mut out)?;
        Ok(out)
    }
}

/// Maps bits to NRZ levels: 0 → −1, 1 → +1 (mean power 1).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NrzMapper;

impl NrzMapper {
    /// `out[i] = 2·bits[i] − 1`. Errors on a length mismatch or a bit above 1.
    pub fn map_into(&self, bits: &[u8], out: &mut [f32]) -> Result<()> {
        check_len("out", bits.len(), out.len())?;
        check_max_u8("bits", bits, 1)?;
        for (o, &b) in out.iter_mut().zip(bits) {
            *o = if b != 0 { 1.0 } else { -1.0 };
        }
        Ok(())
    }

    /// Allocating form of [`NrzMapper::map_into`].
    pub fn map(&self, bits: &[u8]) -> Result<Vec<f32>> {
        let mut out = vec![0.0; bits.len()];
        self.map_into(bits, &mut out)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gray_table_of_clause_120() {
        assert_eq!(gray_encode(0, 0), 0);
        assert_eq!(gray_encode(0, 1), 1);
        assert_eq!(gray_encode(1, 1), 2);
        assert_eq!(gray_encode(1, 0), 3);
        for s in 0..4u8 {
            let (m, l) = gray_decode(s);
            assert_eq!(gray_encode(m, l), s);
        }
        // adjacent levels differ in exactly one bit
        for s in 0..3u8 {
            let (a, b) = (gray_decode(s), gray_decode(s + 1));
            assert_eq!((a.0 ^ b.0) + (a.1 ^ b.1), 1);
        }
    }

    #[test]
    fn bits_symbols_round_trip_and_errors() {
        let bits = [1, 0, 0, 1, 1, 1, 0, 0];
        let mut s = [0u8; 4];
        bits_to_symbols(&bits, &mut s).unwrap();
        assert_eq!(s, [3, 1, 2, 0]);
        let mut back = [0u8; 8];
        symbols_to_bits(&s, &mut back).unwrap();
        assert_eq!(back, bits);
        assert!(bits_to_symbols(&bits[..7], &mut s).is_err());
        assert!(bits_to_symbols(&[2, 0], &mut s[..1]).is_err());
        assert!(symbols_to_bits(&[4], &mut [0, 0]).is_err());
    }

    #[test]
    fn levels_power_and_rlm() {
        let m = Pam4Mapper::new();
        assert!((m.mean_power() - 5.0 / 9.0).abs() < 1e-7);
        assert_eq!(m.thresholds(), [-2.0 / 3.0, 0.0, 2.0 / 3.0]);
        let r = Pam4Mapper::with_rlm(0.95).unwrap();
        let l = r.levels();
        // RLM per 120D.3.1.2 recomputed from the levels
        let vmid = 0.5 * (l[0] + l[3]);
        let es1 = (l[1] - vmid) / (l[0] - vmid);
        let es2 = (l[2] - vmid) / (l[3] - vmid);
        let rlm = (3.0 * es1)
            .min(3.0 * es2)
            .min(2.0 - 3.0 * es1)
            .min(2.0 - 3.0 * es2);
        assert!((rlm - 0.95).abs() < 1e-6);
        assert!(Pam4Mapper::with_rlm(0.0).is_err());
        assert!(Pam4Mapper::with_rlm(f64::NAN).is_err());
        assert!(Pam4Mapper::with_levels([0.0, 0.0, 1.0, 2.0]).is_err());
        assert!(m.map(&[5]).is_err());
        assert_eq!(NrzMapper.map(&[0, 1]).unwrap(), vec![-1.0, 1.0]);
    }
}
