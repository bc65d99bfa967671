//! Throughput of the Gaussian noise source and the AWGN block, one criterion group
//! per backend this CPU runs (`noise/scalar`, `noise/avx2`, `noise/avx512`), in
//! samples per second on blocks of 1 M samples.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serdes_dsp::channel::{Awgn, Gaussian};
use serdes_dsp::cpu::Backend;
use std::hint::black_box;

/// Samples per call: 1 M (a multiple of the 16-sample block, so every call does
/// the same work).
const N: usize = 1_000_000;

fn noise(c: &mut Criterion) {
    for backend in Backend::available() {
        let mut group = c.benchmark_group(format!("noise/{}", backend.name()));
        group.throughput(Throughput::Elements(N as u64));

        let mut gaussian = Gaussian::with_backend(1, backend).unwrap();
        let mut out = vec![0f32; N];
        group.bench_function("gaussian_fill", |b| {
            b.iter(|| gaussian.fill(black_box(&mut out)))
        });

        let mut awgn = Awgn::new(0.1, 1).unwrap().with_backend(backend).unwrap();
        let mut x: Vec<f32> = (0..N).map(|i| (i % 4) as f32 / 1.5 - 1.0).collect();
        group.bench_function("awgn_process_in_place", |b| {
            // The noise accumulates in `x` over iterations: harmless for timing
            // (σ = 0.1, far from overflow).
            b.iter(|| awgn.process_in_place(black_box(&mut x)))
        });
        group.finish();
    }
}

criterion_group!(benches, noise);
criterion_main!(benches);
