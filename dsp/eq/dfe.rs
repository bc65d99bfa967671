//! The decision-feedback equaliser (DFE) for NRZ and PAM4, 1 to 32 taps, and the
//! error-burst counter that measures its error propagation.
//!
//! `y[n] = x[n] − Σ_{k=1..N} b_k · L(d[n−k])`, `d[n] = slice(y[n])`, with `L` the
//! nominal levels of the [`Modulation`] (the taps are in units of the level spacing
//! of `±1`, so `b_1 = h_1/h_0` of a channel with unit cursor). The IEEE 802.3ck KR
//! reference receiver (Annex 93A) has 12 taps with `|b| ≤ [0.85, 0.3, 0.2×5, 0.1×5]`,
//! 802.3dj one tap `≤ 0.85` — [`Dfe::check_802_3ck_kr`] checks the former.
//!
//! # The fast kernel
//!
//! The decision loop is the one recursion of a receiver that SIMD cannot split, so
//! the kernel shortens its dependency chain instead of its arithmetic:
//!
//! - **Look-up tables for taps 2..N.** The past decisions live in one `u64` register
//!   (2 bits per PAM4 symbol, 1 per NRZ bit, newest lowest). Taps 2..N are grouped
//!   4 (PAM4) or 8 (NRZ) at a time; each group's feedback for all 256 patterns of its
//!   byte of history is precomputed, so the feedback of taps 2..N costs one load per
//!   group whatever the levels.
//! - **Look-ahead on tap 1.** The sample is sliced once for every possible previous
//!   decision (4 candidates for PAM4, 2 for NRZ), independently of the loop; the
//!   previous decision then only *selects* among the candidates — a shift and a
//!   mask on the loop-carried path, instead of a multiply, an add and a compare.
//!
//! Adaptation ([`Dfe::adapt`]) changes the taps every symbol, so it runs a direct
//! loop and rebuilds the tables at its end.
//!
//! Thresholds sit half way between the slicer's levels, which start at the nominal
//! levels and can adapt to the received levels (`DfeAdapt::mu_levels`); a sample on
//! a threshold goes to the upper symbol, as in [`crate::signal::Slicer`].

use super::lms::{LmsAlgorithm, Trajectory};
use super::Modulation;
use crate::cpu::Backend;
use crate::eq::check_finite_fast as check_finite;
use crate::error::{check_max_u8, Error, Result};
use crate::signal::gray_decode;

/// The largest number of DFE taps.
pub const MAX_TAPS: usize = 32;

/// A streaming decision-feedback equaliser; its delay is 0 (the decision for input
/// sample `n` is output `n`).
///
/// ```
/// use serdes_dsp::eq::{Dfe, Modulation};
/// use serdes_dsp::signal::Pam4Mapper;
/// let sym = [3u8, 0, 1, 2, 2, 0, 3];
/// let a = Pam4Mapper::new().map(&sym).unwrap();
/// // channel 1 + 0.5 D
/// let x: Vec<f32> = (0..a.len()).map(|n| a[n] + if n > 0 { 0.5 * a[n - 1] } else { 0.0 }).collect();
/// let mut dfe = Dfe::new(Modulation::Pam4, &[0.5]).unwrap();
/// assert_eq!(dfe.process(&x).unwrap(), sym);
/// ```
#[derive(Debug, Clone)]
pub struct Dfe {
    modulation: Modulation,
    taps: Vec<f32>,
    /// Nominal levels fed back.
    levels: [f32; 4],
    /// Levels the slicer expects (adaptive); thresholds are their midpoints.
    slicer_levels: [f32; 4],
    thresholds: [f32; 3],
    /// Past decisions, `d[n−1]` in the lowest `bits` bits.
    hist: u64,
    /// Feedback of taps 2..N per byte of `hist >> bits`.
    luts: Vec<[f32; 256]>,
    /// Kernel of the one-tap candidate pass (the decisions are the same on all).
    backend: Backend,
}

/// Settings of [`Dfe::adapt`].
#[derive(Debug, Clone, PartialEq)]
pub struct DfeAdapt {
    /// Step of the tap update (`0 ≤ mu_taps ≤ 1`; 0 keeps the taps).
    pub mu_taps: f32,
    /// Step of the slicer-level update `L̂[d] ← L̂[d] + μ·(y − L̂[d])`
    /// (`0 ≤ mu_levels ≤ 1`; 0 keeps the levels and thresholds).
    pub mu_levels: f32,
    /// LMS or sign-sign LMS for the taps.
    pub algorithm: LmsAlgorithm,
    /// Symbols between two records of the tap trajectory (≥ 1).
    pub record_every: usize,
}

impl Default for DfeAdapt {
    /// LMS, `mu_taps = 1e-3`, `mu_levels = 1e-3`, a record every 1000 symbols.
    fn default() -> Self {
        DfeAdapt {
            mu_taps: 1e-3,
            mu_levels: 1e-3,
            algorithm: LmsAlgorithm::Lms,
            record_every: 1000,
        }
    }
}

/// Result of [`Dfe::adapt`].
#[derive(Debug, Clone, PartialEq)]
pub struct DfeAdapted {
    /// The decisions made while adapting.
    pub symbols: Vec<u8>,
    /// Tap snapshots (`b_1..b_N`) and mean square slicer error.
    pub trajectory: Trajectory,
}

impl Dfe {
    /// A DFE for `modulation` with feedback taps `b_1..b_N` (`1 ≤ N ≤ 32`, finite).
    pub fn new(modulation: Modulation, taps: &[f32]) -> Result<Dfe> {
        check_taps(taps)?;
        let levels = modulation.levels();
        let mut dfe = Dfe {
            modulation,
            taps: taps.to_vec(),
            levels,
            slicer_levels: levels,
            thresholds: [0.0; 3],
            hist: 0,
            luts: Vec::new(),
            backend: Backend::detect(),
        };
        dfe.update_thresholds();
        dfe.build_luts();
        dfe.reset();
        Ok(dfe)
    }

    /// The same DFE with the candidate pass of `backend` (the decisions are the same
    /// on every backend: only exact compares differ in width); errors if this CPU
    /// cannot run it.
    pub fn with_backend(mut self, backend: Backend) -> Result<Dfe> {
        self.backend = backend.require()?;
        Ok(self)
    }

    /// The backend of the candidate pass.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The alphabet.
    pub fn modulation(&self) -> Modulation {
        self.modulation
    }

    /// The feedback taps `b_1..b_N`.
    pub fn taps(&self) -> &[f32] {
        &self.taps
    }

    /// Replaces the taps (same count, finite), keeping the decision history.
    pub fn set_taps(&mut self, taps: &[f32]) -> Result<()> {
        if taps.len() != self.taps.len() {
            return Err(Error::LengthMismatch {
                name: "taps",
                expected: self.taps.len(),
                actual: taps.len(),
            });
        }
        check_taps(taps)?;
        self.taps.copy_from_slice(taps);
        self.build_luts();
        Ok(())
    }

    /// The slicer thresholds, lowest first (1 for NRZ, 3 for PAM4).
    pub fn thresholds(&self) -> &[f32] {
        &self.thresholds[..self.modulation.n_levels() - 1]
    }

    /// The levels the slicer expects, symbol 0 first (2 or 4).
    pub fn slicer_levels(&self) -> &[f32] {
        &self.slicer_levels[..self.modulation.n_levels()]
    }

    /// Sets the slicer's expected levels (finite, strictly increasing, 2 or 4
    /// values); the thresholds move to their midpoints.
    pub fn set_slicer_levels(&mut self, levels: &[f32]) -> Result<()> {
        let q = self.modulation.n_levels();
        if levels.len() != q {
            return Err(Error::LengthMismatch {
                name: "levels",
                expected: q,
                actual: levels.len(),
            });
        }
        crate::error::check_finite("levels", levels)?;
        if levels.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::invalid(
                "levels",
                "strictly increasing values",
                format!("{levels:?}"),
            ));
        }
        self.slicer_levels[..q].copy_from_slice(levels);
        self.update_thresholds();
        Ok(())
    }

    /// Delay in symbols: 0.
    pub fn delay(&self) -> usize {
        0
    }

    /// Forgets the past decisions: the history restarts as symbol 0 (the lowest
    /// level) in every position, as if the line had idled low before the stream —
    /// also the state after construction.
    pub fn reset(&mut self) {
        self.hist = 0;
    }

    /// Decides the next chunk: `symbols[n]` for sample `x[n]` (same lengths).
    /// Errors (state untouched) on a length mismatch or a NaN/infinite sample.
    pub fn process_into(&mut self, x: &[f32], symbols: &mut [u8]) -> Result<()> {
        check_len("symbols", x.len(), symbols.len())?;
        check_finite("x", x)?;
        self.run::<false>(x, symbols, &mut []);
        Ok(())
    }

    /// As [`Dfe::process_into`], also writing the equalised samples `y[n]` (the
    /// slicer's input) to `soft`.
    pub fn process_soft_into(
        &mut self,
        x: &[f32],
        symbols: &mut [u8],
        soft: &mut [f32],
    ) -> Result<()> {
        check_len("symbols", x.len(), symbols.len())?;
        check_len("soft", x.len(), soft.len())?;
        check_finite("x", x)?;
        self.run::<true>(x, symbols, soft);
        Ok(())
    }

    /// Allocating form of [`Dfe::process_into`].
    pub fn process(&mut self, x: &[f32]) -> Result<Vec<u8>> {
        let mut out = vec![0; x.len()];
        self.process_into(x, &mut out)?;
        Ok(out)
    }

    /// Decides `x` while adapting the taps and, if `cfg.mu_levels > 0`, the slicer
    /// levels and thresholds. With `reference` (known symbols, same length) the
    /// errors and the fed-back decisions are those of the reference (training);
    /// without it they are the DFE's own decisions (decision-directed).
    pub fn adapt(
        &mut self,
        x: &[f32],
        reference: Option<&[u8]>,
        cfg: &DfeAdapt,
    ) -> Result<DfeAdapted> {
        check_finite("x", x)?;
        for (name, mu) in [("mu_taps", cfg.mu_taps), ("mu_levels", cfg.mu_levels)] {
            if !(mu.is_finite() && (0.0..=1.0).contains(&mu)) {
                return Err(Error::invalid(name, "0 <= mu <= 1", mu));
            }
        }
        if cfg.record_every == 0 {
            return Err(Error::invalid("record_every", "at least 1 symbol", 0));
        }
        if let Some(r) = reference {
            check_len("reference", x.len(), r.len())?;
            check_max_u8("reference", r, self.modulation.n_levels() as u8 - 1)?;
        }
        let bits = self.modulation.bits();
        let mask = (1u64 << bits) - 1;
        let n_taps = self.taps.len();
        let mut traj = Trajectory::new(cfg.record_every, n_taps);
        let mut symbols = Vec::with_capacity(x.len());
        let (mut taps, mut slev, mut thr, mut hist) = (
            self.taps.clone(),
            self.slicer_levels,
            self.thresholds,
            self.hist,
        );
        let q = self.modulation.n_levels();
        for (n, &xn) in x.iter().enumerate() {
            let mut fb = 0.0f32;
            for (k, &b) in taps.iter().enumerate() {
                fb += b * self.past_level(hist, k, bits, mask);
            }
            let y = xn - fb;
            let d = slice(&thr, q, y);
            let dr = reference.map_or(d, |r| r[n]);
            let e = y - slev[dr as usize];
            for (k, b) in taps.iter_mut().enumerate() {
                let l = self.past_level(hist, k, bits, mask);
                // y = x − Σ b·L, so ∂e/∂b = −L: the step is added.
                *b += cfg.algorithm.step(cfg.mu_taps, e, l);
            }
            if cfg.mu_levels > 0.0 {
                slev[dr as usize] += cfg.mu_levels * e;
                thr = midpoints(&slev, q);
            }
            symbols.push(d);
            hist = (hist << bits) | dr as u64;
            traj.push(e, || taps.clone());
        }
        if taps.iter().chain(&slev).any(|v| !v.is_finite())
            || slev[..q].windows(2).any(|w| w[0] >= w[1])
        {
            return Err(Error::invalid(
                "mu_taps",
                "steps small enough for the adaptation to converge",
                format!(
                    "mu_taps {} / mu_levels {} diverged",
                    cfg.mu_taps, cfg.mu_levels
                ),
            ));
        }
        self.taps = taps;
        self.slicer_levels = slev;
        self.thresholds = thr;
        self.hist = hist;
        self.build_luts();
        Ok(DfeAdapted {
            symbols,
            trajectory: traj,
        })
    }

    /// Checks the taps against the IEEE 802.3ck KR reference DFE (COM 3.70 sheets,
    /// one source): at most 12 taps with `|b_k| ≤ [0.85, 0.3, 0.2×5, 0.1×5]`.
    pub fn check_802_3ck_kr(&self) -> Result<()> {
        const BMAX: [f32; 12] = [0.85, 0.3, 0.2, 0.2, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1];
        if self.taps.len() > 12 {
            return Err(Error::invalid(
                "taps",
                "at most 12 taps (802.3ck KR)",
                self.taps.len(),
            ));
        }
        for (k, (&b, &m)) in self.taps.iter().zip(&BMAX).enumerate() {
            if b.abs() > m {
                return Err(Error::invalid(
                    "taps",
                    format!("|b_{}| <= {m} (802.3ck KR bmax)", k + 1),
                    b,
                ));
            }
        }
        Ok(())
    }

    /// `L(d[n−1−k])` from a history register (0 before any decision).
    #[inline]
    fn past_level(&self, hist: u64, k: usize, bits: u32, mask: u64) -> f32 {
        let _ = self;
        let sym = (hist >> (k as u32 * bits)) & mask;
        self.levels[sym as usize]
    }

    fn update_thresholds(&mut self) {
        self.thresholds = midpoints(&self.slicer_levels, self.modulation.n_levels());
    }

    /// Tables for taps 2..N: group `g` covers `taps[1 + g·per ..]`, byte `g` of
    /// `hist >> bits`.
    fn build_luts(&mut self) {
        let bits = self.modulation.bits() as usize;
        let per = 8 / bits;
        let rest = &self.taps[1..];
        let mask = (1usize << bits) - 1;
        self.luts = rest
            .chunks(per)
            .map(|group| {
                let mut t = [0.0f32; 256];
                for (byte, v) in t.iter_mut().enumerate() {
                    let mut acc = 0.0f32;
                    for (i, &b) in group.iter().enumerate() {
                        acc += b * self.levels[(byte >> (i * bits)) & mask];
                    }
                    *v = acc;
                }
                t
            })
            .collect();
    }

    #[inline(always)]
    fn run<const SOFT: bool>(&mut self, x: &[f32], symbols: &mut [u8], soft: &mut [f32]) {
        match (self.modulation, self.luts.len()) {
            (Modulation::Pam4, 0) => self.kernel::<4, 0, SOFT>(x, symbols, soft),
            (Modulation::Pam4, 1) => self.kernel::<4, 1, SOFT>(x, symbols, soft),
            (Modulation::Pam4, 2) => self.kernel::<4, 2, SOFT>(x, symbols, soft),
            (Modulation::Pam4, 3) => self.kernel::<4, 3, SOFT>(x, symbols, soft),
            (Modulation::Pam4, _) => self.kernel::<4, 8, SOFT>(x, symbols, soft),
            (Modulation::Nrz, 0) => self.kernel::<2, 0, SOFT>(x, symbols, soft),
            (Modulation::Nrz, 1) => self.kernel::<2, 1, SOFT>(x, symbols, soft),
            (Modulation::Nrz, _) => self.kernel::<2, 8, SOFT>(x, symbols, soft),
        }
    }

    /// The look-up/look-ahead kernel for `Q` levels and up to `G` tables
    /// (`G = 8` means "as many as there are", looped).
    #[inline(always)]
    fn kernel<const Q: usize, const G: usize, const SOFT: bool>(
        &mut self,
        x: &[f32],
        symbols: &mut [u8],
        soft: &mut [f32],
    ) {
        let bits: u32 = if Q == 4 { 2 } else { 1 };
        let mask = (1u64 << bits) - 1;
        let w = field_width::<Q>();
        let fmask = (1u64 << w) - 1;
        let b1 = self.taps[0];
        // Tap 1's feedback for each possible previous decision, folded into the
        // thresholds: candidate c decides `Σ_i [v ≥ t_i + b1·L(c)]` on `v = x − rest`.
        let mut fb1 = [0.0f32; Q];
        for (c, f) in fb1.iter_mut().enumerate() {
            *f = b1 * self.levels[c];
        }
        let mut tt = [[f32::INFINITY; 4]; 3];
        for (i, row) in tt.iter_mut().enumerate().take(Q - 1) {
            for (c, t) in row.iter_mut().enumerate().take(Q) {
                *t = self.thresholds[i] + fb1[c];
            }
        }
        let luts = &self.luts[..];
        let mut hist = self.hist;
        // The loop-carried state is `s = w·d[n−1]`, the shift that selects the
        // candidate field of the previous decision: `s' = (fields >> s) & fmask`.
        let mut s = w as u64 * (hist & mask);
        if G == 0 {
            // One tap: the candidates do not depend on the decisions at all, so a
            // vectorised pass computes them for a block and the serial pass is two
            // instructions per symbol.
            let mut fields = [0u16; BLOCK];
            for (k, (xb, sb)) in x.chunks(BLOCK).zip(symbols.chunks_mut(BLOCK)).enumerate() {
                let fb = &mut fields[..xb.len()];
                candidates::<Q>(self.backend, xb, &tt, fb);
                if SOFT {
                    let so = &mut soft[k * BLOCK..k * BLOCK + xb.len()];
                    for ((&f, o), (&xn, y)) in fb.iter().zip(sb.iter_mut()).zip(xb.iter().zip(so)) {
                        *y = xn - fb1[(s / w as u64) as usize];
                        s = (f as u64 >> s) & fmask;
                        *o = (s / w as u64) as u8;
                    }
                } else {
                    for (&f, o) in fb.iter().zip(sb.iter_mut()) {
                        s = (f as u64 >> s) & fmask;
                        *o = (s / w as u64) as u8;
                    }
                }
            }
            // The history register: the last decisions, newest lowest.
            let keep = (64 / bits as usize).min(symbols.len());
            for &d in &symbols[symbols.len() - keep..] {
                hist = (hist << bits) | d as u64;
            }
        } else {
            for (n, (&xn, o)) in x.iter().zip(symbols.iter_mut()).enumerate() {
                let older = hist >> bits;
                // Start from the first table: no `0.0 +` on the loop-carried path.
                let mut rest = luts[0][(older & 0xff) as usize];
                let n_tables = if G == 8 { luts.len() } else { G };
                for (g, lut) in luts.iter().enumerate().take(n_tables).skip(1) {
                    rest += lut[((older >> (8 * g)) & 0xff) as usize];
                }
                let v = xn - rest;
                if SOFT {
                    soft[n] = v - fb1[(s / w as u64) as usize];
                }
                let f = candidate_fields::<Q>(v, &tt);
                s = (f as u64 >> s) & fmask;
                let d = s / w as u64;
                *o = d as u8;
                hist = (hist << bits) | d;
            }
        }
        self.hist = hist;
    }
}

/// Samples per block of the one-tap candidate pass.
const BLOCK: usize = 256;

/// Bits per candidate field: a field holds `w·d` (`d` the candidate's decision),
/// which is the shift that selects the next symbol's field — `w·(Q−1) < 2^w`.
#[inline(always)]
const fn field_width<const Q: usize>() -> u32 {
    if Q == 4 {
        4
    } else {
        1
    }
}

/// The decision of every candidate previous symbol `c` on `v`, packed: field `c`
/// (bits `w·c ..`) holds `w·Σ_i [v ≥ tt[i][c]]`.
#[inline(always)]
fn candidate_fields<const Q: usize>(v: f32, tt: &[[f32; 4]; 3]) -> u16 {
    let w = field_width::<Q>();
    let mut f = 0u32;
    for row in tt.iter().take(Q - 1) {
        for (c, &t) in row.iter().enumerate().take(Q) {
            f += ((v >= t) as u32) << (w * c as u32 + w.trailing_zeros());
        }
    }
    f as u16
}

/// [`candidate_fields`] for every sample of `x` (the one-tap kernel's first pass).
#[inline(always)]
fn candidates_body<const Q: usize>(x: &[f32], tt: &[[f32; 4]; 3], out: &mut [u16]) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = candidate_fields::<Q>(v, tt);
    }
}

fn candidates<const Q: usize>(backend: Backend, x: &[f32], tt: &[[f32; 4]; 3], out: &mut [u16]) {
    match backend {
        // SAFETY: a stored Avx2/Avx512 backend passed `Backend::require` or was chosen
        // by `Backend::detect`, so the CPU has the features the shims enable.
        #[cfg(target_arch = "x86_64")]
        Backend::Avx512 => unsafe { candidates_avx512::<Q>(x, tt, out) },
        #[cfg(target_arch = "x86_64")]
        Backend::Avx2 => unsafe { candidates_avx2::<Q>(x, tt, out) },
        _ => candidates_body::<Q>(x, tt, out),
    }
}

/// [`candidates_body`] compiled for AVX2 (eight samples per compare).
///
/// # Safety
/// The CPU must support AVX2: call only with a stored [`Backend::Avx2`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn candidates_avx2<const Q: usize>(x: &[f32], tt: &[[f32; 4]; 3], out: &mut [u16]) {
    candidates_body::<Q>(x, tt, out)
}

/// [`candidates_body`] compiled for AVX-512 (sixteen samples per compare, mask
/// registers).
///
/// # Safety
/// The CPU must support AVX-512 F/BW/VL: call only with a stored [`Backend::Avx512`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2,fma")]
unsafe fn candidates_avx512<const Q: usize>(x: &[f32], tt: &[[f32; 4]; 3], out: &mut [u16]) {
    candidates_body::<Q>(x, tt, out)
}

fn midpoints(levels: &[f32; 4], q: usize) -> [f32; 3] {
    let mut t = [f32::INFINITY; 3];
    for i in 0..q - 1 {
        t[i] = 0.5 * (levels[i] + levels[i + 1]);
    }
    t
}

#[inline]
fn slice(t: &[f32; 3], q: usize, y: f32) -> u8 {
    if q == 4 {
        (y >= t[0]) as u8 + (y >= t[1]) as u8 + (y >= t[2]) as u8
    } else {
        (y >= t[0]) as u8
    }
}

fn check_taps(taps: &[f32]) -> Result<()> {
    if taps.is_empty() || taps.len() > MAX_TAPS {
        return Err(Error::invalid(
            "taps",
            format!("1..={MAX_TAPS} taps"),
            taps.len(),
        ));
    }
    crate::error::check_finite("taps", taps)
}

fn check_len(name: &'static str, expected: usize, actual: usize) -> Result<()> {
    if expected != actual {
        return Err(Error::LengthMismatch {
            name,
            expected,
            actual,
        });
    }
    Ok(())
}

/// Counts symbol and bit errors and groups them into bursts — the measure of a DFE's
/// error propagation. Streaming: feed decisions and reference in any chunks.
///
/// An error joins the current burst when it comes at most `max_distance` symbols
/// after the burst's last error (for an `N`-tap DFE, `N`: a wrong decision feeds
/// back into the next `N` symbols only); otherwise it opens a new burst.
/// [`ErrorBursts::histogram`]`[k]` is the number of bursts of `k` errors (index 0
/// unused). Bits per PAM4 symbol error are counted through the Gray code of
/// Clause 120.5.7.
///
/// ```
/// use serdes_dsp::eq::{ErrorBursts, Modulation};
/// let mut b = ErrorBursts::new(Modulation::Pam4, 1).unwrap();
/// b.update(&[0, 1, 1, 0, 0, 0, 3], &[0, 0, 0, 0, 0, 0, 0]).unwrap();
/// assert_eq!(b.symbol_errors(), 3);
/// assert_eq!(b.histogram(), vec![0, 1, 1]); // one burst of 1 (the 3), one of 2
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorBursts {
    modulation: Modulation,
    max_distance: u64,
    symbols: u64,
    symbol_errors: u64,
    bit_errors: u64,
    hist: Vec<u64>,
    /// Errors in the open burst (0: none open).
    open: u64,
    /// Symbols since the last error.
    since: u64,
}

impl ErrorBursts {
    /// A counter for `modulation` with bursts joined over `max_distance ≥ 1` symbols.
    pub fn new(modulation: Modulation, max_distance: usize) -> Result<ErrorBursts> {
        if max_distance == 0 {
            return Err(Error::invalid("max_distance", "at least 1 symbol", 0));
        }
        Ok(ErrorBursts {
            modulation,
            max_distance: max_distance as u64,
            symbols: 0,
            symbol_errors: 0,
            bit_errors: 0,
            hist: vec![0],
            open: 0,
            since: 0,
        })
    }

    /// Compares `decided` with `reference` (same length, symbols of the alphabet).
    pub fn update(&mut self, decided: &[u8], reference: &[u8]) -> Result<()> {
        check_len("reference", decided.len(), reference.len())?;
        let max = self.modulation.n_levels() as u8 - 1;
        check_max_u8("decided", decided, max)?;
        check_max_u8("reference", reference, max)?;
        for (&d, &r) in decided.iter().zip(reference) {
            self.symbols += 1;
            self.since += 1;
            if d == r {
                continue;
            }
            self.symbol_errors += 1;
            self.bit_errors += match self.modulation {
                Modulation::Pam4 => {
                    let (a, b) = (gray_decode(d), gray_decode(r));
                    ((a.0 ^ b.0) + (a.1 ^ b.1)) as u64
                }
                Modulation::Nrz => 1,
            };
            if self.open > 0 && self.since <= self.max_distance {
                self.open += 1;
            } else {
                self.close();
                self.open = 1;
            }
            self.since = 0;
        }
        Ok(())
    }

    fn close(&mut self) {
        if self.open > 0 {
            let k = self.open as usize;
            if self.hist.len() <= k {
                self.hist.resize(k + 1, 0);
            }
            self.hist[k] += 1;
            self.open = 0;
        }
    }

    /// Symbols compared.
    pub fn symbols(&self) -> u64 {
        self.symbols
    }

    /// Symbols in error.
    pub fn symbol_errors(&self) -> u64 {
        self.symbol_errors
    }

    /// Bits in error (Gray-decoded for PAM4).
    pub fn bit_errors(&self) -> u64 {
        self.bit_errors
    }

    /// Bit error ratio: bit errors over bits compared.
    pub fn ber(&self) -> f64 {
        let bits = self.symbols * self.modulation.bits() as u64;
        if bits == 0 {
            0.0
        } else {
            self.bit_errors as f64 / bits as f64
        }
    }

    /// Symbol error ratio.
    pub fn ser(&self) -> f64 {
        if self.symbols == 0 {
            0.0
        } else {
            self.symbol_errors as f64 / self.symbols as f64
        }
    }

    /// Bursts by number of errors (`[k]` = bursts of `k` errors), counting the burst
    /// still open at the end of the data so far.
    pub fn histogram(&self) -> Vec<u64> {
        let mut c = self.clone();
        c.close();
        c.hist
    }

    /// Number of bursts so far (including an open one).
    pub fn bursts(&self) -> u64 {
        self.histogram().iter().sum()
    }
}
