use super::*;
use proptest::prelude::*;

const FS: f64 = 8.0 * 53.125e9;

fn quiet(power: OpticalPower, er_db: f64) -> OpticalConfig {
    OpticalConfig {
        sample_rate_hz: FS,
        extinction_ratio_db: er_db,
        power,
        rin_db_hz: None,
        bandwidth_hz: None,
        bandwidth_order: 1,
        responsivity_a_per_w: 0.7,
        thermal_noise_pa_per_rt_hz: 0.0,
        shot_noise: false,
        tia_gain_ohm: 500.0,
    }
}

fn mean_var(v: &[f32]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().map(|&x| x as f64).sum::<f64>() / n;
    (
        m,
        v.iter().map(|&x| (x as f64 - m).powi(2)).sum::<f64>() / (n - 1.0),
    )
}

#[test]
fn extinction_ratio_and_oma_match_the_configuration() {
    let (r, g) = (0.7, 500.0);
    for er_db in [3.0, 4.5, 8.0] {
        let er = 10f64.powf(er_db / 10.0);
        for power in [OpticalPower::AverageDbm(-2.0), OpticalPower::OmaDbm(1.5)] {
            let mut link = OpticalLink::new(quiet(power, er_db), 1).unwrap();
            let v = link.process(&[1.0, 1.0, -1.0, -1.0, 1.0 / 3.0]).unwrap();
            let (v1, v0) = (v[0] as f64, v[2] as f64);
            assert!((v1 / v0 / er - 1.0).abs() < 1e-5, "{er_db}: {}", v1 / v0);
            let oma = (v1 - v0) / (g * r);
            let avg = (v1 + v0) / 2.0 / (g * r);
            match power {
                OpticalPower::AverageDbm(d) => {
                    let want = 1e-3 * 10f64.powf(d / 10.0);
                    assert!((avg / want - 1.0).abs() < 1e-5);
                    // OMA = 2·P_avg·(ER − 1)/(ER + 1).
                    assert!((oma / (2.0 * want * (er - 1.0) / (er + 1.0)) - 1.0).abs() < 1e-5);
                }
                OpticalPower::OmaDbm(d) => {
                    let want = 1e-3 * 10f64.powf(d / 10.0);
                    assert!((oma / want - 1.0).abs() < 1e-5, "{oma} {want}");
                }
            }
            // PAM4 inner level: linear in the drive.
            assert!(((v[4] as f64 - v0) / (v1 - v0) - 2.0 / 3.0).abs() < 1e-5);
        }
    }
}

#[test]
fn noise_variances_match_the_closed_forms() {
    let (r, g) = (0.7, 500.0);
    let p_avg = 1e-3 * 10f64.powf(1.0 / 10.0);
    let er = 10f64.powf(0.5);
    let p1 = 2.0 * p_avg * er / (er + 1.0);
    let i1 = r * p1;
    let b = FS / 2.0;
    let q = 1.602_176_634e-19;
    let rin_db = -130.0;
    let ith = 20e-12;
    let x = vec![1.0f32; 400_000];
    let cases: [(&str, f64, OpticalConfig); 4] = [
        (
            "rin",
            10f64.powf(rin_db / 10.0) * i1 * i1 * b,
            OpticalConfig {
                rin_db_hz: Some(rin_db),
                ..quiet(OpticalPower::AverageDbm(1.0), 5.0)
            },
        ),
        (
            "shot",
            2.0 * q * i1 * b,
            OpticalConfig {
                shot_noise: true,
                ..quiet(OpticalPower::AverageDbm(1.0), 5.0)
            },
        ),
        (
            "thermal",
            ith * ith * b,
            OpticalConfig {
                thermal_noise_pa_per_rt_hz: 20.0,
                ..quiet(OpticalPower::AverageDbm(1.0), 5.0)
            },
        ),
        (
            "all",
            (10f64.powf(rin_db / 10.0) * i1 * i1 + 2.0 * q * i1 + ith * ith) * b,
            OpticalConfig {
                rin_db_hz: Some(rin_db),
                shot_noise: true,
                thermal_noise_pa_per_rt_hz: 20.0,
                ..quiet(OpticalPower::AverageDbm(1.0), 5.0)
            },
        ),
    ];
    for (name, want_a2, cfg) in cases {
        let mut link = OpticalLink::new(cfg, 3).unwrap();
        let (mean, var) = mean_var(&link.process(&x).unwrap());
        let var_a2 = var / (g * g);
        assert!(
            (var_a2 / want_a2 - 1.0).abs() < 0.02,
            "{name}: {var_a2} vs {want_a2}"
        );
        assert!((mean / (g * i1) - 1.0).abs() < 1e-3, "{name}");
        assert!((link.noise_sigma_a(i1).powi(2) / want_a2 - 1.0).abs() < 1e-9);
    }
}

#[test]
fn bandwidth_limit_is_3_db_down_at_its_frequency() {
    for order in [1, 2] {
        let fc = 30e9;
        let cfg = OpticalConfig {
            bandwidth_hz: Some(fc),
            bandwidth_order: order,
            ..quiet(OpticalPower::AverageDbm(0.0), 6.0)
        };
        let amp = |f: f64| {
            let mut link = OpticalLink::new(cfg.clone(), 0).unwrap();
            let n = 40_000;
            let x: Vec<f32> = (0..n)
                .map(|i| (0.5 * (std::f64::consts::TAU * f / FS * i as f64).sin()) as f32)
                .collect();
            let y = link.process(&x).unwrap();
            let (mean, var) = mean_var(&y[n / 2..]);
            let _ = mean;
            (2.0 * var).sqrt()
        };
        let dc = {
            let mut link = OpticalLink::new(cfg.clone(), 0).unwrap();
            let y = link.process(&[1.0f32; 2000]).unwrap();
            y[1999] as f64
        };
        let lv = OpticalLink::new(cfg.clone(), 0).unwrap().levels_v();
        assert!((dc / lv[1] - 1.0).abs() < 1e-6, "order {order}: DC gain");
        // The drive's ±0.5 swing at DC: a quarter of the span between the levels.
        let reference = 0.25 * (lv[1] - lv[0]);
        let ratio = amp(fc) / reference;
        assert!(
            (ratio - std::f64::consts::FRAC_1_SQRT_2).abs() < 0.005,
            "order {order}: {ratio}"
        );
        // Roll-off far above: -20·order dB/decade.
        let hi = amp(4.0 * fc) / reference;
        let want = if order == 1 {
            1.0 / (1.0f64 + 16.0).sqrt()
        } else {
            1.0 / (1.0f64 + 256.0).sqrt()
        };
        // The bilinear transform squeezes the response near Nyquist: only a bound here.
        assert!(hi < want * 1.05, "order {order}: {hi} vs {want}");
    }
}

#[test]
fn bad_configuration_is_an_error_naming_the_field() {
    let name = |e: Error| match e {
        Error::InvalidParameter { name, .. } | Error::NonFinite { name, .. } => name,
        other => panic!("{other:?}"),
    };
    let base = || quiet(OpticalPower::AverageDbm(0.0), 5.0);
    let err = |c: OpticalConfig| name(OpticalLink::new(c, 0).unwrap_err());
    assert_eq!(
        err(OpticalConfig {
            extinction_ratio_db: 0.0,
            ..base()
        }),
        "extinction_ratio_db"
    );
    assert_eq!(
        err(OpticalConfig {
            extinction_ratio_db: -3.0,
            ..base()
        }),
        "extinction_ratio_db"
    );
    assert_eq!(
        err(OpticalConfig {
            extinction_ratio_db: f64::NAN,
            ..base()
        }),
        "extinction_ratio_db"
    );
    assert_eq!(
        err(OpticalConfig {
            sample_rate_hz: 0.0,
            ..base()
        }),
        "sample_rate_hz"
    );
    assert_eq!(
        err(OpticalConfig {
            responsivity_a_per_w: 0.0,
            ..base()
        }),
        "responsivity_a_per_w"
    );
    assert_eq!(
        err(OpticalConfig {
            tia_gain_ohm: -1.0,
            ..base()
        }),
        "tia_gain_ohm"
    );
    assert_eq!(
        err(OpticalConfig {
            thermal_noise_pa_per_rt_hz: -1.0,
            ..base()
        }),
        "thermal_noise_pa_per_rt_hz"
    );
    assert_eq!(
        err(OpticalConfig {
            rin_db_hz: Some(f64::NAN),
            ..base()
        }),
        "rin_db_hz"
    );
    assert_eq!(
        err(OpticalConfig {
            bandwidth_hz: Some(FS),
            ..base()
        }),
        "bandwidth_hz"
    );
    assert_eq!(
        err(OpticalConfig {
            bandwidth_hz: Some(1e9),
            bandwidth_order: 3,
            ..base()
        }),
        "bandwidth_order"
    );
    assert_eq!(
        err(OpticalConfig {
            power: OpticalPower::AverageDbm(f64::NAN),
            ..base()
        }),
        "power_dbm"
    );
    assert_eq!(
        err(OpticalConfig {
            power: OpticalPower::OmaDbm(f64::INFINITY),
            ..base()
        }),
        "oma_dbm"
    );
    let mut link = OpticalLink::new(base(), 0).unwrap();
    assert_eq!(name(link.process(&[0.0, f32::NAN]).unwrap_err()), "x");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn optical_link_is_chunk_invariant(
        seed in any::<u64>(),
        order in 1u32..3,
        cuts in prop::collection::vec(0usize..300, 0..8),
        extra in 0usize..300,
    ) {
        let total = cuts.iter().sum::<usize>() + extra;
        let x: Vec<f32> = (0..total).map(|i| ((i / 8) as f32 * 0.77).sin()).collect();
        let cfg = OpticalConfig { bandwidth_order: order, ..OpticalConfig::typical(FS) };
        let whole = OpticalLink::new(cfg.clone(), seed).unwrap().process(&x).unwrap();
        let mut link = OpticalLink::new(cfg, seed).unwrap();
        let mut parts = vec![f32::NAN; total];
        let mut start = 0;
        for c in cuts.iter().copied().chain([extra]) {
            link.process_into(&x[start..start + c], &mut parts[start..start + c]).unwrap();
            start += c;
        }
        prop_assert!(whole.iter().zip(&parts).all(|(a, b)| a.to_bits() == b.to_bits()));
        link.reset();
        prop_assert_eq!(link.process(&x).unwrap(), whole);
    }
}
