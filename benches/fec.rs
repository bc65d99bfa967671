//! Reed-Solomon RS(544,514) "KP4" throughput, one criterion group per backend this
//! CPU runs (`fec/scalar`, `fec/avx2`, `fec/avx512`). Throughput is counted in
//! **payload bits** (`k · 10` per codeword): criterion's "elem/s" read as bit/s.
//!
//! - `encode` — 4096 messages per call (`encode_batch_into`);
//! - `decode_clean` — error-free codewords;
//! - `decode_ber_2.4e-4` — independent bit errors at pre-FEC BER 2.4e-4 (≈ 1.3
//!   symbol errors per codeword, some words uncorrectable never: P ≈ 8e-13);
//! - `decode_15_errors` — exactly t = 15 symbol errors in every codeword.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serdes_dsp::cpu::Backend;
use serdes_dsp::fec::{Outcome, ReedSolomon};
use std::hint::black_box;

const COUNT: usize = 4096;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn fec(c: &mut Criterion) {
    let base = ReedSolomon::kp4();
    let (n, k) = (base.n(), base.k());
    let mut rng = Rng(0x1234_5678);
    let msgs: Vec<u16> = (0..COUNT * k).map(|_| (rng.next() % 1024) as u16).collect();
    let clean = base.encode_batch(&msgs).unwrap();
    // Independent bit errors at 2.4e-4: each of the 10·n bits flips with that probability.
    let mut ber = clean.clone();
    let p = 2.4e-4;
    for s in ber.iter_mut() {
        for b in 0..10 {
            if rng.unit() < p {
                *s ^= 1 << b;
            }
        }
    }
    let mut fifteen = clean.clone();
    // Exactly 15 distinct symbol errors in every codeword.
    for (cw, orig) in fifteen.chunks_exact_mut(n).zip(clean.chunks_exact(n)) {
        let mut diff = cw.iter().zip(orig).filter(|(a, b)| a != b).count();
        while diff < 15 {
            let i = (rng.next() % n as u64) as usize;
            if cw[i] == orig[i] {
                cw[i] ^= 1 + (rng.next() % 1023) as u16;
                diff += 1;
            }
        }
    }

    let payload_bits = (COUNT * k * 10) as u64;
    for backend in Backend::available() {
        let rs = base.clone().with_backend(backend).unwrap();
        let mut group = c.benchmark_group(format!("fec/{}", backend.name()));
        group.throughput(Throughput::Elements(payload_bits));
        group.sample_size(20);

        let mut out = vec![0u16; COUNT * n];
        group.bench_function("encode", |b| {
            b.iter(|| rs.encode_batch_into(black_box(&msgs), &mut out).unwrap())
        });
        let mut outcomes = vec![Outcome::Failed; COUNT];
        for (name, rx) in [
            ("decode_clean", &clean),
            ("decode_ber_2.4e-4", &ber),
            ("decode_15_errors", &fifteen),
        ] {
            rs.decode_batch_into(rx, None, &mut out, &mut outcomes)
                .unwrap();
            assert!(outcomes.iter().all(|o| !o.is_failed()), "{name}");
            group.bench_function(name, |b| {
                b.iter(|| {
                    rs.decode_batch_into(black_box(rx), None, &mut out, &mut outcomes)
                        .unwrap()
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, fec);
criterion_main!(benches);
