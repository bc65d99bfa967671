//! Throughput of the jitter block (one criterion group per resampler backend this
//! CPU runs: `jitter/scalar`, `jitter/avx2`, …), of the TIE measurement and of the
//! optical link, in samples per second on 1 M-sample blocks at 16 samples/UI.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serdes_dsp::channel::jitter::{interpolate_reference, DcdMode, Jitter};
use serdes_dsp::channel::optical::{OpticalConfig, OpticalLink};
use serdes_dsp::channel::tie::{tie, TieConfig};
use serdes_dsp::cpu::Backend;
use std::hint::black_box;

const N: usize = 1 << 20;
const SPS: usize = 16;
const BAUD: f64 = 53.125e9;

/// An NRZ waveform with linear edges half a UI wide, pseudo-random bits.
fn waveform() -> Vec<f32> {
    let mut s = 1u64;
    let mut bits = Vec::with_capacity(N / SPS + 1);
    for _ in 0..=N / SPS {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        bits.push(if s >> 63 == 1 { 1.0f32 } else { -1.0 });
    }
    (0..N)
        .map(|i| {
            let (k, j) = (i / SPS, i % SPS);
            let prev = bits[k.saturating_sub(1)];
            let cur = bits[k];
            let a = ((j as f32 + SPS as f32 / 4.0) / (SPS as f32 / 2.0)).min(1.0);
            prev + (cur - prev) * a
        })
        .collect()
}

fn jitter(c: &mut Criterion) {
    let x = waveform();
    let mut out = vec![0f32; N];
    for backend in Backend::available() {
        let mut group = c.benchmark_group(format!("jitter/{}", backend.name()));
        group.throughput(Throughput::Elements(N as u64));
        let mut j = Jitter::new(SPS, BAUD, 1)
            .unwrap()
            .rj(0.01)
            .unwrap()
            .sj(0.1, 1e7, 0.0)
            .unwrap()
            .dcd(0.02, DcdMode::RisingFalling)
            .unwrap()
            .with_backend(backend)
            .unwrap();
        group.bench_function("process_into_rj_sj_dcd", |b| {
            b.iter(|| j.process_into(black_box(&x), &mut out).unwrap())
        });
        group.finish();
    }
    // The interpolation kernel alone (scalar reference), for the split of the cost.
    let mut group = c.benchmark_group("jitter/kernel");
    group.throughput(Throughput::Elements(N as u64));
    let idx: Vec<u32> = (0..N as u32).map(|i| i.min(N as u32 - 4)).collect();
    let frac: Vec<f32> = (0..N).map(|i| (i % 7) as f32 / 7.0).collect();
    group.bench_function("catmull_rom_scalar", |b| {
        b.iter(|| interpolate_reference(black_box(&x), &idx, &frac, &mut out))
    });
    group.finish();

    let mut group = c.benchmark_group("tie");
    group.throughput(Throughput::Elements(N as u64));
    let y = Jitter::new(SPS, BAUD, 1)
        .unwrap()
        .rj(0.01)
        .unwrap()
        .sj(0.1, 1e8, 0.0)
        .unwrap()
        .process(&x)
        .unwrap();
    group.sample_size(10);
    group.bench_function("tie_nrz_sj_search", |b| {
        b.iter(|| tie(black_box(&y), &TieConfig::nrz(SPS as f64)).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("optical");
    group.throughput(Throughput::Elements(N as u64));
    let mut link = OpticalLink::new(OpticalConfig::typical(SPS as f64 * BAUD), 1).unwrap();
    group.bench_function("process_into_typical", |b| {
        b.iter(|| link.process_into(black_box(&x), &mut out).unwrap())
    });
    group.finish();
}

criterion_group!(benches, jitter);
criterion_main!(benches);
