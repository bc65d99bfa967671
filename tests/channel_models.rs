//! Channel models against closed forms: an RC low-pass's step and pulse responses,
//! the lossy line's loss at Nyquist measured on its impulse response, Parseval's
//! energy balance, a reflection's echo, the streaming filter against a direct sum,
//! and bad input.

use num_complex::Complex64;
use serdes_dsp::channel::conv::reference_convolution;
use serdes_dsp::channel::Channel;
use std::f64::consts::{PI, TAU};

/// `|Σ h[n] e^{−j2πfn/fs}|` in dB of loss: the impulse response's own DFT.
fn measured_loss_db(h: &[f32], f: f64, fs: f64) -> f64 {
    let mut acc = Complex64::new(0.0, 0.0);
    for (n, &v) in h.iter().enumerate() {
        acc += Complex64::from_polar(v as f64, -TAU * f * n as f64 / fs);
    }
    -20.0 * acc.norm().log10()
}

/// Simpson's rule of `g` on `[0, b]` with `m` (even) intervals.
fn simpson(g: impl Fn(f64) -> f64, b: f64, m: usize) -> f64 {
    let dx = b / m as f64;
    let mut s = g(0.0) + g(b);
    for i in 1..m {
        s += g(i as f64 * dx) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    s * dx / 3.0
}

#[test]
fn rc_low_pass_step_and_pulse_match_the_closed_form() {
    let (f3, baud, sps) = (5e9, 25e9, 64);
    let fs = sps as f64 * baud;
    let tau = 1.0 / (TAU * f3);
    let ir = Channel::low_pass(1, f3)
        .unwrap()
        .impulse_response(sps, baud, 64)
        .unwrap();
    // Sampling a response with a jump at t = 0 gives half the jump at sample 0, so
    // the running sum is the step response half a sample later (trapezoid rule).
    let step_at = |n: f64| {
        if n < 0.0 {
            0.0
        } else {
            1.0 - (-(n + 0.5) / (fs * tau)).exp()
        }
    };
    let step = ir.step();
    for (n, &s) in step.iter().enumerate().take(1500) {
        let want = step_at(n as f64);
        assert!(
            (s as f64 - want).abs() < 5e-3,
            "step[{n}] = {s}, closed form {want}"
        );
    }
    let pulse = ir.pulse();
    for (n, &p) in pulse.samples.iter().enumerate().take(1500) {
        let want = step_at(n as f64) - step_at(n as f64 - sps as f64);
        assert!(
            (p as f64 - want).abs() < 5e-3,
            "pulse[{n}] = {p}, closed form {want}"
        );
    }
    // The pulse peaks at the end of the UI: 1 − e^{−T/τ}.
    let peak = 1.0 - (-(1.0 / baud) / tau).exp();
    assert!((pulse.main_cursor() as f64 - peak).abs() < 5e-3);
    assert!((pulse.peak_index as i64 - (sps as i64 - 1)).abs() <= 1);
}

#[test]
fn butterworth_step_settles_with_the_closed_form_overshoot() {
    // A 2nd-order Butterworth (ζ = 1/√2) overshoots by e^{−πζ/√(1−ζ²)} = e^{−π} = 4.32 %.
    let ir = Channel::low_pass(2, 5e9)
        .unwrap()
        .impulse_response(64, 25e9, 64)
        .unwrap();
    let step = ir.step();
    let max = step.iter().fold(0.0f32, |a, &v| a.max(v)) as f64;
    assert!((max - (1.0 + (-PI).exp())).abs() < 2e-3, "peak {max}");
    assert!((*step.last().unwrap() as f64 - 1.0).abs() < 1e-3);
}

#[test]
fn lossy_line_loss_at_nyquist_is_the_requested_loss() {
    let baud = 53.125e9;
    for loss in [5.0, 15.0, 28.0, 40.0] {
        let ch = Channel::lossy_line(loss, baud).unwrap();
        assert!((ch.insertion_loss_db(baud / 2.0).unwrap() - loss).abs() < 1e-9);
        let ir = ch.impulse_response(16, baud, 256).unwrap();
        let got = measured_loss_db(&ir.samples, baud / 2.0, ir.sample_rate_hz());
        assert!(
            (got - loss).abs() < 0.1,
            "requested {loss} dB, impulse response has {got} dB"
        );
        // Also at a quarter of Nyquist, against the formula.
        let want = ch.insertion_loss_db(baud / 8.0).unwrap();
        let got = measured_loss_db(&ir.samples, baud / 8.0, ir.sample_rate_hz());
        assert!((got - want).abs() < 0.1, "{got} vs {want}");
    }
}

#[test]
fn lossy_line_is_causal_and_minimum_phase_like() {
    // A minimum-phase response starts at t = 0: no energy at the end of the period
    // (which is where a non-causal response would wrap to).
    let ir = Channel::lossy_line(20.0, 53.125e9)
        .unwrap()
        .impulse_response(16, 53.125e9, 128)
        .unwrap();
    let e: f64 = ir.samples.iter().map(|&v| (v as f64).powi(2)).sum();
    let tail: f64 = ir.samples[ir.samples.len() - 16 * 8..]
        .iter()
        .map(|&v| (v as f64).powi(2))
        .sum();
    // What is left there is the band-edge window's short symmetric smear of the
    // response's start (measured 5e-6 of the energy).
    assert!(tail < 1e-4 * e, "tail energy {tail} of {e}");
    assert!(ir.peak_index < 16 * 4, "peak at {}", ir.peak_index);
}

#[test]
fn parseval_impulse_energy_equals_integral_of_squared_magnitude() {
    let baud = 53.125e9;
    let sps = 16;
    let fs = sps as f64 * baud;
    let ch = Channel::lossy_line(10.0, baud).unwrap();
    let ir = ch.impulse_response(sps, baud, 256).unwrap();
    let energy: f64 = ir.samples.iter().map(|&v| (v as f64).powi(2)).sum();
    let mag2 = |f: f64| 10f64.powf(-ch.insertion_loss_db(f).unwrap() / 10.0);
    let want = 2.0 * simpson(mag2, fs / 2.0, 200_000) / fs;
    assert!((energy / want - 1.0).abs() < 0.01, "{energy} vs {want}");

    let lp = Channel::low_pass(2, 10e9).unwrap();
    let ir = lp.impulse_response(sps, baud, 256).unwrap();
    let energy: f64 = ir.samples.iter().map(|&v| (v as f64).powi(2)).sum();
    // ∫_{-∞}^{∞} 1/(1 + (f/f3)^4) df = f3 · π/√2.
    let want = 10e9 * PI / 2f64.sqrt() / fs;
    assert!((energy / want - 1.0).abs() < 0.01, "{energy} vs {want}");
}

#[test]
fn reflection_adds_a_delayed_echo() {
    let baud = 25e9;
    let fs = 16.0 * baud;
    let ch = Channel::lossy_line(0.0, baud)
        .unwrap()
        .with_reflection(-0.2, 100e-12)
        .unwrap();
    let ir = ch.impulse_response(16, baud, 32).unwrap();
    let echo = (100e-12 * fs).round() as usize;
    // The band-edge window smears the impulses alike: compare the echo to the direct.
    let ratio = ir.samples[echo] / ir.samples[0];
    assert!((ratio + 0.2).abs() < 0.01, "echo/direct = {ratio}");
    assert_eq!(ir.peak_index, 0);
    // And the magnitude ripples between 0.8 and 1.2.
    let il: Vec<f64> = (0..100)
        .map(|k| ch.insertion_loss_db(k as f64 * 1e8).unwrap())
        .collect();
    let lo = il.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = il.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    assert!((lo + 20.0 * 1.2f64.log10()).abs() < 0.01 && (hi + 20.0 * 0.8f64.log10()).abs() < 0.01);
}

#[test]
fn tabulated_low_pass_matches_the_analytic_one() {
    let (sps, baud, n_ui) = (16, 25e9, 64);
    let fs = sps as f64 * baud;
    let f: Vec<f64> = (0..=4000).map(|k| k as f64 * fs / 2.0 / 4000.0).collect();
    let h: Vec<Complex64> = f
        .iter()
        .map(|&f| Complex64::new(1.0, 0.0) / Complex64::new(1.0, f / 8e9))
        .collect();
    let tab = Channel::from_frequency_response(&f, &h)
        .unwrap()
        .impulse_response(sps, baud, n_ui)
        .unwrap();
    let ana = Channel::low_pass(1, 8e9)
        .unwrap()
        .impulse_response(sps, baud, n_ui)
        .unwrap();
    let peak = ana.samples[ana.peak_index].abs();
    for (a, b) in tab.samples.iter().zip(&ana.samples) {
        assert!((a - b).abs() < 1e-3 * peak, "{a} vs {b}");
    }
}

#[test]
fn streaming_filter_is_the_convolution_with_the_impulse_response() {
    let ch = Channel::lossy_line(25.0, 53.125e9).unwrap();
    let mut filt = ch.filter(8, 53.125e9, 64).unwrap();
    let ir = filt.impulse().samples.clone();
    let x: Vec<f32> = (0..4000)
        .map(|i| if (i / 8) % 3 == 0 { 1.0 } else { -1.0 })
        .collect();
    let mut y = filt.process(&x[..1234]).unwrap();
    y.extend(filt.process(&x[1234..]).unwrap());
    let want = reference_convolution(&ir, &x);
    let scale: f32 = ir.iter().map(|v| v.abs()).sum();
    for (a, b) in y.iter().zip(&want) {
        assert!((a - b).abs() < 1e-5 * scale, "{a} vs {b}");
    }
    // A single UI-long pulse through the filter is the pulse response.
    filt.reset();
    let mut one = vec![0.0f32; 512];
    one[..8].fill(1.0);
    let got = filt.process(&one).unwrap();
    let pulse = ch.pulse_response(8, 53.125e9, 64).unwrap();
    for (a, b) in got.iter().zip(&pulse.samples) {
        assert!((a - b).abs() < 1e-5, "{a} vs {b}");
    }
}

#[test]
fn bad_input_is_an_error_naming_the_argument() {
    let msg = |r: Result<Channel, serdes_dsp::Error>| r.unwrap_err().to_string();
    assert!(msg(Channel::lossy_line(f64::NAN, 53e9)).contains("`loss_db`"));
    assert!(msg(Channel::lossy_line(-3.0, 53e9)).contains("`loss_db`"));
    assert!(msg(Channel::lossy_line(10.0, f64::NAN)).contains("`baud_hz`"));
    assert!(msg(Channel::low_pass(0, 1e9)).contains("`order`"));
    assert!(msg(Channel::from_frequency_response(&[], &[])).contains("`freqs_hz`"));
    let c = Complex64::new(1.0, 0.0);
    let e = msg(Channel::from_frequency_response(&[1.0, 3.0, 3.0], &[c; 3]));
    assert!(e.contains("`freqs_hz`") && e.contains("increasing"), "{e}");
    assert!(msg(Channel::from_frequency_response(&[1.0, 2.0], &[c])).contains("`h`"));
    let ch = Channel::from_frequency_response(&[1e9, 2e9], &[c; 2]).unwrap();
    assert!(ch
        .insertion_loss_db(3e9)
        .unwrap_err()
        .to_string()
        .contains("`f_hz`"));
    assert!(ch
        .insertion_loss_db(f64::NAN)
        .unwrap_err()
        .to_string()
        .contains("`f_hz`"));
    let ll = Channel::lossy_line(10.0, 53e9).unwrap();
    assert!(ll
        .impulse_response(0, 53e9, 64)
        .unwrap_err()
        .to_string()
        .contains("`samples_per_ui`"));
    assert!(ll
        .pulse_response(8, 53e9, 0)
        .unwrap_err()
        .to_string()
        .contains("`n_ui`"));
    assert!(ll
        .clone()
        .with_delay(-1.0)
        .unwrap_err()
        .to_string()
        .contains("`delay_s`"));
    let mut f = ll.filter(8, 53e9, 32).unwrap();
    assert!(f
        .process(&[0.0, f32::NAN])
        .unwrap_err()
        .to_string()
        .contains("`x`"));
}
