//! IEEE 802.3 Reed-Solomon conformance: the published task-force vectors and the
//! KP4 generator of Table 119-3 (see `STANDARDS.md`), on every backend.
use serdes_dsp::cpu::Backend;
use serdes_dsp::fec::{gf, Outcome, ReedSolomon};

/// RS(528,514), message 1023, 1022, …, 510 (gustlin_01_0312 p.20).
const KR4_PARITY_DESCENDING: [u16; 14] = [
    451, 952, 674, 140, 539, 287, 460, 438, 559, 883, 542, 885, 930, 191,
];
/// RS(528,514), 513 zeros then 0x100 (anslow_01a_0712 p.7).
const KR4_PARITY_LAST_0X100: [u16; 14] = [
    1019, 521, 222, 72, 397, 726, 992, 600, 105, 61, 850, 645, 8, 780,
];
/// RS(544,514) generator g_0 … g_30 (Table 119-3).
const KP4_GENERATOR: [u16; 31] = [
    523, 834, 128, 158, 185, 127, 392, 193, 610, 788, 361, 883, 503, 942, 385, 495, 720, 94, 132,
    593, 249, 282, 565, 108, 1, 552, 230, 187, 552, 575, 1,
];

fn kr4_messages() -> [Vec<u16>; 2] {
    let descending: Vec<u16> = (0..514).map(|i| 1023 - i as u16).collect();
    let mut last = vec![0u16; 514];
    last[513] = 0x100;
    [descending, last]
}

#[test]
fn field_is_x10_x3_1_with_alpha_x() {
    assert_eq!(gf::PRIMITIVE_POLY, 0x409);
    assert_eq!(gf::alpha_pow(1), 2);
    assert_eq!(gf::alpha_pow(10), 0b1001); // α^10 = α^3 + 1
}

#[test]
fn kp4_generator_matches_table_119_3() {
    assert_eq!(ReedSolomon::kp4().generator(), &KP4_GENERATOR);
    let kr4 = ReedSolomon::kr4();
    assert_eq!(kr4.generator().len(), 15);
    // Roots α^0 … α^(2t−1).
    for j in 0..14 {
        assert_eq!(
            gf::poly_eval_low_first(kr4.generator(), gf::alpha_pow(j)),
            0
        );
    }
}

#[test]
fn kr4_published_parity_single_codeword() {
    let rs = ReedSolomon::kr4();
    let [a, b] = kr4_messages();
    assert_eq!(&rs.encode(&a).unwrap()[514..], &KR4_PARITY_DESCENDING);
    assert_eq!(&rs.encode(&b).unwrap()[514..], &KR4_PARITY_LAST_0X100);
}

#[test]
fn kr4_published_parity_in_batches_on_every_backend() {
    let [a, b] = kr4_messages();
    // 300 codewords (more than one SIMD group, not a multiple of one): a, b, a, …
    let count = 300;
    let mut msgs = Vec::with_capacity(count * 514);
    for i in 0..count {
        msgs.extend_from_slice(if i % 2 == 0 { &a } else { &b });
    }
    for backend in Backend::available() {
        let rs = ReedSolomon::kr4().with_backend(backend).unwrap();
        let cws = rs.encode_batch(&msgs).unwrap();
        for (i, cw) in cws.chunks_exact(528).enumerate() {
            let want: &[u16] = if i % 2 == 0 {
                &KR4_PARITY_DESCENDING
            } else {
                &KR4_PARITY_LAST_0X100
            };
            assert_eq!(&cw[514..], want, "{backend:?} codeword {i}");
            assert_eq!(&cw[..514], &msgs[i * 514..(i + 1) * 514]);
        }
        let mut outcomes = vec![Outcome::Failed; count];
        let mut words = cws.clone();
        rs.decode_batch_in_place(&mut words, None, &mut outcomes)
            .unwrap();
        assert!(outcomes.iter().all(|&o| o == Outcome::Corrected(0)));
        assert_eq!(words, cws);
    }
}

#[test]
fn codewords_have_zero_syndromes() {
    let rs = ReedSolomon::kp4();
    let msg: Vec<u16> = (0..514).map(|i| ((i * 389 + 17) % 1024) as u16).collect();
    let cw = rs.encode(&msg).unwrap();
    assert!(rs.syndromes(&cw).unwrap().iter().all(|&s| s == 0));
}
