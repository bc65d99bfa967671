//! Monte Carlo BER of the AWGN link against the closed forms.
//!
//! Fixed seeds: the outcome is deterministic, and each point must fall inside its
//! exact 99% interval. The SNR points are placed at closed-form BERs from 1e-2 to
//! 1e-5 so that the noise generator's tails are exercised down to about 4.5 σ.
//! Each point is a 99% test: about one point in a hundred lands outside by chance
//! (seed 10 at NRZ 12.5 dB does: +7.7% over 3,200 errors, the same with the scalar
//! reference, and seeds 11–13 and 110 are within ±2%), so a failure here is worth a
//! look at other seeds before a look at the code.
use serdes_dsp::analysis::{nrz_ber, pam4_ber, pam4_snr_db_for_ber};
use serdes_dsp::link::{AwgnLink, AwgnLinkConfig, Modulation};

fn run(config: AwgnLinkConfig, expected_errors: f64, theory: f64) -> (f64, (f64, f64)) {
    let bps = config.modulation.bits_per_symbol() as f64;
    let n_symbols = (expected_errors / theory / bps).ceil() as u64;
    let mut link = AwgnLink::with_config(config).unwrap();
    link.run(n_symbols).unwrap();
    let c = link.bit_counter();
    (c.ber(), c.confidence_interval(0.99))
}

#[test]
fn pam4_ber_matches_theory_from_1e2_to_1e5() {
    for (i, target) in [1e-2, 3e-3, 1e-3, 1e-4, 1e-5, 3e-6].into_iter().enumerate() {
        let snr_db = pam4_snr_db_for_ber(target).unwrap();
        let theory = pam4_ber(snr_db);
        let (ber, (lo, hi)) = run(AwgnLinkConfig::new(snr_db, 100 + i as u64), 3000.0, theory);
        eprintln!(
            "PAM4 SNR {snr_db:.2} dB: BER {ber:.4e}, theory {theory:.4e}, 99% [{lo:.4e}, {hi:.4e}]"
        );
        assert!(
            lo <= theory && theory <= hi,
            "SNR {snr_db} dB: theory {theory:e} outside [{lo:e}, {hi:e}]"
        );
    }
}

#[test]
fn nrz_ber_matches_theory() {
    for (i, snr_db) in [4.0, 8.0, 11.0, 12.5].into_iter().enumerate() {
        let theory = nrz_ber(snr_db);
        let mut config = AwgnLinkConfig::new(snr_db, 200 + i as u64);
        config.modulation = Modulation::Nrz;
        let (ber, (lo, hi)) = run(config, 3000.0, theory);
        eprintln!("NRZ SNR {snr_db} dB: BER {ber:.4e}, theory {theory:.4e}");
        assert!(
            lo <= theory && theory <= hi,
            "SNR {snr_db} dB: theory {theory:e} outside [{lo:e}, {hi:e}]"
        );
    }
}

#[test]
fn precoding_doubles_isolated_errors() {
    // With 1/(1+D) precoding each slicer error to a neighbouring level becomes two
    // symbol errors of one bit each (the Gray code is cyclic), so BER ≈ 2 × the
    // unprecoded BER while errors are rare.
    let snr_db = pam4_snr_db_for_ber(1e-4).unwrap();
    let mut config = AwgnLinkConfig::new(snr_db, 5);
    config.precoding = true;
    let mut link = AwgnLink::with_config(config).unwrap();
    link.run(20_000_000).unwrap();
    let ratio = link.bit_counter().ber() / pam4_ber(snr_db);
    assert!((ratio - 2.0).abs() < 0.1, "precoded / plain BER = {ratio}");
    // and the bursts are pairs: most errored symbols come two in a row
    let h = link.symbol_counter().burst_histogram();
    assert!(h[2] > 10 * h[1], "symbol bursts {:?}", &h[..4]);
}
