//! Crosstalk: aggressor lanes, each sending its own seeded PRBS31Q PAM4 pattern
//! through its own coupling response (the FEXT or NEXT path, e.g. SDD41 or SDD31
//! of a multi-port file, or an analytic model), summed at the victim.
//!
//! Each aggressor's waveform is a non-return-to-zero PAM4 signal (levels
//! −1, −1/3, +1/3, +1 times its amplitude, held for `samples_per_ui` samples),
//! convolved with its response by a [`Convolver`]. Everything streams: any chunking
//! of the victim gives the same crosstalk (bit for bit on the direct path, to FFT
//! rounding on the FFT path, see [`crate::channel::conv`]).

use super::conv::Convolver;
use super::model::Channel;
use crate::error::{check_finite, check_len, Error, Result};
use crate::signal::pattern::Prbs31Q;
use crate::signal::Pam4Mapper;

/// Which coupling path an aggressor takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrosstalkKind {
    /// Far-end crosstalk: an aggressor transmitting in the victim's direction,
    /// coupled along the whole length.
    Fext,
    /// Near-end crosstalk: a transmitter at the victim receiver's end.
    Next,
}

impl CrosstalkKind {
    /// `fext` or `next`.
    pub fn name(self) -> &'static str {
        match self {
            CrosstalkKind::Fext => "fext",
            CrosstalkKind::Next => "next",
        }
    }

    /// Parses `fext` or `next` (any case).
    pub fn from_name(name: &str) -> Result<CrosstalkKind> {
        match name.to_ascii_lowercase().as_str() {
            "fext" => Ok(CrosstalkKind::Fext),
            "next" => Ok(CrosstalkKind::Next),
            _ => Err(Error::invalid("kind", "`fext` or `next`", name)),
        }
    }
}

#[derive(Debug, Clone)]
struct Aggressor {
    kind: CrosstalkKind,
    pattern: Prbs31Q,
    levels: [f32; 4],
    conv: Convolver,
    /// Samples of the current UI already sent (`0..sps`).
    phase: usize,
    level: f32,
}

/// A set of aggressors summed at the victim, streaming.
///
/// ```
/// use serdes_dsp::channel::crosstalk::{Crosstalk, CrosstalkKind};
/// let mut x = Crosstalk::new(4).unwrap();
/// // One FEXT aggressor coupled by a 3-sample response, amplitude 0.1.
/// x.add_aggressor(CrosstalkKind::Fext, &[0.05, 0.1, 0.05], 0x1234, 0.1).unwrap();
/// let victim = vec![0.0f32; 64];
/// let y = x.process(&victim).unwrap();
/// assert!(y.iter().any(|&v| v != 0.0) && y.iter().all(|v| v.abs() <= 0.1 * 0.2 + 1e-6));
/// ```
#[derive(Debug, Clone)]
pub struct Crosstalk {
    samples_per_ui: usize,
    aggressors: Vec<Aggressor>,
    symbols: Vec<u8>,
    wave: Vec<f32>,
    coupled: Vec<f32>,
}

impl Crosstalk {
    /// No aggressors yet, on waveforms of `samples_per_ui` (1..=1024) samples per UI.
    pub fn new(samples_per_ui: usize) -> Result<Crosstalk> {
        if !(1..=1024).contains(&samples_per_ui) {
            return Err(Error::invalid("samples_per_ui", "1..=1024", samples_per_ui));
        }
        Ok(Crosstalk {
            samples_per_ui,
            aggressors: Vec::new(),
            symbols: Vec::new(),
            wave: Vec::new(),
            coupled: Vec::new(),
        })
    }

    /// Samples per UI.
    pub fn samples_per_ui(&self) -> usize {
        self.samples_per_ui
    }

    /// Number of aggressors.
    pub fn len(&self) -> usize {
        self.aggressors.len()
    }

    /// Whether there are no aggressors.
    pub fn is_empty(&self) -> bool {
        self.aggressors.is_empty()
    }

    /// The kind of each aggressor, in the order added.
    pub fn kinds(&self) -> Vec<CrosstalkKind> {
        self.aggressors.iter().map(|a| a.kind).collect()
    }

    /// Adds an aggressor sending PRBS31Q from `seed` (1..=2^31 − 1) at peak level
    /// `amplitude` (finite) through `response` (the coupling path's impulse response
    /// at this sample rate, as [`crate::channel::ImpulseResponse::samples`]).
    pub fn add_aggressor(
        &mut self,
        kind: CrosstalkKind,
        response: &[f32],
        seed: u64,
        amplitude: f32,
    ) -> Result<()> {
        if !amplitude.is_finite() {
            return Err(Error::invalid("amplitude", "a finite level", amplitude));
        }
        let pattern = Prbs31Q::new(seed)?;
        let conv = Convolver::new(response)?;
        let levels = Pam4Mapper::new().levels().map(|v| v * amplitude);
        self.aggressors.push(Aggressor {
            kind,
            pattern,
            levels,
            conv,
            phase: 0,
            level: 0.0,
        });
        Ok(())
    }

    /// Adds an aggressor whose coupling path is `channel`, sampled at this
    /// crosstalk's samples per UI and `baud_hz`, `n_ui` UI long.
    pub fn add_channel(
        &mut self,
        kind: CrosstalkKind,
        channel: &Channel,
        baud_hz: f64,
        n_ui: usize,
        seed: u64,
        amplitude: f32,
    ) -> Result<()> {
        let ir = channel.impulse_response(self.samples_per_ui, baud_hz, n_ui)?;
        self.add_aggressor(kind, &ir.samples, seed, amplitude)
    }

    /// The next `out.len()` samples of crosstalk alone (the sum of the aggressors).
    pub fn crosstalk_into(&mut self, out: &mut [f32]) {
        let n = out.len();
        out.fill(0.0);
        let sps = self.samples_per_ui;
        self.wave.resize(n, 0.0);
        self.coupled.resize(n, 0.0);
        for a in &mut self.aggressors {
            // New symbols start where the stream position is a multiple of sps.
            let first = (sps - a.phase) % sps;
            let count = if first < n {
                (n - first).div_ceil(sps)
            } else {
                0
            };
            self.symbols.resize(count, 0);
            a.pattern.fill_symbols(&mut self.symbols);
            let mut s = self.symbols.iter();
            for (i, w) in self.wave.iter_mut().enumerate() {
                if (a.phase + i) % sps == 0 {
                    a.level = a.levels[(*s.next().expect("counted above") & 3) as usize];
                }
                *w = a.level;
            }
            a.phase = (a.phase + n) % sps;
            a.conv
                .process_into(&self.wave, &mut self.coupled)
                .expect("lengths agree and the levels are finite");
            for (o, &c) in out.iter_mut().zip(&self.coupled) {
                *o += c;
            }
        }
    }

    /// `out = victim + crosstalk` for the next chunk (same lengths; `victim` finite).
    pub fn process_into(&mut self, victim: &[f32], out: &mut [f32]) -> Result<()> {
        check_len("out", victim.len(), out.len())?;
        check_finite("victim", victim)?;
        self.crosstalk_into(out);
        for (o, &v) in out.iter_mut().zip(victim) {
            *o += v;
        }
        Ok(())
    }

    /// Allocating form of [`Crosstalk::process_into`].
    pub fn process(&mut self, victim: &[f32]) -> Result<Vec<f32>> {
        let mut out = vec![0.0; victim.len()];
        self.process_into(victim, &mut out)?;
        Ok(out)
    }

    /// Back to the start: every pattern to its seed, every convolution to rest.
    pub fn reset(&mut self) {
        for a in &mut self.aggressors {
            a.pattern.reset();
            a.conv.reset();
            a.phase = 0;
            a.level = 0.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::conv::reference_convolution;
    use proptest::prelude::*;

    #[test]
    fn one_aggressor_is_its_pattern_through_its_response() {
        let sps = 3;
        let h = [0.2f32, -0.1, 0.05, 0.3];
        let mut x = Crosstalk::new(sps).unwrap();
        x.add_aggressor(CrosstalkKind::Next, &h, 77, 0.5).unwrap();
        let n = 300;
        let got = x.process(&vec![0.0; n]).unwrap();
        // Independent route: the pattern, mapped, repeated, convolved in f64.
        let syms = Prbs31Q::new(77).unwrap().symbols(n / sps);
        let wave: Vec<f32> = syms
            .iter()
            .flat_map(|&s| {
                std::iter::repeat_n([-0.5f32, -0.5 / 3.0, 0.5 / 3.0, 0.5][s as usize], sps)
            })
            .collect();
        let want = reference_convolution(&h, &wave);
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-6, "{g} vs {w}");
        }
        assert_eq!(x.kinds(), vec![CrosstalkKind::Next]);
    }

    #[test]
    fn aggressors_add_at_the_victim() {
        let h1 = [0.1f32, 0.2];
        let h2 = vec![0.01f32; 100];
        let victim: Vec<f32> = (0..500).map(|i| (i as f32 * 0.1).sin()).collect();
        let mut both = Crosstalk::new(2).unwrap();
        both.add_aggressor(CrosstalkKind::Fext, &h1, 5, 1.0)
            .unwrap();
        both.add_aggressor(CrosstalkKind::Next, &h2, 9, 0.3)
            .unwrap();
        let mut a = Crosstalk::new(2).unwrap();
        a.add_aggressor(CrosstalkKind::Fext, &h1, 5, 1.0).unwrap();
        let mut b = Crosstalk::new(2).unwrap();
        b.add_aggressor(CrosstalkKind::Next, &h2, 9, 0.3).unwrap();
        let y = both.process(&victim).unwrap();
        let ya = a.process(&vec![0.0; 500]).unwrap();
        let yb = b.process(&vec![0.0; 500]).unwrap();
        for i in 0..500 {
            assert!((y[i] - (victim[i] + ya[i] + yb[i])).abs() < 1e-6);
        }
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert!(Crosstalk::new(0)
            .unwrap_err()
            .to_string()
            .contains("`samples_per_ui`"));
        let mut x = Crosstalk::new(2).unwrap();
        assert!(x
            .add_aggressor(CrosstalkKind::Fext, &[1.0], 0, 1.0)
            .unwrap_err()
            .to_string()
            .contains("`seed`"));
        assert!(x
            .add_aggressor(CrosstalkKind::Fext, &[], 1, 1.0)
            .unwrap_err()
            .to_string()
            .contains("`response`"));
        assert!(x
            .add_aggressor(CrosstalkKind::Fext, &[1.0], 1, f32::NAN)
            .unwrap_err()
            .to_string()
            .contains("`amplitude`"));
        assert!(x
            .process(&[f32::NAN])
            .unwrap_err()
            .to_string()
            .contains("`victim`"));
        assert!(CrosstalkKind::from_name("side")
            .unwrap_err()
            .to_string()
            .contains("`kind`"));
        assert_eq!(
            CrosstalkKind::from_name("FEXT").unwrap(),
            CrosstalkKind::Fext
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn chunk_invariant(sps in 1usize..6, cuts in proptest::collection::vec(0usize..1000, 0..6)) {
            let mut whole = Crosstalk::new(sps).unwrap();
            whole.add_aggressor(CrosstalkKind::Fext, &[0.3, 0.2, 0.1], 3, 1.0).unwrap();
            whole.add_aggressor(CrosstalkKind::Next, &[0.01; 20], 4, 0.5).unwrap();
            let mut chunked = whole.clone();
            let victim = vec![0.0f32; 1000];
            let want = whole.process(&victim).unwrap();
            let mut cuts = cuts;
            cuts.sort_unstable();
            let mut got = Vec::new();
            let mut start = 0;
            for &k in cuts.iter().chain(std::iter::once(&1000)) {
                got.extend(chunked.process(&victim[start..k]).unwrap());
                start = k;
            }
            prop_assert_eq!(got, want);
        }
    }
}
