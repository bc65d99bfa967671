//! The decision-feedback equaliser (DFE) for NRZ and PAM4, 1 to 32 taps, and the
//! error-burst counter that measures its error propagation.
//!
//! `y[n] = x[n] − Σ_{k=1..N} b_k · L(d[n−k])`, `d[n] = slice(y[n])`, with `L` the
//! nominal levels of the [`Modulation`] (the taps are in units of the level spacing
//! of `±1`, so `b_1 = h_1/h_0` of a channel with unit cursor). The IEEE 802.3ck KR
//! reference receiver (Annex 93A) has 12 taps with `|b| ≤ [0.85, 0.3, 0.2×5, 0.1×5]`,
//! 802.3dj one tap `≤ 0.85` — [`Dfe::check_802_3ck_kr`] checks the former.
//!
//! # The fast kernels
//!
//! The decision loop is the one recursion of a receiver that SIMD cannot split, so
//! the kernels shorten its dependency chain instead of its arithmetic:
//!
//! - **One tap**: the sample is sliced once for each possible previous decision (4
//!   candidates for PAM4, 2 for NRZ) in a vectorised pass over a block, independently
//!   of the decisions; the serial pass then only *selects* among the candidates — a
//!   shift and a mask per symbol.
//! - **Two or more taps: a two-symbol look-ahead.** Taps 1 and 2 are folded into the
//!   thresholds: for every pair of candidate previous decisions `(d[n−2], d[n−1])`
//!   (16 for PAM4, 4 for NRZ) the thresholds `t_i + b_1·L(d[n−1]) + b_2·L(d[n−2])` are
//!   fixed, so the sample minus the feedback of taps 3..N is compared with all of
//!   them at once (three 16-lane compares for PAM4 on AVX-512, six 8-lane ones on
//!   AVX2) into one 64-bit mask. The decision is then `popcount` of the three mask
//!   bits of the actual pair: on the loop-carried path from `d[n−1]` to `d[n]` there
//!   are only an address computation, a shift, a mask and a `popcount`.
//! - **Look-up tables for taps 3..N.** The decisions `d[n−3]` and older live in one
//!   `u64` register (2 bits per PAM4 symbol, 1 per NRZ bit, newest lowest), apart
//!   from `d[n−1]` and `d[n−2]`, so that it does not depend on the two newest
//!   decisions and the out-of-order core computes it two symbols ahead. Taps 3..N are
//!   grouped 4 (PAM4) or 8 (NRZ) at a time; each group's feedback for all 256 patterns
//!   of its byte of history is precomputed: one load per group whatever the levels.
//!
//! The decisions are those of the textbook loop (`y = x − Σ b_k·L(d[n−k])` sliced
//! against the thresholds) except where `y` lies within a few `f32` roundings of a
//! threshold: the kernels add the same terms in another order. The soft output `y`
//! agrees within `1e-5` (for taps and samples of order 1).
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
use crate::error::{check_len, check_max_u8, Error, Result};
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
    /// Feedback of taps 3..N per byte of the history of `d[n−3]` and older.
    luts: Vec<[f32; 256]>,
    /// Compares of the kernels: the one-tap candidate pass and the look-ahead
    /// thresholds (the decisions are the same on all).
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

    /// The same DFE with the compares of `backend` (the decisions are the same
    /// on every backend: only exact compares differ in width); errors if this CPU
    /// cannot run it.
    pub fn with_backend(mut self, backend: Backend) -> Result<Dfe> {
        self.backend = backend.require()?;
        Ok(self)
    }

    /// The backend of the compares (the one-tap candidate pass, the look-ahead
    /// thresholds).
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
        check_len("taps", self.taps.len(), taps.len())?;
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
        check_len("levels", q, levels.len())?;
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
        crate::eq::ffe::check_finite(self.backend, "x", x)?;
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
        crate::eq::ffe::check_finite(self.backend, "x", x)?;
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

    /// Tables for taps 3..N: group `g` covers `taps[2 + g·per ..]`, byte `g` of
    /// the history of `d[n−3]` and older.
    fn build_luts(&mut self) {
        let bits = self.modulation.bits() as usize;
        let per = 8 / bits;
        let rest = self.taps.get(2..).unwrap_or(&[]);
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
        if self.taps.len() == 1 {
            match self.modulation {
                Modulation::Pam4 => self.kernel::<4, SOFT>(x, symbols, soft),
                Modulation::Nrz => self.kernel::<2, SOFT>(x, symbols, soft),
            }
            return;
        }
        let q = self.modulation.n_levels();
        let (thr, fb12) = self.lookahead_tables();
        let args = Lookahead {
            luts: &self.luts,
            thr: &thr,
            fb12: &fb12,
        };
        let (h, g) = (self.hist, self.luts.len());
        self.hist = match self.backend {
            // SAFETY: a stored Avx2/Avx512 backend passed `Backend::require` or was
            // chosen by `Backend::detect`, so the CPU has the features the shims
            // enable; `popcnt` is checked here (every AVX2 CPU has it).
            #[cfg(target_arch = "x86_64")]
            Backend::Avx512 if has_popcnt() => unsafe {
                lookahead_avx512::<SOFT>(q, g, &args, h, x, symbols, soft)
            },
            #[cfg(target_arch = "x86_64")]
            Backend::Avx2 | Backend::Avx512 if has_popcnt() => unsafe {
                lookahead_avx2::<SOFT>(q, g, &args, h, x, symbols, soft)
            },
            // SAFETY: the scalar compares need no CPU feature.
            _ => unsafe {
                lookahead_dispatch::<SOFT, CMP_SCALAR>(q, g, &args, h, x, symbols, soft)
            },
        };
    }

    /// The thresholds of the two-symbol look-ahead, lane `16·i + Q·c2 + c1` for
    /// threshold `i` and candidates `d[n−2] = c2`, `d[n−1] = c1`: `t_i + b_1·L(c1) +
    /// b_2·L(c2)` (unused lanes `+∞`); and the feedback `b_1·L(c1) + b_2·L(c2)` of
    /// taps 1 and 2 at index `Q·c2 + c1`, for the soft output.
    fn lookahead_tables(&self) -> ([f32; 48], [f32; 16]) {
        let q = self.modulation.n_levels();
        let (b1, b2) = (self.taps[0], self.taps[1]);
        let mut thr = [f32::INFINITY; 48];
        let mut fb12 = [0.0f32; 16];
        for c2 in 0..q {
            for c1 in 0..q {
                let fb = b1 * self.levels[c1] + b2 * self.levels[c2];
                fb12[q * c2 + c1] = fb;
                for i in 0..q - 1 {
                    thr[16 * i + q * c2 + c1] = self.thresholds[i] + fb;
                }
            }
        }
        (thr, fb12)
    }

    /// The one-tap kernel for `Q` levels.
    #[inline(always)]
    fn kernel<const Q: usize, const SOFT: bool>(
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
        let mut hist = self.hist;
        // The loop-carried state is `s = w·d[n−1]`, the shift that selects the
        // candidate field of the previous decision: `s' = (fields >> s) & fmask`.
        let mut s = w as u64 * (hist & mask);
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

/// Per-ISA shims of a kernel that differ only in their `#[target_feature]` (and, for
/// the look-ahead, the compare flavour): for each `name = "features"[, CMP]`, an
/// `unsafe fn name` compiled with those features that calls
/// `inner::<generics.., CMP>(args..)`, inlined there (`#[inline(always)]` inner).
/// Each shim's doc (with its `# Safety`) is written at the invocation.
macro_rules! isa_shims {
    ($sig:tt; $($(#[$attr:meta])* $name:ident = $features:literal $(, $cmp:ident)?;)+) => {
        $(isa_shims!(@one $sig; $(#[$attr])* $name = $features $(, $cmp)?);)+
    };
    (@one (fn $inner:ident<$(const $g:ident: $gt:ty),*>($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)?);
        $(#[$attr:meta])* $name:ident = $features:literal $(, $cmp:ident)?) => {
        $(#[$attr])*
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = $features)]
        unsafe fn $name<$(const $g: $gt),*>($($arg: $ty),*) $(-> $ret)? {
            // SAFETY: compiled with `$features`, which the caller guarantees the CPU has.
            #[allow(unused_unsafe)]
            unsafe {
                $inner::<$($g,)* $($cmp)?>($($arg),*)
            }
        }
    };
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

isa_shims! {
    (fn candidates_body<const Q: usize>(x: &[f32], tt: &[[f32; 4]; 3], out: &mut [u16]));
    /// [`candidates_body`] compiled for AVX2 (eight samples per compare).
    ///
    /// # Safety
    /// The CPU must support AVX2: call only with a stored [`Backend::Avx2`].
    candidates_avx2 = "avx2,fma";
    /// [`candidates_body`] compiled for AVX-512 (sixteen samples per compare, mask
    /// registers).
    ///
    /// # Safety
    /// The CPU must support AVX-512 F/BW/VL: call only with a stored [`Backend::Avx512`].
    candidates_avx512 = "avx512f,avx512bw,avx512vl,avx2,fma";
}

/// The tables of the two-symbol look-ahead kernel (see [`Dfe::lookahead_tables`]).
struct Lookahead<'a> {
    /// Feedback of taps 3..N per byte of the history of `d[n−3]` and older.
    luts: &'a [[f32; 256]],
    /// Thresholds per threshold and candidate pair, lane `16·i + Q·c2 + c1`.
    thr: &'a [f32; 48],
    /// Feedback of taps 1 and 2 per candidate pair, index `Q·c2 + c1`.
    fb12: &'a [f32; 16],
}

/// Compare implementations of the look-ahead kernel, chosen at compile time inside
/// each backend's shim.
const CMP_SCALAR: u8 = 0;
#[cfg(target_arch = "x86_64")]
const CMP_AVX2: u8 = 1;
#[cfg(target_arch = "x86_64")]
const CMP_AVX512: u8 = 2;
/// `G` of [`lookahead`] meaning "as many tables as there are", looped.
const MANY: usize = 8;

#[cfg(target_arch = "x86_64")]
fn has_popcnt() -> bool {
    is_x86_feature_detected!("popcnt")
}

/// Bit `16·i + Q·c2 + c1` set when `v ≥ thr[16·i + Q·c2 + c1]`: the comparison of
/// `v` with the thresholds of every candidate pair, by compare implementation `B`.
///
/// # Safety
/// `B = CMP_AVX2` needs a caller compiled with AVX2, `B = CMP_AVX512` one compiled
/// with AVX-512 F (and a CPU that has them); `CMP_SCALAR` is safe.
#[inline(always)]
unsafe fn candidate_mask<const Q: usize, const B: u8>(v: f32, thr: &[f32; 48]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        // SAFETY: the caller is compiled with the features of `B`; the loads read
        // `thr[..48]`.
        unsafe {
            if B == CMP_AVX512 && Q == 4 {
                let vv = _mm512_set1_ps(v);
                let p = thr.as_ptr();
                let m0 = _mm512_cmp_ps_mask::<_CMP_GE_OQ>(vv, _mm512_loadu_ps(p)) as u64;
                let m1 = _mm512_cmp_ps_mask::<_CMP_GE_OQ>(vv, _mm512_loadu_ps(p.add(16))) as u64;
                let m2 = _mm512_cmp_ps_mask::<_CMP_GE_OQ>(vv, _mm512_loadu_ps(p.add(32))) as u64;
                return m0 | (m1 << 16) | (m2 << 32);
            }
            if B == CMP_AVX2 && Q == 4 {
                let vv = _mm256_set1_ps(v);
                let mut m = 0u64;
                for k in 0..6 {
                    let t = _mm256_loadu_ps(thr.as_ptr().add(8 * k));
                    let c = _mm256_cmp_ps::<_CMP_GE_OQ>(vv, t);
                    m |= (_mm256_movemask_ps(c) as u32 as u64) << (8 * k);
                }
                return m;
            }
            if B != CMP_SCALAR {
                // NRZ: the four candidate pairs in one 4-lane compare.
                let c = _mm_cmpge_ps(_mm_set1_ps(v), _mm_loadu_ps(thr.as_ptr()));
                return _mm_movemask_ps(c) as u32 as u64;
            }
        }
    }
    let lanes = if Q == 4 { 48 } else { 4 };
    let mut m = 0u64;
    for (k, &t) in thr.iter().enumerate().take(lanes) {
        m |= ((v >= t) as u64) << k;
    }
    m
}

/// The two-symbol look-ahead kernel (see the module doc) for `Q` levels and `G`
/// tables ([`MANY`]: looped over all); returns the new history register.
///
/// # Safety
/// As for [`candidate_mask`] with `B`; `B ≠ CMP_SCALAR` also needs POPCNT.
#[inline(always)]
unsafe fn lookahead<const Q: usize, const G: usize, const SOFT: bool, const B: u8>(
    t: &Lookahead<'_>,
    hist: u64,
    x: &[f32],
    symbols: &mut [u8],
    soft: &mut [f32],
) -> u64 {
    let bits: u32 = if Q == 4 { 2 } else { 1 };
    let mask = (1u64 << bits) - 1;
    // The mask bits of one candidate pair's thresholds.
    let spread: u64 = if Q == 4 { 0x0001_0001_0001 } else { 1 };
    let (mut d1, mut d2, mut h3) = (hist & mask, (hist >> bits) & mask, hist >> (2 * bits));
    let luts = t.luts;
    let n_tables = if G == MANY { luts.len() } else { G };
    if SOFT {
        assert_eq!(soft.len(), x.len());
    }
    for (n, (&xn, o)) in x.iter().zip(symbols.iter_mut()).enumerate() {
        let mut v = xn;
        if G > 0 {
            // Start from the first table: no `0.0 +` on the dependency chain.
            let mut rest = luts[0][(h3 & 0xff) as usize];
            for (g, lut) in luts.iter().enumerate().take(n_tables).skip(1) {
                rest += lut[((h3 >> (8 * g)) & 0xff) as usize];
            }
            v = xn - rest;
        }
        // SAFETY: forwarded from the caller.
        let m = unsafe { candidate_mask::<Q, B>(v, t.thr) };
        let pair = (d2 << bits) | d1;
        if SOFT {
            soft[n] = v - t.fb12[(pair & 15) as usize];
        }
        let sel = (m >> pair) & spread;
        let d = if B == CMP_SCALAR {
            // The (at most three) selected bits summed by a multiply, without POPCNT.
            (sel.wrapping_mul(spread) >> 32) & 3
        } else {
            sel.count_ones() as u64
        };
        let d = if Q == 4 { d } else { sel };
        *o = d as u8;
        h3 = (h3 << bits) | d2;
        d2 = d1;
        d1 = d;
    }
    (h3 << (2 * bits)) | (d2 << bits) | d1
}

/// [`lookahead`] for the number of levels `q` and of tables `g`.
///
/// # Safety
/// As for [`lookahead`].
#[inline(always)]
unsafe fn lookahead_dispatch<const SOFT: bool, const B: u8>(
    q: usize,
    g: usize,
    t: &Lookahead<'_>,
    hist: u64,
    x: &[f32],
    symbols: &mut [u8],
    soft: &mut [f32],
) -> u64 {
    // SAFETY: forwarded from the caller.
    unsafe {
        match (q, g) {
            (4, 0) => lookahead::<4, 0, SOFT, B>(t, hist, x, symbols, soft),
            (4, 1) => lookahead::<4, 1, SOFT, B>(t, hist, x, symbols, soft),
            (4, 2) => lookahead::<4, 2, SOFT, B>(t, hist, x, symbols, soft),
            (4, _) => lookahead::<4, MANY, SOFT, B>(t, hist, x, symbols, soft),
            (_, 0) => lookahead::<2, 0, SOFT, B>(t, hist, x, symbols, soft),
            (_, 1) => lookahead::<2, 1, SOFT, B>(t, hist, x, symbols, soft),
            (_, _) => lookahead::<2, MANY, SOFT, B>(t, hist, x, symbols, soft),
        }
    }
}

isa_shims! {
    (fn lookahead_dispatch<const SOFT: bool>(q: usize, g: usize, t: &Lookahead<'_>, hist: u64,
        x: &[f32], symbols: &mut [u8], soft: &mut [f32]) -> u64);
    /// [`lookahead`] with the AVX2 compares.
    ///
    /// # Safety
    /// The CPU must support AVX2 and POPCNT: call only with a stored [`Backend::Avx2`]
    /// (or `Avx512`) after checking POPCNT.
    lookahead_avx2 = "avx2,fma,popcnt", CMP_AVX2;
    /// [`lookahead`] with the AVX-512 compares (three 16-lane compares into mask
    /// registers for PAM4).
    ///
    /// # Safety
    /// The CPU must support AVX-512 F/BW/VL and POPCNT: call only with a stored
    /// [`Backend::Avx512`] after checking POPCNT.
    lookahead_avx512 = "avx512f,avx512bw,avx512vl,avx2,fma,popcnt", CMP_AVX512;
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

/// The direct references shared with the integration tests.
#[cfg(test)]
#[path = "../../tests/common/eq.rs"]
#[allow(dead_code)]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn uniform(seed: u64, n: usize, amp: f32) -> Vec<f32> {
        let s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut v = crate::testutil::uniform_f32(s, n);
        v.iter_mut().for_each(|x| *x *= amp);
        v
    }

    /// The textbook DFE: feedback summed tap by tap, then sliced.
    fn textbook(m: Modulation, taps: &[f32], x: &[f32]) -> (Vec<u8>, Vec<f32>) {
        super::reference::textbook_dfe(m.levels(), m.n_levels(), taps, x)
    }

    fn modulation(pam4: bool) -> Modulation {
        if pam4 {
            Modulation::Pam4
        } else {
            Modulation::Nrz
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Every backend decides as the textbook loop (random samples: no sample
        /// within rounding of a threshold), soft outputs within 1e-5, on any
        /// chunking, for 1 to 32 taps.
        #[test]
        fn every_backend_matches_the_textbook_loop_on_any_chunking(
            n_taps in 1usize..=MAX_TAPS,
            pam4 in any::<bool>(),
            seed in any::<u64>(),
            cuts in proptest::collection::vec(0usize..700, 0..6),
        ) {
            let m = modulation(pam4);
            let taps: Vec<f32> = uniform(seed, n_taps, 0.3)
                .iter()
                .enumerate()
                .map(|(k, b)| b / (1 + k / 4) as f32)
                .collect();
            let x = uniform(seed ^ 7, 2000, 1.6);
            let (want_d, want_y) = textbook(m, &taps, &x);
            for b in Backend::available() {
                let mut dfe = Dfe::new(m, &taps).unwrap().with_backend(b).unwrap();
                let (mut d, mut y) = (vec![0u8; x.len()], vec![0f32; x.len()]);
                let mut start = 0usize;
                for c in cuts.iter().chain([&usize::MAX]) {
                    let end = start.saturating_add(*c).min(x.len());
                    dfe.process_soft_into(&x[start..end], &mut d[start..end], &mut y[start..end]).unwrap();
                    start = end;
                }
                prop_assert_eq!(&d, &want_d, "{:?} {} taps", b, n_taps);
                for (a, w) in y.iter().zip(&want_y) {
                    prop_assert!((a - w).abs() < 1e-5, "{:?}: soft {} vs {}", b, a, w);
                }
                // The hard-only path, in one call, gives the same decisions.
                let mut whole = Dfe::new(m, &taps).unwrap().with_backend(b).unwrap();
                prop_assert_eq!(&whole.process(&x).unwrap(), &want_d);
            }
        }
    }

    #[test]
    fn reset_and_history_across_calls() {
        // After a reset the stream restarts; the history carries the two newest
        // decisions and the older ones across calls of one symbol each.
        for m in [Modulation::Pam4, Modulation::Nrz] {
            for n_taps in [2usize, 3, 8, 17, 32] {
                let taps = uniform(n_taps as u64, n_taps, 0.2);
                let x = uniform(99, 300, 1.4);
                let (want, _) = textbook(m, &taps, &x);
                for b in Backend::available() {
                    let mut dfe = Dfe::new(m, &taps).unwrap().with_backend(b).unwrap();
                    let one: Vec<u8> = x.iter().flat_map(|v| dfe.process(&[*v]).unwrap()).collect();
                    assert_eq!(one, want, "{m:?} {n_taps} {b:?}");
                    dfe.reset();
                    assert_eq!(dfe.process(&x).unwrap(), want);
                }
            }
        }
    }
}
