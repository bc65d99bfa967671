//! The whole link against independent figures: a DFE on a 1 + 0.5D channel against
//! the no-ISI closed form, measured post-FEC BER against the extrapolation from the
//! symbol-error histogram, MLSE against DFE, and latency alignment with every
//! detector on the analog default link and on the pulse model (a clean link must
//! count zero errors).

use serdes_dsp::analysis::theory::pam4_ber;
use serdes_dsp::link::{ChannelModel, Detector, FecCode, Link, LinkConfig};

fn isi_config(pulse: &[f32], snr_db: f64, detector: Detector) -> LinkConfig {
    let mut c = LinkConfig::default();
    c.tx.fir = vec![];
    c.channel.model = ChannelModel::Pulse;
    c.channel.pulse = pulse.to_vec();
    c.channel.cursor = 0;
    c.channel.snr_db = snr_db;
    c.rx.ffe_taps = 1;
    c.rx.ffe_cursor = 0;
    c.rx.dfe_taps = 1;
    c.rx.detector = detector;
    c.fec.code = FecCode::None;
    c
}

#[test]
fn every_detector_and_fec_is_aligned_on_a_clean_link() {
    for model in [ChannelModel::LossyLine, ChannelModel::Pulse] {
        for detector in [Detector::Slicer, Detector::Dfe, Detector::Mlse] {
            for (code, interleave) in [(FecCode::None, 1), (FecCode::Kp4, 2), (FecCode::Kr4, 4)] {
                for precoding in [false, true] {
                    let mut c = LinkConfig::default();
                    c.channel.model = model;
                    c.channel.snr_db = 60.0;
                    c.rx.detector = detector;
                    c.fec.code = code;
                    c.fec.interleave = interleave;
                    c.tx.precoding = precoding;
                    let what = format!(
                        "{model:?} {detector:?} {code:?}x{interleave} precoding {precoding}"
                    );
                    let mut link = Link::new(&c, 4).unwrap();
                    link.run(40_000).unwrap_or_else(|e| panic!("{what}: {e}"));
                    let r = link.result();
                    assert_eq!(r.pre_fec_bit_errors, 0, "{what}");
                    // The analog link counts from the first FEC block after training.
                    assert!(r.bits > 60_000, "{what}: {} bits", r.bits);
                    if code != FecCode::None {
                        assert!(r.codewords >= 10, "{what}");
                        assert_eq!(
                            r.corrected_codewords + r.uncorrectable_codewords,
                            0,
                            "{what}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn dfe_on_one_post_cursor_reaches_the_no_isi_ber_within_a_factor_two() {
    let snr = 18.5; // no-ISI PAM4 BER ≈ 1e-4; the DFE adds error propagation
    let theory = pam4_ber(snr);
    let mut link = Link::new(&isi_config(&[1.0, 0.5], snr, Detector::Dfe), 11).unwrap();
    link.run_until(2_000, 60_000_000).unwrap();
    let r = link.result();
    assert!(r.pre_fec_bit_errors >= 500, "{r:?}");
    assert!(
        r.pre_fec_ber >= theory * 0.8 && r.pre_fec_ber <= 2.0 * theory,
        "{} vs {theory}",
        r.pre_fec_ber
    );
    assert_eq!(r.feedback_taps.len(), 1);
    assert!(
        (r.feedback_taps[0] - 0.5).abs() < 0.01,
        "{:?}",
        r.feedback_taps
    );
}

#[test]
fn mlse_beats_the_dfe_on_one_post_cursor() {
    // 17 dB: PAM4 BER near 6e-4 without ISI, so a million symbols count thousands.
    let snr = 17.0;
    let mut mlse = Link::new(&isi_config(&[1.0, 0.5], snr, Detector::Mlse), 3).unwrap();
    let mut dfe = Link::new(&isi_config(&[1.0, 0.5], snr, Detector::Dfe), 3).unwrap();
    mlse.run(1_000_000).unwrap();
    dfe.run(1_000_000).unwrap();
    let (m, d) = (mlse.result(), dfe.result());
    assert!(d.pre_fec_bit_errors > 50);
    assert!(
        m.pre_fec_ber < d.pre_fec_ber,
        "mlse {} dfe {}",
        m.pre_fec_ber,
        d.pre_fec_ber
    );
}

#[test]
fn measured_post_fec_ber_agrees_with_the_histogram_extrapolation() {
    // Pre-FEC BER near 5e-3: KP4 fails often enough to measure the post-FEC BER.
    let mut c = isi_config(&[1.0], 13.2, Detector::Slicer);
    c.fec.code = FecCode::Kp4;
    let mut link = Link::new(&c, 21).unwrap();
    link.run(3_000_000).unwrap();
    let r = link.result();
    assert!(r.uncorrectable_codewords >= 30, "{r:?}");
    let ext = r.post_fec_ber_from_histogram.unwrap();
    let ratio = r.post_fec_ber / ext;
    assert!(
        (0.7..1.5).contains(&ratio),
        "measured {} extrapolated {ext}",
        r.post_fec_ber
    );
    // The burst-aware model (independent errors here: the Poisson limit of the
    // binomial) agrees with the measurement where both exist.
    let model = r.post_fec_ber_extrapolated.unwrap();
    assert!(
        (0.5..2.0).contains(&(r.post_fec_ber / model)),
        "measured {} burst model {model}",
        r.post_fec_ber
    );
    let flr = r.frame_loss_ratio_extrapolated.unwrap();
    let measured_flr = r.uncorrectable_codewords as f64 / r.codewords as f64;
    assert!(
        (0.5..2.0).contains(&(measured_flr / flr)),
        "measured FLR {measured_flr} model {flr}"
    );
    assert_eq!(
        r.symbol_errors_per_codeword.iter().sum::<u64>(),
        r.codewords
    );
    let failed_hist: u64 = r.symbol_errors_per_codeword.iter().skip(16).sum();
    // Every word with ≤ t errors is corrected; a word with more is either detected
    // or (rarely) miscorrected into another codeword.
    assert!(r.uncorrectable_codewords <= failed_hist);
    assert!(failed_hist - r.uncorrectable_codewords <= failed_hist / 50 + 1);
}
