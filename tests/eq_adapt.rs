//! Tx FIR and CTLE adaptation: the choice is the best of the grid by an independent
//! evaluation, it cancels a known cursor, and it trades equalisation for noise.
use serdes_dsp::eq::{
    solve_ffe, Ctle, CtleGrid, CtleParams, ReferenceReceiver, SolveMethod, TxFir, TxFirAdapted,
    TxFirGrid,
};

const SA: f64 = 5.0 / 9.0;

/// Slicer SNR (dB) of a symbol-spaced pulse, written out: signal over ISI + noise.
fn slicer_snr_db(q: &[f64], main: usize, noise_var: f64) -> f64 {
    let isi: f64 = q
        .iter()
        .enumerate()
        .filter(|&(j, _)| j != main)
        .map(|(_, v)| v * v)
        .sum();
    10.0 * (SA * q[main] * q[main] / (SA * isi + noise_var)).log10()
}

fn convolve(c: &[f32], p: &[f32]) -> Vec<f64> {
    let mut q = vec![0.0; c.len() + p.len() - 1];
    for (i, &a) in c.iter().enumerate() {
        for (j, &b) in p.iter().enumerate() {
            q[i + j] += a as f64 * b as f64;
        }
    }
    q
}

/// The 802.3ck grid's choice for `pulse` (main cursor `cursor`) with a noiseless
/// slicer, and the pulse it makes at the receiver.
fn adapt_802_3ck_noiseless(pulse: &[f32], cursor: usize) -> (TxFirAdapted, Vec<f64>) {
    let a = TxFir::adapt(
        pulse,
        cursor,
        &TxFirGrid::ieee_802_3ck(),
        &ReferenceReceiver::slicer(0.0),
    )
    .unwrap();
    let q = convolve(a.fir.taps(), pulse);
    (a, q)
}

#[test]
fn tx_fir_cancels_a_known_post_cursor_within_a_step() {
    for h1 in [0.1f32, 0.15, 0.25] {
        let (a, q) = adapt_802_3ck_noiseless(&[1.0, h1], 0);
        // the post-cursor at the receiver, relative to the main cursor
        let post = q[4] / q[3];
        assert!(post.abs() < 0.02 + 1e-6, "h1 {h1}: post-cursor {post}");
        a.fir.check_802_3ck_kr().unwrap();
    }
}

#[test]
fn tx_fir_cancels_a_known_pre_cursor_within_a_step() {
    let (a, q) = adapt_802_3ck_noiseless(&[0.2, 1.0], 1);
    assert_eq!(a.cursor, 4);
    assert!(
        (q[3] / q[4]).abs() < 0.02 + 1e-6,
        "pre-cursor {}",
        q[3] / q[4]
    );
}

#[test]
fn tx_fir_choice_is_the_grid_maximum_of_an_independent_evaluation() {
    // A channel with pre- and post-cursors and noise: check against every setting.
    let pulse = [0.04f32, -0.12, 0.9, 0.35, 0.12, 0.05];
    let nv = 2e-3;
    let grid = TxFirGrid::ieee_802_3ck().with_step(0.04).unwrap();
    let a = TxFir::adapt(&pulse, 2, &grid, &ReferenceReceiver::slicer(nv)).unwrap();
    let best = grid
        .combinations()
        .iter()
        .map(|c| slicer_snr_db(&convolve(c, &pulse), 5, nv))
        .fold(f64::NEG_INFINITY, f64::max);
    assert!((a.snr_db - best).abs() < 1e-9, "{} vs {best}", a.snr_db);
    let mine = slicer_snr_db(&convolve(a.fir.taps(), &pulse), 5, nv);
    assert!((mine - best).abs() < 1e-9);
    assert_eq!(a.evaluated, grid.combinations().len());
}

#[test]
fn tx_fir_with_an_rx_ffe_beats_preset_1_by_solve_ffe() {
    // (pulse, main, FFE taps, FFE cursor, least gain in dB judged by solve_ffe)
    let cases: [(&[f32], usize, usize, usize, f64); 2] = [
        // a long FFE already equalises most: the Tx FIR must not lose
        (
            &[0.05, 0.25, 1.0, 0.55, 0.3, 0.15, 0.07, 0.03],
            2,
            6,
            1,
            0.0,
        ),
        // a 2-tap FFE with no pre-cursor tap: the Tx c(−1) must take the pre-cursor
        (&[0.02, 0.3, 1.0, 0.35, 0.1, 0.03], 2, 2, 0, 3.0),
    ];
    let nv = 1e-3;
    for (pulse, main, n, k, gain) in cases {
        let rx = ReferenceReceiver::ffe_dfe(n, k, 0, nv);
        let a = TxFir::adapt(pulse, main, &TxFirGrid::ieee_802_3ck(), &rx).unwrap();
        // solve_ffe (the MMSE FFE solver, biased SNR) as the independent judge
        let judge = |c: &[f32]| {
            let q: Vec<f32> = convolve(c, pulse).iter().map(|&v| v as f32).collect();
            solve_ffe(
                &q,
                n,
                k,
                1,
                SolveMethod::Mmse {
                    noise_var: nv,
                    signal_power: SA,
                },
            )
            .unwrap()
            .snr_db
        };
        let adapted = judge(a.fir.taps());
        let preset = judge(TxFir::preset(1).unwrap().taps());
        assert!(adapted >= preset + gain - 1e-9, "{adapted} vs {preset}");
    }
}

#[test]
fn more_noise_buys_less_tx_equalisation() {
    let pulse = [0.1f32, 1.0, 0.45, 0.2, 0.08];
    let side = |nv: f64| {
        let a = TxFir::adapt(
            &pulse,
            1,
            &TxFirGrid::ieee_802_3ck(),
            &ReferenceReceiver::slicer(nv),
        )
        .unwrap();
        1.0 - a.fir.taps()[3]
    };
    let (quiet, noisy) = (side(0.0), side(0.5));
    assert!(noisy < quiet, "noisy {noisy} quiet {quiet}");
}

/// Pulse at 16 samples/UI of a first-order channel with time constant `tau_ui`.
fn channel_pulse(m: usize, tau_ui: f64) -> Vec<f32> {
    (0..40 * m)
        .map(|i| {
            let t = i as f64 / m as f64;
            let up = 1.0 - (-t / tau_ui).exp();
            let down = if t > 1.0 {
                1.0 - (-(t - 1.0) / tau_ui).exp()
            } else {
                0.0
            };
            (up - down) as f32
        })
        .collect()
}

#[test]
fn ctle_choice_is_the_grid_maximum_by_the_filters_own_impulse_response() {
    let (m, fb) = (16usize, 53.125e9);
    let fs = m as f64 * fb;
    let pulse = channel_pulse(m, 1.2);
    let nv = 1e-3;
    let grid = CtleGrid::new(&[0.0, -3.0, -6.0, -9.0, -12.0, -15.0], &[0.0, -3.0, -6.0]).unwrap();
    let mut ctle = Ctle::annex_93a(CtleParams::ieee_802_3ck(0.0, 0.0), fs).unwrap();
    let a = ctle
        .adapt(&pulse, m, &grid, &ReferenceReceiver::slicer(nv))
        .unwrap();
    // Independent route: Ctle::apply_to_impulse_response on a longer padding.
    let pad = 512 * m;
    let mut best = (f64::NEG_INFINITY, 0.0, 0.0);
    for &g in grid.g_dc_db() {
        for &g2 in grid.g_dc2_db() {
            let c = Ctle::annex_93a(CtleParams::ieee_802_3ck(g, g2), fs).unwrap();
            let mut x = pulse.clone();
            x.resize(pad, 0.0);
            let y: Vec<f64> = c
                .apply_to_impulse_response(&x, 1.0 / fs)
                .unwrap()
                .iter()
                .map(|&v| v as f64)
                .collect();
            let mut delta = vec![0.0f32; pad];
            delta[0] = 1.0;
            let gimp = c.apply_to_impulse_response(&delta, 1.0 / fs).unwrap();
            let noise = nv * gimp.iter().map(|&v| (v as f64).powi(2)).sum::<f64>();
            let peak = (0..y.len())
                .max_by(|&i, &j| y[i].abs().total_cmp(&y[j].abs()))
                .unwrap();
            let ui: Vec<f64> = (peak % m..y.len()).step_by(m).map(|i| y[i]).collect();
            let snr = slicer_snr_db(&ui, peak / m, noise);
            let listed = a
                .table
                .iter()
                .find(|t| t.g_dc_db == g && t.g_dc2_db == g2)
                .unwrap()
                .snr_db;
            assert!(
                (listed - snr).abs() < 0.05,
                "g {g} g2 {g2}: {listed} vs {snr}"
            );
            if snr > best.0 {
                best = (snr, g, g2);
            }
        }
    }
    assert!(
        (a.snr_db - best.0).abs() < 0.05,
        "{} vs {:?}",
        a.snr_db,
        best
    );
    assert_eq!(ctle.params().unwrap().g_dc_db, a.params.g_dc_db);
    assert!(a.params.g_dc_db < 0.0, "a 1.2-UI channel wants peaking");
}
