//! Throughput of the equalisers, in symbols (samples) per second of thread CPU time
//! (`support/cpu_time.rs`: the figures read per core on a shared machine) on blocks of
//! 64 Ki samples: the FFE per backend with 8, 16 and 32 taps and 16 taps at 2 samples
//! per symbol (`eq/ffe/<backend>`),
//! the DFE with 1, 4, 8 and 12 taps, PAM4 and NRZ (`eq/dfe`), the MLSE with one and
//! two post-cursors (`eq/mlse`) and the CTLE on an oversampled waveform (`eq/ctle`);
//! the floating-tap DFE (`eq/floating_dfe`, symbols/s); and the adaptation searches
//! (`eq/adapt`, one element = one grid point evaluated): the 802.3ck Tx FIR grid with
//! a slicer and with an 8-tap FFE, the 802.3ck CTLE grid on a 16-samples/UI pulse.

#[path = "support/cpu_time.rs"]
mod cpu_time;

use criterion::measurement::Measurement;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serdes_dsp::cpu::Backend;
use serdes_dsp::eq::{
    Ctle, CtleGrid, CtleParams, Dfe, Ffe, FloatingDfe, Mlse, Modulation, ReferenceReceiver, TxFir,
    TxFirGrid,
};
use std::hint::black_box;

/// Samples per call.
const N: usize = 1 << 16;

fn signal(n: usize) -> Vec<f32> {
    let mut s = 12345u64;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 62) as f32) * (2.0 / 3.0) - 1.0 + ((s >> 40) & 0xff) as f32 * 1e-3
        })
        .collect()
}

fn ffe<M: Measurement>(c: &mut Criterion<M>) {
    let x = signal(N);
    let mut out = vec![0f32; N];
    for backend in Backend::available() {
        let mut group = c.benchmark_group(format!("eq/ffe/{}", backend.name()));
        group.throughput(Throughput::Elements(N as u64));
        for n_taps in [8usize, 16, 32] {
            let taps: Vec<f32> = (0..n_taps)
                .map(|k| if k == 3 { 1.0 } else { -0.05 })
                .collect();
            let mut f = Ffe::new(&taps, 3).unwrap().with_backend(backend).unwrap();
            group.bench_function(format!("{n_taps}_taps"), |b| {
                b.iter(|| f.process_into(black_box(&x), black_box(&mut out)).unwrap())
            });
        }
        // Fractionally spaced: 16 taps on 2 samples per symbol (input samples/s).
        let taps: Vec<f32> = (0..16).map(|k| if k == 6 { 1.0 } else { -0.05 }).collect();
        let mut f = Ffe::fractional(&taps, 6, 2)
            .unwrap()
            .with_backend(backend)
            .unwrap();
        let mut half = vec![0f32; N / 2];
        group.bench_function("16_taps_2_sps", |b| {
            b.iter(|| f.process_into(black_box(&x), black_box(&mut half)).unwrap())
        });
        group.finish();
    }
}

fn dfe<M: Measurement>(c: &mut Criterion<M>) {
    let x = signal(N);
    let mut out = vec![0u8; N];
    let mut group = c.benchmark_group("eq/dfe");
    group.throughput(Throughput::Elements(N as u64));
    for (name, m) in [("pam4", Modulation::Pam4), ("nrz", Modulation::Nrz)] {
        for n_taps in [1usize, 4, 8, 12] {
            let taps: Vec<f32> = (0..n_taps).map(|k| 0.4 / (1 + k) as f32).collect();
            let mut d = Dfe::new(m, &taps).unwrap();
            group.bench_function(format!("{name}_{n_taps}_taps"), |b| {
                b.iter(|| d.process_into(black_box(&x), black_box(&mut out)).unwrap())
            });
        }
    }
    group.finish();
}

fn mlse<M: Measurement>(c: &mut Criterion<M>) {
    let x = signal(N);
    let mut out = vec![0u8; N];
    let mut group = c.benchmark_group("eq/mlse");
    group.throughput(Throughput::Elements(N as u64));
    for (name, h) in [
        ("1_plus_aD", vec![1.0f32, 0.5]),
        ("2_post_cursors", vec![1.0, 0.5, 0.2]),
    ] {
        let mut m = Mlse::new(Modulation::Pam4, &h, 16).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| m.process_into(black_box(&x), black_box(&mut out)).unwrap())
        });
    }
    group.finish();
}

fn ctle<M: Measurement>(c: &mut Criterion<M>) {
    let x = signal(N);
    let mut out = vec![0f32; N];
    let mut group = c.benchmark_group("eq/ctle");
    group.throughput(Throughput::Elements(N as u64));
    let fb = 106.25e9;
    let mut ctle = Ctle::annex_93a(CtleParams::ieee_802_3dj(fb, -9.0, -2.0), 8.0 * fb).unwrap();
    group.bench_function("802_3dj_8_samples_per_ui", |b| {
        b.iter(|| {
            ctle.process_into(black_box(&x), black_box(&mut out))
                .unwrap()
        })
    });
    group.finish();
}

fn floating_dfe<M: Measurement>(c: &mut Criterion<M>) {
    let x = signal(N);
    let mut out = vec![0u8; N];
    let mut group = c.benchmark_group("eq/floating_dfe");
    group.throughput(Throughput::Elements(N as u64));
    for (name, fixed, floating) in [
        (
            "pam4_1_fixed_2_floating",
            vec![0.4f32],
            vec![(24usize, 0.1f32), (40, -0.05)],
        ),
        (
            "pam4_4_fixed_4_floating",
            vec![0.4, 0.2, 0.1, 0.05],
            vec![(20, 0.1), (21, 0.05), (40, -0.05), (41, 0.02)],
        ),
    ] {
        let mut d = FloatingDfe::new(Modulation::Pam4, &fixed, &floating).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| d.process_into(black_box(&x), black_box(&mut out)).unwrap())
        });
    }
    group.finish();
}

fn adapt<M: Measurement>(c: &mut Criterion<M>) {
    let mut group = c.benchmark_group("eq/adapt");
    let pulse = [0.05f32, 0.25, 1.0, 0.55, 0.3, 0.15, 0.07, 0.03, 0.01];
    let grid = TxFirGrid::ieee_802_3ck();
    group.throughput(Throughput::Elements(grid.combinations().len() as u64));
    for (name, rx) in [
        ("txfir_802_3ck_slicer", ReferenceReceiver::slicer(1e-3)),
        (
            "txfir_802_3ck_ffe8",
            ReferenceReceiver::ffe_dfe(8, 2, 0, 1e-3),
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| TxFir::adapt(black_box(&pulse), 2, &grid, &rx).unwrap())
        });
    }
    let m = 16;
    let p: Vec<f32> = (0..40 * m)
        .map(|i| {
            let t = i as f32 / m as f32;
            t.min(1.0) * (-(t - 1.0).max(0.0) / 1.5).exp()
        })
        .collect();
    let g = CtleGrid::ieee_802_3ck();
    group.throughput(Throughput::Elements(
        (g.g_dc_db().len() * g.g_dc2_db().len()) as u64,
    ));
    let t = CtleParams::ieee_802_3ck(0.0, 0.0);
    let rx = ReferenceReceiver::slicer(1e-3);
    group.bench_function("ctle_802_3ck_16_samples_per_ui", |b| {
        b.iter(|| t.adapt(black_box(&p), m, 53.125e9, &g, &rx).unwrap())
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = cpu_time::cpu_criterion();
    targets = ffe, dfe, mlse, ctle, floating_dfe, adapt
}
criterion_main!(benches);
