//! Sweeps: one [`LinkConfig`] parameter set to each of a list of values, the points
//! run in parallel with rayon.
//!
//! Point `i` runs with the seed [`point_seed`]`(seed, i)` and stops at the same rule
//! whatever thread runs it, so a sweep gives the same numbers on 1 or 32 cores (and,
//! through the Python layer, on a Dask cluster).
//!
//! ```
//! use serdes_dsp::link::{sweep, LinkConfig, StopRule};
//! let cfg = LinkConfig::default();
//! let points = sweep(&cfg, "channel.snr_db", &[26.0, 28.0], StopRule::symbols(20_000), 1).unwrap();
//! assert_eq!(points.len(), 2);
//! // the analog default link counts from the first FEC block after training, so
//! // up to one block (2720 symbols for KP4) of the 20 000 is not counted
//! assert!(points[0].symbols >= 20_000 - 2 * 2720 && points[0].symbols <= 20_000);
//! ```

use rayon::prelude::*;
use serde::Serialize;

use super::config::LinkConfig;
use super::pipeline::{Link, LinkResult};
use crate::error::{Error, Result};

/// When a point stops: at `target_errors` pre-FEC bit errors or after `max_symbols`
/// symbols, whichever comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopRule {
    /// Pre-FEC bit errors to count before stopping; `None` runs `max_symbols`.
    pub target_errors: Option<u64>,
    /// The most symbols a point sends.
    pub max_symbols: u64,
}

impl StopRule {
    /// Exactly `n` symbols per point.
    pub fn symbols(n: u64) -> StopRule {
        StopRule {
            target_errors: None,
            max_symbols: n,
        }
    }

    /// Until `errors` pre-FEC bit errors, at most `max_symbols` symbols.
    pub fn errors(errors: u64, max_symbols: u64) -> StopRule {
        StopRule {
            target_errors: Some(errors),
            max_symbols,
        }
    }
}

/// The seed of sweep point `index` derived from the sweep's `seed` (SplitMix64 of the
/// pair): independent streams, the same whichever thread or machine runs the point.
pub fn point_seed(seed: u64, index: u64) -> u64 {
    let mut z = seed ^ index.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Runs one config for `rule`: the body of every sweep point.
pub fn run_point(config: &LinkConfig, rule: StopRule, seed: u64) -> Result<LinkResult> {
    let mut link = Link::new(config, seed)?;
    match rule.target_errors {
        Some(t) => link.run_until(t, rule.max_symbols)?,
        None => link.run(rule.max_symbols)?,
    }
    Ok(link.result())
}

/// `base` with the dotted key `param` (`"channel.snr_db"`, `"rx.dfe_taps"`) set to
/// `value`, validated. An unknown key or a value of the wrong type is an error
/// naming the key.
pub fn with_param<V: Serialize>(base: &LinkConfig, param: &str, value: &V) -> Result<LinkConfig> {
    let bad = |allowed: &str, actual: String| Error::invalid("param", allowed, actual);
    let mut tree =
        serde_json::to_value(base).map_err(|e| bad("a serialisable config", e.to_string()))?;
    let mut node = &mut tree;
    for part in param.split('.') {
        node = node
            .as_object_mut()
            .and_then(|m| m.get_mut(part))
            .ok_or_else(|| {
                bad(
                    "a dotted key of LinkConfig such as channel.snr_db",
                    format!("{param:?}"),
                )
            })?;
    }
    let mut v =
        serde_json::to_value(value).map_err(|e| bad("a serialisable value", e.to_string()))?;
    // A whole float given for an integer key (a tap count swept as 1.0, 2.0 …).
    if node.is_u64() {
        if let Some(f) = v.as_f64() {
            if f >= 0.0 && f.fract() == 0.0 && f <= u32::MAX as f64 {
                v = serde_json::Value::from(f as u64);
            }
        }
    }
    *node = v;
    LinkConfig::from_json(&tree.to_string())
}

/// Runs `base` with `param` set to each of `values`, points in parallel on the
/// rayon thread pool, point `i` seeded with [`point_seed`]`(seed, i)`. Results are
/// in the order of `values`. Every config is built and validated before any runs.
pub fn sweep<V: Serialize + Sync>(
    base: &LinkConfig,
    param: &str,
    values: &[V],
    rule: StopRule,
    seed: u64,
) -> Result<Vec<LinkResult>> {
    if rule.max_symbols == 0 {
        return Err(Error::invalid("max_symbols", ">= 1", 0));
    }
    let configs = values
        .iter()
        .map(|v| with_param(base, param, v))
        .collect::<Result<Vec<_>>>()?;
    configs
        .par_iter()
        .enumerate()
        .map(|(i, c)| run_point(c, rule, point_seed(seed, i as u64)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_numbers_on_one_thread_and_on_many() {
        let cfg = LinkConfig::default();
        let snr = [14.0, 15.0, 16.0, 17.0];
        let rule = StopRule::errors(200, 50_000);
        let many = sweep(&cfg, "channel.snr_db", &snr, rule, 7).unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let one = pool.install(|| sweep(&cfg, "channel.snr_db", &snr, rule, 7).unwrap());
        assert_eq!(many, one);
        // and each point is the point run on its own
        let alone = run_point(
            &with_param(&cfg, "channel.snr_db", &16.0).unwrap(),
            rule,
            point_seed(7, 2),
        )
        .unwrap();
        assert_eq!(many[2], alone);
        // lower SNR, more errors per bit
        assert!(many[0].pre_fec_ber > many[3].pre_fec_ber);
    }

    #[test]
    fn integer_keys_take_whole_floats_and_bad_keys_are_named() {
        let cfg = LinkConfig::default();
        assert_eq!(
            with_param(&cfg, "rx.dfe_taps", &3.0).unwrap().rx.dfe_taps,
            3
        );
        let e = with_param(&cfg, "rx.nope", &1).unwrap_err().to_string();
        assert!(e.contains("rx.nope"), "{e}");
        let e = with_param(&cfg, "rx.ffe_taps", &0).unwrap_err().to_string();
        assert!(e.contains("rx.ffe_taps"), "{e}");
        let e = sweep(&cfg, "channel.snr_db", &[20.0], StopRule::symbols(0), 1)
            .unwrap_err()
            .to_string();
        assert!(e.contains("max_symbols"), "{e}");
    }

    #[test]
    fn point_seeds_differ() {
        let s: std::collections::HashSet<u64> = (0..1000).map(|i| point_seed(1, i)).collect();
        assert_eq!(s.len(), 1000);
        assert_ne!(point_seed(1, 0), point_seed(2, 0));
    }
}
