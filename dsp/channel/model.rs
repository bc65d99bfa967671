//! [`Channel`]: one type for every channel model — the analytic lossy line and
//! low-pass filters, and tabulated frequency responses (from a Touchstone file, a
//! field solver, scikit-rf) — with an optional reflection and a pure delay; and
//! [`ChannelFilter`], the streaming convolution of an oversampled waveform with the
//! channel's impulse response.

use super::analytic::{LossyLine, LowPass, Reflection};
use super::conv::Convolver;
use super::response::{
    self, check_tabulated, impulse_from_spectrum, interp, Grid, ImpulseResponse, PulseResponse,
    DEFAULT_ROLL_OFF,
};
use super::touchstone::{Network, PortOrdering};
use crate::error::{Error, Result};
use num_complex::Complex64;
use std::f64::consts::TAU;

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Lossy(LossyLine),
    LowPass(LowPass),
    Tabulated {
        freqs_hz: Vec<f64>,
        h: Vec<Complex64>,
    },
}

/// A linear channel between transmitter and receiver.
///
/// ```
/// use serdes_dsp::channel::Channel;
/// // 106.25 Gb/s PAM4: 53.125 GBd, 20 dB of loss at 26.5625 GHz.
/// let ch = Channel::lossy_line(20.0, 53.125e9).unwrap();
/// assert!((ch.insertion_loss_db(26.5625e9).unwrap() - 20.0).abs() < 1e-9);
/// let pulse = ch.pulse_response(16, 53.125e9, 64).unwrap();
/// let c = pulse.cursors(1, 3); // pre-cursor, main cursor, 3 post-cursors
/// assert!(c[1] > c[0] && c[1] > c[2]);
/// // Streaming: a 16-samples-per-UI waveform through the channel.
/// let mut f = ch.filter(16, 53.125e9, 64).unwrap();
/// let y = f.process(&[1.0; 160]).unwrap();
/// assert_eq!(y.len(), 160);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    kind: Kind,
    reflection: Option<Reflection>,
    delay_s: f64,
    roll_off: f64,
}

impl Channel {
    fn of(kind: Kind) -> Channel {
        Channel {
            kind,
            reflection: None,
            delay_s: 0.0,
            roll_off: DEFAULT_ROLL_OFF,
        }
    }

    /// The built-in lossy line ([`LossyLine`]): `loss_db` of insertion loss at the
    /// Nyquist frequency `baud_hz / 2`, 30 % skin effect and 70 % dielectric loss,
    /// minimum phase.
    pub fn lossy_line(loss_db: f64, baud_hz: f64) -> Result<Channel> {
        Ok(Channel::of(Kind::Lossy(LossyLine::new(loss_db, baud_hz)?)))
    }

    /// A lossy line with its own skin/dielectric split (see [`LossyLine`]).
    pub fn from_lossy_line(line: LossyLine) -> Channel {
        Channel::of(Kind::Lossy(line))
    }

    /// A low-pass filter of `order` 1 (RC) or 2 (Butterworth), −3 dB at `f3db_hz`.
    pub fn low_pass(order: u8, f3db_hz: f64) -> Result<Channel> {
        Ok(Channel::of(Kind::LowPass(LowPass::new(order, f3db_hz)?)))
    }

    /// A tabulated response: `h[i]` (complex, e.g. SDD21) at `freqs_hz[i]` (at least
    /// two, finite, ≥ 0 and strictly increasing).
    pub fn from_frequency_response(freqs_hz: &[f64], h: &[Complex64]) -> Result<Channel> {
        check_tabulated(freqs_hz, h)?;
        Ok(Channel::of(Kind::Tabulated {
            freqs_hz: freqs_hz.to_vec(),
            h: h.to_vec(),
        }))
    }

    /// From a Touchstone file (any version, see [`super::touchstone`]): S21 of a
    /// 2-port, or SDD21 of a 4-port with its single-ended ports paired by
    /// `ordering`. A missing or malformed file is an error naming the path or the
    /// line; any other port count is an error naming `nports`.
    pub fn from_touchstone(
        path: impl AsRef<std::path::Path>,
        ordering: PortOrdering,
    ) -> Result<Channel> {
        let net = Network::from_file(path)?;
        let (freqs, h) = match net.nports() {
            2 => (net.freqs_hz().to_vec(), net.s_param(2, 1)?),
            4 => net.sdd21(ordering)?,
            n => return Err(Error::invalid("nports", "2 (S21) or 4 (SDD21)", n)),
        };
        Channel::from_frequency_response(&freqs, &h)
    }

    /// The same channel with a reflection echo (see [`Reflection`]).
    pub fn with_reflection(mut self, amplitude: f64, delay_s: f64) -> Result<Channel> {
        self.reflection = Some(Reflection::new(amplitude, delay_s)?);
        Ok(self)
    }

    /// The same channel followed by a pure delay of `delay_s` (finite, ≥ 0 s) —
    /// useful to move a minimum-phase response away from `t = 0`.
    pub fn with_delay(mut self, delay_s: f64) -> Result<Channel> {
        if !(delay_s.is_finite() && delay_s >= 0.0) {
            return Err(Error::invalid("delay_s", "a finite delay >= 0 s", delay_s));
        }
        self.delay_s = delay_s;
        Ok(self)
    }

    /// The same channel with another band-edge roll-off fraction for the
    /// frequency→time window (0 < `roll_off` ≤ 1, default [`DEFAULT_ROLL_OFF`]).
    pub fn with_roll_off(mut self, roll_off: f64) -> Result<Channel> {
        if !(roll_off > 0.0 && roll_off <= 1.0) {
            return Err(Error::invalid("roll_off", "0 < roll_off <= 1", roll_off));
        }
        self.roll_off = roll_off;
        Ok(self)
    }

    /// The highest frequency with data (tabulated channels).
    fn data_max_hz(&self) -> Option<f64> {
        match &self.kind {
            Kind::Tabulated { freqs_hz, .. } => freqs_hz.last().copied(),
            _ => None,
        }
    }

    /// Insertion loss `−20·log10|H(f)|` in dB at `f_hz` (finite, ≥ 0; for tabulated
    /// data at most the last frequency, with the magnitude held below the first).
    pub fn insertion_loss_db(&self, f_hz: f64) -> Result<f64> {
        if !(f_hz.is_finite() && f_hz >= 0.0) {
            return Err(Error::invalid("f_hz", "a finite frequency >= 0 Hz", f_hz));
        }
        let mut db = match &self.kind {
            Kind::Lossy(l) => l.loss_db_at(f_hz),
            Kind::LowPass(lp) => -20.0 * lp.response(f_hz).norm().log10(),
            Kind::Tabulated { freqs_hz, h } => {
                let fmax = freqs_hz[freqs_hz.len() - 1];
                if f_hz > fmax {
                    return Err(Error::invalid(
                        "f_hz",
                        format!("0..={fmax} Hz (the data's range)"),
                        f_hz,
                    ));
                }
                let mag: Vec<f64> = h.iter().map(|c| c.norm()).collect();
                -20.0 * interp(freqs_hz, &mag, f_hz).log10()
            }
        };
        if let Some(r) = &self.reflection {
            db -= 20.0 * r.factor(f_hz).norm().log10();
        }
        Ok(db)
    }

    /// `H` on the bins of `grid`, before the window.
    fn spectrum(&self, grid: &Grid) -> Vec<Complex64> {
        let fs = grid.sample_rate_hz();
        let mut s = match &self.kind {
            Kind::Lossy(l) => l.spectrum(grid.n, fs),
            Kind::LowPass(lp) => grid
                .frequencies_hz()
                .into_iter()
                .map(|f| lp.response(f))
                .collect(),
            Kind::Tabulated { freqs_hz, h } => response::tabulated_on_grid(freqs_hz, h, grid),
        };
        let df = grid.df_hz();
        for (k, v) in s.iter_mut().enumerate() {
            let f = k as f64 * df;
            if let Some(r) = &self.reflection {
                *v *= r.factor(f);
            }
            if self.delay_s > 0.0 {
                *v *= Complex64::from_polar(1.0, -TAU * f * self.delay_s);
            }
        }
        s
    }

    /// The impulse response sampled at `samples_per_ui · baud_hz`, `n_ui` UI long
    /// (see [`crate::channel::response`] for the route and the conventions).
    pub fn impulse_response(
        &self,
        samples_per_ui: usize,
        baud_hz: f64,
        n_ui: usize,
    ) -> Result<ImpulseResponse> {
        let grid = Grid::new(samples_per_ui, baud_hz, n_ui)?;
        let nyquist = grid.sample_rate_hz() / 2.0;
        let edge = self.data_max_hz().map_or(nyquist, |f| f.min(nyquist));
        Ok(impulse_from_spectrum(
            self.spectrum(&grid),
            &grid,
            edge,
            self.roll_off,
        ))
    }

    /// The pulse response (one unit symbol, one UI long), as
    /// [`Channel::impulse_response`] then [`ImpulseResponse::pulse`].
    pub fn pulse_response(
        &self,
        samples_per_ui: usize,
        baud_hz: f64,
        n_ui: usize,
    ) -> Result<PulseResponse> {
        Ok(self
            .impulse_response(samples_per_ui, baud_hz, n_ui)?
            .pulse())
    }

    /// A streaming filter that convolves a waveform of `samples_per_ui` samples per
    /// UI at `baud_hz` with the impulse response `n_ui` UI long.
    pub fn filter(
        &self,
        samples_per_ui: usize,
        baud_hz: f64,
        n_ui: usize,
    ) -> Result<ChannelFilter> {
        ChannelFilter::new(self.impulse_response(samples_per_ui, baud_hz, n_ui)?)
    }
}

/// A channel as a streaming block: convolution with an [`ImpulseResponse`] (direct
/// or FFT, see [`crate::channel::conv`]), state kept across calls.
#[derive(Debug, Clone)]
pub struct ChannelFilter {
    impulse: ImpulseResponse,
    conv: Convolver,
}

impl ChannelFilter {
    /// A filter with the samples of `impulse`.
    pub fn new(impulse: ImpulseResponse) -> Result<ChannelFilter> {
        let conv = Convolver::new(&impulse.samples)?;
        Ok(ChannelFilter { impulse, conv })
    }

    /// The impulse response in use.
    pub fn impulse(&self) -> &ImpulseResponse {
        &self.impulse
    }

    /// The convolution engine (method, backend).
    pub fn convolver(&self) -> &Convolver {
        &self.conv
    }

    /// The channel's delay in samples, rounded (from [`ImpulseResponse::delay_s`]).
    pub fn delay_samples(&self) -> usize {
        (self.impulse.delay_s * self.impulse.sample_rate_hz())
            .round()
            .max(0.0) as usize
    }

    /// Convolves the next chunk `x` into `out` (same length).
    pub fn process_into(&mut self, x: &[f32], out: &mut [f32]) -> Result<()> {
        self.conv.process_into(x, out)
    }

    /// Allocating form of [`ChannelFilter::process_into`].
    pub fn process(&mut self, x: &[f32]) -> Result<Vec<f32>> {
        self.conv.process(x)
    }

    /// Back to the start of a stream.
    pub fn reset(&mut self) {
        self.conv.reset()
    }
}
