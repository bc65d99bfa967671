//! Touchstone parsing speed on a generated 10 MB file: a 4-port in RI (1.x, one row
//! per line) and the same data in DB, reported in bytes per second. The design goal
//! is a 10 MB file in well under a second.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serdes_dsp::channel::touchstone::Network;
use std::fmt::Write;
use std::hint::black_box;

/// Target file size in bytes.
const SIZE: usize = 10_000_000;

/// A 1.x 4-port of about `SIZE` bytes with full-precision numbers, in `format`.
fn file(format: &str) -> String {
    let mut text = format!("! generated 4-port\n# GHz S {format} R 50\n");
    let mut f = 0usize;
    while text.len() < SIZE {
        f += 1;
        let _ = write!(text, "{:.6}", f as f64 * 0.01);
        for i in 0..4 {
            for j in 0..4 {
                let x = ((f * 31 + i * 7 + j) % 1000) as f64;
                let (a, b) = match format {
                    "DB" => (-x / 25.0 - 0.123_456_789, x * 0.36 - 179.987_654_3),
                    _ => (x / 1000.0 - 0.523_456_789, 0.461_234_567_8 - x / 2000.0),
                };
                let _ = write!(text, " {a:.12e} {b:.12e}");
            }
            text.push('\n');
        }
    }
    text
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("touchstone");
    group.sample_size(10);
    for format in ["RI", "DB"] {
        let text = file(format);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("parse_10MB_4port_{format}"), |b| {
            b.iter(|| Network::parse(black_box(&text), Some(4)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
