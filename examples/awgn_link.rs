//! PAM4 through AWGN: measured BER against the closed form over an SNR sweep.
//!
//! `cargo run --release --example awgn_link`
use serdes_dsp::analysis::pam4_ber;
use serdes_dsp::link::AwgnLink;

fn main() -> serdes_dsp::Result<()> {
    println!(
        "{:>7} {:>12} {:>12} {:>10} {:>24}",
        "SNR dB", "bits", "BER", "theory", "99% interval"
    );
    for snr_db in [10.0, 12.0, 14.0, 16.0, 18.0, 19.0] {
        let mut link = AwgnLink::new(snr_db, 1)?;
        link.run_until(1_000, 20_000_000)?;
        let c = link.bit_counter();
        let (lo, hi) = c.confidence_interval(0.99);
        println!(
            "{snr_db:>7.1} {:>12} {:>12.3e} {:>10.3e} [{lo:>10.3e}, {hi:>10.3e}]",
            c.units(),
            c.ber(),
            pam4_ber(snr_db)
        );
    }
    Ok(())
}
