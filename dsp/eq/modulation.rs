//! The symbol alphabets the equalisers decide on: PAM4 (IEEE 802.3 Clause 120) and NRZ.

/// Which alphabet a decision-directed block (DFE, MLSE, decision-directed LMS) slices to.
///
/// Levels are those of [`crate::signal::Pam4Mapper::new`] (`−1, −1/3, +1/3, +1` for
/// symbols 0..=3) and [`crate::signal::NrzMapper`] (`−1, +1` for bits 0, 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Modulation {
    /// Two levels, `−1` and `+1`; symbols 0 and 1.
    Nrz,
    /// Four levels, `−1, −1/3, +1/3, +1`; symbols 0..=3 (Clause 120.5.7).
    Pam4,
}

impl Modulation {
    /// Number of levels: 2 or 4.
    pub fn n_levels(self) -> usize {
        match self {
            Modulation::Nrz => 2,
            Modulation::Pam4 => 4,
        }
    }

    /// Bits per symbol: 1 or 2.
    pub fn bits(self) -> u32 {
        match self {
            Modulation::Nrz => 1,
            Modulation::Pam4 => 2,
        }
    }

    /// The nominal levels, symbol 0 first; unused entries (NRZ) are 0.
    pub fn levels(self) -> [f32; 4] {
        match self {
            Modulation::Nrz => [-1.0, 1.0, 0.0, 0.0],
            Modulation::Pam4 => [-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0],
        }
    }

    /// Mean power of the levels with equiprobable symbols: 1 (NRZ) or 5/9 (PAM4).
    pub fn mean_power(self) -> f64 {
        match self {
            Modulation::Nrz => 1.0,
            Modulation::Pam4 => 5.0 / 9.0,
        }
    }

    /// Parses `nrz` or `pam4`.
    pub fn from_name(name: &str) -> crate::Result<Modulation> {
        match name {
            "nrz" => Ok(Modulation::Nrz),
            "pam4" => Ok(Modulation::Pam4),
            other => Err(crate::Error::invalid(
                "modulation",
                "one of nrz, pam4",
                other,
            )),
        }
    }

    /// Index of the nearest nominal level (midpoint thresholds; a tie goes up).
    #[inline]
    pub(crate) fn slice(self, y: f32) -> u8 {
        match self {
            Modulation::Nrz => (y >= 0.0) as u8,
            Modulation::Pam4 => (y >= -2.0 / 3.0) as u8 + (y >= 0.0) as u8 + (y >= 2.0 / 3.0) as u8,
        }
    }
}

/// [`crate::error::check_finite`] at memory speed: a branch-free pass that LLVM
/// vectorises (exponent bits all ones = NaN or infinity), then the slow search for
/// the index only when something is wrong.
pub(crate) fn check_finite_fast(name: &'static str, x: &[f32]) -> crate::Result<()> {
    let mut bad = 0u32;
    for chunk in x.chunks(64) {
        for v in chunk {
            bad |= ((v.to_bits() & 0x7f80_0000) == 0x7f80_0000) as u32;
        }
        if bad != 0 {
            break;
        }
    }
    if bad != 0 {
        crate::error::check_finite(name, x)
    } else {
        Ok(())
    }
}
