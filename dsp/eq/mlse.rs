//! Maximum-likelihood sequence estimation: a Viterbi detector for PAM4 (or NRZ)
//! over a short channel memory — `h0 + h1·D` (1 + αD, 4 PAM4 states) or
//! `h0 + h1·D + h2·D²` (16 states) — the detector 200G/lane receivers put after a
//! short FFE (IEEE 802.3dj backplane draft: "MLSD").
//!
//! Branch metric: the squared Euclidean distance `(x[n] − Σ_i h_i·L(s[n−i]))²`,
//! optimal for white Gaussian noise. Survivors are kept by **register exchange**:
//! each state's survivor is a `u64` of its last symbols (2 bits each for PAM4), so
//! that a step is an add-compare-select plus a shift per state and the decision for
//! symbol `n − depth` is read from the best state's register at once — a fixed
//! delay of `depth` symbols with no traceback loop, and the same decisions whatever
//! the chunking. Metrics are renormalised (minimum subtracted) every symbol.

use super::solve::cholesky_solve;
use super::Modulation;
use crate::eq::check_finite_fast as check_finite;
use crate::error::{check_len, check_max_u8, Error, Result};

/// A streaming Viterbi detector with a fixed decision delay of `depth` symbols.
///
/// ```
/// use serdes_dsp::eq::{Mlse, Modulation};
/// use serdes_dsp::signal::Pam4Mapper;
/// let sym = [0u8, 3, 1, 2, 2, 0, 3, 1, 0, 2];
/// let a = Pam4Mapper::new().map(&sym).unwrap();
/// let x: Vec<f32> = (0..a.len()).map(|n| a[n] + if n > 0 { 0.5 * a[n - 1] } else { -0.5 }).collect();
/// let mut mlse = Mlse::new(Modulation::Pam4, &[1.0, 0.5], 4).unwrap();
/// let mut out = mlse.process(&x).unwrap();
/// out.extend(mlse.finish());
/// assert_eq!(&out[4..], &sym); // the first `depth` outputs precede the stream
/// ```
#[derive(Debug, Clone)]
pub struct Mlse {
    modulation: Modulation,
    channel: Vec<f32>,
    depth: usize,
    q: usize,
    n_states: usize,
    /// `expected[p·Q + s]`: noiseless sample for the step from state `p` on symbol `s`.
    expected: Vec<f32>,
    metrics: Vec<f32>,
    paths: Vec<u64>,
}

/// The largest traceback depth: the survivor register holds `depth + 1` symbols.
pub const MAX_DEPTH: usize = 31;

impl Mlse {
    /// A detector for `modulation` over the channel `[h0, h1]` or `[h0, h1, h2]`
    /// (finite, `h0 ≠ 0`) with decisions `depth` symbols late (1..=31 for PAM4,
    /// 1..=63 for NRZ; 5 times the memory is plenty at useful SNRs).
    pub fn new(modulation: Modulation, channel: &[f32], depth: usize) -> Result<Mlse> {
        if !(2..=3).contains(&channel.len()) {
            return Err(Error::invalid(
                "channel",
                "2 or 3 taps [h0, h1(, h2)]",
                channel.len(),
            ));
        }
        crate::error::check_finite("channel", channel)?;
        if channel[0] == 0.0 {
            return Err(Error::invalid("channel", "h0 != 0", 0.0));
        }
        let bits = modulation.bits() as usize;
        let max_depth = 64 / bits - 1;
        if !(1..=max_depth).contains(&depth) {
            return Err(Error::invalid("depth", format!("1..={max_depth}"), depth));
        }
        let q = modulation.n_levels();
        let mem = channel.len() - 1;
        let n_states = q.pow(mem as u32);
        let mut m = Mlse {
            modulation,
            channel: channel.to_vec(),
            depth,
            q,
            n_states,
            expected: vec![0.0; n_states * q],
            metrics: vec![0.0; n_states],
            paths: vec![0; n_states],
        };
        m.build_expected();
        Ok(m)
    }

    fn build_expected(&mut self) {
        let l = self.modulation.levels();
        let q = self.q;
        for p in 0..self.n_states {
            for s in 0..q {
                // state p = s[n−1] + Q·s[n−2]
                let mut e = self.channel[0] * l[s] + self.channel[1] * l[p % q];
                if self.channel.len() == 3 {
                    e += self.channel[2] * l[p / q];
                }
                self.expected[p * q + s] = e;
            }
        }
    }

    /// The channel taps `[h0, h1(, h2)]` the detector assumes.
    pub fn channel(&self) -> &[f32] {
        &self.channel
    }

    /// Replaces the channel taps (same count), keeping metrics and survivors.
    pub fn set_channel(&mut self, channel: &[f32]) -> Result<()> {
        let fresh = Mlse::new(self.modulation, channel, self.depth)?;
        check_len("channel", self.channel.len(), channel.len())?;
        self.channel = fresh.channel;
        self.expected = fresh.expected;
        Ok(())
    }

    /// Decision delay in symbols (the traceback depth).
    pub fn delay(&self) -> usize {
        self.depth
    }

    /// Number of trellis states (`Q^memory`).
    pub fn n_states(&self) -> usize {
        self.n_states
    }

    /// Back to the start: all states equally likely, empty survivors.
    pub fn reset(&mut self) {
        self.metrics.fill(0.0);
        self.paths.fill(0);
    }

    /// Detects the next chunk: `out[n]` is the decision on sample `n − depth` of the
    /// stream (0 for the first `depth` outputs). Same lengths; errors (state
    /// untouched) on a mismatch or a NaN/infinite sample.
    pub fn process_into(&mut self, x: &[f32], out: &mut [u8]) -> Result<()> {
        check_len("out", x.len(), out.len())?;
        check_finite("x", x)?;
        match (self.q, self.n_states) {
            (4, 4) => self.run::<4, 4>(x, out),
            (4, 16) => self.run::<4, 16>(x, out),
            (2, 2) => self.run::<2, 2>(x, out),
            _ => self.run::<2, 4>(x, out),
        }
        Ok(())
    }

    /// Allocating form of [`Mlse::process_into`].
    pub fn process(&mut self, x: &[f32]) -> Result<Vec<u8>> {
        let mut out = vec![0; x.len()];
        self.process_into(x, &mut out)?;
        Ok(out)
    }

    /// The `depth` decisions still held in the best survivor, oldest first (what
    /// the next `depth` outputs would be if the stream ended here). Does not change
    /// the state.
    pub fn finish(&self) -> Vec<u8> {
        let bits = self.modulation.bits() as usize;
        let best = argmin(&self.metrics);
        let p = self.paths[best];
        (0..self.depth)
            .rev()
            .map(|age| ((p >> (bits * age)) & ((1 << bits) - 1)) as u8)
            .collect()
    }

    #[inline(always)]
    fn run<const Q: usize, const S: usize>(&mut self, x: &[f32], out: &mut [u8]) {
        let bits = if Q == 4 { 2 } else { 1 };
        let shift = bits * self.depth;
        let mask = (1u64 << bits) - 1;
        let exp: &[f32] = &self.expected[..S * Q];
        let mut m: [f32; S] = self.metrics[..].try_into().expect("S states");
        let mut paths: [u64; S] = self.paths[..].try_into().expect("S states");
        // Predecessors of state ns = s + Q·s1 are p = s1 + (S/Q)·j, j in 0..Q.
        let stride = S / Q;
        for (&xn, o) in x.iter().zip(out.iter_mut()) {
            let mut nm = [0.0f32; S];
            let mut np = [0u64; S];
            for ns in 0..S {
                let s = ns % Q;
                let base = ns / Q;
                let mut best = f32::INFINITY;
                let mut arg = base;
                for j in 0..Q {
                    let p = base + stride * j;
                    let d = xn - exp[p * Q + s];
                    let c = m[p] + d * d;
                    if c < best {
                        best = c;
                        arg = p;
                    }
                }
                nm[ns] = best;
                np[ns] = (paths[arg] << bits) | s as u64;
            }
            let mut lo = nm[0];
            let mut bi = 0;
            for (i, &v) in nm.iter().enumerate().skip(1) {
                if v < lo {
                    lo = v;
                    bi = i;
                }
            }
            for v in nm.iter_mut() {
                *v -= lo;
            }
            *o = ((np[bi] >> shift) & mask) as u8;
            m = nm;
            paths = np;
        }
        self.metrics.copy_from_slice(&m);
        self.paths.copy_from_slice(&paths);
    }

    /// Least-squares estimate of the channel taps (same count as the detector's) from
    /// samples `x` and the symbols `symbols` that were sent (same length, symbol
    /// `n` arriving at sample `n`): minimises `Σ (x[n] − Σ_i h_i·L(a[n−i]))²`.
    pub fn estimate_channel(&self, x: &[f32], symbols: &[u8]) -> Result<Vec<f32>> {
        check_len("symbols", x.len(), symbols.len())?;
        check_finite("x", x)?;
        check_max_u8("symbols", symbols, self.q as u8 - 1)?;
        let l = self.modulation.levels();
        let t = self.channel.len();
        let mut a = vec![0.0f64; t * t];
        let mut b = vec![0.0f64; t];
        for n in t - 1..x.len() {
            let u: Vec<f64> = (0..t).map(|i| l[symbols[n - i] as usize] as f64).collect();
            for i in 0..t {
                b[i] += u[i] * x[n] as f64;
                for j in 0..t {
                    a[i * t + j] += u[i] * u[j];
                }
            }
        }
        cholesky_solve(&mut a, &b, t)
            .map(|h| h.iter().map(|&v| v as f32).collect())
            .ok_or_else(|| {
                Error::invalid(
                    "symbols",
                    "varied enough symbols to estimate every tap",
                    x.len(),
                )
            })
    }
}

fn argmin(v: &[f32]) -> usize {
    let mut bi = 0;
    for (i, &x) in v.iter().enumerate() {
        if x < v[bi] {
            bi = i;
        }
    }
    bi
}
