//! The Viterbi detector: error-free on a noiseless channel, chunk-invariant, and at
//! least 1 dB better than the DFE at BER 1e-4 on 1 + 0.5D.
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serdes_dsp::channel::Awgn;
use serdes_dsp::eq::{Dfe, ErrorBursts, Mlse, Modulation};

fn symbols(seed: u64, n: usize) -> Vec<u8> {
    let mut r = StdRng::seed_from_u64(seed);
    (0..n).map(|_| r.random_range(0..4u8)).collect()
}

mod common;

fn isi(sym: &[u8], h: &[f32]) -> Vec<f32> {
    common::eq::isi(Modulation::Pam4.levels(), sym, h)
}

/// BER of the MLSE (decisions realigned by its delay) and of the 1-tap DFE.
fn ber_pair(snr_db: f64, n: usize, seed: u64) -> (f64, f64) {
    let sym = symbols(seed, n);
    let mut x = isi(&sym, &[1.0, 0.5]);
    Awgn::from_snr_db(snr_db, 5.0 / 9.0, seed + 1)
        .unwrap()
        .process_in_place(&mut x);
    let depth = 16;
    let mut mlse = Mlse::new(Modulation::Pam4, &[1.0, 0.5], depth).unwrap();
    let mut d = mlse.process(&x).unwrap();
    d.extend(mlse.finish());
    let mut m = ErrorBursts::new(Modulation::Pam4, 2).unwrap();
    m.update(&d[depth..], &sym).unwrap();
    let mut f = ErrorBursts::new(Modulation::Pam4, 1).unwrap();
    f.update(
        &Dfe::new(Modulation::Pam4, &[0.5])
            .unwrap()
            .process(&x)
            .unwrap(),
        &sym,
    )
    .unwrap();
    (m.ber(), f.ber())
}

/// SNR where `ber(snr)` crosses 1e-4, by linear interpolation of log10(BER).
fn snr_at_1e4(points: &[(f64, f64)]) -> f64 {
    for w in points.windows(2) {
        let ((s0, b0), (s1, b1)) = (w[0], w[1]);
        if b0 >= 1e-4 && b1 < 1e-4 {
            let (l0, l1) = (b0.log10(), b1.log10());
            return s0 + (s1 - s0) * (l0 + 4.0) / (l0 - l1);
        }
    }
    panic!("1e-4 not bracketed: {points:?}");
}

#[test]
fn mlse_beats_the_dfe_by_1_db_at_ber_1e_4_on_1_plus_half_d() {
    let n = 1_500_000;
    let mut mlse_pts = Vec::new();
    let mut dfe_pts = Vec::new();
    for i in 0..=12 {
        let snr = 16.0 + 0.25 * i as f64;
        let (m, d) = ber_pair(snr, n, 100 + i);
        mlse_pts.push((snr, m));
        dfe_pts.push((snr, d));
    }
    let (sm, sd) = (snr_at_1e4(&mlse_pts), snr_at_1e4(&dfe_pts));
    eprintln!(
        "SNR at BER 1e-4: MLSE {sm:.2} dB, DFE {sd:.2} dB, gain {:.2} dB",
        sd - sm
    );
    assert!(sd - sm >= 1.0, "MLSE gain {} dB", sd - sm);
}

#[test]
fn noiseless_channels_are_detected_exactly() {
    for h in [
        vec![1.0f32, 0.5],
        vec![1.0, 0.9],
        vec![1.0, 0.6, 0.3],
        vec![0.7, -0.4, 0.2],
    ] {
        let sym = symbols(9, 5000);
        let x = isi(&sym, &h);
        let mut m = Mlse::new(Modulation::Pam4, &h, 12).unwrap();
        let mut d = m.process(&x).unwrap();
        d.extend(m.finish());
        assert_eq!(&d[12..], &sym[..], "{h:?}");
        let est = m.estimate_channel(&x, &sym).unwrap();
        for (a, b) in est.iter().zip(&h) {
            assert!((a - b).abs() < 1e-4);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn chunk_invariance(memory2 in any::<bool>(), depth in 1usize..31, cuts in prop::collection::vec(0usize..400, 0..8), seed in any::<u64>()) {
        let h: Vec<f32> = if memory2 { vec![1.0, 0.5, 0.2] } else { vec![1.0, 0.6] };
        let sym = symbols(seed, 1500);
        let mut x = isi(&sym, &h);
        Awgn::new(0.15, seed).unwrap().process_in_place(&mut x);
        let want = Mlse::new(Modulation::Pam4, &h, depth).unwrap().process(&x).unwrap();
        let mut m = Mlse::new(Modulation::Pam4, &h, depth).unwrap();
        let mut got = Vec::new();
        let mut start = 0usize;
        for c in cuts.iter().chain([&usize::MAX]) {
            let end = start.saturating_add(*c).min(x.len());
            got.extend(m.process(&x[start..end]).unwrap());
            start = end;
        }
        prop_assert_eq!(got, want);
    }
}
