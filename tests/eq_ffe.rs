//! FFE against direct convolution, SIMD against scalar, and taps from LMS against the
//! MMSE solution.
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serdes_dsp::channel::Awgn;
use serdes_dsp::cpu::Backend;
use serdes_dsp::eq::ffe::{direct_convolution, SIMD_TOLERANCE};
use serdes_dsp::eq::{solve_ffe, Ffe, Lms, LmsAlgorithm, SolveMethod};
use serdes_dsp::signal::Pam4Mapper;

fn uniform(seed: u64, n: usize) -> Vec<f32> {
    let mut r = StdRng::seed_from_u64(seed);
    (0..n).map(|_| r.random_range(-1.0f32..1.0)).collect()
}

fn symbols(seed: u64, n: usize) -> Vec<u8> {
    let mut r = StdRng::seed_from_u64(seed);
    (0..n).map(|_| r.random_range(0..4u8)).collect()
}

#[test]
fn every_backend_matches_direct_convolution_within_1e_5_relative() {
    // The check: numpy.convolve alignment, 1e-5 relative to Σ|c|·max|x|.
    for backend in Backend::available() {
        for n_taps in [1usize, 3, 8, 15, 16, 17, 31, 32, 64] {
            let taps = uniform(n_taps as u64, n_taps);
            let x = uniform(1000 + n_taps as u64, 4099);
            let want = direct_convolution(&taps, &x);
            let got = Ffe::new(&taps, n_taps / 3)
                .unwrap()
                .with_backend(backend)
                .unwrap()
                .process(&x)
                .unwrap();
            let scale: f32 = taps.iter().map(|c| c.abs()).sum::<f32>();
            for (n, (g, w)) in got.iter().zip(&want).enumerate() {
                assert!(
                    (g - w).abs() <= 1e-5 * scale,
                    "{backend:?} {n_taps} taps, n {n}: {g} vs {w}"
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// SIMD == scalar within the stated tolerance, on random taps, lengths and data.
    #[test]
    fn simd_matches_scalar(n_taps in 1usize..80, len in 0usize..700, seed in any::<u64>(), amp in 0.01f32..100.0) {
        let taps = uniform(seed, n_taps);
        let x: Vec<f32> = uniform(seed ^ 0x55, len).iter().map(|v| v * amp).collect();
        let scalar = Ffe::new(&taps, 0).unwrap().with_backend(Backend::Scalar).unwrap().process(&x).unwrap();
        let bound = SIMD_TOLERANCE * taps.iter().map(|c| c.abs()).sum::<f32>() * amp;
        for backend in Backend::available().into_iter().skip(1) {
            let simd = Ffe::new(&taps, 0).unwrap().with_backend(backend).unwrap().process(&x).unwrap();
            for (s, v) in simd.iter().zip(&scalar) {
                prop_assert!((s - v).abs() <= bound, "{:?}: {} vs {}", backend, s, v);
            }
        }
    }

    /// Random chunkings give the same output bit for bit, on every backend and for
    /// symbol- and fractionally spaced FFEs.
    #[test]
    fn chunk_invariance(n_taps in 1usize..40, sps in 1usize..4, cuts in prop::collection::vec(0usize..300, 0..8), seed in any::<u64>()) {
        let taps = uniform(seed, n_taps);
        let x = uniform(seed ^ 1, 1200);
        for backend in Backend::available() {
            let mut whole = Ffe::fractional(&taps, n_taps / 2, sps).unwrap().with_backend(backend).unwrap();
            let want = whole.process(&x).unwrap();
            let mut ffe = Ffe::fractional(&taps, n_taps / 2, sps).unwrap().with_backend(backend).unwrap();
            let mut got = Vec::new();
            let mut start = 0;
            for c in &cuts {
                let end = (start + c).min(x.len());
                got.extend(ffe.process(&x[start..end]).unwrap());
                start = end;
            }
            got.extend(ffe.process(&x[start..]).unwrap());
            prop_assert_eq!(got, want.clone());
            ffe.reset();
            prop_assert_eq!(ffe.process(&x).unwrap(), want);
        }
    }
}

/// Output SNR `σa² / E[(y[n] − a[n − D])²]` of an FFE on `x`, skipping the transient.
fn output_snr_db(taps: &[f32], cursor: usize, x: &[f32], a: &[f32], delay: usize) -> f64 {
    let y = Ffe::new(taps, cursor).unwrap().process(x).unwrap();
    let mut e2 = 0.0f64;
    let mut n = 0;
    for i in 1000..y.len() {
        let d = (y[i] - a[i - delay]) as f64;
        e2 += d * d;
        n += 1;
    }
    10.0 * ((5.0 / 9.0) / (e2 / n as f64)).log10()
}

#[test]
fn lms_converges_to_within_half_a_db_of_mmse() {
    // A known ISI channel: one pre-cursor, cursor, two post-cursors.
    let pulse = [0.15f32, 1.0, 0.45, 0.2, 0.05];
    let (n_taps, cursor) = (11, 3);
    let sigma = 0.05f32;
    let sol = solve_ffe(
        &pulse,
        n_taps,
        cursor,
        1,
        SolveMethod::Mmse {
            noise_var: (sigma * sigma) as f64,
            signal_power: 5.0 / 9.0,
        },
    )
    .unwrap();
    let channel = |seed: u64, n: usize| {
        let a = Pam4Mapper::new().map(&symbols(seed, n)).unwrap();
        let mut x = direct_convolution(&pulse, &a);
        Awgn::new(sigma, seed + 7).unwrap().process_in_place(&mut x);
        (a, x)
    };
    let (a_test, x_test) = channel(2, 200_000);
    let mmse = output_snr_db(&sol.taps, cursor, &x_test, &a_test, sol.delay);
    assert!(
        (mmse - sol.snr_db).abs() < 0.2,
        "measured {mmse} vs predicted {}",
        sol.snr_db
    );

    for (alg, mu, n) in [
        (LmsAlgorithm::Lms, 2e-3f32, 200_000usize),
        (LmsAlgorithm::SignSign, 2e-4, 400_000),
    ] {
        let (a, x) = channel(1, n);
        let reference: Vec<f32> = (0..n)
            .map(|i| {
                if i >= sol.delay {
                    a[i - sol.delay]
                } else {
                    0.0
                }
            })
            .collect();
        let mut init = vec![0.0f32; n_taps];
        init[cursor] = 1.0;
        let mut ffe = Ffe::new(&init, cursor).unwrap();
        let cfg = Lms::new(mu)
            .unwrap()
            .with_algorithm(alg)
            .with_record_every(1000)
            .unwrap();
        let adapted = ffe.adapt(&x, Some(&reference), &cfg).unwrap();
        assert_eq!(adapted.trajectory.len(), n / 1000);
        let lms = output_snr_db(ffe.taps(), cursor, &x_test, &a_test, sol.delay);
        eprintln!(
            "{alg:?}: SNR {lms:.2} dB vs MMSE {mmse:.2} dB; taps {:?}",
            ffe.taps()
        );
        assert!(lms > mmse - 0.5, "{alg:?}: {lms} dB vs MMSE {mmse} dB");
        // decision-directed from the trained taps keeps the SNR
        let dd = ffe
            .adapt(&x, None, &Lms::new(mu).unwrap().with_algorithm(alg))
            .unwrap();
        assert_eq!(dd.output.len(), n);
        let lms_dd = output_snr_db(ffe.taps(), cursor, &x_test, &a_test, sol.delay);
        assert!(
            lms_dd > mmse - 0.5,
            "{alg:?} decision-directed: {lms_dd} dB vs MMSE {mmse} dB"
        );
    }
}

#[test]
fn adaptation_is_chunk_invariant() {
    let pulse = [0.1f32, 1.0, 0.4];
    let a = Pam4Mapper::new().map(&symbols(5, 5000)).unwrap();
    let x = direct_convolution(&pulse, &a);
    let cfg = Lms::new(1e-3).unwrap();
    let mut whole = Ffe::new(&[0.0, 0.0, 1.0, 0.0, 0.0], 2).unwrap();
    let w = whole.adapt(&x, None, &cfg).unwrap();
    let mut parts = Ffe::new(&[0.0, 0.0, 1.0, 0.0, 0.0], 2).unwrap();
    let mut out = parts.adapt(&x[..1234], None, &cfg).unwrap().output;
    out.extend(parts.adapt(&x[1234..1235], None, &cfg).unwrap().output);
    out.extend(parts.adapt(&x[1235..], None, &cfg).unwrap().output);
    assert_eq!(out, w.output);
    assert_eq!(parts.taps(), whole.taps());
}

#[test]
fn zero_forcing_and_mmse_from_a_pulse_response() {
    let pulse = [0.0f32, 0.2, 1.0, 0.5, 0.25];
    let zf = solve_ffe(&pulse, 15, 4, 1, SolveMethod::ZeroForcing).unwrap();
    // residual ISI small: the equalised pulse is a unit pulse at the delay
    for (n, &q) in zf.equalised.iter().enumerate() {
        let t = if n == zf.delay { 1.0 } else { 0.0 };
        assert!((q - t).abs() < 0.05, "q[{n}] = {q}");
    }
    let noisy = solve_ffe(
        &pulse,
        15,
        4,
        1,
        SolveMethod::Mmse {
            noise_var: 0.01,
            signal_power: 5.0 / 9.0,
        },
    )
    .unwrap();
    // MMSE trades ISI for noise: smaller taps, and a better SNR than ZF's taps give with that noise
    let zf_noise: f64 =
        zf.taps.iter().map(|&c| (c * c) as f64).sum::<f64>() * 0.01 + zf.mse * 5.0 / 9.0;
    assert!(noisy.mse < zf_noise, "{} vs {}", noisy.mse, zf_noise);
    // fractionally spaced: 2 samples/UI
    let pulse2 = [0.0f32, 0.1, 0.2, 0.6, 1.0, 0.8, 0.5, 0.35, 0.25, 0.1];
    let f = solve_ffe(
        &pulse2,
        16,
        6,
        2,
        SolveMethod::Mmse {
            noise_var: 1e-4,
            signal_power: 5.0 / 9.0,
        },
    )
    .unwrap();
    assert!(f.snr_db > 20.0, "{}", f.snr_db);
    let ffe = Ffe::from_pulse_response(&pulse, 15, 4, 0.01).unwrap();
    assert_eq!(ffe.taps(), &noisy.taps[..]);
}
