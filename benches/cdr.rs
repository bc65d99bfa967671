//! Throughput of the CDR (interpolation + detector + PI loop) in recovered symbols per
//! second, one criterion group per interpolator backend (`cdr/scalar`, `cdr/avx2`),
//! on a locked loop fed 16 samples per UI in chunks of 4096 UI (256 KiB, a looped
//! clean PAM4 waveform, 0.25 UI delay).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serdes_dsp::cdr::waveform::{pam4_waveform, random_symbols, RaisedCosine, Timing};
use serdes_dsp::cdr::{Cdr, CdrConfig, CdrOutput, InterpKind};
use serdes_dsp::cpu::Backend;
use std::hint::black_box;

const SPS: usize = 16;
const UI: usize = 4096;

fn cdr(c: &mut Criterion) {
    let sym = random_symbols(UI, 3);
    let t = Timing {
        delay_ui: 0.25,
        ..Timing::default()
    };
    let x = pam4_waveform(&sym, SPS, |k| t.offset_ui(k), &RaisedCosine::reference()).unwrap();
    for backend in Backend::available() {
        let mut group = c.benchmark_group(format!("cdr/{}", backend.name()));
        group.throughput(Throughput::Elements(UI as u64));
        let cases: [(&str, &str, InterpKind, usize); 5] = [
            ("mm_cubic", "mm", InterpKind::Cubic, 16),
            ("mm_cubic_update32", "mm", InterpKind::Cubic, 32),
            ("mm_linear", "mm", InterpKind::Linear, 16),
            ("bang_bang_cubic", "bang_bang", InterpKind::Cubic, 16),
            ("gardner_cubic", "gardner", InterpKind::Cubic, 16),
        ];
        for (name, det, kind, p) in cases {
            let mut cfg = CdrConfig::new(SPS);
            cfg.detector = det.into();
            cfg.interpolator = kind;
            cfg.update_every = p;
            cfg.backend = backend;
            let mut cdr = Cdr::new(cfg).unwrap();
            let mut out = CdrOutput::new();
            // Lock first, so the timing is of the tracking loop.
            for _ in 0..8 {
                cdr.process_into(&x, &mut out).unwrap();
            }
            group.bench_function(name, |b| {
                b.iter(|| {
                    out.clear();
                    cdr.process_into(black_box(&x), &mut out).unwrap()
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, cdr);
criterion_main!(benches);
