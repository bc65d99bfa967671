//! The CTLE: the streaming filter's measured response against the analog formula of
//! Annex 93A/178A within 0.1 dB up to 0.8 × Nyquist, the frequency-domain path, and
//! chunk invariance (with the Tx FIR's).
use proptest::prelude::*;
use serdes_dsp::eq::{Ctle, CtleParams, TxFir};

/// `|DFT of h at f|` in dB, `h` sampled at `fs`.
fn dft_db(h: &[f32], f: f64, fs: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * f / fs;
    let (mut re, mut im) = (0.0f64, 0.0f64);
    for (n, &v) in h.iter().enumerate() {
        re += v as f64 * (w * n as f64).cos();
        im -= v as f64 * (w * n as f64).sin();
    }
    20.0 * re.hypot(im).log10()
}

#[test]
fn measured_response_matches_the_analog_formula_within_0_1_db() {
    let cases = [
        (CtleParams::ieee_802_3ck(-12.0, -3.0), 53.125e9),
        (CtleParams::ieee_802_3ck(0.0, 0.0), 53.125e9),
        (CtleParams::ieee_802_3dj(106.25e9, -15.0, -5.0), 106.25e9),
        (CtleParams::ieee_802_3dj(106.25e9, -4.0, 0.0), 106.25e9),
    ];
    for (params, fb) in cases {
        for sps in [2.0, 4.0, 16.0] {
            let fs = sps * fb;
            let mut ctle = Ctle::annex_93a(params, fs).unwrap();
            // impulse response long enough for the low-frequency pole (fb/80) to settle
            let n = (200.0 * fs / params.f_lf_hz) as usize;
            let mut x = vec![0.0f32; n];
            x[0] = 1.0;
            let h = ctle.process(&x).unwrap();
            let mut worst = 0.0f64;
            for i in 0..=80 {
                let f = 0.8 * 0.5 * fs * i as f64 / 80.0;
                let err = (dft_db(&h, f, fs) - ctle.analog_gain_db(f)).abs();
                worst = worst.max(err);
            }
            assert!(worst < 0.1, "{params:?} at {sps} samples/UI: {worst} dB");
        }
    }
}

#[test]
fn queries_and_frequency_domain_path() {
    let fb = 106.25e9;
    let c = Ctle::annex_93a(CtleParams::ieee_802_3dj(fb, -10.0, 0.0), 8.0 * fb).unwrap();
    assert!((c.analog_gain_db(0.0) + 10.0).abs() < 1e-9);
    // fz = fp1: at high frequency the response tends to 1/(1 + jf/fp2), so the peak
    // is a little under 0 dB, i.e. peaking a little under 10 dB
    assert!(
        c.peaking_db() > 7.0 && c.peaking_db() < 10.0,
        "{}",
        c.peaking_db()
    );
    assert!(c.peak_frequency_hz() > 0.1 * fb && c.peak_frequency_hz() < fb);
    // frequency-domain application to an impulse: its DFT is H(f)
    let dt = 1.0 / (32.0 * fb);
    let mut h = vec![0.0f32; 8192];
    h[0] = 1.0;
    let y = c.apply_to_impulse_response(&h, dt).unwrap();
    // on the DFT bins (k / (n·dt)) the circular product is exact
    for k in [0usize, 13, 77, 128, 512, 2048] {
        let f = k as f64 / (8192.0 * dt);
        let err = dft_db(&y, f, 1.0 / dt) - c.analog_gain_db(f);
        assert!(err.abs() < 0.1, "{f}: {err}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn chunk_invariance(cuts in prop::collection::vec(0usize..300, 0..8), seed in any::<u64>()) {
        let x: Vec<f32> = (0..1500u64).map(|i| (((i ^ seed).wrapping_mul(2654435761) % 1000) as f32) / 500.0 - 1.0).collect();
        let p = CtleParams::ieee_802_3dj(106.25e9, -6.0, -1.0);
        let want = Ctle::annex_93a(p, 4.0 * 106.25e9).unwrap().process(&x).unwrap();
        let mut c = Ctle::annex_93a(p, 4.0 * 106.25e9).unwrap();
        let mut tx_whole = TxFir::normalised(&[-0.05, 0.1, -0.2, 0.6, -0.1], 3).unwrap();
        let tx_want = tx_whole.process(&x).unwrap();
        let mut tx = TxFir::normalised(&[-0.05, 0.1, -0.2, 0.6, -0.1], 3).unwrap();
        let (mut got, mut tx_got) = (Vec::new(), Vec::new());
        let mut start = 0usize;
        for cut in cuts.iter().chain([&usize::MAX]) {
            let end = start.saturating_add(*cut).min(x.len());
            got.extend(c.process(&x[start..end]).unwrap());
            tx_got.extend(tx.process(&x[start..end]).unwrap());
            start = end;
        }
        prop_assert_eq!(got, want);
        prop_assert_eq!(tx_got, tx_want);
    }
}

#[test]
fn tx_fir_normalisation_and_limits() {
    let tx = TxFir::normalised(&[0.0, 0.1, -0.3, 1.2, -0.4], 3).unwrap();
    let s: f32 = tx.taps().iter().map(|c| c.abs()).sum();
    assert!((s - 1.0).abs() < 1e-6);
    assert!(tx.check_802_3ck_kr().is_ok(), "{:?}", tx.taps());
    let bad = TxFir::normalised(&[0.0, 0.0, -0.5, 0.5, 0.0], 3).unwrap();
    assert!(bad
        .check_802_3ck_kr()
        .unwrap_err()
        .to_string()
        .contains("c(-1)"));
    assert_eq!(
        TxFir::preset1().process_symbols(&[3, 0]).unwrap(),
        vec![0.0, 0.0]
    );
}
