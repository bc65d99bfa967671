//! The DFE: the fast kernel against a direct loop, error propagation against the
//! no-ISI BER, adaptation, and chunk invariance.
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serdes_dsp::channel::Awgn;
use serdes_dsp::eq::{Dfe, DfeAdapt, ErrorBursts, LmsAlgorithm, Modulation};

mod common;

fn isi(m: Modulation, sym: &[u8], h: &[f32]) -> Vec<f32> {
    common::eq::isi(m.levels(), sym, h)
}

fn direct_dfe(m: Modulation, taps: &[f32], x: &[f32]) -> (Vec<u8>, Vec<f32>) {
    common::eq::textbook_dfe(m.levels(), m.n_levels(), taps, x)
}

fn symbols(seed: u64, n: usize, q: u8) -> Vec<u8> {
    let mut r = StdRng::seed_from_u64(seed);
    (0..n).map(|_| r.random_range(0..q)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn fast_kernel_matches_direct_loop(n_taps in 1usize..=32, pam4 in any::<bool>(), seed in any::<u64>()) {
        let m = if pam4 { Modulation::Pam4 } else { Modulation::Nrz };
        let mut r = StdRng::seed_from_u64(seed);
        let taps: Vec<f32> = (0..n_taps).map(|k| r.random_range(-0.3f32..0.3) / (1 + k) as f32).collect();
        let sym = symbols(seed, 3000, m.n_levels() as u8);
        let mut h = vec![1.0f32];
        h.extend(&taps);
        let mut x = isi(m, &sym, &h);
        for v in x.iter_mut() { *v += r.random_range(-0.1f32..0.1); }
        let (want_d, want_y) = direct_dfe(m, &taps, &x);
        let mut dfe = Dfe::new(m, &taps).unwrap();
        let mut d = vec![0; x.len()];
        let mut y = vec![0.0; x.len()];
        dfe.process_soft_into(&x, &mut d, &mut y).unwrap();
        prop_assert_eq!(&d, &want_d);
        for (a, b) in y.iter().zip(&want_y) { prop_assert!((a - b).abs() < 1e-5); }
    }

    #[test]
    fn chunk_invariance(n_taps in 1usize..=32, pam4 in any::<bool>(), cuts in prop::collection::vec(0usize..500, 0..8), seed in any::<u64>()) {
        let m = if pam4 { Modulation::Pam4 } else { Modulation::Nrz };
        let mut r = StdRng::seed_from_u64(seed);
        let taps: Vec<f32> = (0..n_taps).map(|_| r.random_range(-0.2f32..0.2)).collect();
        let x: Vec<f32> = (0..2000).map(|_| r.random_range(-1.2f32..1.2)).collect();
        let want = Dfe::new(m, &taps).unwrap().process(&x).unwrap();
        let mut dfe = Dfe::new(m, &taps).unwrap();
        let mut bursts_whole = ErrorBursts::new(m, n_taps).unwrap();
        let reference = symbols(seed, x.len(), m.n_levels() as u8);
        bursts_whole.update(&want, &reference).unwrap();
        let mut bursts = ErrorBursts::new(m, n_taps).unwrap();
        let mut got = Vec::new();
        let mut start = 0usize;
        for c in cuts.iter().chain([&usize::MAX]) {
            let end = start.saturating_add(*c).min(x.len());
            let d = dfe.process(&x[start..end]).unwrap();
            bursts.update(&d, &reference[start..end]).unwrap();
            got.extend(d);
            start = end;
        }
        prop_assert_eq!(&got, &want);
        prop_assert_eq!(bursts.histogram(), bursts_whole.histogram());
    }
}

#[test]
fn one_tap_dfe_on_h1_half_reaches_the_no_isi_ber_within_a_factor_2() {
    // No-ISI PAM4 BER 1e-4: SER = 1.5·Q(1/(3σ)) = 2e-4 → Q⁻¹(1.333e-4) = 3.6467.
    let sigma = (1.0 / (3.0 * 3.6467)) as f32;
    let n = 4_000_000;
    let m = Modulation::Pam4;
    let sym = symbols(11, n, 4);
    let mut noise = vec![0.0f32; n];
    Awgn::new(sigma, 3).unwrap().process_in_place(&mut noise);
    let clean = isi(m, &sym, &[1.0]);
    let x_isi: Vec<f32> = isi(m, &sym, &[1.0, 0.5])
        .iter()
        .zip(&noise)
        .map(|(a, b)| a + b)
        .collect();
    let x_flat: Vec<f32> = clean.iter().zip(&noise).map(|(a, b)| a + b).collect();

    let mut flat = ErrorBursts::new(m, 1).unwrap();
    flat.update(
        &Dfe::new(m, &[0.0]).unwrap().process(&x_flat).unwrap(),
        &sym,
    )
    .unwrap();
    let mut dfe = Dfe::new(m, &[0.5]).unwrap();
    let mut bursts = ErrorBursts::new(m, 1).unwrap();
    for (xc, sc) in x_isi.chunks(65536).zip(sym.chunks(65536)) {
        bursts.update(&dfe.process(xc).unwrap(), sc).unwrap();
    }
    let ratio = bursts.ber() / flat.ber();
    eprintln!(
        "no-ISI BER {:.3e}, DFE BER {:.3e} (ratio {ratio:.2}); bursts {:?}",
        flat.ber(),
        bursts.ber(),
        bursts.histogram()
    );
    assert!((0.7e-4..1.4e-4).contains(&flat.ber()), "{}", flat.ber());
    assert!((1.0..2.0).contains(&ratio), "DFE / no-ISI BER = {ratio}");
    let h = bursts.histogram();
    assert!(
        h.len() > 2 && h[2] > 0,
        "error propagation makes bursts of 2+: {h:?}"
    );
    let in_bursts: u64 = h.iter().enumerate().map(|(k, &c)| k as u64 * c).sum();
    assert_eq!(in_bursts, bursts.symbol_errors());
}

#[test]
fn adaptation_finds_the_taps_and_the_levels() {
    let m = Modulation::Pam4;
    let n = 300_000;
    let sym = symbols(21, n, 4);
    // cursor 0.8 (levels scaled), post-cursors 0.4, 0.15, −0.05
    let h = [0.8f32, 0.4, 0.15, -0.05];
    let mut x = isi(m, &sym, &h);
    Awgn::new(0.02, 5).unwrap().process_in_place(&mut x);
    for (alg, mu) in [(LmsAlgorithm::Lms, 2e-3f32), (LmsAlgorithm::SignSign, 2e-4)] {
        let mut dfe = Dfe::new(m, &[0.0, 0.0, 0.0]).unwrap();
        let cfg = DfeAdapt {
            mu_taps: mu,
            mu_levels: 2e-3,
            algorithm: alg,
            record_every: 1000,
        };
        // train on the first 20k symbols, then decision-directed
        dfe.adapt(&x[..20_000], Some(&sym[..20_000]), &cfg).unwrap();
        let res = dfe.adapt(&x[20_000..], None, &cfg).unwrap();
        assert_eq!(res.trajectory.len(), (n - 20_000) / 1000);
        for (k, (&b, &want)) in dfe.taps().iter().zip(&h[1..]).enumerate() {
            assert!((b - want).abs() < 0.02, "{alg:?} b{}: {b} vs {want}", k + 1);
        }
        let lv = dfe.slicer_levels();
        assert!(
            (lv[3] - 0.8).abs() < 0.02 && (lv[1] + 0.8 / 3.0).abs() < 0.02,
            "{lv:?}"
        );
        let t = dfe.thresholds();
        assert!((t[2] - 0.8 * 2.0 / 3.0).abs() < 0.02, "{t:?}");
        // then the fast kernel, with the adapted taps, decides error-free
        let d = dfe.process(&x[..50_000]).unwrap();
        let errors = d[10..]
            .iter()
            .zip(&sym[10..50_000])
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(errors, 0);
    }
}

#[test]
fn adaptation_is_chunk_invariant() {
    let m = Modulation::Nrz;
    let sym = symbols(4, 8000, 2);
    let x = isi(m, &sym, &[1.0, 0.3, 0.1]);
    let cfg = DfeAdapt::default();
    let mut whole = Dfe::new(m, &[0.0, 0.0]).unwrap();
    let w = whole.adapt(&x, None, &cfg).unwrap();
    let mut parts = Dfe::new(m, &[0.0, 0.0]).unwrap();
    let mut d = parts.adapt(&x[..77], None, &cfg).unwrap().symbols;
    d.extend(parts.adapt(&x[77..], None, &cfg).unwrap().symbols);
    assert_eq!(d, w.symbols);
    assert_eq!(parts.taps(), whole.taps());
    assert_eq!(parts.thresholds(), whole.thresholds());
}

#[test]
fn ieee_limits() {
    let ok = Dfe::new(Modulation::Pam4, &[0.8, 0.3, 0.2, 0.1]).unwrap();
    assert!(ok.check_802_3ck_kr().is_ok());
    let bad = Dfe::new(Modulation::Pam4, &[0.9]).unwrap();
    assert!(bad
        .check_802_3ck_kr()
        .unwrap_err()
        .to_string()
        .contains("b_1"));
}
