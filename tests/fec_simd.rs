//! Every SIMD backend against the scalar reference, bit for bit: encoding and
//! syndromes on random inputs (random words, not only codewords), batch sizes that
//! do and do not fill whole SIMD groups, several codes. Backends this CPU cannot run
//! are skipped with a message.
use proptest::prelude::*;
use serdes_dsp::cpu::Backend;
use serdes_dsp::fec::{syndrome, ReedSolomon};

mod common;
use common::Rng;

fn simd_backends() -> Vec<Backend> {
    let mut v = Vec::new();
    for b in [Backend::Avx2, Backend::Avx512] {
        if b.is_available() {
            v.push(b);
        } else {
            eprintln!("skipping {}: this CPU lacks it", b.name());
        }
    }
    v
}

fn check(n: usize, k: usize, count: usize, seed: u64) {
    let scalar = ReedSolomon::new(n, k)
        .unwrap()
        .with_backend(Backend::Scalar)
        .unwrap();
    let mut rng = Rng(seed | 1);
    let msgs: Vec<u16> = (0..count * k).map(|_| (rng.next() % 1024) as u16).collect();
    let words: Vec<u16> = (0..count * n).map(|_| (rng.next() % 1024) as u16).collect();
    let want_cw = scalar.encode_batch(&msgs).unwrap();
    let two_t = n - k;
    let mut want_syn = vec![0u16; count * two_t];
    for (w, s) in words.chunks_exact(n).zip(want_syn.chunks_exact_mut(two_t)) {
        syndrome::syndromes(w, s);
    }
    for backend in simd_backends() {
        let rs = scalar.clone().with_backend(backend).unwrap();
        assert_eq!(
            rs.encode_batch(&msgs).unwrap(),
            want_cw,
            "{backend:?} RS({n},{k}) x{count}"
        );
        let mut syn = vec![0xffffu16; count * two_t];
        rs.syndromes_batch_into(&words, &mut syn).unwrap();
        assert_eq!(syn, want_syn, "{backend:?} RS({n},{k}) x{count}");
        // Codewords: all-zero syndromes (the fast exit of whole groups).
        let mut syn = vec![0xffffu16; count * two_t];
        rs.syndromes_batch_into(&want_cw, &mut syn).unwrap();
        assert!(syn.iter().all(|&s| s == 0));
    }
}

#[test]
fn kp4_and_kr4_simd_equal_scalar() {
    for count in [32, 255, 256, 257, 600, 1100] {
        check(544, 514, count, count as u64);
        check(528, 514, count, 7 * count as u64);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn any_code_simd_equals_scalar(seed in 1u64.., n in 3usize..1024, parity_half in 1usize..40, count in 32usize..600) {
        let two_t = (2 * parity_half).min(n - 1 - (n - 1) % 2).max(2);
        prop_assume!(two_t < n);
        check(n, n - two_t, count, seed);
    }
}
