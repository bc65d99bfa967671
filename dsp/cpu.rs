//! CPU feature detection: which SIMD backends this machine can run.
//!
//! Kernels with SIMD variants pick a [`Backend`] once, when their object is built
//! (never per call), and store it. A backend value other than `Scalar` is only ever
//! handed out after [`Backend::is_available`] said yes, which is what makes the
//! `unsafe` calls into `#[target_feature]` code sound.

use crate::error::{Error, Result};

/// An instruction-set family that a kernel can be compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// Plain Rust: the reference every other backend is tested against.
    Scalar,
    /// x86-64 AVX2 + FMA (Haswell, Zen 1 and later).
    Avx2,
    /// x86-64 AVX-512 F/BW/DQ/VL (Skylake-SP, Ice Lake, Zen 4 and later).
    Avx512,
}

impl Backend {
    /// The fastest backend this CPU runs.
    pub fn detect() -> Backend {
        if Backend::Avx512.is_available() {
            Backend::Avx512
        } else if Backend::Avx2.is_available() {
            Backend::Avx2
        } else {
            Backend::Scalar
        }
    }

    /// Whether this CPU can execute code of this backend.
    pub fn is_available(self) -> bool {
        match self {
            Backend::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Backend::Avx2 => is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"),
            #[cfg(target_arch = "x86_64")]
            Backend::Avx512 => {
                is_x86_feature_detected!("avx512f")
                    && is_x86_feature_detected!("avx512bw")
                    && is_x86_feature_detected!("avx512dq")
                    && is_x86_feature_detected!("avx512vl")
                    && is_x86_feature_detected!("fma")
            }
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// `Ok(self)` if the CPU can run it, else [`Error::MissingCpuFeature`].
    pub fn require(self) -> Result<Backend> {
        if self.is_available() {
            Ok(self)
        } else {
            Err(Error::MissingCpuFeature {
                backend: self.name(),
            })
        }
    }

    /// All backends this CPU can run, scalar first.
    pub fn available() -> Vec<Backend> {
        [Backend::Scalar, Backend::Avx2, Backend::Avx512]
            .into_iter()
            .filter(|b| b.is_available())
            .collect()
    }

    /// Lower-case name: `scalar`, `avx2`, `avx512`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Scalar => "scalar",
            Backend::Avx2 => "avx2",
            Backend::Avx512 => "avx512",
        }
    }

    /// Parses a name as given by [`Backend::name`]; `auto` means [`Backend::detect`].
    pub fn from_name(name: &str) -> Result<Backend> {
        match name {
            "auto" => Ok(Backend::detect()),
            "scalar" => Ok(Backend::Scalar),
            "avx2" => Backend::Avx2.require(),
            "avx512" => Backend::Avx512.require(),
            other => Err(Error::invalid(
                "backend",
                "one of auto, scalar, avx2, avx512",
                other,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detect_returns_an_available_backend() {
        assert!(Backend::detect().is_available());
        assert_eq!(Backend::available()[0], Backend::Scalar);
        assert_eq!(Backend::from_name("scalar").unwrap(), Backend::Scalar);
        assert!(Backend::from_name("neon").is_err());
    }
}
