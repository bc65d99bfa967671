//! Property tests of the Reed-Solomon decoder: every pattern of `e` errors and `s`
//! erasures with `2e + s ≤ 2t` is corrected; past that, the decoder reports a
//! failure (word untouched) or returns a codeword — never anything else; batch and
//! single-word decoding agree on every backend.
use proptest::prelude::*;
use serdes_dsp::cpu::Backend;
use serdes_dsp::fec::{Correction, Outcome, ReedSolomon};

mod common;
use common::Rng;

fn codes() -> Vec<ReedSolomon> {
    vec![
        ReedSolomon::kp4(),
        ReedSolomon::kr4(),
        ReedSolomon::new(1023, 1001).unwrap(),
        ReedSolomon::new(40, 10).unwrap(),
        ReedSolomon::new(3, 1).unwrap(),
    ]
}

fn random_codeword(rs: &ReedSolomon, rng: &mut Rng) -> Vec<u16> {
    let msg: Vec<u16> = (0..rs.k()).map(|_| rng.symbol()).collect();
    rs.encode(&msg).unwrap()
}

fn is_codeword(rs: &ReedSolomon, w: &[u16]) -> bool {
    rs.encode(&w[..rs.k()]).unwrap() == w && rs.syndromes(w).unwrap().iter().all(|&s| s == 0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn up_to_t_errors_are_corrected(seed in 1u64.., code in 0usize..5) {
        let rs = &codes()[code];
        let mut rng = Rng(seed);
        let cw = random_codeword(rs, &mut rng);
        let e = rng.below(rs.t() + 1);
        let mut rx = cw.clone();
        let pos = rng.positions(rs.n(), e);
        for &p in &pos {
            rx[p] ^= rng.nonzero();
        }
        let mut corrections = Vec::new();
        let out = rs.decode_with_corrections(&mut rx, &[], &mut corrections).unwrap();
        prop_assert_eq!(out, Outcome::Corrected(e));
        prop_assert_eq!(&rx, &cw);
        let mut got: Vec<usize> = corrections.iter().map(|c: &Correction| c.position).collect();
        got.sort_unstable();
        let mut want = pos.clone();
        want.sort_unstable();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn errors_and_erasures_within_2e_plus_s_le_2t_are_corrected(seed in 1u64.., code in 0usize..5) {
        let rs = &codes()[code];
        let mut rng = Rng(seed);
        let cw = random_codeword(rs, &mut rng);
        let two_t = rs.parity_len();
        let s = rng.below(two_t + 1);
        let e = rng.below((two_t - s) / 2 + 1);
        let pos = rng.positions(rs.n(), e + s);
        let (errs, erased) = pos.split_at(e);
        let mut rx = cw.clone();
        for &p in errs {
            rx[p] ^= rng.nonzero();
        }
        let mut changed = e;
        for &p in erased {
            // An erased symbol holds anything, possibly the right value.
            let v = if rng.below(4) == 0 { cw[p] } else { rng.symbol() };
            changed += (v != cw[p]) as usize;
            rx[p] = v;
        }
        let out = rs.decode_in_place(&mut rx, erased).unwrap();
        prop_assert_eq!(out, Outcome::Corrected(changed));
        prop_assert_eq!(&rx, &cw);
    }

    #[test]
    fn beyond_capacity_fails_or_returns_a_codeword(seed in 1u64.., code in 0usize..4, extra in 1usize..20) {
        let rs = &codes()[code];
        let mut rng = Rng(seed);
        let cw = random_codeword(rs, &mut rng);
        let e = (rs.t() + extra).min(rs.n());
        let mut rx = cw.clone();
        for p in rng.positions(rs.n(), e) {
            rx[p] ^= rng.nonzero();
        }
        let before = rx.clone();
        match rs.decode_in_place(&mut rx, &[]).unwrap() {
            Outcome::Failed => prop_assert_eq!(&rx, &before),
            Outcome::Corrected(c) => {
                prop_assert!(is_codeword(rs, &rx));
                let dist = rx.iter().zip(&before).filter(|(a, b)| a != b).count();
                prop_assert_eq!(dist, c);
                prop_assert!(c <= rs.t());
            }
        }
    }

    #[test]
    fn random_words_decode_to_codewords_or_fail(seed in 1u64.., code in 3usize..5) {
        // Short codes: random words are often within t of a codeword.
        let rs = &codes()[code];
        let mut rng = Rng(seed);
        let mut rx: Vec<u16> = (0..rs.n()).map(|_| rng.symbol()).collect();
        let before = rx.clone();
        match rs.decode_in_place(&mut rx, &[]).unwrap() {
            Outcome::Failed => prop_assert_eq!(&rx, &before),
            Outcome::Corrected(c) => {
                prop_assert!(is_codeword(rs, &rx));
                prop_assert!(c <= rs.t());
            }
        }
    }
}

#[test]
fn locator_root_in_the_shortened_positions_is_a_failure() {
    // A word whose syndromes are those of one error at x^1000 — beyond n = 544, in
    // the positions that shortening pads with zeros. The full-length codeword with a
    // single non-zero message symbol at x^1000 is Y·x^1000 + (its parity); its last
    // 544 symbols are zeros then that parity, so that part alone has exactly the
    // syndromes of Y at x^1000.
    for (n, k) in [(544, 514), (528, 514)] {
        let full = ReedSolomon::new(1023, 1023 - (n - k)).unwrap();
        let mut msg = vec![0u16; full.k()];
        msg[1022 - 1000] = 0x2a5;
        let cw = full.encode(&msg).unwrap();
        let mut rx = cw[1023 - n..].to_vec();
        assert!(rx[..k].iter().all(|&s| s == 0));
        let rs = ReedSolomon::new(n, k).unwrap();
        let syn = rs.syndromes(&rx).unwrap();
        assert_eq!(syn[0], 0x2a5);
        let before = rx.clone();
        assert_eq!(rs.decode_in_place(&mut rx, &[]).unwrap(), Outcome::Failed);
        assert_eq!(rx, before);
        // Two such errors (one inside, one outside): still a failure, nothing written.
        let mut rx2 = before.clone();
        rx2[7] ^= 0x11;
        let b2 = rx2.clone();
        let (w, o) = rs.decode(&rx2).unwrap();
        assert_eq!(o, Outcome::Failed);
        assert_eq!(w, b2);
    }
}

#[test]
fn batch_decode_agrees_with_single_on_every_backend() {
    let mut rng = Rng(0x5eed);
    for rs0 in [
        ReedSolomon::kp4(),
        ReedSolomon::kr4(),
        ReedSolomon::new(100, 60).unwrap(),
    ] {
        let (n, t) = (rs0.n(), rs0.t());
        let count = 700;
        let mut rx = Vec::new();
        let mut mask = vec![false; count * n];
        for i in 0..count {
            let mut cw = random_codeword(&rs0, &mut rng);
            let e = match i % 5 {
                0 => 0,
                1 => 1,
                2 => 2,
                3 => t,
                _ => rng.below(2 * t + 4),
            };
            for p in rng.positions(n, e) {
                cw[p] ^= rng.nonzero();
            }
            if i % 7 == 0 {
                let s = rng.below(t + 1);
                for p in rng.positions(n, s) {
                    mask[i * n + p] = true;
                }
            }
            rx.extend_from_slice(&cw);
        }
        let mut want_words = rx.clone();
        let mut want = Vec::new();
        for i in 0..count {
            let er: Vec<usize> = (0..n).filter(|&p| mask[i * n + p]).collect();
            want.push(
                rs0.decode_in_place(&mut want_words[i * n..(i + 1) * n], &er)
                    .unwrap(),
            );
        }
        for backend in Backend::available() {
            let rs = rs0.clone().with_backend(backend).unwrap();
            let (words, outcomes) = rs.decode_batch(&rx, Some(&mask)).unwrap();
            assert_eq!(outcomes, want, "{backend:?}");
            assert_eq!(words, want_words, "{backend:?}");
        }
    }
}

#[test]
fn bad_input_is_an_error_naming_the_argument() {
    let rs = ReedSolomon::kp4();
    let e = ReedSolomon::new(1024, 1000).unwrap_err().to_string();
    assert!(e.contains("`n`"), "{e}");
    let e = ReedSolomon::new(544, 515).unwrap_err().to_string();
    assert!(e.contains("`k`") && e.contains("even"), "{e}");
    assert!(ReedSolomon::new(10, 0)
        .unwrap_err()
        .to_string()
        .contains("`k`"));
    let e = rs.encode(&[0u16; 513]).unwrap_err().to_string();
    assert!(e.contains("`message`") && e.contains("514"), "{e}");
    let mut msg = vec![0u16; 514];
    msg[9] = 1024;
    let e = rs.encode(&msg).unwrap_err().to_string();
    assert!(e.contains("`message`[9] = 1024"), "{e}");
    let mut w = vec![0u16; 544];
    w[543] = 4000;
    assert!(rs
        .decode_in_place(&mut w, &[])
        .unwrap_err()
        .to_string()
        .contains("`word`[543]"));
    let mut w = vec![0u16; 544];
    assert!(rs
        .decode_in_place(&mut w, &[544])
        .unwrap_err()
        .to_string()
        .contains("`erasures`"));
    assert!(rs
        .decode_in_place(&mut w, &[3, 3])
        .unwrap_err()
        .to_string()
        .contains("`erasures`"));
    assert!(rs
        .decode_batch(&w[..543], None)
        .unwrap_err()
        .to_string()
        .contains("`received`"));
    let mask = vec![false; 10];
    assert!(rs
        .decode_batch(&w, Some(&mask))
        .unwrap_err()
        .to_string()
        .contains("`erasures`"));
    // More than 2t erasures: not an error, an uncorrectable word.
    let er: Vec<usize> = (0..31).collect();
    assert_eq!(
        rs.decode_in_place(&mut w, &er).unwrap(),
        Outcome::Corrected(0)
    );
    w[100] = 5;
    assert_eq!(rs.decode_in_place(&mut w, &er).unwrap(), Outcome::Failed);
}

#[test]
fn out_of_range_symbols_in_batches_are_found_on_every_backend() {
    // The SIMD kernels check symbols on the way (bits 10–15 of the transposes):
    // every batch entry point must still report the first bad symbol, whatever
    // the backend, block (256 words) or position in the word.
    use serdes_dsp::Error;
    fn is(e: Error, name: &str, index: usize, value: u16) -> bool {
        matches!(e, Error::OutOfRange { name: got, index: i, value: v, .. }
            if got == name && i == index && v == u64::from(value))
    }
    for rs in [
        ReedSolomon::kp4(),
        ReedSolomon::kr4(),
        ReedSolomon::new(200, 60).unwrap(),
    ] {
        let (n, k) = (rs.n(), rs.k());
        for backend in Backend::available() {
            let rs = rs.clone().with_backend(backend).unwrap();
            for (count, word, pos, value) in [
                (300usize, 270usize, 0usize, 1024u16),
                (300, 3, n - 1, 0xffff),
                (40, 39, 17, 0x8000),
                (5, 2, 9, 2047),
            ] {
                let msgs = vec![7u16; count * k];
                let mut words = rs.encode_batch(&msgs).unwrap();
                let index = word * n + pos;
                words[index] = value;
                let mut out = vec![0u16; words.len()];
                let mut outcomes = vec![Outcome::Failed; count];
                let e = rs
                    .decode_batch_into(&words, None, &mut out, &mut outcomes)
                    .unwrap_err();
                assert!(is(e, "received", index, value), "{backend:?} n={n}");
                let mut inplace = words.clone();
                let e = rs
                    .decode_batch_in_place(&mut inplace, None, &mut outcomes)
                    .unwrap_err();
                assert!(is(e, "words", index, value), "{backend:?} n={n}");
                // The block holding the bad symbol is left as received.
                let b = index / (256 * n) * 256 * n;
                assert_eq!(inplace[b..], words[b..]);
                let mut syn = vec![0u16; count * rs.parity_len()];
                let e = rs.syndromes_batch_into(&words, &mut syn).unwrap_err();
                assert!(is(e, "words", index, value), "{backend:?} n={n}");
                let mut msgs = msgs;
                let mi = word * k + pos.min(k - 1);
                msgs[mi] = value;
                let e = rs.encode_batch_into(&msgs, &mut out).unwrap_err();
                assert!(is(e, "messages", mi, value), "{backend:?} n={n}");
            }
        }
    }
}
