//! Arbitrary bytes through the PAM4 signal chain: never panics; on valid input the
//! Gray mapping and the precoder round-trip and the slicer inverts the mapper.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serdes_dsp::signal::{
    bits_to_symbols, symbols_to_bits, Pam4Mapper, PrecodeDecoder, Precoder, Slicer,
};

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let split = (data[0] as usize) % data.len();
    let (syms, rest) = data[1..].split_at(split.min(data.len() - 1));
    // Raw bytes as symbols: valid only if every byte is 0..=3; errors otherwise.
    let valid = syms.iter().all(|&s| s <= 3);
    let pre = Precoder::new().process(syms);
    assert_eq!(pre.is_ok(), valid);
    if let Ok(p) = pre {
        assert_eq!(PrecodeDecoder::new().process(&p).unwrap(), syms);
        let x = Pam4Mapper::new().map(&p).unwrap();
        assert_eq!(Slicer::pam4().slice(&x).unwrap(), p);
        let mut bits = vec![0u8; 2 * syms.len()];
        symbols_to_bits(syms, &mut bits).unwrap();
        let mut back = vec![0u8; syms.len()];
        bits_to_symbols(&bits, &mut back).unwrap();
        assert_eq!(back, syms);
    }
    // Raw bytes as f32 samples (NaN, inf included): an error, never a panic.
    let samples: Vec<f32> = rest
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let r = Slicer::pam4().slice(&samples);
    assert_eq!(r.is_ok(), samples.iter().all(|v| v.is_finite()));
    if let Ok(levels) = Pam4Mapper::with_levels([
        samples.first().copied().unwrap_or(0.0),
        samples.get(1).copied().unwrap_or(0.0),
        samples.get(2).copied().unwrap_or(0.0),
        samples.get(3).copied().unwrap_or(0.0),
    ]) {
        let t = levels.thresholds();
        let _ = Slicer::with_thresholds(&t);
    }
});
