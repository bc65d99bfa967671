//! Runs a link for a number of symbols and prints its result line: the program
//! `benches/memory.sh` measures (peak RSS of 10^7 against 10^9 symbols).
//!
//! ```text
//! cargo run --release --example link_run -- 10000000 [config.toml]
//! ```

use serdes_dsp::link::{Link, LinkConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().map_or(Ok(10_000_000), |s| s.parse())?;
    let config = match args.next() {
        Some(path) => LinkConfig::from_toml(&std::fs::read_to_string(path)?)?,
        None => LinkConfig::default(),
    };
    let t0 = std::time::Instant::now();
    let mut link = Link::new(&config, 1)?;
    let setup = t0.elapsed().as_secs_f64();
    let t1 = std::time::Instant::now();
    link.run(n)?;
    let run = t1.elapsed().as_secs_f64();
    let r = link.result();
    let dt = t0.elapsed().as_secs_f64();
    println!(
        "symbols {} pre-FEC BER {:.3e} codewords {} uncorrectable {} in {:.2} s ({:.2} s set-up, then {:.1} Msymbols/s)",
        r.symbols,
        r.pre_fec_ber,
        r.codewords,
        r.uncorrectable_codewords,
        dt,
        setup,
        n as f64 / run / 1e6
    );
    Ok(())
}
