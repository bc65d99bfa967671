//! Bad configuration and bad input are errors that name the argument and the range.
use serdes_dsp::eq::{
    solve_ffe, Ctle, Dfe, DfeAdapt, ErrorBursts, Ffe, Lms, Mlse, Modulation, SolveMethod, TxFir,
};

fn msg<T: std::fmt::Debug>(r: serdes_dsp::Result<T>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn constructors_reject_bad_taps_cursors_and_poles() {
    assert!(msg(Ffe::new(&[], 0)).contains("`taps`"));
    assert!(msg(Ffe::new(&[1.0, f32::NAN], 0)).contains("`taps`"));
    assert!(msg(Ffe::new(&[1.0, 0.2], 2)).contains("`cursor`"));
    assert!(msg(Ffe::new(&vec![0.1; 2000], 0)).contains("1..=1024"));
    assert!(msg(Ffe::fractional(&[1.0], 0, 65)).contains("samples_per_symbol"));
    assert!(msg(TxFir::new(&[0.0, 0.0], 0)).contains("`taps`"));
    assert!(msg(TxFir::normalised(&[1.0, f32::INFINITY], 0)).contains("`taps`"));
    assert!(msg(Dfe::new(Modulation::Pam4, &[])).contains("`taps`"));
    assert!(msg(Dfe::new(Modulation::Pam4, &[0.1; 33])).contains("1..=32"));
    assert!(msg(Dfe::new(Modulation::Nrz, &[f32::NAN])).contains("`taps`"));
    assert!(msg(Mlse::new(Modulation::Pam4, &[1.0], 8)).contains("`channel`"));
    assert!(msg(Mlse::new(Modulation::Pam4, &[0.0, 0.5], 8)).contains("h0"));
    assert!(msg(Mlse::new(Modulation::Pam4, &[1.0, 0.5], 0)).contains("`depth`"));
    assert!(msg(Mlse::new(Modulation::Pam4, &[1.0, 0.5], 32)).contains("1..=31"));
    assert!(msg(Ctle::from_poles_zeros(1.0, &[], &[-1e9], 1e10)).contains("unstable"));
    assert!(msg(Ctle::from_poles_zeros(1.0, &[1e9], &[f64::NAN], 1e10)).contains("poles_hz"));
    assert!(msg(Ctle::from_poles_zeros(1.0, &[1e9, 2e9], &[3e9], 1e10)).contains("zeros_hz"));
    assert!(msg(Ctle::from_poles_zeros(1.0, &[0.0], &[3e9], 1e10)).contains("zeros_hz"));
    assert!(msg(Ctle::from_poles_zeros(1.0, &[], &[3e9], 0.0)).contains("sample_rate_hz"));
    assert!(msg(solve_ffe(&[1.0, 0.5], 0, 0, 1, SolveMethod::ZeroForcing)).contains("n_taps"));
    assert!(msg(solve_ffe(
        &[1.0, f32::NAN],
        3,
        0,
        1,
        SolveMethod::ZeroForcing
    ))
    .contains("`pulse`"));
    assert!(msg(solve_ffe(&[1.0], 3, 5, 1, SolveMethod::ZeroForcing)).contains("`cursor`"));
    assert!(msg(Lms::new(0.0)).contains("`mu`"));
    assert!(msg(Lms::new(f32::NAN)).contains("`mu`"));
    assert!(msg(ErrorBursts::new(Modulation::Pam4, 0)).contains("max_distance"));
    assert!(msg(Modulation::from_name("pam8")).contains("modulation"));
}

#[test]
fn processing_rejects_nan_samples_and_wrong_lengths() {
    let x = [0.1f32, f32::NAN, 0.3];
    assert!(msg(Ffe::new(&[1.0], 0).unwrap().process(&x)).contains("`x`"));
    assert!(msg(TxFir::preset1().process(&x)).contains("`x`"));
    assert!(msg(Dfe::new(Modulation::Pam4, &[0.2]).unwrap().process(&x)).contains("`x`"));
    assert!(msg(Mlse::new(Modulation::Pam4, &[1.0, 0.5], 4)
        .unwrap()
        .process(&x))
    .contains("`x`"));
    let mut ctle = Ctle::from_poles_zeros(1.0, &[1e9], &[3e9], 1e10).unwrap();
    assert!(msg(ctle.process(&x)).contains("`x`"));
    assert!(msg(ctle.process_into(&[0.0; 3], &mut [0.0; 2])).contains("`out`"));
    let mut ffe = Ffe::new(&[1.0, 0.0], 0).unwrap();
    assert!(
        msg(ffe.adapt(&[0.0; 4], Some(&[0.0; 3]), &Lms::new(0.1).unwrap())).contains("reference")
    );
    assert!(
        msg(ffe.adapt(&[0.0; 2], Some(&[0.0, f32::NAN]), &Lms::new(0.1).unwrap()))
            .contains("reference")
    );
    // a step far too large diverges: an error, and the taps are kept
    let big: Vec<f32> = (0..200)
        .map(|i| if i % 2 == 0 { 50.0 } else { -50.0 })
        .collect();
    assert!(msg(ffe.adapt(&big, None, &Lms::new(1.0).unwrap())).contains("`mu`"));
    assert_eq!(ffe.taps(), &[1.0, 0.0]);
    let mut dfe = Dfe::new(Modulation::Pam4, &[0.2]).unwrap();
    assert!(msg(dfe.adapt(&[0.0; 2], Some(&[0, 4]), &DfeAdapt::default())).contains("reference"));
    assert!(msg(dfe.process_into(&[0.0; 2], &mut [0; 3])).contains("symbols"));
    let mut b = ErrorBursts::new(Modulation::Nrz, 1).unwrap();
    assert!(msg(b.update(&[0, 2], &[0, 0])).contains("decided"));
}
