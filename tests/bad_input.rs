//! Bad input is an error that names the argument and the allowed values, never a panic.
use serdes_dsp::channel::Awgn;
use serdes_dsp::link::AwgnLink;
use serdes_dsp::signal::{bits_to_symbols, Pam4Mapper, Prbs, PrbsChecker, Precoder, Slicer};
use serdes_dsp::Error;

fn message<T>(r: Result<T, Error>) -> String {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn prbs_order_and_seed() {
    let m = message(Prbs::new(8, 1));
    assert!(m.contains("`order`") && m.contains("31"), "{m}");
    let m = message(Prbs::new(31, 0));
    assert!(m.contains("`seed`"), "{m}");
    let m = message(Prbs::new(7, 1 << 7));
    assert!(m.contains("`seed`"), "{m}");
    assert!(message(PrbsChecker::new(8)).contains("`order`"));
    let mut c = PrbsChecker::new(7).unwrap();
    assert!(message(c.process(&[0, 1, 2])).contains("`bits`"));
}

#[test]
fn snr_must_be_finite() {
    for snr in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert!(message(AwgnLink::new(snr, 1)).contains("`snr_db`"));
        assert!(message(Awgn::from_snr_db(snr, 1.0, 1)).contains("`snr_db`"));
    }
    assert!(message(Awgn::from_snr_db(10.0, 0.0, 1)).contains("`signal_power`"));
    assert!(message(Awgn::new(-1.0, 1)).contains("`sigma`"));
}

#[test]
fn samples_with_nan_or_infinity() {
    let x = [0.1f32, f32::NAN, 0.3];
    let m = message(Slicer::pam4().slice(&x));
    assert!(m.contains("`samples`") && m.contains("index 1"), "{m}");
    assert!(message(Slicer::pam4().slice(&[f32::INFINITY])).contains("`samples`"));
    let mut a = Awgn::new(0.1, 1).unwrap();
    assert!(message(a.process(&x)).contains("`x`"));
}

#[test]
fn symbols_and_lengths() {
    assert!(message(Precoder::new().process(&[0, 1, 7])).contains("`symbols`[2] = 7"));
    assert!(message(Pam4Mapper::new().map(&[4])).contains("0..=3"));
    let mut s = [0u8; 2];
    assert!(message(bits_to_symbols(&[0, 1, 1], &mut s)).contains("`bits`"));
    assert!(message(Pam4Mapper::with_rlm(1.2)).contains("`rlm`"));
}
