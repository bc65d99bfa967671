//! Throughput of the CDR (interpolation + detector + PI loop) in recovered symbols per
//! second of thread CPU time (`support/cpu_time.rs`: the figures read per core on a
//! shared machine), one criterion group per backend (`cdr/scalar`, `cdr/avx2`, `cdr/avx512`),
//! on a locked loop fed chunks of 4096 UI (a looped clean PAM4 waveform, 0.25 UI
//! delay) at 16 samples per UI (256 KiB a chunk) and 8 samples per UI (`_8sps`, the
//! link's rate). The target is `mm_cubic` (Mueller–Müller + cubic, the loop
//! updated every 16 symbols, a phase per symbol): ≥ 200 Msymbols/s.
//!
//! Medians on the Zen 4 test machine (`taskset -c 1`, shared with three compiling
//! jobs, 2026-11-27), Msymbols/s at 16 / 8 samples per UI: AVX-512 245 / 260,
//! AVX2 200 / 220, scalar 94 / 105 (before that day's work: 173 / 196, 118 / 122,
//! 64 / 65, measured the same way).

#[path = "support/cpu_time.rs"]
mod cpu_time;

use criterion::measurement::Measurement;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serdes_dsp::cdr::waveform::{pam4_waveform, random_symbols, RaisedCosine, Timing};
use serdes_dsp::cdr::{Cdr, CdrConfig, CdrOutput, InterpKind, PhaseTrace};
use serdes_dsp::cpu::Backend;
use std::hint::black_box;

const UI: usize = 4096;

fn cdr<M: Measurement>(c: &mut Criterion<M>) {
    let sym = random_symbols(UI, 3);
    let t = Timing {
        delay_ui: 0.25,
        ..Timing::default()
    };
    let rc = RaisedCosine::reference();
    let x16 = pam4_waveform(&sym, 16, |k| t.offset_ui(k), &rc).unwrap();
    let x8 = pam4_waveform(&sym, 8, |k| t.offset_ui(k), &rc).unwrap();
    type Case = (
        &'static str,
        usize,
        &'static str,
        InterpKind,
        usize,
        PhaseTrace,
    );
    let cases: [Case; 9] = [
        (
            "mm_cubic",
            16,
            "mm",
            InterpKind::Cubic,
            16,
            PhaseTrace::Symbol,
        ),
        (
            "mm_cubic_8sps",
            8,
            "mm",
            InterpKind::Cubic,
            16,
            PhaseTrace::Symbol,
        ),
        (
            "mm_cubic_trace_block",
            16,
            "mm",
            InterpKind::Cubic,
            16,
            PhaseTrace::Block,
        ),
        (
            "mm_cubic_8sps_trace_block",
            8,
            "mm",
            InterpKind::Cubic,
            16,
            PhaseTrace::Block,
        ),
        (
            "mm_cubic_update32",
            16,
            "mm",
            InterpKind::Cubic,
            32,
            PhaseTrace::Symbol,
        ),
        (
            "mm_linear",
            16,
            "mm",
            InterpKind::Linear,
            16,
            PhaseTrace::Symbol,
        ),
        (
            "mm_sign_sign_cubic",
            16,
            "mm_ss",
            InterpKind::Cubic,
            16,
            PhaseTrace::Symbol,
        ),
        (
            "bang_bang_cubic",
            16,
            "bang_bang",
            InterpKind::Cubic,
            16,
            PhaseTrace::Symbol,
        ),
        (
            "gardner_cubic",
            16,
            "gardner",
            InterpKind::Cubic,
            16,
            PhaseTrace::Symbol,
        ),
    ];
    for backend in Backend::available() {
        let mut group = c.benchmark_group(format!("cdr/{}", backend.name()));
        group.throughput(Throughput::Elements(UI as u64));
        for (name, sps, det, kind, p, trace) in cases {
            let x = if sps == 8 { &x8 } else { &x16 };
            let mut cfg = CdrConfig::new(sps);
            cfg.detector = det.into();
            cfg.interpolator = kind;
            cfg.update_every = p;
            cfg.backend = backend;
            cfg.trace = trace;
            let mut cdr = Cdr::new(cfg).unwrap();
            let mut out = CdrOutput::new();
            // Lock first, so the timing is of the tracking loop.
            for _ in 0..64 {
                cdr.process_into(x, &mut out).unwrap();
                if cdr.locked() {
                    break;
                }
            }
            assert!(cdr.locked(), "{name} did not lock");
            group.bench_function(name, |b| {
                b.iter(|| {
                    out.clear();
                    cdr.process_into(black_box(x), &mut out).unwrap()
                })
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = cpu_time::cpu_criterion();
    targets = cdr
}
criterion_main!(benches);
