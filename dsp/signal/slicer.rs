//! The PAM4 / NRZ decision device.

use crate::error::{check_finite, check_len, Error, Result};

/// A slicer with settable thresholds: `symbol = number of thresholds below the sample`.
///
/// For PAM4 the thresholds default to −2/3, 0, +2/3 (half way between the levels of
/// [`crate::signal::Pam4Mapper::new`]); NRZ uses one threshold at 0. A sample exactly
/// on a threshold goes to the upper symbol. Stateless.
///
/// ```
/// use serdes_dsp::signal::Slicer;
/// let s = Slicer::pam4();
/// assert_eq!(s.slice(&[-0.9, -0.2, 0.1, 5.0]).unwrap(), vec![0, 1, 2, 3]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Slicer {
    thresholds: Vec<f32>,
}

impl Slicer {
    /// PAM4 slicer for levels ±1, ±1/3.
    pub fn pam4() -> Self {
        Slicer {
            thresholds: vec![-2.0 / 3.0, 0.0, 2.0 / 3.0],
        }
    }

    /// NRZ slicer with its threshold at 0.
    pub fn nrz() -> Self {
        Slicer {
            thresholds: vec![0.0],
        }
    }

    /// A slicer with 1 to 7 finite, strictly increasing thresholds (2 to 8 levels).
    pub fn with_thresholds(thresholds: &[f32]) -> Result<Self> {
        if thresholds.is_empty() || thresholds.len() > 7 {
            return Err(Error::invalid(
                "thresholds",
                "1 to 7 values",
                thresholds.len(),
            ));
        }
        check_finite("thresholds", thresholds)?;
        if thresholds.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::invalid(
                "thresholds",
                "strictly increasing values",
                format!("{thresholds:?}"),
            ));
        }
        Ok(Slicer {
            thresholds: thresholds.to_vec(),
        })
    }

    /// The thresholds, lowest first.
    pub fn thresholds(&self) -> &[f32] {
        &self.thresholds
    }

    /// Decides every sample; errors on a length mismatch or a NaN/infinite sample.
    pub fn slice_into(&self, samples: &[f32], out: &mut [u8]) -> Result<()> {
        check_len("out", samples.len(), out.len())?;
        check_finite("samples", samples)?;
        match self.thresholds[..] {
            // Branch-free form of the common case: compiles to compares and adds.
            [a, b, c] => {
                for (o, &x) in out.iter_mut().zip(samples) {
                    *o = (x >= a) as u8 + (x >= b) as u8 + (x >= c) as u8;
                }
            }
            _ => {
                for (o, &x) in out.iter_mut().zip(samples) {
                    *o = self.thresholds.iter().map(|&t| (x >= t) as u8).sum();
                }
            }
        }
        Ok(())
    }

    /// Allocating form of [`Slicer::slice_into`].
    pub fn slice(&self, samples: &[f32]) -> Result<Vec<u8>> {
        let mut out = vec![0; samples.len()];
        self.slice_into(samples, &mut out)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::Pam4Mapper;

    #[test]
    fn slices_mapped_levels_back_and_rejects_nan() {
        let m = Pam4Mapper::new();
        let syms = [0u8, 1, 2, 3, 3, 0];
        let x = m.map(&syms).unwrap();
        assert_eq!(Slicer::pam4().slice(&x).unwrap(), syms);
        assert_eq!(
            Slicer::nrz().slice(&[-0.1, 0.0, 2.0]).unwrap(),
            vec![0, 1, 1]
        );
        let err = Slicer::pam4().slice(&[0.0, f32::NAN]).unwrap_err();
        assert!(err.to_string().contains("samples"), "{err}");
        assert!(Slicer::with_thresholds(&[0.5, 0.1]).is_err());
        assert!(Slicer::with_thresholds(&[]).is_err());
        let s5 = Slicer::with_thresholds(&[-1.0, 0.0, 1.0, 2.0]).unwrap();
        assert_eq!(s5.slice(&[-3.0, 1.5, 9.0]).unwrap(), vec![0, 3, 4]);
    }
}
