//! Throughput of the channel convolution (`channel::conv::Convolver`) in input
//! samples per second of thread CPU time (`support/cpu_time.rs`: per core on a shared
//! machine), on blocks of 256 Ki samples:
//!
//! - `conv/direct_<backend>/<len>`: the direct kernel of each backend this CPU runs;
//! - `conv/ffa_<backend>/<len>`: the nested 2×2 fast FIR algorithm (`Method::Ffa`);
//! - `conv/fft/<len>`: FFT overlap-save;
//!
//! for response lengths around the crossover and the two targets of issue 5 (64 taps
//! direct, 1024 samples FFT); `CONV_LENS=16,64,...` picks other lengths (direct runs
//! up to 512). `DIRECT_MAX_LEN` in `dsp/channel/conv/mod.rs` is the length where
//! `fft` overtakes the fastest `direct_*`.
//!
//! - `conv/fma_peak`: the `f32` fused multiply-add throughput of one core (12
//!   independent chains of 8-lane FMAs), the ceiling of any direct convolution:
//!   a response of `m` taps cannot run faster than `fma_peak / m` samples/s.

#[path = "support/cpu_time.rs"]
mod cpu_time;

use criterion::measurement::Measurement;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serdes_dsp::channel::conv::{Convolver, Method};
use serdes_dsp::cpu::Backend;
use std::hint::black_box;

#[path = "../dsp/testutil.rs"]
#[allow(dead_code)]
mod testutil;

const N: usize = 1 << 18;

fn signal(n: usize, seed: u64) -> Vec<f32> {
    testutil::uniform_f32(seed | 1, n)
}

fn lengths() -> Vec<usize> {
    match std::env::var("CONV_LENS") {
        Ok(v) => v.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        Err(_) => vec![16, 32, 48, 64, 128, 1024],
    }
}

fn conv<M: Measurement>(c: &mut Criterion<M>) {
    let x = signal(N, 1);
    let mut out = vec![0f32; N];
    let lens = lengths();
    for backend in Backend::available() {
        for (name, method) in [("direct", Method::Direct), ("ffa", Method::Ffa)] {
            let mut group = c.benchmark_group(format!("conv/{name}_{}", backend.name()));
            group.throughput(Throughput::Elements(N as u64));
            for &m in lens.iter().filter(|&&m| m <= 512) {
                let h = signal(m, m as u64);
                let mut cv = Convolver::with_method(&h, method)
                    .unwrap()
                    .with_backend(backend)
                    .unwrap();
                group.bench_with_input(BenchmarkId::from_parameter(m), &m, |b, _| {
                    b.iter(|| cv.process_into(black_box(&x), &mut out).unwrap())
                });
            }
            group.finish();
        }
    }
    let mut group = c.benchmark_group("conv/fft");
    group.throughput(Throughput::Elements(N as u64));
    for &m in &lens {
        let h = signal(m, m as u64);
        let mut cv = Convolver::with_method(&h, Method::Fft).unwrap();
        group.bench_with_input(BenchmarkId::from_parameter(m), &m, |b, _| {
            b.iter(|| cv.process_into(black_box(&x), &mut out).unwrap())
        });
    }
    group.finish();
}

/// `iters` rounds of 12 independent 8-lane FMA chains: `96·iters` FMAs.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn fma_chains(iters: u64, c: f32) -> f32 {
    let mut acc = [[1e-3f32; 8]; 12];
    for _ in 0..iters {
        for a in acc.iter_mut() {
            for v in a.iter_mut() {
                *v = v.mul_add(c, 1e-3);
            }
        }
    }
    acc.iter().flatten().sum()
}

fn fma_peak<M: Measurement>(c: &mut Criterion<M>) {
    #[cfg(target_arch = "x86_64")]
    if Backend::Avx2.is_available() {
        const ITERS: u64 = 1 << 16;
        let mut group = c.benchmark_group("conv");
        group.throughput(Throughput::Elements(96 * ITERS));
        group.bench_function("fma_peak", |b| {
            // SAFETY: AVX2 and FMA were detected just above.
            b.iter(|| unsafe { fma_chains(black_box(ITERS), black_box(0.999)) })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = cpu_time::cpu_criterion();
    targets = fma_peak, conv
}
criterion_main!(benches);
