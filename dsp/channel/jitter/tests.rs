use super::*;
use proptest::prelude::*;
use std::f64::consts::TAU;

const BAUD: f64 = 53.125e9;

use crate::testutil::uniform_f32 as lcg;

/// An NRZ waveform of `bits` with raised-cosine edges `rise` UI wide, centred on
/// the UI boundaries (edges at samples `k·sps`).
pub(crate) fn nrz(bits: &[u8], sps: usize, rise: f64) -> Vec<f32> {
    let lv = |b: u8| if b == 1 { 1.0 } else { -1.0 };
    let mut x = Vec::with_capacity(bits.len() * sps);
    for k in 0..bits.len() {
        let prev = lv(bits[k.saturating_sub(1)]);
        let cur = lv(bits[k]);
        let next = lv(bits[(k + 1).min(bits.len() - 1)]);
        for j in 0..sps {
            let t = j as f64 / sps as f64; // 0..1 within UI k, edge k at t = 0
            let v = if t < rise / 2.0 {
                // second half of the edge from prev to cur
                let a = (t + rise / 2.0) / rise;
                prev + (cur - prev) * (1.0 - (std::f64::consts::PI * a).cos()) / 2.0
            } else if t > 1.0 - rise / 2.0 {
                let a = (t - (1.0 - rise / 2.0)) / rise;
                cur + (next - cur) * (1.0 - (std::f64::consts::PI * a).cos()) / 2.0
            } else {
                cur
            };
            x.push(v as f32);
        }
    }
    x
}

fn bits(seed: u64, n: usize) -> Vec<u8> {
    lcg(seed, n).iter().map(|&v| (v > 0.0) as u8).collect()
}

/// Crossing times of 0 (in samples, linear interpolation) and their direction.
fn crossings(y: &[f32]) -> Vec<(f64, bool)> {
    let mut c = vec![];
    for i in 0..y.len() - 1 {
        let (a, b) = (y[i] as f64, y[i + 1] as f64);
        if (a < 0.0 && b >= 0.0) || (a >= 0.0 && b < 0.0) {
            c.push((i as f64 + a / (a - b), b > a));
        }
    }
    c
}

#[test]
fn zero_jitter_is_a_pure_delay_on_every_backend() {
    let x = lcg(1, 5000);
    for b in Backend::available() {
        for sps in [2, 3, 16] {
            let mut j = Jitter::new(sps, BAUD, 3).unwrap().with_backend(b).unwrap();
            let d = j.delay();
            assert_eq!(d % sps, 0);
            let y = j.process(&x).unwrap();
            assert_eq!(&y[d..], &x[..x.len() - d], "{b:?} {sps}");
            assert!(y[..d].iter().all(|&v| v == x[0]));
        }
    }
}

#[test]
fn deterministic_sj_and_dcd_follow_the_closed_form() {
    // A smooth waveform (a sine of 37.3 samples period) read at the displaced
    // instants computed here from the model's formula.
    let sps = 8usize;
    let (a, f, ph, dcd) = (0.3, BAUD / 97.0, 0.4, 0.1);
    let period = 37.3;
    let x: Vec<f32> = (0..20_000)
        .map(|i| (TAU * i as f64 / period).sin() as f32)
        .collect();
    for b in Backend::available() {
        let mut j = Jitter::new(sps, BAUD, 1)
            .unwrap()
            .sj(a, f, ph)
            .unwrap()
            .dcd(dcd, DcdMode::EvenOdd)
            .unwrap()
            .edge_offset(3)
            .unwrap()
            .with_backend(b)
            .unwrap();
        let l = j.delay() as f64;
        let y = j.process(&x).unwrap();
        let d = |k: f64| {
            let sign = if (k as i64).rem_euclid(2) == 0 {
                1.0
            } else {
                -1.0
            };
            a * (TAU * f / BAUD * k + ph).sin() + sign * dcd / 2.0
        };
        let sf = sps as f64;
        let o = |k: f64| k * sf + 3.0 + d(k) * sf;
        let mut worst = 0f64;
        for (n, &yn) in y.iter().enumerate().skip(3 * l as usize) {
            let m = n as f64 - l;
            let mut k = ((m - 3.0) / sf).floor();
            while o(k) > m {
                k -= 1.0;
            }
            while o(k + 1.0) <= m {
                k += 1.0;
            }
            let p = k * sf + 3.0 + (m - o(k)) * sf / (o(k + 1.0) - o(k));
            let want = (TAU * p / period).sin();
            worst = worst.max((yn as f64 - want).abs());
        }
        // Catmull–Rom error on a sine of 37 samples per period: ~ (2π/37)^3 / 16.
        assert!(worst < 1e-3, "{b:?}: {worst}");
    }
}

#[test]
fn simd_matches_the_scalar_reference() {
    let x = lcg(5, 4000);
    let idx: Vec<u32> = lcg(6, 3001)
        .iter()
        .map(|v| ((v + 1.0) * 1990.0) as u32)
        .collect();
    let frac: Vec<f32> = lcg(7, 3001)
        .iter()
        .map(|v| (v + 1.0) / 2.0 * 0.999_999)
        .collect();
    let mut want = vec![0f32; idx.len()];
    interpolate_reference(&x, &idx, &frac, &mut want);
    #[cfg(target_arch = "x86_64")]
    for b in Backend::available() {
        if b == Backend::Scalar {
            continue;
        }
        let mut got = vec![0f32; idx.len()];
        // SAFETY: `b` is available; indices + 3 < 4000.
        unsafe { avx2::interpolate(&x, &idx, &frac, &mut got) };
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() <= SIMD_TOLERANCE, "{g} {w}");
        }
    }
    for b in [Backend::Avx2, Backend::Avx512] {
        if !b.is_available() {
            eprintln!("skipped {}: this CPU lacks it", b.name());
        }
    }
    // And the whole block with every component, scalar against the detected backend.
    let x = nrz(&bits(3, 2000), 16, 0.4);
    let make = |b| {
        Jitter::new(16, BAUD, 9)
            .unwrap()
            .rj(0.02)
            .unwrap()
            .sj(0.2, 1e8, 0.0)
            .unwrap()
            .dcd(0.03, DcdMode::RisingFalling)
            .unwrap()
            .buj(0.01, Buj::Prbs(7))
            .unwrap()
            .with_backend(b)
            .unwrap()
    };
    let s = make(Backend::Scalar).process(&x).unwrap();
    let f = make(Backend::detect()).process(&x).unwrap();
    for (a, b) in s.iter().zip(&f) {
        assert!((a - b).abs() <= SIMD_TOLERANCE, "{a} {b}");
    }
}

#[test]
fn rising_falling_dcd_moves_rising_edges_late() {
    let sps = 32;
    let x = nrz(&bits(11, 3000), sps, 0.5);
    let dcd = 0.08;
    let mut j = Jitter::new(sps, BAUD, 1)
        .unwrap()
        .dcd(dcd, DcdMode::RisingFalling)
        .unwrap();
    let l = j.delay() as f64;
    let y = j.process(&x).unwrap();
    let (mut rise, mut fall) = (vec![], vec![]);
    for (t, up) in crossings(&y) {
        if t < 2.0 * l {
            continue;
        }
        // Offset from the nearest nominal edge, in UI.
        let u = (t - l) / sps as f64;
        let off = u - u.round();
        if up {
            rise.push(off)
        } else {
            fall.push(off)
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(rise.len() > 500 && fall.len() > 500);
    assert!((mean(&rise) - dcd / 2.0).abs() < 2e-3, "{}", mean(&rise));
    assert!((mean(&fall) + dcd / 2.0).abs() < 2e-3, "{}", mean(&fall));
}

#[test]
fn uniform_buj_stays_within_its_peak_and_fills_it() {
    let sps = 32;
    let x = nrz(&bits(12, 4000), sps, 0.5);
    let peak = 0.1;
    let mut j = Jitter::new(sps, BAUD, 5)
        .unwrap()
        .buj(peak, Buj::Uniform)
        .unwrap();
    let l = j.delay() as f64;
    let y = j.process(&x).unwrap();
    let offs: Vec<f64> = crossings(&y)
        .into_iter()
        .filter(|c| c.0 > 2.0 * l)
        .map(|(t, _)| {
            let u = (t - l) / sps as f64;
            u - u.round()
        })
        .collect();
    let max = offs.iter().fold(0f64, |m, v| m.max(v.abs()));
    assert!(max <= peak + 2e-3 && max > 0.9 * peak, "{max}");
    // Uniform: variance peak²/3.
    let var = offs.iter().map(|v| v * v).sum::<f64>() / offs.len() as f64;
    assert!((var / (peak * peak / 3.0) - 1.0).abs() < 0.1, "{var}");
}

#[test]
fn bad_arguments_are_errors_naming_them() {
    let name = |e: Error| match e {
        Error::InvalidParameter { name, .. } => name,
        Error::NonFinite { name, .. } => name,
        Error::LengthMismatch { name, .. } => name,
        other => panic!("{other:?}"),
    };
    assert_eq!(name(Jitter::new(1, BAUD, 0).unwrap_err()), "samples_per_ui");
    assert_eq!(name(Jitter::new(8, f64::NAN, 0).unwrap_err()), "baud_hz");
    let j = || Jitter::new(8, BAUD, 0).unwrap();
    assert_eq!(name(j().rj(-0.1).unwrap_err()), "rj_rms_ui");
    assert_eq!(name(j().rj(f64::NAN).unwrap_err()), "rj_rms_ui");
    assert_eq!(name(j().sj(0.1, BAUD, 0.0).unwrap_err()), "sj_frequency_hz");
    assert_eq!(name(j().sj(-1.0, 1e6, 0.0).unwrap_err()), "sj_amplitude_ui");
    assert_eq!(
        name(j().sj(0.1, 1e6, f64::INFINITY).unwrap_err()),
        "sj_phase_rad"
    );
    assert_eq!(name(j().dcd(-0.1, DcdMode::EvenOdd).unwrap_err()), "dcd_ui");
    assert_eq!(
        name(j().buj(0.1, Buj::Prbs(8)).unwrap_err()),
        "buj_prbs_order"
    );
    assert_eq!(name(j().edge_offset(8).unwrap_err()), "edge_offset");
    assert_eq!(
        name(j().sj(60.0, 1e6, 0.0).unwrap().rj(1.0).unwrap_err()),
        "jitter"
    );
    let mut ok = j().rj(0.01).unwrap();
    assert_eq!(name(ok.process(&[0.0, f32::NAN]).unwrap_err()), "x");
    assert_eq!(
        name(ok.process_into(&[0.0; 4], &mut [0.0; 3]).unwrap_err()),
        "out"
    );
}

use crate::testutil::pieces;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn jitter_is_chunk_invariant(
        seed in any::<u64>(),
        sps in 2usize..20,
        rj in 0f64..0.03,
        sj in 0f64..2.0,
        dcd in 0f64..0.15,
        buj in 0f64..0.08,
        rising in any::<bool>(),
        prbs in any::<bool>(),
        cuts in prop::collection::vec(0usize..300, 0..8),
        extra in 0usize..300,
    ) {
        let total = cuts.iter().sum::<usize>() + extra;
        let x = nrz(&bits(seed, total / sps + 1), sps, 0.5);
        let x = &x[..total];
        for backend in Backend::available() {
            let new = || Jitter::new(sps, BAUD, seed).unwrap()
                .rj(rj).unwrap()
                .sj(sj, 3e8, 1.0).unwrap()
                .dcd(dcd, if rising { DcdMode::RisingFalling } else { DcdMode::EvenOdd }).unwrap()
                .buj(buj, if prbs { Buj::Prbs(9) } else { Buj::Uniform }).unwrap()
                .edge_offset(seed as usize % sps).unwrap()
                .with_backend(backend).unwrap();
            let whole = new().process(x).unwrap();
            let mut j = new();
            let mut parts = vec![f32::NAN; total];
            for r in pieces(total, &cuts) {
                j.process_into(&x[r.clone()], &mut parts[r]).unwrap();
            }
            prop_assert!(whole.iter().zip(&parts).all(|(a, b)| a.to_bits() == b.to_bits()));
            j.reset();
            prop_assert_eq!(j.process(x).unwrap(), whole);
        }
    }
}

#[test]
fn every_edge_moves_by_its_displacement() {
    let sps = 32;
    let x = nrz(&bits(12, 3000), sps, 0.5);
    let mut j = Jitter::new(sps, BAUD, 5)
        .unwrap()
        .rj(0.03)
        .unwrap()
        .buj(0.05, Buj::Uniform)
        .unwrap()
        .sj(0.4, BAUD / 300.0, 0.0)
        .unwrap();
    // The same source, replayed from the first edge the block draws.
    let mut src = j.src.clone();
    let reach = (j.max_displacement_ui() * sps as f64).ceil() as i64;
    let k0 = (-(j.delay() as i64) - reach).div_euclid(sps as i64) - 1;
    let d: Vec<f64> = (k0..3000).map(|k| src.next(k, 0.0)).collect();
    let y = j.process(&x).unwrap();
    let l = j.delay() as f64;
    let (cx, cy) = (crossings(&x), crossings(&y));
    assert!(cy.len() + 5 >= cx.len() && cy.len() > 1000);
    for (a, b) in cx.iter().zip(&cy).skip(2) {
        let k = (a.0 / sps as f64).round() as i64;
        let got = (b.0 - l - a.0) / sps as f64;
        let want = d[(k - k0) as usize];
        // The warp has a kink at each edge (slopes change there): the linear
        // crossing finder of this test misses by up to ~0.1 sample.
        assert!((got - want).abs() < 4e-3, "edge {k}: {got} vs {want}");
    }
}
