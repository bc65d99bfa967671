//! Arbitrary bytes into the Reed-Solomon decoder: never panics; whatever it reports
//! as corrected is a codeword (re-encodes to itself), at distance = the count it
//! reports, at most t; a failed word is left as received. Batch and single-word
//! decoding agree.
//!
//! Input: byte 0 picks the code (KP4, KR4, or a small RS(n, k) from bytes 1–2),
//! byte 3 the number of erasures; the rest are the received symbols (two bytes
//! each, masked to 10 bits; missing symbols are zero) and erasure positions.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serdes_dsp::fec::{Outcome, ReedSolomon};

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let rs = match data[0] % 3 {
        0 => ReedSolomon::kp4(),
        1 => ReedSolomon::kr4(),
        _ => match ReedSolomon::new(data[1] as usize + 2, data[2] as usize + 1) {
            Ok(rs) => rs,
            Err(_) => return,
        },
    };
    let n = rs.n();
    let body = &data[4..];
    let s = (data[3] as usize) % (rs.parity_len() + 2);
    let mut erasures: Vec<usize> = body.iter().take(s).map(|&b| b as usize * 7 % n).collect();
    erasures.sort_unstable();
    erasures.dedup();
    let sym = &body[s.min(body.len())..];
    let mut word: Vec<u16> = (0..n)
        .map(|i| {
            let lo = sym.get(2 * i).copied().unwrap_or(0) as u16;
            let hi = sym.get(2 * i + 1).copied().unwrap_or(0) as u16;
            (lo | hi << 8) & 0x3ff
        })
        .collect();
    let received = word.clone();
    let outcome = rs.decode_in_place(&mut word, &erasures).expect("valid input");
    match outcome {
        Outcome::Failed => assert_eq!(word, received),
        Outcome::Corrected(c) => {
            assert_eq!(rs.encode(&word[..rs.k()]).unwrap(), word);
            let dist = word.iter().zip(&received).filter(|(a, b)| a != b).count();
            assert_eq!(dist, c);
            let off_erasures = word
                .iter()
                .zip(&received)
                .enumerate()
                .filter(|(i, (a, b))| a != b && !erasures.contains(i))
                .count();
            assert!(2 * off_erasures + erasures.len() <= rs.parity_len() || erasures.len() > rs.parity_len());
        }
    }
    let mut mask = vec![false; n];
    for &p in &erasures {
        mask[p] = true;
    }
    let (words, outcomes) = rs.decode_batch(&received, Some(&mask)).unwrap();
    assert_eq!(outcomes, [outcome]);
    assert_eq!(words, word);
    // Out-of-range symbols are errors, not panics.
    let mut bad = received.clone();
    bad[n - 1] = 1024;
    assert!(rs.decode_in_place(&mut bad, &[]).is_err());
});
