//! Throughput of the signal kernels: PRBS generation and checking, the quaternary
//! patterns, Gray coding, PAM4 level mapping, slicing and precoding.
//!
//! Elements are bits for the PRBS groups, symbols or samples for the others.
//! `cargo bench --bench signal -- --warm-up-time 1 --measurement-time 3`
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serdes_dsp::signal::pattern::Prbs31Q;
use serdes_dsp::signal::{bits_to_symbols, Pam4Mapper, Prbs, PrbsChecker, Precoder, Slicer};
use std::hint::black_box;

/// 1 Mbit, 1 M symbols, 1 M samples.
const N: usize = 1 << 20;

fn prbs(c: &mut Criterion) {
    let mut g = c.benchmark_group("prbs");
    g.throughput(Throughput::Elements(N as u64));
    for order in [31u32, 13] {
        let mut p = Prbs::new(order, 1).unwrap();
        let mut words = vec![0u64; N / 64];
        g.bench_function(format!("prbs{order}_fill_words"), |b| {
            b.iter(|| p.fill_words(black_box(&mut words)))
        });
        let mut bits = vec![0u8; N];
        g.bench_function(format!("prbs{order}_fill_bits"), |b| {
            b.iter(|| p.fill_bits(black_box(&mut bits)))
        });
    }
    let bits = Prbs::new(31, 1).unwrap().bits(N);
    let mut checker = PrbsChecker::new(31).unwrap();
    g.bench_function("prbs31_check", |b| {
        b.iter(|| checker.process(black_box(&bits)).unwrap())
    });
    g.finish();
}

fn patterns(c: &mut Criterion) {
    let mut g = c.benchmark_group("pattern");
    g.throughput(Throughput::Elements(N as u64));
    let mut q = Prbs31Q::new(1).unwrap();
    let mut syms = vec![0u8; N];
    g.bench_function("prbs31q_fill_symbols", |b| {
        b.iter(|| q.fill_symbols(black_box(&mut syms)))
    });
    g.finish();
}

fn pam4(c: &mut Criterion) {
    let bits = Prbs::new(31, 1).unwrap().bits(2 * N);
    let mut syms = vec![0u8; N];
    bits_to_symbols(&bits, &mut syms).unwrap();
    let mut g = c.benchmark_group("pam4");
    g.throughput(Throughput::Elements(N as u64));
    let mut s2 = vec![0u8; N];
    g.bench_function("gray_bits_to_symbols", |b| {
        b.iter(|| bits_to_symbols(black_box(&bits), &mut s2).unwrap())
    });
    let m = Pam4Mapper::new();
    let mut x = vec![0f32; N];
    g.bench_function("map_into", |b| {
        b.iter(|| m.map_into(black_box(&syms), &mut x).unwrap())
    });
    let s = Slicer::pam4();
    let mut d = vec![0u8; N];
    g.bench_function("slice_into", |b| {
        b.iter(|| s.slice_into(black_box(&x), &mut d).unwrap())
    });
    let mut p = Precoder::new();
    g.bench_function("precode", |b| {
        b.iter(|| p.process_into(black_box(&syms), &mut d).unwrap())
    });
    g.finish();
}

criterion_group!(benches, prbs, patterns, pam4);
criterion_main!(benches);
