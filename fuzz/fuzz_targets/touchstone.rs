//! Arbitrary bytes as Touchstone text: the parser never panics, and whatever it
//! accepts is a consistent network (N² S parameters per frequency, increasing
//! frequencies) on which mixed mode and insertion loss run without panicking.
//!
//! Input: byte 0 picks the port-count hint (0 → none, as for a `.ts` file; else
//! 1..=8); the rest is the text, decoded as UTF-8 with replacement like a file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serdes_dsp::channel::touchstone::{Network, PortOrdering};

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let hint = match first % 9 {
        0 => None,
        n => Some(n as usize),
    };
    let text = String::from_utf8_lossy(body);
    let Ok(net) = Network::parse(&text, hint) else {
        return;
    };
    let n = net.nports();
    assert_eq!(net.s().len(), net.nfreq() * n * n);
    assert_eq!(net.z0().len(), n);
    assert!(net.freqs_hz().windows(2).all(|w| w[0] < w[1]));
    for ordering in [PortOrdering::OddEven, PortOrdering::Adjacent] {
        let _ = net.mixed_mode(ordering);
        let _ = net.sdd21(ordering);
        let f = net.freqs_hz()[net.nfreq() / 2];
        let _ = net.insertion_loss_db(f, ordering);
    }
});
