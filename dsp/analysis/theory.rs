//! Closed-form error rates in additive white Gaussian noise.
//!
//! **SNR convention.** Throughout the crate, SNR is the mean signal power at the
//! slicer divided by the noise variance there, `SNR = P_s / σ²`, for one real sample
//! per symbol. For PAM4 on levels ±1, ±1/3 (`P_s = 5/9`) the half eye opening is
//! `d = 1/3`, so `d/σ = √(SNR/5)`; for NRZ on ±1 (`P_s = 1`) it is `√SNR`.
//!
//! With a real baseband channel the noise of one-sided density `N0` has `σ² = N0/2`
//! per sample, so `Es/N0 = SNR/2` (−3.01 dB) and `Eb/N0 = Es/N0 / log2(M)`
//! (a further −3.01 dB for PAM4, 0 dB for NRZ).
//!
//! Gray-coded PAM4, exactly (both bits of each symbol, all level crossings):
//! `SER = (3/2)·Q(a)`, `BER = (3·Q(a) + 2·Q(3a) − Q(5a)) / 4` with `a = √(SNR/5)`.

use libm::erfc;

/// Gaussian tail `Q(x) = P(N(0,1) > x) = erfc(x/√2)/2` (libm's erfc, accurate to about 1 ulp).
pub fn q_function(x: f64) -> f64 {
    0.5 * erfc(x / std::f64::consts::SQRT_2)
}

fn db(x: f64) -> f64 {
    10f64.powf(x / 10.0)
}

/// `Es/N0` in dB for a real channel at `snr_db` (see the module docs): `SNR − 3.01 dB`.
pub fn esn0_db_from_snr_db(snr_db: f64) -> f64 {
    snr_db - 10.0 * 2f64.log10()
}

/// Inverse of [`esn0_db_from_snr_db`].
pub fn snr_db_from_esn0_db(esn0_db: f64) -> f64 {
    esn0_db + 10.0 * 2f64.log10()
}

/// `Eb/N0` in dB for `bits_per_symbol` (2 for PAM4, 1 for NRZ) at `snr_db`.
pub fn ebn0_db_from_snr_db(snr_db: f64, bits_per_symbol: u32) -> f64 {
    esn0_db_from_snr_db(snr_db) - 10.0 * (bits_per_symbol.max(1) as f64).log10()
}

/// Symbol error rate of PAM4 (levels ±1, ±1/3) at `snr_db`: `(3/2)·Q(√(SNR/5))`.
pub fn pam4_ser(snr_db: f64) -> f64 {
    1.5 * q_function((db(snr_db) / 5.0).sqrt())
}

/// Bit error rate of Gray-coded PAM4 at `snr_db`, exact:
/// `(3·Q(a) + 2·Q(3a) − Q(5a)) / 4`, `a = √(SNR/5)`.
pub fn pam4_ber(snr_db: f64) -> f64 {
    let a = (db(snr_db) / 5.0).sqrt();
    (3.0 * q_function(a) + 2.0 * q_function(3.0 * a) - q_function(5.0 * a)) / 4.0
}

/// Bit error rate of NRZ (levels ±1) at `snr_db`: `Q(√SNR)`.
pub fn nrz_ber(snr_db: f64) -> f64 {
    q_function(db(snr_db).sqrt())
}

/// The SNR in dB at which Gray-coded PAM4 has bit error rate `ber` (0 < ber < 0.5),
/// found by bisection on [`pam4_ber`]; `None` outside that range.
pub fn pam4_snr_db_for_ber(ber: f64) -> Option<f64> {
    if !(ber > 0.0 && ber < 0.375) {
        return None;
    }
    let (mut lo, mut hi) = (-40.0f64, 60.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if pam4_ber(mid) > ber {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_function_known_values() {
        // Q(0) = 1/2, Q(1) = 0.158655..., Q(3) = 1.3499e-3, Q(6) = 9.8659e-10
        assert!((q_function(0.0) - 0.5).abs() < 1e-15);
        assert!((q_function(1.0) / 0.158_655_253_931_457 - 1.0).abs() < 1e-12);
        assert!((q_function(3.0) / 1.349_898_031_630_095e-3 - 1.0).abs() < 1e-12);
        assert!((q_function(6.0) / 9.865_876_450_377e-10 - 1.0).abs() < 1e-10);
    }

    #[test]
    fn pam4_formulas_against_direct_integration() {
        // Independent route: numerically integrate the Gaussian over each decision
        // region for each level and count Gray bit differences.
        for snr_db in [8.0, 14.0, 18.0] {
            let sigma = (5.0 / 9.0 / db(snr_db)).sqrt();
            let levels = [-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0];
            let bits = [[0, 0], [0, 1], [1, 1], [1, 0]];
            let edges = [f64::NEG_INFINITY, -2.0 / 3.0, 0.0, 2.0 / 3.0, f64::INFINITY];
            let p_region = |l: f64, r: usize| {
                let cdf = |x: f64| 1.0 - q_function((x - l) / sigma);
                let a = if edges[r].is_finite() {
                    cdf(edges[r])
                } else {
                    0.0
                };
                let b = if edges[r + 1].is_finite() {
                    cdf(edges[r + 1])
                } else {
                    1.0
                };
                b - a
            };
            let (mut ser, mut ber) = (0.0, 0.0);
            for s in 0..4 {
                for r in 0..4 {
                    if r != s {
                        let p = p_region(levels[s], r) / 4.0;
                        ser += p;
                        let d = (bits[s][0] ^ bits[r][0]) + (bits[s][1] ^ bits[r][1]);
                        ber += p * d as f64 / 2.0;
                    }
                }
            }
            assert!((pam4_ser(snr_db) / ser - 1.0).abs() < 1e-6, "{snr_db}");
            assert!((pam4_ber(snr_db) / ber - 1.0).abs() < 1e-6, "{snr_db}");
        }
    }

    #[test]
    fn conversions_and_inverse() {
        assert!((esn0_db_from_snr_db(10.0) - 6.9897).abs() < 1e-4);
        assert!((ebn0_db_from_snr_db(10.0, 2) - 3.9794).abs() < 1e-4);
        assert!((snr_db_from_esn0_db(esn0_db_from_snr_db(7.5)) - 7.5).abs() < 1e-12);
        let s = pam4_snr_db_for_ber(1e-6).unwrap();
        assert!((pam4_ber(s) / 1e-6 - 1.0).abs() < 1e-9);
        assert!(pam4_snr_db_for_ber(0.0).is_none());
        // NRZ at Q = 7.03 is the classic 1e-12
        assert!((nrz_ber(20.0 * 7.034_484f64.log10()) / 1e-12 - 1.0).abs() < 1e-3);
    }
}
