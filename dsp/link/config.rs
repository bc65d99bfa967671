//! [`LinkConfig`]: a whole link described as data — TOML or JSON in, validated,
//! with errors that name the key.
//!
//! ```toml
//! baud_hz = 53.125e9
//! [tx]
//! modulation = "pam4"     # or "nrz"
//! prbs_order = 31
//! precoding = false       # 1/(1+D) mod 4, Clause 120.5.7.2
//! fir = [-0.05, 0.85, -0.1] # Tx FIR, main tap at fir_cursor; [] = none
//! fir_cursor = 1
//! [channel]
//! model = "lossy_line"    # "lossy_line", "touchstone" or "pulse" (symbol-spaced)
//! loss_db = 16.0          # lossy line: insertion loss at Nyquist (baud_hz / 2)
//! skin_fraction = 0.3     # lossy line: share of the loss that is skin effect
//! touchstone = ""         # touchstone: path of a .s2p (S21) or .s4p (SDD21)
//! ports = "1-3/2-4"       # touchstone .s4p port pairing: "1-3/2-4" or "1-2/3-4"
//! pulse = [0.04, 0.55, 0.3, 0.1, 0.04, 0.015]  # pulse: symbol-spaced pulse response
//! cursor = 1                                    # pulse: index of its main cursor
//! snr_db = 22.0
//! [channel.jitter]        # Tx jitter, UI (lossy_line and touchstone models)
//! rj_ui = 0.0             # random jitter, rms
//! sj_ui = 0.0             # sinusoidal jitter amplitude (peak)
//! sj_hz = 1e6
//! dcd_ui = 0.0            # duty-cycle distortion, peak to peak
//! [[channel.crosstalk]]   # any number of aggressors (analog models); none by default
//! kind = "fext"           # "fext" or "next"
//! coupling_db = -30.0     # analytic path: its gain at Nyquist, dB
//! touchstone = ""         # or a multi-port file whose SDD(sdd[0], sdd[1]) is the path
//! ports = "1-3/2-4"       # its port pairing
//! sdd = [4, 1]            # mixed-mode pair out, pair in (1-based)
//! amplitude = 1.0         # the aggressor's Tx levels relative to the victim's
//! [channel.optical]       # IM-DD optical path between the channel and the Rx front end
//! enabled = false
//! power = "average"       # what power_dbm is: "average" or "oma"
//! power_dbm = 0.0         # received optical power
//! extinction_ratio_db = 5.0
//! rin_db_hz = -145.0      # laser RIN (−200: none)
//! bandwidth_hz = 45e9     # −3 dB of the optical path (0: none)
//! bandwidth_order = 2     # 1 or 2 (Butterworth)
//! responsivity_a_w = 0.8  # photodiode, A/W
//! thermal_noise_pa_rt_hz = 15.0 # Rx input-referred noise density, pA/√Hz
//! shot_noise = true
//! [rx]
//! samples_per_ui = 8      # oversampling of the analog waveform (even, 4..=32)
//! sampling = "auto"       # "direct", "oversampled" or "auto" (direct unless jitter)
//! frontend_bw = 0.75      # Rx front end: 4th-order Butterworth at frontend_bw · baud_hz
//! ffe_taps = 16
//! ffe_cursor = 3
//! dfe_taps = 4
//! detector = "dfe"        # "slicer", "dfe" or "mlse"
//! mlse_depth = 16
//! [rx.ctle]
//! kind = "802.3ck"        # "none", "802.3ck" (Annex 93A/120F) or "802.3dj" (178A)
//! auto = true             # choose g_dc_db, g_dc2_db for the best FFE/DFE SNR
//! g_dc_db = -6.0
//! g_dc2_db = 0.0
//! [rx.cdr]
//! detector = "bang_bang"  # "bang_bang", "mm", "mm_ss" or "gardner"
//! bandwidth_hz = 0.0      # jitter-transfer bandwidth; 0 = baud_hz / 2500
//! damping = 1.0
//! update_every = 16       # symbols per loop update
//! [fec]
//! code = "kp4"            # "kp4", "kr4" or "none"
//! interleave = 1          # codewords symbol-interleaved: 1, 2 or 4
//! lanes = 1               # lanes the FEC symbols are dealt to: 1, 2, 4, 8, 16
//! [record]
//! eye_symbols = 200000    # symbols drawn into the eye (after training)
//! trace_symbols = 1000000 # symbols of CDR phase trace kept (one point per loop update)
//! ```
//!
//! Every section and key is optional: what is missing takes the value of
//! [`LinkConfig::default`], the built-in default link. Unknown keys are errors.
//!
//! With `channel.model = "pulse"` the link is symbol-spaced (the model of COM's
//! statistical core): the pulse already includes whatever analog equalisation there
//! is, so `rx.ctle`, `rx.cdr`, `rx.samples_per_ui`, `rx.frontend_bw`,
//! `channel.jitter` and `record` are not used. With the other models the receiver
//! sees an oversampled analog waveform and recovers its clock (see
//! [`super::analog`]).

use serde::{Deserialize, Serialize};

use crate::eq::Modulation;
use crate::error::{Error, Result};

/// A whole link: transmitter, channel, receiver and FEC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinkConfig {
    /// Symbol rate in Hz (53.125e9 for 106.25 Gb/s PAM4, IEEE 802.3ck).
    pub baud_hz: f64,
    /// The transmitter.
    pub tx: TxConfig,
    /// The channel and its noise.
    pub channel: ChannelConfig,
    /// The receiver's equalisation and detection.
    pub rx: RxConfig,
    /// Forward error correction.
    pub fec: FecConfig,
    /// What is recorded besides the counts (eye, CDR phase trace).
    pub record: RecordConfig,
}

/// The transmitter: pattern, line coding, precoding and Tx FIR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TxConfig {
    /// `"pam4"` (Gray-coded, Clause 120.5.7) or `"nrz"`.
    pub modulation: ModulationName,
    /// PRBS order of the payload: 7, 9, 11, 13, 15, 23 or 31.
    pub prbs_order: u32,
    /// The 1/(1+D) mod 4 precoder (PAM4 only).
    pub precoding: bool,
    /// Tx FIR taps (any scale: they are normalised to Σ|c| = 1, Clause 120D.3.1.4);
    /// empty for none.
    pub fir: Vec<f32>,
    /// Index of the main tap in `fir`.
    pub fir_cursor: usize,
}

/// The channel, its noise and the transmitter's jitter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChannelConfig {
    /// `"lossy_line"` (the built-in analytic channel), `"touchstone"` (a file) or
    /// `"pulse"` (a symbol-spaced pulse response, no analog receiver).
    pub model: ChannelModel,
    /// Lossy line: insertion loss at the Nyquist frequency `baud_hz / 2`, dB (0..=60).
    pub loss_db: f64,
    /// Lossy line: the share of the loss at Nyquist that is skin effect (∝ √f), the
    /// rest dielectric (∝ f); 0..=1.
    pub skin_fraction: f64,
    /// Touchstone: path of a 2-port (S21) or 4-port (SDD21) file.
    pub touchstone: String,
    /// Touchstone 4-port: `"1-3/2-4"` (ports 1,3 in and 2,4 out, odd/even) or
    /// `"1-2/3-4"` (ports 1,2 in and 3,4 out, scikit-rf's se2gmm).
    pub ports: String,
    /// Pulse model: the pulse response sampled once per UI at the receiver's
    /// sampling phase.
    pub pulse: Vec<f32>,
    /// Pulse model: index of the main cursor in `pulse`.
    pub cursor: usize,
    /// SNR at the receiver input in dB: the mean power of the symbols scaled by the
    /// main cursor of the channel's pulse response (`σa²·h0²`) over the noise power
    /// in the Nyquist band `|f| < baud_hz/2` (for the analog models the noise is white
    /// at the receiver input, then shaped by the front end and the CTLE). With the
    /// pulse model and `pulse = [1]` this is the SNR of [`crate::analysis::theory`].
    pub snr_db: f64,
    /// Transmitter jitter (analog models).
    pub jitter: JitterConfig,
    /// Crosstalk aggressors (analog models), `[[channel.crosstalk]]` in TOML: each
    /// sends its own PRBS31Q pattern through its own coupling path, summed at the
    /// victim's receiver input (see [`super::analog`]).
    pub crosstalk: Vec<CrosstalkConfig>,
    /// The optical IM-DD path (analog models): with `enabled`, the noise is the
    /// optical receiver's (thermal, shot, RIN; `snr_db` is not used).
    pub optical: OpticalSection,
}

/// Which way a crosstalk aggressor couples in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum XtalkKind {
    /// Far end: a neighbour transmitting in the victim's direction. The analytic
    /// path is the victim's channel times `j·f/f_N` (coupling along the line grows
    /// with frequency), scaled to `coupling_db` at Nyquist `f_N`.
    Fext,
    /// Near end: a transmitter beside the victim's receiver. The analytic path is a
    /// first-order high pass with its corner at `f_N/2`, scaled to `coupling_db`
    /// at Nyquist (near-end coupling rises with frequency, then saturates; it does
    /// not go through the line's loss).
    Next,
}

/// One crosstalk aggressor of the analog models.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CrosstalkConfig {
    /// `"fext"` or `"next"`.
    pub kind: XtalkKind,
    /// Analytic path: its gain at the Nyquist frequency `baud_hz / 2`, dB (−100..=0).
    pub coupling_db: f64,
    /// A multi-port Touchstone file whose mixed-mode `SDD(sdd[0], sdd[1])` is the
    /// coupling path (e.g. an .s8p of two lines with `sdd = [4, 1]`); `""`: the
    /// analytic path.
    pub touchstone: String,
    /// The file's port pairing, as `channel.ports`.
    pub ports: String,
    /// Mixed-mode pairs `[out, in]`, 1-based, of the file's coupling path.
    pub sdd: [usize; 2],
    /// The aggressor's transmit levels relative to the victim's (0..=10); it sends
    /// the victim's modulation without a Tx FIR.
    pub amplitude: f64,
}

/// What `power_dbm` of the optical path gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OpticalPowerKind {
    /// Average received power.
    Average,
    /// Optical modulation amplitude `P1 − P0`.
    Oma,
}

/// The optical IM-DD path of the analog models (co-packaged optics): the Tx
/// drive modulates a laser, the light goes through the optical path's bandwidth
/// limit to a photodiode and a TIA, then the Rx front end and CTLE. The numbers
/// are those of [`crate::channel::optical::OpticalConfig`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpticalSection {
    /// Whether the link is optical.
    pub enabled: bool,
    /// `"average"` or `"oma"`: what `power_dbm` is.
    pub power: OpticalPowerKind,
    /// Received optical power, dBm (−40..=20): the average or the OMA.
    pub power_dbm: f64,
    /// Extinction ratio `P1/P0`, dB (0 < ER <= 30).
    pub extinction_ratio_db: f64,
    /// Laser relative intensity noise, dB/Hz (−200..=−100; −200 is none).
    pub rin_db_hz: f64,
    /// −3 dB bandwidth of the optical path (modulator, fibre, photodiode), Hz; 0 for
    /// none (else `0 < bandwidth_hz < 4·baud_hz`).
    pub bandwidth_hz: f64,
    /// Order of that bandwidth limit: 1 or 2 (Butterworth).
    pub bandwidth_order: u32,
    /// Photodiode responsivity, A/W (0 < R <= 2).
    pub responsivity_a_w: f64,
    /// Input-referred thermal noise density of the receiver, pA/√Hz (0..=1000).
    pub thermal_noise_pa_rt_hz: f64,
    /// Whether to add shot noise.
    pub shot_noise: bool,
}

impl Default for CrosstalkConfig {
    fn default() -> Self {
        CrosstalkConfig {
            kind: XtalkKind::Fext,
            coupling_db: -30.0,
            touchstone: String::new(),
            ports: "1-3/2-4".into(),
            sdd: [4, 1],
            amplitude: 1.0,
        }
    }
}

impl Default for OpticalSection {
    /// Off; when enabled, the typical 200G-per-lane CPO receiver of
    /// [`crate::channel::optical::OpticalConfig::typical`].
    fn default() -> Self {
        OpticalSection {
            enabled: false,
            power: OpticalPowerKind::Average,
            power_dbm: 0.0,
            extinction_ratio_db: 5.0,
            rin_db_hz: -145.0,
            bandwidth_hz: 45e9,
            bandwidth_order: 2,
            responsivity_a_w: 0.8,
            thermal_noise_pa_rt_hz: 15.0,
            shot_noise: true,
        }
    }
}

/// Transmitter jitter of the analog models, in UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JitterConfig {
    /// Random jitter, rms UI (0..=0.2).
    pub rj_ui: f64,
    /// Sinusoidal jitter amplitude, UI peak (0..=100).
    pub sj_ui: f64,
    /// Sinusoidal jitter frequency, Hz (> 0, below baud_hz / 2).
    pub sj_hz: f64,
    /// Duty-cycle distortion, UI peak to peak (0..=0.5).
    pub dcd_ui: f64,
}

/// The receiver: front end, CTLE and CDR (analog models), then FFE and a slicer,
/// a DFE or an MLSE.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RxConfig {
    /// Samples per UI of the analog waveform the CDR interpolates and the eye shows
    /// (even, 4..=32).
    pub samples_per_ui: usize,
    /// How the CDR's samples are computed: evaluated directly at its instants, or
    /// interpolated from the oversampled waveform (see [`super::analog`]).
    pub sampling: Sampling,
    /// Rx front-end bandwidth as a fraction of `baud_hz` (0.1..=2): the 4th-order
    /// Butterworth of IEEE 802.3 Annex 93A (eq. 93A-20, `f_r = 0.75` in COM).
    pub frontend_bw: f64,
    /// The CTLE.
    pub ctle: CtleConfig,
    /// The clock and data recovery.
    pub cdr: CdrSection,
    /// FFE taps, 1..=64 (1 with `ffe_cursor = 0` is a gain only).
    pub ffe_taps: usize,
    /// Index of the FFE's main tap (the number of pre-cursor taps).
    pub ffe_cursor: usize,
    /// DFE taps, 1..=32 (with `detector = "dfe"`).
    pub dfe_taps: usize,
    /// What decides: a slicer, a DFE or an MLSE over `1 + αD`.
    pub detector: Detector,
    /// Traceback depth of the MLSE in symbols, 1..=256.
    pub mlse_depth: usize,
}

/// The CTLE of the analog receiver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CtleConfig {
    /// `"none"`, `"802.3ck"` (Annex 93A/120F poles and zeros: fz = fp1 = 21.25 GHz,
    /// fp2 = 53.125 GHz, fLF = 0.664 GHz) or `"802.3dj"` (Annex 178A, scaled with
    /// `baud_hz`: fb/2.5, fb, fb/80 — the same as 802.3ck at 53.125 GBd).
    pub kind: CtleKind,
    /// Choose `g_dc_db` (0, −1, …, −20) and `g_dc2_db` (0, −1, …, −6) for the
    /// highest SNR at the FFE/DFE output, as COM does; `g_dc_db`/`g_dc2_db` are then
    /// not used.
    pub auto: bool,
    /// DC gain gDC, dB (−20..=0).
    pub g_dc_db: f64,
    /// Low-frequency gain gDC2, dB (−6..=0).
    pub g_dc2_db: f64,
}

/// How the analog receiver computes the waveform at the CDR's sampling instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sampling {
    /// `direct` without jitter, `oversampled` with it.
    Auto,
    /// The waveform evaluated at the CDR's instants from a finely tabulated pulse
    /// (no oversampled waveform, no interpolator); no `channel.jitter`.
    Direct,
    /// The waveform synthesised at `samples_per_ui`, jittered, and interpolated by
    /// the CDR block ([`crate::cdr::Cdr`]).
    Oversampled,
}

/// The CTLE family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CtleKind {
    /// No CTLE.
    #[serde(rename = "none")]
    None,
    /// IEEE 802.3ck reference CTLE.
    #[serde(rename = "802.3ck")]
    Ck,
    /// IEEE 802.3dj reference CTLE (scaled with the symbol rate).
    #[serde(rename = "802.3dj")]
    Dj,
}

/// The CDR of the analog receiver (see [`crate::cdr`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CdrSection {
    /// `"bang_bang"` (the default: edge and data samples, PAM4 transition
    /// filtering), `"mm"`, `"mm_ss"` (Mueller–Muller) or `"gardner"`. The CDR slices
    /// the CTLE output, before the FFE; there Mueller–Muller's `h(−1) = h(1)` lock
    /// point can sit away from the eye centre when the CTLE leaves much ISI (seen:
    /// one seed in eight failed to lock behind 17 dB of CTLE peaking), while the
    /// bang-bang detector locks to the crossings.
    pub detector: String,
    /// Jitter-transfer bandwidth, Hz; 0 means `baud_hz / 2500`.
    pub bandwidth_hz: f64,
    /// Loop damping factor (> 0).
    pub damping: f64,
    /// Symbols per loop update (1..=256).
    pub update_every: usize,
}

/// What a run records besides its counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecordConfig {
    /// Symbols of the CTLE-output waveform drawn into the 2-D eye after training
    /// (0: no eye).
    pub eye_symbols: u64,
    /// Symbols of the CDR phase trace kept, one point per loop update (0: none).
    pub trace_symbols: u64,
}

/// FEC: the code and its interleaving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FecConfig {
    /// `"kp4"` = RS(544,514), `"kr4"` = RS(528,514) (Clause 91) or `"none"`.
    pub code: FecCode,
    /// Codewords symbol-interleaved on the line: 1, 2 (Clause 119) or 4.
    pub interleave: usize,
    /// Lanes the interleaved FEC symbols are dealt to, round robin, 10 bits at a
    /// time (Clause 119.2.4.7: 8 PCS lanes for 200GBASE-R, 16 for 400GBASE-R): 1,
    /// 2, 4, 8 or 16. The simulated link carries each lane in turn — the lanes are
    /// independent stretches of the same link — so a burst on one lane reaches
    /// every `lanes`-th symbol of the stream. With `lanes > 1` the FEC counts whole
    /// batches of 128 codewords (see [`super::pipeline`]).
    pub lanes: usize,
}

/// Line coding, as written in a config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModulationName {
    /// Two levels.
    Nrz,
    /// Four levels, Gray-coded.
    Pam4,
}

impl From<ModulationName> for Modulation {
    fn from(m: ModulationName) -> Modulation {
        match m {
            ModulationName::Nrz => Modulation::Nrz,
            ModulationName::Pam4 => Modulation::Pam4,
        }
    }
}

/// The receiver's decision device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Detector {
    /// A plain slicer after the FFE.
    Slicer,
    /// A decision-feedback equaliser after the FFE.
    Dfe,
    /// A Viterbi detector over `1 + αD` after the FFE.
    Mlse,
}

/// The channel model, as written in a config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelModel {
    /// The built-in lossy line (skin effect and dielectric loss, minimum phase).
    LossyLine,
    /// A Touchstone file.
    Touchstone,
    /// A symbol-spaced pulse response.
    Pulse,
}

/// The Reed–Solomon code of the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FecCode {
    /// No FEC: the PRBS goes on the line as it is.
    None,
    /// RS(544,514), t = 15 (Clause 91, 119).
    Kp4,
    /// RS(528,514), t = 7 (Clause 91).
    Kr4,
}

impl Default for LinkConfig {
    /// The built-in default link: 106.25 Gb/s PAM4 (53.125 GBd), PRBS31 payload,
    /// KP4 FEC, a three-tap Tx FIR, the built-in lossy line with 16 dB of loss at
    /// Nyquist, a 0.75·fb Rx front end, the 802.3ck CTLE (gains chosen as COM
    /// does), a bang-bang CDR at 8 samples per UI, a 16-tap FFE and a 4-tap
    /// DFE, at 22 dB SNR.
    fn default() -> Self {
        LinkConfig {
            baud_hz: 53.125e9,
            tx: TxConfig::default(),
            channel: ChannelConfig::default(),
            rx: RxConfig::default(),
            fec: FecConfig::default(),
            record: RecordConfig::default(),
        }
    }
}

impl Default for TxConfig {
    fn default() -> Self {
        TxConfig {
            modulation: ModulationName::Pam4,
            prbs_order: 31,
            precoding: false,
            fir: vec![-0.05, 0.85, -0.1],
            fir_cursor: 1,
        }
    }
}

impl Default for ChannelConfig {
    fn default() -> Self {
        ChannelConfig {
            model: ChannelModel::LossyLine,
            loss_db: 16.0,
            skin_fraction: 0.3,
            touchstone: String::new(),
            ports: "1-3/2-4".into(),
            pulse: vec![0.04, 0.55, 0.3, 0.1, 0.04, 0.015],
            cursor: 1,
            snr_db: 22.0,
            jitter: JitterConfig::default(),
            crosstalk: Vec::new(),
            optical: OpticalSection::default(),
        }
    }
}

impl Default for JitterConfig {
    fn default() -> Self {
        JitterConfig {
            rj_ui: 0.0,
            sj_ui: 0.0,
            sj_hz: 1e6,
            dcd_ui: 0.0,
        }
    }
}

impl JitterConfig {
    /// Whether any jitter is configured.
    pub fn any(&self) -> bool {
        self.rj_ui > 0.0 || self.sj_ui > 0.0 || self.dcd_ui > 0.0
    }
}

impl RxConfig {
    /// Whether the CDR samples the waveform directly (`sampling` resolved against
    /// the channel's jitter).
    pub fn direct_sampling(&self, jitter: &JitterConfig) -> bool {
        match self.sampling {
            Sampling::Direct => true,
            Sampling::Oversampled => false,
            Sampling::Auto => !jitter.any(),
        }
    }
}

impl Default for RxConfig {
    fn default() -> Self {
        RxConfig {
            samples_per_ui: 8,
            sampling: Sampling::Auto,
            frontend_bw: 0.75,
            ctle: CtleConfig::default(),
            cdr: CdrSection::default(),
            ffe_taps: 16,
            ffe_cursor: 3,
            dfe_taps: 4,
            detector: Detector::Dfe,
            mlse_depth: 16,
        }
    }
}

impl Default for CtleConfig {
    fn default() -> Self {
        CtleConfig {
            kind: CtleKind::Ck,
            auto: true,
            g_dc_db: -6.0,
            g_dc2_db: 0.0,
        }
    }
}

impl Default for CdrSection {
    fn default() -> Self {
        CdrSection {
            detector: "bang_bang".into(),
            bandwidth_hz: 0.0,
            damping: 1.0,
            update_every: 16,
        }
    }
}

impl Default for RecordConfig {
    fn default() -> Self {
        RecordConfig {
            eye_symbols: 200_000,
            trace_symbols: 1_000_000,
        }
    }
}

impl Default for FecConfig {
    fn default() -> Self {
        FecConfig {
            code: FecCode::Kp4,
            interleave: 1,
            lanes: 1,
        }
    }
}

fn bad(name: &'static str, allowed: &str, actual: impl std::fmt::Debug) -> Error {
    Error::InvalidParameter {
        name,
        allowed: allowed.to_string(),
        actual: format!("{actual:?}"),
    }
}

/// A Touchstone file that exists and a port pairing by name; the errors name the
/// key of each (`allowed_file` says what the file key takes) and show `actual` of
/// the value.
fn check_touchstone(
    (path, path_key): (&str, &'static str),
    (ports, ports_key): (&str, &'static str),
    allowed_file: &str,
    actual: impl Fn(&str) -> String,
) -> Result<()> {
    if !std::path::Path::new(path).is_file() {
        return Err(bad(path_key, allowed_file, actual(path)));
    }
    if crate::channel::touchstone::PortOrdering::from_name(ports).is_err() {
        return Err(bad(ports_key, "\"1-3/2-4\" or \"1-2/3-4\"", actual(ports)));
    }
    Ok(())
}

impl LinkConfig {
    /// Parses TOML; missing keys take their defaults, unknown keys are errors.
    pub fn from_toml(text: &str) -> Result<LinkConfig> {
        let c: LinkConfig =
            toml::from_str(text).map_err(|e| bad("config", "a valid link TOML", e.to_string()))?;
        c.validate()?;
        Ok(c)
    }

    /// Parses JSON; missing keys take their defaults, unknown keys are errors.
    pub fn from_json(text: &str) -> Result<LinkConfig> {
        let c: LinkConfig = serde_json::from_str(text)
            .map_err(|e| bad("config", "a valid link JSON", e.to_string()))?;
        c.validate()?;
        Ok(c)
    }

    /// The config as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a LinkConfig always serialises")
    }

    /// The config as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a LinkConfig always serialises")
    }

    /// Checks every value; the error names the key (`channel.snr_db`, …).
    pub fn validate(&self) -> Result<()> {
        if !(self.baud_hz.is_finite() && self.baud_hz > 0.0) {
            return Err(bad("baud_hz", "a finite rate > 0 Hz", self.baud_hz));
        }
        let tx = &self.tx;
        if ![7, 9, 11, 13, 15, 23, 31].contains(&tx.prbs_order) {
            return Err(bad(
                "tx.prbs_order",
                "one of 7, 9, 11, 13, 15, 23, 31",
                tx.prbs_order,
            ));
        }
        if tx.precoding && tx.modulation != ModulationName::Pam4 {
            return Err(bad("tx.precoding", "false with modulation = \"nrz\"", true));
        }
        if !tx.fir.is_empty() {
            if tx.fir.iter().any(|c| !c.is_finite()) || tx.fir.iter().all(|&c| c == 0.0) {
                return Err(bad("tx.fir", "finite taps, not all zero", &tx.fir));
            }
            if tx.fir_cursor >= tx.fir.len() {
                return Err(bad(
                    "tx.fir_cursor",
                    &format!("0..{}", tx.fir.len()),
                    tx.fir_cursor,
                ));
            }
        }
        let ch = &self.channel;
        match ch.model {
            ChannelModel::LossyLine => {
                if !(ch.loss_db.is_finite() && (0.0..=60.0).contains(&ch.loss_db)) {
                    return Err(bad("channel.loss_db", "0..=60 dB", ch.loss_db));
                }
                if !(ch.skin_fraction.is_finite() && (0.0..=1.0).contains(&ch.skin_fraction)) {
                    return Err(bad("channel.skin_fraction", "0..=1", ch.skin_fraction));
                }
            }
            ChannelModel::Touchstone => {
                if ch.touchstone.is_empty() {
                    return Err(bad(
                        "channel.touchstone",
                        "the path of a .s2p or .s4p file",
                        &ch.touchstone,
                    ));
                }
                check_touchstone(
                    (&ch.touchstone, "channel.touchstone"),
                    (&ch.ports, "channel.ports"),
                    "an existing, readable Touchstone file",
                    str::to_string,
                )?;
            }
            ChannelModel::Pulse => {}
        }
        let j = &ch.jitter;
        if !(j.rj_ui.is_finite() && (0.0..=0.2).contains(&j.rj_ui)) {
            return Err(bad("channel.jitter.rj_ui", "0..=0.2 UI rms", j.rj_ui));
        }
        if !(j.sj_ui.is_finite() && (0.0..=100.0).contains(&j.sj_ui)) {
            return Err(bad("channel.jitter.sj_ui", "0..=100 UI", j.sj_ui));
        }
        if !(j.sj_hz.is_finite() && j.sj_hz > 0.0 && j.sj_hz < self.baud_hz / 2.0) {
            return Err(bad(
                "channel.jitter.sj_hz",
                "0 < sj_hz < baud_hz / 2",
                j.sj_hz,
            ));
        }
        if !(j.dcd_ui.is_finite() && (0.0..=0.5).contains(&j.dcd_ui)) {
            return Err(bad("channel.jitter.dcd_ui", "0..=0.5 UI", j.dcd_ui));
        }
        if self.rx.sampling == Sampling::Direct && j.any() {
            return Err(bad(
                "rx.sampling",
                "\"oversampled\" or \"auto\" with channel.jitter",
                "\"direct\"",
            ));
        }
        if ch.pulse.is_empty() || ch.pulse.len() > 1024 || ch.pulse.iter().any(|p| !p.is_finite()) {
            return Err(bad("channel.pulse", "1..=1024 finite samples", &ch.pulse));
        }
        if ch.cursor >= ch.pulse.len() || ch.pulse[ch.cursor] == 0.0 {
            return Err(bad(
                "channel.cursor",
                &format!("an index 0..{} of a non-zero sample", ch.pulse.len()),
                ch.cursor,
            ));
        }
        if !ch.snr_db.is_finite() || !(-20.0..=100.0).contains(&ch.snr_db) {
            return Err(bad("channel.snr_db", "-20..=100 dB", ch.snr_db));
        }
        self.validate_crosstalk_and_optical()?;
        let rx = &self.rx;
        if !rx.samples_per_ui.is_multiple_of(2) || !(4..=32).contains(&rx.samples_per_ui) {
            return Err(bad("rx.samples_per_ui", "even, 4..=32", rx.samples_per_ui));
        }
        if !(rx.frontend_bw.is_finite() && (0.1..=2.0).contains(&rx.frontend_bw)) {
            return Err(bad("rx.frontend_bw", "0.1..=2 (× baud_hz)", rx.frontend_bw));
        }
        let c = &rx.ctle;
        if !(c.g_dc_db.is_finite() && (-20.0..=0.0).contains(&c.g_dc_db)) {
            return Err(bad("rx.ctle.g_dc_db", "-20..=0 dB", c.g_dc_db));
        }
        if !(c.g_dc2_db.is_finite() && (-6.0..=0.0).contains(&c.g_dc2_db)) {
            return Err(bad("rx.ctle.g_dc2_db", "-6..=0 dB", c.g_dc2_db));
        }
        let cdr = &rx.cdr;
        if !["mm", "mm_ss", "bang_bang", "gardner"].contains(&cdr.detector.as_str()) {
            return Err(bad(
                "rx.cdr.detector",
                "\"mm\", \"mm_ss\", \"bang_bang\" or \"gardner\"",
                &cdr.detector,
            ));
        }
        if !(cdr.bandwidth_hz.is_finite()
            && cdr.bandwidth_hz >= 0.0
            && cdr.bandwidth_hz < self.baud_hz / 20.0)
        {
            return Err(bad(
                "rx.cdr.bandwidth_hz",
                "0 (= baud_hz / 2500) or a bandwidth below baud_hz / 20",
                cdr.bandwidth_hz,
            ));
        }
        if !(cdr.damping.is_finite() && cdr.damping > 0.0 && cdr.damping <= 100.0) {
            return Err(bad("rx.cdr.damping", "0 < damping <= 100", cdr.damping));
        }
        if !(1..=256).contains(&cdr.update_every) {
            return Err(bad("rx.cdr.update_every", "1..=256", cdr.update_every));
        }
        if !(1..=64).contains(&rx.ffe_taps) {
            return Err(bad("rx.ffe_taps", "1..=64", rx.ffe_taps));
        }
        if rx.ffe_cursor >= rx.ffe_taps {
            return Err(bad(
                "rx.ffe_cursor",
                &format!("0..{}", rx.ffe_taps),
                rx.ffe_cursor,
            ));
        }
        if rx.detector == Detector::Dfe && !(1..=32).contains(&rx.dfe_taps) {
            return Err(bad("rx.dfe_taps", "1..=32", rx.dfe_taps));
        }
        if rx.detector == Detector::Mlse && !(1..=256).contains(&rx.mlse_depth) {
            return Err(bad("rx.mlse_depth", "1..=256", rx.mlse_depth));
        }
        if ![1, 2, 4].contains(&self.fec.interleave) {
            return Err(bad("fec.interleave", "1, 2 or 4", self.fec.interleave));
        }
        if ![1, 2, 4, 8, 16].contains(&self.fec.lanes) {
            return Err(bad("fec.lanes", "1, 2, 4, 8 or 16", self.fec.lanes));
        }
        if self.fec.code == FecCode::None && self.fec.lanes != 1 {
            return Err(bad("fec.lanes", "1 with code = \"none\"", self.fec.lanes));
        }
        if self.fec.code == FecCode::None && self.fec.interleave != 1 {
            return Err(bad(
                "fec.interleave",
                "1 with code = \"none\"",
                self.fec.interleave,
            ));
        }
        Ok(())
    }

    fn validate_crosstalk_and_optical(&self) -> Result<()> {
        let ch = &self.channel;
        let analog = ch.model != ChannelModel::Pulse;
        if !ch.crosstalk.is_empty() && !analog {
            return Err(bad(
                "channel.crosstalk",
                "no aggressors with channel.model = \"pulse\"",
                ch.crosstalk.len(),
            ));
        }
        if ch.crosstalk.len() > 16 {
            return Err(bad(
                "channel.crosstalk",
                "at most 16 aggressors",
                ch.crosstalk.len(),
            ));
        }
        for (i, x) in ch.crosstalk.iter().enumerate() {
            let at = |v: String| format!("aggressor {i}: {v}");
            if !(x.amplitude.is_finite() && (0.0..=10.0).contains(&x.amplitude)) {
                return Err(bad(
                    "channel.crosstalk.amplitude",
                    "0..=10",
                    at(x.amplitude.to_string()),
                ));
            }
            if x.touchstone.is_empty() {
                if !(x.coupling_db.is_finite() && (-100.0..=0.0).contains(&x.coupling_db)) {
                    return Err(bad(
                        "channel.crosstalk.coupling_db",
                        "-100..=0 dB",
                        at(x.coupling_db.to_string()),
                    ));
                }
            } else {
                check_touchstone(
                    (&x.touchstone, "channel.crosstalk.touchstone"),
                    (&x.ports, "channel.crosstalk.ports"),
                    "an existing, readable Touchstone file (or \"\" for the analytic path)",
                    |v| at(v.to_string()),
                )?;
                if x.sdd.contains(&0) || x.sdd[0] == x.sdd[1] {
                    return Err(bad(
                        "channel.crosstalk.sdd",
                        "two different 1-based pair numbers [out, in]",
                        at(format!("{:?}", x.sdd)),
                    ));
                }
            }
        }
        let o = &ch.optical;
        if !o.enabled {
            return Ok(());
        }
        if !analog {
            return Err(bad(
                "channel.optical.enabled",
                "false with channel.model = \"pulse\"",
                true,
            ));
        }
        if !(o.power_dbm.is_finite() && (-40.0..=20.0).contains(&o.power_dbm)) {
            return Err(bad(
                "channel.optical.power_dbm",
                "-40..=20 dBm",
                o.power_dbm,
            ));
        }
        if !(o.extinction_ratio_db.is_finite()
            && o.extinction_ratio_db > 0.0
            && o.extinction_ratio_db <= 30.0)
        {
            return Err(bad(
                "channel.optical.extinction_ratio_db",
                "0 < ER <= 30 dB",
                o.extinction_ratio_db,
            ));
        }
        if !(o.rin_db_hz.is_finite() && (-200.0..=-100.0).contains(&o.rin_db_hz)) {
            return Err(bad(
                "channel.optical.rin_db_hz",
                "-200..=-100 dB/Hz",
                o.rin_db_hz,
            ));
        }
        if !(o.bandwidth_hz.is_finite()
            && o.bandwidth_hz >= 0.0
            && o.bandwidth_hz < 4.0 * self.baud_hz)
        {
            return Err(bad(
                "channel.optical.bandwidth_hz",
                "0 (none) or below 4·baud_hz",
                o.bandwidth_hz,
            ));
        }
        if ![1, 2].contains(&o.bandwidth_order) {
            return Err(bad(
                "channel.optical.bandwidth_order",
                "1 or 2",
                o.bandwidth_order,
            ));
        }
        if !(o.responsivity_a_w.is_finite()
            && o.responsivity_a_w > 0.0
            && o.responsivity_a_w <= 2.0)
        {
            return Err(bad(
                "channel.optical.responsivity_a_w",
                "0 < R <= 2 A/W",
                o.responsivity_a_w,
            ));
        }
        if !(o.thermal_noise_pa_rt_hz.is_finite()
            && (0.0..=1000.0).contains(&o.thermal_noise_pa_rt_hz))
        {
            return Err(bad(
                "channel.optical.thermal_noise_pa_rt_hz",
                "0..=1000 pA/√Hz",
                o.thermal_noise_pa_rt_hz,
            ));
        }
        if o.thermal_noise_pa_rt_hz == 0.0 && !o.shot_noise && o.rin_db_hz <= -200.0 {
            return Err(bad(
                "channel.optical",
                "some noise: thermal_noise_pa_rt_hz > 0, shot_noise or rin_db_hz > -200",
                "none",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_round_trips_through_toml_and_json() {
        let c = LinkConfig::default();
        c.validate().unwrap();
        assert_eq!(LinkConfig::from_toml(&c.to_toml()).unwrap(), c);
        assert_eq!(LinkConfig::from_json(&c.to_json()).unwrap(), c);
    }

    #[test]
    fn crosstalk_and_optical_round_trip() {
        let t = "[[channel.crosstalk]]\nkind = \"next\"\ncoupling_db = -25.0\n\
                 [[channel.crosstalk]]\namplitude = 0.5\n\
                 [channel.optical]\nenabled = true\npower = \"oma\"\npower_dbm = -6.0\n";
        let c = LinkConfig::from_toml(t).unwrap();
        assert_eq!(c.channel.crosstalk.len(), 2);
        assert_eq!(c.channel.crosstalk[0].kind, XtalkKind::Next);
        assert_eq!(c.channel.crosstalk[1].coupling_db, -30.0);
        assert_eq!(c.channel.optical.power, OpticalPowerKind::Oma);
        assert_eq!(LinkConfig::from_toml(&c.to_toml()).unwrap(), c);
        assert_eq!(LinkConfig::from_json(&c.to_json()).unwrap(), c);
    }

    #[test]
    fn missing_keys_take_defaults() {
        let c = LinkConfig::from_toml("[channel]\nsnr_db = 15.0\n").unwrap();
        assert_eq!(c.channel.snr_db, 15.0);
        assert_eq!(c.rx, RxConfig::default());
        assert_eq!(c.channel.pulse, ChannelConfig::default().pulse);
    }

    #[test]
    fn errors_name_the_key() {
        let msg = |t: &str| LinkConfig::from_toml(t).unwrap_err().to_string();
        assert!(msg("[rx]\nffe_tapz = 3\n").contains("ffe_tapz"));
        assert!(msg("[rx]\nffe_taps = 0\n").contains("rx.ffe_taps"));
        assert!(msg("[channel]\nsnr_db = nan\n").contains("channel.snr_db"));
        assert!(msg("[channel]\npulse = []\n").contains("channel.pulse"));
        assert!(msg("[fec]\ninterleave = 3\n").contains("fec.interleave"));
        assert!(msg("[fec]\nlanes = 3\n").contains("fec.lanes"));
        assert!(msg("[fec]\ncode = \"none\"\nlanes = 4\n").contains("fec.lanes"));
        assert!(msg("[fec]\ncode = \"kp5\"\n").contains("kp5"));
        assert!(msg("[tx]\nprbs_order = 8\n").contains("tx.prbs_order"));
        assert!(msg("[tx]\nmodulation = \"nrz\"\nprecoding = true\n").contains("tx.precoding"));
        assert!(msg("[rx]\ndetector = \"dfe\"\ndfe_taps = 0\n").contains("rx.dfe_taps"));
        assert!(
            msg("[channel]\nmodel = \"touchstone\"\ntouchstone = \"/no/such/file.s4p\"\n")
                .contains("channel.touchstone")
        );
        assert!(msg("[channel]\nloss_db = -3.0\n").contains("channel.loss_db"));
        assert!(msg("[rx]\nsamples_per_ui = 5\n").contains("rx.samples_per_ui"));
        assert!(msg("[rx.ctle]\ng_dc_db = 3.0\n").contains("rx.ctle.g_dc_db"));
        assert!(msg("[rx.cdr]\ndetector = \"pll\"\n").contains("rx.cdr.detector"));
        assert!(msg("[channel.jitter]\nrj_ui = -0.1\n").contains("channel.jitter.rj_ui"));
        assert!(
            msg("[rx]\nsampling = \"direct\"\n[channel.jitter]\nrj_ui = 0.01\n")
                .contains("rx.sampling")
        );
        assert!(msg("[rx]\nsampling = \"fast\"\n").contains("sampling"));
        assert!(msg("[[channel.crosstalk]]\ncoupling_db = 3.0\n")
            .contains("channel.crosstalk.coupling_db"));
        assert!(msg("[[channel.crosstalk]]\namplitude = -1.0\n")
            .contains("channel.crosstalk.amplitude"));
        assert!(
            msg("[[channel.crosstalk]]\ntouchstone = \"/no/such.s8p\"\n")
                .contains("channel.crosstalk.touchstone")
        );
        assert!(msg("[[channel.crosstalk]]\nkind = \"side\"\n").contains("side"));
        assert!(msg("[channel]\nmodel = \"pulse\"\n[[channel.crosstalk]]\n")
            .contains("channel.crosstalk"));
        assert!(msg("[channel.optical]\nenabled = true\npower_dbm = 50.0\n")
            .contains("channel.optical.power_dbm"));
        assert!(
            msg("[channel.optical]\nenabled = true\nbandwidth_order = 3\n")
                .contains("channel.optical.bandwidth_order")
        );
        assert!(
            msg("[channel.optical]\nenabled = true\nextinction_ratio_db = 0.0\n")
                .contains("channel.optical.extinction_ratio_db")
        );
        assert!(msg("[channel.optical]\nresponsivity = 1.0\n").contains("responsivity"));
        assert!(LinkConfig::from_json("{\"bogus\": 1}")
            .unwrap_err()
            .to_string()
            .contains("bogus"));
    }
}
