//! Throughput of the signal kernels: PRBS generation, Gray PAM4 mapping, slicing,
//! precoding, and the whole AWGN link.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serdes_dsp::link::AwgnLink;
use serdes_dsp::signal::{bits_to_symbols, Pam4Mapper, Prbs, Precoder, Slicer};
use std::hint::black_box;

const N: usize = 1 << 20;

fn prbs(c: &mut Criterion) {
    let mut g = c.benchmark_group("prbs");
    g.throughput(Throughput::Elements(N as u64));
    for order in [31u32, 13, 7] {
        let mut p = Prbs::new(order, 1).unwrap();
        let mut words = vec![0u64; N / 64];
        g.bench_function(format!("prbs{order}_words"), |b| {
            b.iter(|| p.fill_words(black_box(&mut words)))
        });
        let mut bits = vec![0u8; N];
        g.bench_function(format!("prbs{order}_bits"), |b| {
            b.iter(|| p.fill_bits(black_box(&mut bits)))
        });
    }
    g.finish();
}

fn mapping(c: &mut Criterion) {
    let bits = Prbs::new(31, 1).unwrap().bits(2 * N);
    let mut syms = vec![0u8; N];
    let mut g = c.benchmark_group("pam4");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("gray_bits_to_symbols", |b| {
        b.iter(|| bits_to_symbols(black_box(&bits), &mut syms).unwrap())
    });
    let m = Pam4Mapper::new();
    let mut x = vec![0f32; N];
    g.bench_function("map_levels", |b| {
        b.iter(|| m.map_into(black_box(&syms), &mut x).unwrap())
    });
    let s = Slicer::pam4();
    let mut d = vec![0u8; N];
    g.bench_function("slice", |b| {
        b.iter(|| s.slice_into(black_box(&x), &mut d).unwrap())
    });
    let mut p = Precoder::new();
    g.bench_function("precode", |b| {
        b.iter(|| p.process_into(black_box(&syms), &mut d).unwrap())
    });
    g.finish();
}

fn link(c: &mut Criterion) {
    let mut g = c.benchmark_group("awgn_link");
    g.throughput(Throughput::Elements(N as u64));
    let mut l = AwgnLink::new(14.0, 1).unwrap();
    g.bench_function("pam4_symbols", |b| b.iter(|| l.run(N as u64).unwrap()));
    g.finish();
}

criterion_group!(benches, prbs, mapping, link);
criterion_main!(benches);
