//! End-to-end throughput of whole links in symbols per second, one core: the
//! built-in default link (lossy line, Rx front end, CTLE, bang-bang CDR at 8
//! samples per UI, 16-tap FFE, 4-tap DFE, KP4 encode and decode: issue 7's figure of
//! merit), the same with the MLSE, and the symbol-spaced pulse model. Each iteration
//! sends 524 288 symbols through a link already trained (Link::new outside the timing).
//!
//! `link/new` times building and training a default link (CTLE gain search, CDR
//! lock, pulse estimate), the fixed cost of every sweep point.
//!
//! Measured in thread CPU time (`support/cpu_time.rs`), so the figures read per
//! core on a shared machine. The link runs on the calling thread only.

#[path = "support/cpu_time.rs"]
mod cpu_time;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serdes_dsp::link::{ChannelModel, CrosstalkConfig, Detector, Link, LinkConfig, XtalkKind};
use std::hint::black_box;

const N: u64 = 524_288;

fn link(c: &mut Criterion<cpu_time::CpuTime>) {
    let mut group = c.benchmark_group("link");
    group.sample_size(20);
    group.throughput(Throughput::Elements(N));
    let mut cases: Vec<(&str, LinkConfig)> = Vec::new();
    let mut def = LinkConfig::default();
    def.channel.snr_db = 20.0;
    def.record.eye_symbols = 0;
    def.record.trace_symbols = 0;
    cases.push(("default_ctle_cdr_ffe16_dfe4_kp4", def.clone()));
    let mut mlse = def.clone();
    mlse.rx.detector = Detector::Mlse;
    cases.push(("default_mlse", mlse));
    let mut xt = def.clone();
    xt.channel.crosstalk = vec![
        CrosstalkConfig {
            kind: XtalkKind::Fext,
            coupling_db: -26.0,
            ..CrosstalkConfig::default()
        },
        CrosstalkConfig {
            kind: XtalkKind::Next,
            coupling_db: -30.0,
            ..CrosstalkConfig::default()
        },
    ];
    cases.push(("default_two_aggressors", xt));
    let mut opt = def.clone();
    opt.channel.loss_db = 6.0;
    opt.channel.optical.enabled = true;
    opt.channel.optical.power_dbm = -8.0;
    cases.push(("optical_imdd", opt));
    let mut pulse = def.clone();
    pulse.channel.model = ChannelModel::Pulse;
    cases.push(("pulse_model_ffe16_dfe4_kp4", pulse));
    for (name, cfg) in cases {
        let mut link = Link::new(&cfg, 1).unwrap();
        group.bench_function(name, |b| b.iter(|| link.run(black_box(N)).unwrap()));
    }
    group.finish();
    let mut group = c.benchmark_group("link");
    group.sample_size(10);
    group.bench_function("new", |b| b.iter(|| Link::new(black_box(&def), 1).unwrap()));
    group.finish();
}

criterion_group! {
    name = benches;
    config = cpu_time::cpu_criterion();
    targets = link
}
criterion_main!(benches);
