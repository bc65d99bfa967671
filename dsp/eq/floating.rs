//! A DFE with floating taps: `N` fixed taps `b_1..b_N` on the first post-cursors
//! plus `M` taps at chosen positions further out, where a reflection puts a large
//! post-cursor long after the main one (the "floating-tap" DFE of backplane
//! receivers, which covers a reflection at 20–100 UI without 100 taps).
//!
//! `y[n] = x[n] − Σ_{k=1..N} b_k·L(d[n−k]) − Σ_{i=1..M} f_i·L(d[n−p_i])`,
//! `d[n] = slice(y[n])`, `N < p_1 < … < p_M`.
//!
//! # How it runs
//!
//! The floating feedback of sample `n` needs decisions at least `p_1` symbols old,
//! so over a block of `p_1` samples it depends only on decisions made before the
//! block: it is subtracted from the block first (a plain loop over the ring of past
//! decisions), and the block then goes through the fixed taps' [`Dfe`] with its fast
//! look-ahead kernels. Blocks restart at every call, which changes nothing: the
//! decisions the floating taps read are final whichever way the stream is cut.
//! The soft output differs from the textbook loop only by the order of the f32
//! additions (the floating feedback is subtracted before the fixed one).

use super::{Dfe, Modulation};
use crate::eq::check_finite_fast as check_finite;
use crate::error::{check_len, Error, Result};

/// The largest position of a floating tap, in symbols.
pub const MAX_FLOATING_POSITION: usize = 1024;

/// The largest number of floating taps.
pub const MAX_FLOATING_TAPS: usize = 32;

/// A streaming DFE with fixed and floating taps; delay 0.
///
/// ```
/// use serdes_dsp::eq::{FloatingDfe, Modulation};
/// // channel 1 + 0.4 D + 0.3 D^40 (a reflection 40 UI late)
/// let mut h = vec![0.0f32; 41];
/// h[0] = 1.0;
/// h[1] = 0.4;
/// h[40] = 0.3;
/// let mut dfe = FloatingDfe::from_pulse(Modulation::Pam4, &h, 0, 1, 1, 64).unwrap();
/// assert_eq!(dfe.positions(), &[40]);
/// let sym: Vec<u8> = (0..200u32).map(|i| ((i * 7 + i / 3) % 4) as u8).collect();
/// let lv = [-1.0f32, -1.0 / 3.0, 1.0 / 3.0, 1.0];
/// // the line idles at symbol 0 before the start, as the DFE assumes
/// let a = |m: isize| lv[if m < 0 { 0 } else { sym[m as usize] as usize }];
/// let x: Vec<f32> = (0..sym.len() as isize)
///     .map(|n| (0..h.len()).map(|k| h[k] * a(n - k as isize)).sum())
///     .collect();
/// assert_eq!(dfe.process(&x).unwrap(), sym);
/// ```
#[derive(Debug, Clone)]
pub struct FloatingDfe {
    dfe: Dfe,
    positions: Vec<usize>,
    taps: Vec<f32>,
    levels: [f32; 4],
    /// The last `span` decisions (the largest position), oldest first.
    past: Vec<u8>,
    /// `past` followed by the decisions of the chunk in progress.
    hist: Vec<u8>,
    scratch: Vec<f32>,
}

impl FloatingDfe {
    /// Fixed taps `b_1..b_N` (`1 ≤ N ≤ 32`, finite) and floating taps
    /// `(position, tap)` (1 to 32, finite taps, positions distinct, `N < p ≤ 1024`,
    /// any order). Errors name the argument and the allowed range.
    pub fn new(modulation: Modulation, fixed: &[f32], floating: &[(usize, f32)]) -> Result<Self> {
        let dfe = Dfe::new(modulation, fixed)?;
        if floating.is_empty() || floating.len() > MAX_FLOATING_TAPS {
            return Err(Error::invalid(
                "floating",
                format!("1..={MAX_FLOATING_TAPS} floating taps"),
                floating.len(),
            ));
        }
        let mut f = floating.to_vec();
        f.sort_by_key(|&(p, _)| p);
        for w in f.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(Error::invalid(
                    "floating",
                    "distinct positions",
                    format!("position {} twice", w[0].0),
                ));
            }
        }
        let n = fixed.len();
        for &(p, t) in &f {
            if !(n < p && p <= MAX_FLOATING_POSITION) {
                return Err(Error::invalid(
                    "floating",
                    format!(
                        "positions beyond the fixed taps and at most {MAX_FLOATING_POSITION}: {}..={MAX_FLOATING_POSITION}",
                        n + 1
                    ),
                    p,
                ));
            }
            if !t.is_finite() {
                return Err(Error::invalid("floating", "finite taps", t));
            }
        }
        let span = f.last().map_or(1, |&(p, _)| p);
        Ok(FloatingDfe {
            dfe,
            positions: f.iter().map(|&(p, _)| p).collect(),
            taps: f.iter().map(|&(_, t)| t).collect(),
            levels: modulation.levels(),
            past: vec![0; span],
            hist: Vec::new(),
            scratch: Vec::new(),
        })
    }

    /// The zero-forcing taps for a symbol-spaced `pulse` with its main cursor at
    /// `cursor`: `n_fixed` fixed taps `b_k = h_k/h_0` and `n_floating` floating taps
    /// on the largest `|h_k|` among `k = n_fixed+1 ..= max_position` (ties: the
    /// earlier), `f = h_k/h_0`. The input of [`FloatingDfe::process`] is then
    /// expected with its main cursor at 1 (divide by `h_0`).
    pub fn from_pulse(
        modulation: Modulation,
        pulse: &[f32],
        cursor: usize,
        n_fixed: usize,
        n_floating: usize,
        max_position: usize,
    ) -> Result<Self> {
        check_finite("pulse", pulse)?;
        if cursor >= pulse.len() {
            return Err(Error::invalid(
                "cursor",
                format!("0..={} (inside the pulse)", pulse.len().max(1) - 1),
                cursor,
            ));
        }
        let h0 = pulse[cursor];
        if h0 == 0.0 {
            return Err(Error::invalid("pulse", "a non-zero main cursor", 0.0));
        }
        let h = |k: usize| pulse.get(cursor + k).copied().unwrap_or(0.0) / h0;
        let fixed: Vec<f32> = (1..=n_fixed).map(h).collect();
        if !(n_fixed < max_position && max_position <= MAX_FLOATING_POSITION) {
            return Err(Error::invalid(
                "max_position",
                format!("{}..={MAX_FLOATING_POSITION}", n_fixed + 1),
                max_position,
            ));
        }
        let window = max_position - n_fixed;
        if n_floating == 0 || n_floating > window.min(MAX_FLOATING_TAPS) {
            return Err(Error::invalid(
                "n_floating",
                format!("1..={}", window.min(MAX_FLOATING_TAPS)),
                n_floating,
            ));
        }
        let mut cand: Vec<usize> = (n_fixed + 1..=max_position).collect();
        cand.sort_by(|&a, &b| h(b).abs().total_cmp(&h(a).abs()).then(a.cmp(&b)));
        let floating: Vec<(usize, f32)> = cand[..n_floating].iter().map(|&p| (p, h(p))).collect();
        FloatingDfe::new(modulation, &fixed, &floating)
    }

    /// The fixed taps `b_1..b_N`.
    pub fn fixed_taps(&self) -> &[f32] {
        self.dfe.taps()
    }

    /// Positions of the floating taps, ascending (symbols after the main cursor).
    pub fn positions(&self) -> &[usize] {
        &self.positions
    }

    /// The floating taps, in the order of [`FloatingDfe::positions`].
    pub fn floating_taps(&self) -> &[f32] {
        &self.taps
    }

    /// The modulation.
    pub fn modulation(&self) -> Modulation {
        self.dfe.modulation()
    }

    /// 0: the decision for input `n` is output `n`.
    pub fn delay(&self) -> usize {
        0
    }

    /// Forget past decisions (taken as symbol 0, an idle line, as after `new`).
    pub fn reset(&mut self) {
        self.dfe.reset();
        self.past.fill(0);
    }

    /// Decides the next chunk `x` (finite) into `symbols`, with the slicer input
    /// (the equalised samples) in `soft`; both the length of `x`.
    pub fn process_soft_into(
        &mut self,
        x: &[f32],
        symbols: &mut [u8],
        soft: &mut [f32],
    ) -> Result<()> {
        check_len("soft", x.len(), soft.len())?;
        self.run(x, symbols, Some(soft))
    }

    /// Decides the next chunk `x` (finite) into `symbols` (same length).
    pub fn process_into(&mut self, x: &[f32], symbols: &mut [u8]) -> Result<()> {
        self.run(x, symbols, None)
    }

    fn run(&mut self, x: &[f32], symbols: &mut [u8], mut soft: Option<&mut [f32]>) -> Result<()> {
        check_len("symbols", x.len(), symbols.len())?;
        check_finite("x", x)?;
        let block = self.positions[0];
        let span = self.past.len();
        self.scratch.resize(block, 0.0);
        self.hist.clear();
        self.hist.extend_from_slice(&self.past);
        let mut s = 0;
        while s < x.len() {
            let e = (s + block).min(x.len());
            for (n, (o, &xn)) in self.scratch.iter_mut().zip(&x[s..e]).enumerate() {
                // d[s + n − p] sits at span + s + n − p of `hist`: decided before
                // this block, since n < block ≤ p.
                let at = span + s + n;
                let mut fb = 0.0f32;
                for (&p, &t) in self.positions.iter().zip(&self.taps) {
                    fb += t * self.levels[self.hist[at - p] as usize];
                }
                *o = xn - fb;
            }
            let chunk = &self.scratch[..e - s];
            match soft.as_deref_mut() {
                Some(y) => self
                    .dfe
                    .process_soft_into(chunk, &mut symbols[s..e], &mut y[s..e])?,
                None => self.dfe.process_into(chunk, &mut symbols[s..e])?,
            }
            self.hist.extend_from_slice(&symbols[s..e]);
            s = e;
        }
        let h = self.hist.len();
        self.past.copy_from_slice(&self.hist[h - span..]);
        Ok(())
    }

    /// Allocating form of [`FloatingDfe::process_into`].
    pub fn process(&mut self, x: &[f32]) -> Result<Vec<u8>> {
        let mut d = vec![0; x.len()];
        self.process_into(x, &mut d)?;
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The textbook loop: full history, every tap summed per sample.
    fn textbook(
        m: Modulation,
        fixed: &[f32],
        floating: &[(usize, f32)],
        x: &[f32],
    ) -> (Vec<u8>, Vec<f32>) {
        let lv = m.levels();
        let mut d: Vec<u8> = Vec::new();
        let mut y = Vec::new();
        let past = |d: &[u8], n: usize, k: usize| if n >= k { d[n - k] } else { 0 };
        for (n, &xn) in x.iter().enumerate() {
            let mut v = xn;
            for &(p, t) in floating {
                v -= t * lv[past(&d[..], n, p) as usize];
            }
            for (k, &b) in fixed.iter().enumerate() {
                v -= b * lv[past(&d[..], n, k + 1) as usize];
            }
            y.push(v);
            d.push(m.slice(v));
        }
        (d, y)
    }

    fn channel(m: Modulation, h: &[(usize, f32)], sym: &[u8], noise: &[f32]) -> Vec<f32> {
        let lv = m.levels();
        (0..sym.len())
            .map(|n| {
                let mut v = noise[n];
                for &(k, c) in h {
                    v += c * lv[if n >= k { sym[n - k] } else { 0 } as usize];
                }
                v
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn matches_the_textbook_loop_on_any_chunking(
            seed in 0u64..1000,
            n_fixed in 1usize..6,
            gaps in proptest::collection::vec(1usize..30, 1..4),
            cuts in proptest::collection::vec(0usize..3000, 0..6),
            pam4 in any::<bool>(),
        ) {
            let m = if pam4 { Modulation::Pam4 } else { Modulation::Nrz };
            let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            let mut rnd = move || { s ^= s << 13; s ^= s >> 7; s ^= s << 17; s };
            let q = m.n_levels() as u64;
            let sym: Vec<u8> = (0..3000).map(|_| (rnd() % q) as u8).collect();
            let noise: Vec<f32> = (0..3000).map(|_| ((rnd() % 2001) as f32 / 1000.0 - 1.0) * 0.04).collect();
            let fixed: Vec<f32> = (0..n_fixed).map(|k| 0.4 / (k + 1) as f32).collect();
            let mut p = n_fixed;
            let floating: Vec<(usize, f32)> = gaps.iter().enumerate().map(|(i, g)| { p += g; (p, if i % 2 == 0 { 0.15 } else { -0.1 }) }).collect();
            let mut h: Vec<(usize, f32)> = vec![(0, 1.0)];
            h.extend(fixed.iter().enumerate().map(|(k, &b)| (k + 1, b)));
            h.extend(floating.iter().copied());
            let x = channel(m, &h, &sym, &noise);
            let (want, want_y) = textbook(m, &fixed, &floating, &x);
            prop_assert_eq!(&want, &sym, "the channel is equalisable");
            let mut cuts = cuts;
            cuts.push(0);
            cuts.push(x.len());
            cuts.sort();
            let mut dfe = FloatingDfe::new(m, &fixed, &floating).unwrap();
            let (mut d, mut y) = (vec![0u8; x.len()], vec![0f32; x.len()]);
            for w in cuts.windows(2) {
                dfe.process_soft_into(&x[w[0]..w[1]], &mut d[w[0]..w[1]], &mut y[w[0]..w[1]]).unwrap();
            }
            prop_assert_eq!(&d, &want);
            for (a, b) in y.iter().zip(&want_y) {
                prop_assert!((a - b).abs() < 1e-5, "{} vs {}", a, b);
            }
        }
    }

    #[test]
    fn from_pulse_places_the_floating_taps_on_the_largest_post_cursors() {
        let mut h = vec![0.01f32; 80];
        h[2] = 2.0; // main cursor
        h[3] = 0.8;
        h[4] = 0.3;
        h[2 + 30] = -0.4;
        h[2 + 55] = 0.2;
        h[2 + 12] = 0.1;
        let d = FloatingDfe::from_pulse(Modulation::Pam4, &h, 2, 2, 2, 70).unwrap();
        assert_eq!(d.fixed_taps(), &[0.4, 0.15]);
        assert_eq!(d.positions(), &[30, 55]);
        assert_eq!(d.floating_taps(), &[-0.2, 0.1]);
    }

    #[test]
    fn bad_arguments_are_named() {
        let e = |r: Result<FloatingDfe>| r.unwrap_err().to_string();
        let m = Modulation::Pam4;
        assert!(e(FloatingDfe::new(m, &[0.1], &[])).contains("floating"));
        assert!(e(FloatingDfe::new(m, &[0.1, 0.2], &[(2, 0.1)])).contains("3..=1024"));
        assert!(e(FloatingDfe::new(m, &[0.1], &[(5, 0.1), (5, 0.2)])).contains("distinct"));
        assert!(e(FloatingDfe::new(m, &[0.1], &[(5, f32::NAN)])).contains("finite"));
        assert!(e(FloatingDfe::new(m, &[], &[(5, 0.1)])).contains("taps"));
        assert!(e(FloatingDfe::from_pulse(m, &[1.0, 0.5], 2, 1, 1, 8)).contains("cursor"));
        assert!(e(FloatingDfe::from_pulse(m, &[1.0, 0.5], 0, 1, 0, 8)).contains("n_floating"));
        assert!(e(FloatingDfe::from_pulse(m, &[1.0, 0.5], 0, 1, 1, 1)).contains("max_position"));
        let mut d = FloatingDfe::new(m, &[0.1], &[(5, 0.1)]).unwrap();
        let mut out = [0u8; 2];
        assert!(d
            .process_into(&[0.0; 3], &mut out)
            .unwrap_err()
            .to_string()
            .contains("symbols"));
        assert!(d
            .process(&[f32::NAN])
            .unwrap_err()
            .to_string()
            .contains("`x`"));
    }
}
