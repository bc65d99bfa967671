//! Arbitrary received bits into the self-synchronising PRBS checker: never panics,
//! never counts more errors than bits, rejects bytes above 1.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serdes_dsp::signal::PrbsChecker;

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    let orders = [7u32, 9, 11, 13, 15, 23, 31, 8];
    let order = orders[(data[0] & 7) as usize];
    let Ok(mut c) = PrbsChecker::new(order) else {
        assert_eq!(order, 8);
        return;
    };
    let bits: Vec<u8> = data[1..].iter().map(|b| b & 1).collect();
    c.process(&bits).unwrap();
    assert!(c.errors() <= c.bits_checked());
    assert!(c.bits_checked() <= bits.len() as u64);
    assert_eq!(c.process(&data[1..]).is_ok(), data[1..].iter().all(|&b| b <= 1));
});
