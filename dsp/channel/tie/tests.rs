use super::*;
use crate::channel::jitter::{DcdMode, Jitter};

const BAUD: f64 = 53.125e9;

fn lcg(seed: u64, n: usize) -> Vec<f64> {
    let mut g = crate::testutil::Lcg(seed);
    (0..n).map(|_| g.next_unit_f64()).collect()
}

/// Random levels: ±1 (NRZ) or ±1, ±⅓ (PAM4).
fn levels(seed: u64, n: usize, pam4: bool) -> Vec<f64> {
    lcg(seed, n)
        .into_iter()
        .map(|u| {
            if pam4 {
                [-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0][(u * 4.0) as usize]
            } else if u < 0.5 {
                -1.0
            } else {
                1.0
            }
        })
        .collect()
}

/// The waveform at time `t` UI: level `lv[k]` on UI k, raised-cosine transitions
/// `rise` UI wide centred on the integer times (the edges).
fn wave_at(lv: &[f64], t: f64, rise: f64) -> f64 {
    let k = (t.floor() as usize).min(lv.len() - 1);
    let f = t - t.floor();
    let rc = |a: f64, b: f64, ph: f64| a + (b - a) * (1.0 - (PI * ph).cos()) / 2.0;
    if f < rise / 2.0 && k > 0 {
        rc(lv[k - 1], lv[k], (f + rise / 2.0) / rise)
    } else if f > 1.0 - rise / 2.0 && k + 1 < lv.len() {
        rc(lv[k], lv[k + 1], (f - 1.0 + rise / 2.0) / rise)
    } else {
        lv[k]
    }
}

fn wave(lv: &[f64], sps: usize, rise: f64) -> Vec<f32> {
    (0..lv.len() * sps)
        .map(|n| wave_at(lv, n as f64 / sps as f64, rise) as f32)
        .collect()
}

fn within(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs()
}

#[test]
fn injected_rj_and_sj_are_recovered_nrz_and_pam4() {
    for (pam4, sps) in [(false, 16usize), (true, 16), (false, 8)] {
        let (rj, sj, f_ui) = (0.02, 0.15, 0.001_37);
        let x = wave(&levels(1, 30_000, pam4), sps, 0.5);
        let mut j = Jitter::new(sps, BAUD, 42)
            .unwrap()
            .rj(rj)
            .unwrap()
            .sj(sj, f_ui * BAUD, 0.3)
            .unwrap();
        let y = j.process(&x).unwrap();
        let cfg = if pam4 {
            TieConfig::pam4(sps as f64)
        } else {
            TieConfig::nrz(sps as f64)
        };
        let t = tie(&y[2 * j.delay()..], &cfg).unwrap();
        let st = &t.stats;
        assert!(st.edges > 8000, "{}", st.edges);
        assert!(
            within(st.rj_rms_ui, rj, 0.05),
            "pam4 {pam4} sps {sps}: {st:?}"
        );
        assert!(
            within(st.sj_amplitude_ui, sj, 0.05),
            "pam4 {pam4} sps {sps}: {st:?}"
        );
        assert!(within(st.sj_frequency_per_ui, f_ui, 0.01), "{st:?}");
        assert!(st.frequency_offset_ppm.abs() < 50.0, "{st:?}");
        // Total TIE rms² ≈ RJ² + SJ²/2.
        let total = (rj * rj + sj * sj / 2.0).sqrt();
        assert!(within(st.tie_rms_ui, total, 0.05), "{st:?}");
    }
}

#[test]
fn sj_at_a_known_frequency_and_dcd_are_recovered() {
    let sps = 16;
    let x = wave(&levels(2, 20_000, false), sps, 0.5);
    for mode in [DcdMode::RisingFalling, DcdMode::EvenOdd] {
        let (sj, f_ui, dcd) = (0.05, 0.01, 0.06);
        let mut j = Jitter::new(sps, BAUD, 3)
            .unwrap()
            .rj(0.005)
            .unwrap()
            .sj(sj, f_ui * BAUD, 0.0)
            .unwrap()
            .dcd(dcd, mode)
            .unwrap();
        let y = j.process(&x).unwrap();
        let cfg = TieConfig {
            sj: SjFit::PerUi(f_ui),
            ..TieConfig::nrz(sps as f64)
        };
        let st = tie(&y[2 * j.delay()..], &cfg).unwrap().stats;
        assert!(within(st.sj_amplitude_ui, sj, 0.05), "{st:?}");
        assert!(within(st.rj_rms_ui, 0.005, 0.1), "{st:?}");
        let (want_rf, want_eo) = match mode {
            DcdMode::RisingFalling => (dcd, 0.0),
            // The UI index of the TIE starts at the first crossing, of either parity.
            DcdMode::EvenOdd => (0.0, dcd),
        };
        assert!(
            (st.dcd_ui.unwrap() - want_rf).abs() < 0.003,
            "{mode:?} {st:?}"
        );
        assert!(
            (st.dcd_even_odd_ui.unwrap().abs() - want_eo).abs() < 0.003,
            "{mode:?} {st:?}"
        );
    }
}

#[test]
fn a_clock_offset_is_measured_in_ppm() {
    let sps = 8.0;
    let eps = 200e-6;
    let lv = levels(4, 20_000, false);
    let n = (lv.len() as f64 * sps * (1.0 + eps)) as usize - 16;
    let x: Vec<f32> = (0..n)
        .map(|i| wave_at(&lv, i as f64 / (sps * (1.0 + eps)), 0.5) as f32)
        .collect();
    let cfg = TieConfig {
        sj: SjFit::Off,
        ..TieConfig::nrz(sps)
    };
    let st = tie(&x, &cfg).unwrap().stats;
    let want = (1.0 / (1.0 + eps) - 1.0) * 1e6;
    assert!(
        (st.frequency_offset_ppm - want).abs() < 0.5,
        "{st:?} {want}"
    );
    assert!((st.period_samples - sps * (1.0 + eps)).abs() < 1e-5);
    assert!(st.tie_rms_ui < 2e-3, "{st:?}");
}

#[test]
fn tie_of_each_edge_is_its_displacement() {
    // Even/odd DCD only, sharp linear edges: every edge is ±dcd/2 off the grid.
    let sps = 32;
    let x: Vec<f32> = (0..sps * 400)
        .map(|i| if (i / sps) % 2 == 0 { 1.0 } else { -1.0 })
        .collect();
    let dcd = 0.1;
    let mut j = Jitter::new(sps, BAUD, 0)
        .unwrap()
        .dcd(dcd, DcdMode::EvenOdd)
        .unwrap();
    let y = j.process(&x).unwrap();
    let t = tie(
        &y[2 * j.delay()..],
        &TieConfig {
            sj: SjFit::Off,
            ..TieConfig::nrz(sps as f64)
        },
    )
    .unwrap();
    for w in t.tie_ui.windows(2) {
        assert!(
            (w[0] - w[1]).abs() > dcd - 0.01 && (w[0] - w[1]).abs() < dcd + 0.01,
            "{w:?}"
        );
    }
}

#[test]
fn noise_chatter_counts_as_one_crossing() {
    let mut x: Vec<f32> = (0..800)
        .map(|i| if (i / 8) % 2 == 0 { 1.0 } else { -1.0 })
        .collect();
    // A step that wobbles across 0 three times near sample 80, and a glitch at 44.
    x[79] = 0.1;
    x[80] = -0.1;
    x[81] = 0.1;
    x[82] = -1.0;
    x[44] = -0.5;
    let t = tie(
        &x,
        &TieConfig {
            sj: SjFit::Off,
            ..TieConfig::nrz(8.0)
        },
    )
    .unwrap();
    assert_eq!(t.stats.edges, 99);
}

#[test]
fn bad_input_is_an_error_naming_the_argument() {
    let x = vec![0f32; 100];
    let name = |e: Error| match e {
        Error::InvalidParameter { name, .. } | Error::NonFinite { name, .. } => name,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        name(tie(&x, &TieConfig::nrz(1.0)).unwrap_err()),
        "samples_per_ui"
    );
    assert_eq!(
        name(tie(&x, &TieConfig::nrz(f64::NAN)).unwrap_err()),
        "samples_per_ui"
    );
    assert_eq!(name(tie(&x, &TieConfig::nrz(8.0)).unwrap_err()), "waveform");
    let mut y = x.clone();
    y[3] = f32::NAN;
    assert_eq!(name(tie(&y, &TieConfig::nrz(8.0)).unwrap_err()), "waveform");
    let c = TieConfig {
        thresholds: vec![],
        ..TieConfig::nrz(8.0)
    };
    assert_eq!(name(tie(&x, &c).unwrap_err()), "thresholds");
    let c = TieConfig {
        sj: SjFit::PerUi(0.7),
        ..TieConfig::nrz(8.0)
    };
    assert_eq!(name(tie(&x, &c).unwrap_err()), "sj_frequency");
    let c = TieConfig {
        symmetry_tolerance: Some(-1.0),
        ..TieConfig::nrz(8.0)
    };
    assert_eq!(name(tie(&x, &c).unwrap_err()), "symmetry_tolerance");
}

#[test]
fn fft_matches_a_direct_dft() {
    let n = 64;
    let x = lcg(9, n);
    let (mut re, mut im) = (x.clone(), vec![0.0; n]);
    fft(&mut re, &mut im);
    for k in 0..n {
        let (mut r, mut i) = (0.0, 0.0);
        for (j, v) in x.iter().enumerate() {
            let a = -TAU * (k * j) as f64 / n as f64;
            r += v * a.cos();
            i += v * a.sin();
        }
        assert!((re[k] - r).abs() < 1e-9 && (im[k] - i).abs() < 1e-9);
    }
}
