//! Seeded Gaussian noise ([`Gaussian`]) and the additive white Gaussian noise
//! block ([`Awgn`]), with scalar, AVX2 and AVX-512 kernels.
//!
//! `mod.rs` holds the safe API and picks the kernel once, at construction, from a
//! [`Backend`]; `scalar.rs` is the reference that defines the stream, `avx2.rs` and
//! `avx512.rs` compute the same stream with `f32` polynomials.
//!
//! # The stream
//!
//! - **RNG.** Eight independent xoshiro128++ generators ("lanes", 32-bit state
//!   words, Blackman and Vigna 2019) — the eight 32-bit lanes of one AVX2 register.
//!   Seeding: a splitmix64 generator starts at `mix64(seed)` (its own output
//!   function, so that seeds that differ by a multiple of its increment do not give
//!   shifted copies of each other's lanes); lane `l` takes its outputs `2l` and
//!   `2l + 1` as state words `[lo, hi, lo, hi]`. The two outputs differ (splitmix64
//!   is a bijection of its counter), so no lane starts in the all-zero state.
//! - **Blocks.** The stream is a sequence of blocks of 16 samples. A block takes
//!   two steps of all eight lanes: lane `l` gives `a_l` then `b_l`, and the block is
//!   `[r_0 cos θ_0, …, r_7 cos θ_7, r_0 sin θ_0, …, r_7 sin θ_7]`.
//! - **Box–Muller.** `u1 = (a + 1)·2^-32 ∈ (0, 1]`, `u2 = b·2^-32 ∈ [0, 1)`,
//!   `r = √(−2 ln u1)`, `θ = 2π u2`. Samples are therefore bounded:
//!   `|x| ≤ √(64 ln 2) ≈ 6.6604` (at `u1 = 2^-32`), which a true N(0, 1) exceeds
//!   in magnitude with probability `2.7e-11`. Below that bound, tail probabilities are
//!   exact to about `2^-32 ≈ 2.3e-10` absolute (the step of `u1`), i.e. to 1 %
//!   down to `P(x > t) ≈ 2e-8` (`t ≈ 5.5`) — ample for BER counts to `1e-7`; use
//!   importance sampling or the analytic tail below that.
//! - **Chunks.** [`Gaussian::fill`] keeps the unused rest of the last block, so
//!   any chunking of the output gives the same samples, bit for bit, as one call.
//!
//! # Backends and tolerance
//!
//! The `u32` values are the same on every backend, bit for bit. The scalar
//! reference evaluates Box–Muller with `f64` `ln`, `sqrt`, `sin_cos` and rounds to
//! `f32`; the SIMD kernels use `f32` (Cephes `logf`, `sinf`, `cosf` polynomials
//! with FMA, exact integer range reduction) and agree with it to
//! `|simd − scalar| ≤ SIMD_TOLERANCE · max(1, |x|)` ([`SIMD_TOLERANCE`] = `2e-6`).
//! Why that bound holds: the radius is right to a few `f32` ulps relative (the
//! conversions of `a` and the `ln` polynomial each cost about `6e-8` absolute in
//! `ln u1`, and near `u1 = 1` the reduced argument is exact, see `avx2.rs`); the
//! phase and `sin`/`cos` cost about `1.5e-7` absolute; so the error is at most
//! about `r · 3e-7 ≤ 2e-6` with `r ≤ 6.67`. Measured worst case: `2.9e-7` on
//! `2^20` samples of the stream and `2.8e-7` over `2^21` pairs spread over the
//! whole input square plus every edge (u1 at `2^-32`, `½`, `√½`, 1; each quadrant
//! boundary). AVX-512 does two blocks per `zmm` register with the same operations
//! as AVX2, so the two SIMD backends give identical bits.
//!
//! The SIMD kernels are `unsafe fn` shims with `#[target_feature]`; this module
//! calls them only when the stored [`Backend`] is `Avx2`/`Avx512`, and such a value
//! is only stored after [`Backend::require`] succeeded (or [`Backend::detect`]
//! chose it).

use crate::cpu::Backend;
use crate::error::{check_len, Error, Result};

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
mod scalar;

/// Samples per block of the stream: one cos and one sin per lane.
pub(crate) const BLOCK: usize = 16;
/// xoshiro128++ generators run side by side.
pub(crate) const LANES: usize = 8;

/// The largest `|simd − scalar| / max(1, |scalar|)` allowed between a SIMD
/// backend's samples and the scalar reference's.
pub const SIMD_TOLERANCE: f32 = 2e-6;

/// The state of the eight xoshiro128++ lanes, word-major: `s[w][l]` is word `w` of
/// lane `l`, so that each word of all lanes loads as one AVX2 register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lanes {
    pub(crate) s: [[u32; LANES]; 4],
}

impl Lanes {
    fn from_seed(seed: u64) -> Lanes {
        let mut sm = scalar::mix64(seed);
        // Lane-major first, in lane order, then transposed to word-major.
        let mut lanes = [[0u32; 4]; LANES];
        for lane in &mut lanes {
            let (z0, z1) = (scalar::splitmix64(&mut sm), scalar::splitmix64(&mut sm));
            *lane = [z0 as u32, (z0 >> 32) as u32, z1 as u32, (z1 >> 32) as u32];
        }
        Lanes {
            s: std::array::from_fn(|w| std::array::from_fn(|l| lanes[l][w])),
        }
    }
}

/// What a kernel does with the noise: write it, or add it scaled.
#[derive(Clone, Copy)]
enum Sink {
    Fill,
    Add(f32),
}

impl Sink {
    /// The scalar form of the kernels' store: the same arithmetic as in the
    /// kernels (a product then a sum), so leftovers round like the bulk.
    fn apply(self, out: &mut [f32], noise: &[f32]) {
        match self {
            Sink::Fill => out.copy_from_slice(noise),
            Sink::Add(sigma) => {
                for (x, n) in out.iter_mut().zip(noise) {
                    *x += sigma * n;
                }
            }
        }
    }
}

/// Runs `blocks.len()` blocks of the stream on `backend`.
fn kernel(backend: Backend, lanes: &mut Lanes, blocks: &mut [[f32; BLOCK]], sink: Sink) {
    match (backend, sink) {
        (Backend::Scalar, Sink::Fill) => scalar::fill(lanes, blocks),
        (Backend::Scalar, Sink::Add(sigma)) => scalar::add_scaled(lanes, blocks, sigma),
        // SAFETY (all four arms): a `Gaussian` stores `Avx2`/`Avx512` only after
        // `Backend::require` or `Backend::detect` found the CPU features.
        #[cfg(target_arch = "x86_64")]
        (Backend::Avx2, Sink::Fill) => unsafe { avx2::fill(lanes, blocks) },
        #[cfg(target_arch = "x86_64")]
        (Backend::Avx2, Sink::Add(sigma)) => unsafe { avx2::add_scaled(lanes, blocks, sigma) },
        #[cfg(target_arch = "x86_64")]
        (Backend::Avx512, Sink::Fill) => unsafe { avx512::fill(lanes, blocks) },
        #[cfg(target_arch = "x86_64")]
        (Backend::Avx512, Sink::Add(sigma)) => unsafe { avx512::add_scaled(lanes, blocks, sigma) },
        // Never stored off x86-64 (`require` fails there); the reference is right anyway.
        #[cfg(not(target_arch = "x86_64"))]
        (_, Sink::Fill) => scalar::fill(lanes, blocks),
        #[cfg(not(target_arch = "x86_64"))]
        (_, Sink::Add(sigma)) => scalar::add_scaled(lanes, blocks, sigma),
    }
}

/// A seeded stream of standard normal `f32` samples, N(0, 1).
///
/// Eight xoshiro128++ generators and Box–Muller (see the [module docs](self) for
/// the exact definition). The stream depends only on the seed: the same on every
/// backend up to [`SIMD_TOLERANCE`], and the same bit for bit whatever the chunk
/// sizes given to [`Gaussian::fill`]. Samples are bounded by `√(64 ln 2) ≈ 6.66`.
///
/// ```
/// use serdes_dsp::channel::Gaussian;
///
/// let mut whole = [0f32; 1000];
/// Gaussian::new(7).fill(&mut whole);
///
/// let mut parts = [0f32; 1000];
/// let mut g = Gaussian::new(7);
/// g.fill(&mut parts[..333]);
/// g.fill(&mut parts[333..]);
/// assert_eq!(whole, parts);
///
/// let mean = whole.iter().sum::<f32>() / 1000.0;
/// assert!(mean.abs() < 0.2);
/// ```
#[derive(Debug, Clone)]
pub struct Gaussian {
    seed: u64,
    backend: Backend,
    lanes: Lanes,
    /// The last block generated; `spare[used..]` are samples not handed out yet.
    spare: [f32; BLOCK],
    used: usize,
}

impl Gaussian {
    /// The stream of `seed` on the fastest backend of this CPU ([`Backend::detect`]).
    pub fn new(seed: u64) -> Self {
        Gaussian {
            seed,
            backend: Backend::detect(),
            lanes: Lanes::from_seed(seed),
            spare: [0.0; BLOCK],
            used: BLOCK,
        }
    }

    /// The stream of `seed` on a given backend; [`Error::MissingCpuFeature`] if
    /// this CPU cannot run it. [`Backend::Scalar`] is the reference.
    pub fn with_backend(seed: u64, backend: Backend) -> Result<Self> {
        let mut g = Gaussian::new(seed);
        g.backend = backend.require()?;
        Ok(g)
    }

    /// The backend that computes the samples.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The seed the stream started from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Writes the next `out.len()` samples of the stream. Never allocates.
    pub fn fill(&mut self, out: &mut [f32]) {
        self.stream(out, Sink::Fill);
    }

    /// Back to the start of the stream of the seed.
    pub fn reset(&mut self) {
        self.lanes = Lanes::from_seed(self.seed);
        self.used = BLOCK;
    }

    /// Changes the backend, keeping the position in the stream.
    fn set_backend(&mut self, backend: Backend) -> Result<()> {
        self.backend = backend.require()?;
        Ok(())
    }

    /// The next `out.len()` samples, written or added: the leftover of the last
    /// block first, then whole blocks straight into `out`, then one block into
    /// `spare` for the tail.
    fn stream(&mut self, out: &mut [f32], sink: Sink) {
        let n = (BLOCK - self.used).min(out.len());
        let (head, rest) = out.split_at_mut(n);
        sink.apply(head, &self.spare[self.used..self.used + n]);
        self.used += n;
        let (blocks, tail) = rest.as_chunks_mut::<BLOCK>();
        kernel(self.backend, &mut self.lanes, blocks, sink);
        if !tail.is_empty() {
            let spare = std::slice::from_mut(&mut self.spare);
            kernel(self.backend, &mut self.lanes, spare, Sink::Fill);
            sink.apply(tail, &self.spare[..tail.len()]);
            self.used = tail.len();
        }
    }
}

/// Additive white Gaussian noise: `y = x + σ·n`, `n` a seeded N(0, 1) stream.
///
/// A streaming block: the noise continues across calls, so processing a signal in
/// chunks of any size gives the same output, bit for bit, as in one call. Zero
/// delay. Non-finite input samples pass through (NaN stays NaN).
///
/// ```
/// use serdes_dsp::channel::Awgn;
///
/// // 20 dB below a unit-power signal: σ = 0.1.
/// let mut awgn = Awgn::from_snr_db(20.0, 1.0, 1)?;
/// assert!((awgn.sigma() - 0.1).abs() < 1e-7);
/// let mut x = vec![1.0f32; 10_000];
/// awgn.process_in_place(&mut x);
/// let var = x.iter().map(|v| (v - 1.0).powi(2)).sum::<f32>() / 1e4;
/// assert!((var - 0.01).abs() < 0.001);
/// # Ok::<(), serdes_dsp::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Awgn {
    sigma: f32,
    noise: Gaussian,
}

impl Awgn {
    /// Noise of standard deviation `sigma` (finite, `>= 0`; in the units of the
    /// signal), seeded, on the fastest backend of this CPU.
    pub fn new(sigma: f32, seed: u64) -> Result<Self> {
        if !(sigma.is_finite() && sigma >= 0.0) {
            return Err(Error::invalid("sigma", "a finite number >= 0", sigma));
        }
        Ok(Awgn {
            sigma,
            noise: Gaussian::new(seed),
        })
    }

    /// Noise for a signal-to-noise ratio: `SNR = signal_power / σ²`, with
    /// `snr_db = 10 log10(SNR)` and `signal_power` the mean power of the signal
    /// (the mean of `x²`; 5/9 for PAM4 levels ±1, ±1/3).
    pub fn from_snr_db(snr_db: f64, signal_power: f64, seed: u64) -> Result<Self> {
        if !snr_db.is_finite() {
            return Err(Error::invalid("snr_db", "a finite number of dB", snr_db));
        }
        if !(signal_power.is_finite() && signal_power > 0.0) {
            return Err(Error::invalid(
                "signal_power",
                "a finite number > 0",
                signal_power,
            ));
        }
        let sigma = (signal_power / 10f64.powf(snr_db / 10.0)).sqrt() as f32;
        if !sigma.is_finite() {
            return Err(Error::invalid(
                "snr_db",
                format!(
                    "a finite number of dB giving a noise σ below f32::MAX (for signal_power = {signal_power}: above {:.1} dB)",
                    10.0 * (signal_power / (f32::MAX as f64).powi(2)).log10()
                ),
                snr_db,
            ));
        }
        Awgn::new(sigma, seed)
    }

    /// The same block on another backend, at the same position in the noise
    /// stream; [`Error::MissingCpuFeature`] if this CPU cannot run it.
    pub fn with_backend(mut self, backend: Backend) -> Result<Self> {
        self.noise.set_backend(backend)?;
        Ok(self)
    }

    /// The backend that computes the noise.
    pub fn backend(&self) -> Backend {
        self.noise.backend()
    }

    /// Standard deviation of the noise, in the units of the signal.
    pub fn sigma(&self) -> f32 {
        self.sigma
    }

    /// Adds the next `x.len()` noise samples times σ to `x`. Never allocates.
    pub fn process_in_place(&mut self, x: &mut [f32]) {
        self.noise.stream(x, Sink::Add(self.sigma));
    }

    /// Writes `x` plus the next `x.len()` noise samples times σ to `out`;
    /// [`Error::LengthMismatch`] (naming `out`) unless `out.len() == x.len()`,
    /// [`Error::NonFinite`] (naming `x`) if `x` holds a NaN or infinity. On error the
    /// noise stream does not advance.
    pub fn process_into(&mut self, x: &[f32], out: &mut [f32]) -> Result<()> {
        crate::error::check_finite("x", x)?;
        check_len("out", x.len(), out.len())?;
        out.copy_from_slice(x);
        self.process_in_place(out);
        Ok(())
    }

    /// Allocating form of [`Awgn::process_into`].
    pub fn process(&mut self, x: &[f32]) -> Result<Vec<f32>> {
        let mut y = vec![0.0; x.len()];
        self.process_into(x, &mut y)?;
        Ok(y)
    }

    /// Back to the start of the noise stream.
    pub fn reset(&mut self) {
        self.noise.reset();
    }
}

/// The stream of `backend` from `seed` against the scalar one over `n` samples: the
/// same RNG state after (integer code: bit-exact), every sample within
/// [`SIMD_TOLERANCE`] (relative, floor 1). The SIMD files' tests call it.
#[cfg(test)]
fn check_stream_against_scalar(backend: Backend, seed: u64, n: usize) {
    let mut reference = Gaussian::with_backend(seed, Backend::Scalar).unwrap();
    let mut simd = Gaussian::with_backend(seed, backend).unwrap();
    let (mut want, mut got) = (vec![0f32; n], vec![0f32; n]);
    reference.fill(&mut want);
    simd.fill(&mut got);
    assert_eq!(reference.lanes, simd.lanes);
    let worst = got
        .iter()
        .zip(&want)
        .map(|(g, w)| (g - w).abs() / w.abs().max(1.0))
        .fold(0f32, f32::max);
    eprintln!("{backend:?} stream of {n}: worst relative error {worst:e}");
    assert!(worst <= SIMD_TOLERANCE, "worst relative error {worst:e}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stream(backend: Backend, seed: u64, n: usize) -> Vec<f32> {
        let mut out = vec![0f32; n];
        Gaussian::with_backend(seed, backend)
            .unwrap()
            .fill(&mut out);
        out
    }

    /// `P(|N(0, 1)| > k) = erfc(k/√2) = 2 Q(k)`.
    fn two_sided_tail(k: f64) -> f64 {
        libm::erfc(k / std::f64::consts::SQRT_2)
    }

    fn note_missing_backends() {
        for b in [Backend::Avx2, Backend::Avx512] {
            if !b.is_available() {
                eprintln!("skipped the {} stream: this CPU lacks it", b.name());
            }
        }
    }

    #[test]
    fn moments_and_tails_are_gaussian() {
        note_missing_backends();
        let n = 1 << 22;
        let nf = n as f64;
        for backend in Backend::available() {
            let x = stream(backend, 2024, n);
            let name = backend.name();
            let (mut s1, mut s2, mut s4) = (0f64, 0f64, 0f64);
            for &v in &x {
                let v = v as f64;
                s1 += v;
                s2 += v * v;
                s4 += v * v * v * v;
            }
            let (mean, var, m4) = (s1 / nf, s2 / nf, s4 / nf);
            // Standard errors of the estimates for N(0, 1): 1/√N, √(2/N), √(96/N)
            // for the fourth moment (var of x⁴ is 105 − 9).
            assert!(mean.abs() < 5.0 / nf.sqrt(), "{name}: mean {mean}");
            assert!(
                (var - 1.0).abs() < 5.0 * (2.0 / nf).sqrt(),
                "{name}: var {var}"
            );
            assert!(
                (m4 - 3.0).abs() < 5.0 * (96.0 / nf).sqrt(),
                "{name}: m4 {m4}"
            );
            let kurtosis = m4 / (var * var);
            assert!((kurtosis - 3.0).abs() < 0.03, "{name}: kurtosis {kurtosis}");
            for k in [2.0, 3.0, 4.0] {
                let p = two_sided_tail(k);
                let count = x.iter().filter(|v| (v.abs() as f64) > k).count() as f64;
                let se = (p * (1.0 - p) / nf).sqrt();
                assert!(
                    (count / nf - p).abs() < 5.0 * se,
                    "{name}: P(|x| > {k}) = {} vs {p}",
                    count / nf
                );
            }
            let bound = (64.0 * 2f64.ln()).sqrt() as f32;
            let max = x.iter().fold(0f32, |m, v| m.max(v.abs()));
            assert!(max <= bound * (1.0 + SIMD_TOLERANCE), "{name}: max {max}");
        }
    }

    #[test]
    fn kolmogorov_smirnov_against_the_normal_cdf() {
        let n = 1 << 20;
        for backend in Backend::available() {
            let mut x = stream(backend, 77, n);
            x.sort_by(f32::total_cmp);
            let mut d = 0f64;
            for (i, &v) in x.iter().enumerate() {
                let cdf = 0.5 * libm::erfc(-(v as f64) / std::f64::consts::SQRT_2);
                d = d.max((cdf - i as f64 / n as f64).abs());
                d = d.max(((i + 1) as f64 / n as f64 - cdf).abs());
            }
            // 1.95/√N is the 0.1 % critical value.
            assert!(
                d < 1.95 / (n as f64).sqrt(),
                "{}: KS distance {d}",
                backend.name()
            );
        }
    }

    fn correlation(x: &[f32], y: &[f32]) -> f64 {
        let dot: f64 = x.iter().zip(y).map(|(a, b)| *a as f64 * *b as f64).sum();
        let xx: f64 = x.iter().map(|a| (*a as f64).powi(2)).sum();
        let yy: f64 = y.iter().map(|a| (*a as f64).powi(2)).sum();
        dot / (xx * yy).sqrt()
    }

    #[test]
    fn lanes_and_lags_are_uncorrelated() {
        let n = 1 << 21;
        for backend in Backend::available() {
            let x = stream(backend, 5, n);
            // Lag 1: neighbouring lanes; 8: the cos and sin of one pair; 16: one
            // lane's next block; 7, 9, 15, 17: across lanes and blocks.
            for lag in [1, 2, 7, 8, 9, 15, 16, 17, 32] {
                let r = correlation(&x[..n - lag], &x[lag..]);
                assert!(
                    r.abs() < 5.0 / (n as f64).sqrt(),
                    "{}: lag {lag} correlation {r}",
                    backend.name()
                );
            }
            // Per lane: the |x| of sample l and l + 1 within blocks (dependence
            // that a plain correlation of signed values could miss).
            let a: Vec<f32> = x
                .chunks_exact(2)
                .map(|p| p[0].abs() - 0.797_884_6)
                .collect();
            let b: Vec<f32> = x
                .chunks_exact(2)
                .map(|p| p[1].abs() - 0.797_884_6)
                .collect();
            let r = correlation(&a, &b);
            assert!(r.abs() < 5.0 / (a.len() as f64).sqrt(), "|x| pairs: {r}");
        }
    }

    #[test]
    fn different_seeds_give_different_streams() {
        let n = 1 << 16;
        let gamma2 = 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(2);
        let pairs = [
            (0, 1),
            (1, 2),
            (42, 42 + gamma2),
            (42, 42 ^ (1 << 63)),
            (7, !7),
        ];
        for (s, t) in pairs {
            let x = stream(Backend::Scalar, s, n + 32);
            let y = stream(Backend::Scalar, t, n + 32);
            assert_ne!(x, y);
            // No shifted copies either (a lane of one seed reused by the other).
            for shift in 0..32 {
                let r1 = correlation(&x[..n], &y[shift..shift + n]);
                let r2 = correlation(&y[..n], &x[shift..shift + n]);
                assert!(
                    r1.abs().max(r2.abs()) < 5.0 / (n as f64).sqrt(),
                    "seeds {s}, {t}, shift {shift}: {r1} {r2}"
                );
            }
        }
    }

    #[test]
    fn reset_restarts_and_clone_continues() {
        for backend in Backend::available() {
            let mut g = Gaussian::with_backend(11, backend).unwrap();
            let mut a = vec![0f32; 1000];
            g.fill(&mut a[..21]);
            let mut h = g.clone();
            g.fill(&mut a[21..]);
            let mut b = vec![0f32; 979];
            h.fill(&mut b);
            assert_eq!(a[21..], b[..]);
            g.reset();
            let mut c = vec![0f32; 1000];
            g.fill(&mut c);
            assert_eq!(a, c);
            assert_eq!((g.seed(), g.backend()), (11, backend));
        }
    }

    #[test]
    fn unavailable_backends_are_errors() {
        for b in [Backend::Avx2, Backend::Avx512] {
            if !b.is_available() {
                assert_eq!(
                    Gaussian::with_backend(1, b).unwrap_err(),
                    Error::MissingCpuFeature { backend: b.name() }
                );
                assert!(Awgn::new(1.0, 1).unwrap().with_backend(b).is_err());
            }
        }
        assert!(Gaussian::new(1).backend().is_available());
    }

    #[test]
    fn awgn_variance_is_sigma_squared() {
        let n = 1 << 21;
        let x: Vec<f32> = (0..n).map(|i| ((i % 7) as f32 - 3.0) / 3.0).collect();
        for backend in Backend::available() {
            for sigma in [0.25f32, 2.0] {
                let mut awgn = Awgn::new(sigma, 3).unwrap().with_backend(backend).unwrap();
                let y = awgn.process(&x).unwrap();
                let noise_power = y
                    .iter()
                    .zip(&x)
                    .map(|(y, x)| ((y - x) as f64).powi(2))
                    .sum::<f64>()
                    / n as f64;
                let s2 = (sigma as f64).powi(2);
                assert!(
                    (noise_power - s2).abs() < 5.0 * s2 * (2.0 / n as f64).sqrt(),
                    "{}: {noise_power} vs {s2}",
                    backend.name()
                );
            }
        }
    }

    #[test]
    fn awgn_from_snr_db_sets_sigma() {
        for (snr_db, power) in [(10.0, 0.5), (20.0, 1.0), (-3.0, 5.0 / 9.0), (300.0, 1.0)] {
            let a = Awgn::from_snr_db(snr_db, power, 0).unwrap();
            let want = power / 10f64.powf(snr_db / 10.0);
            let got = (a.sigma() as f64).powi(2);
            assert!((got - want).abs() <= 1e-6 * want, "{got} vs {want}");
        }
    }

    #[test]
    fn awgn_bad_configuration_is_an_error() {
        for snr_db in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let e = Awgn::from_snr_db(snr_db, 1.0, 0).unwrap_err().to_string();
            assert!(
                e.contains("`snr_db`") && e.contains("a finite number of dB"),
                "{e}"
            );
        }
        // σ would overflow f32.
        let e = Awgn::from_snr_db(-1000.0, 1.0, 0).unwrap_err().to_string();
        assert!(e.contains("`snr_db`") && e.contains("-1000"), "{e}");
        for power in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let e = Awgn::from_snr_db(10.0, power, 0).unwrap_err().to_string();
            assert!(e.contains("`signal_power`") && e.contains("> 0"), "{e}");
        }
        for sigma in [-0.1f32, f32::NAN, f32::INFINITY] {
            let e = Awgn::new(sigma, 0).unwrap_err().to_string();
            assert!(e.contains("`sigma`") && e.contains(">= 0"), "{e}");
        }
        assert_eq!(Awgn::new(0.0, 0).unwrap().sigma(), 0.0);
    }

    #[test]
    fn awgn_process_forms_agree() {
        for backend in Backend::available() {
            let x: Vec<f32> = (0..1001).map(|i| i as f32 * 1e-3).collect();
            let new = || Awgn::new(0.5, 8).unwrap().with_backend(backend).unwrap();
            let a = new().process(&x).unwrap();
            let mut b = vec![0f32; x.len()];
            new().process_into(&x, &mut b).unwrap();
            let mut c = x.clone();
            new().process_in_place(&mut c);
            assert_eq!(a, b);
            assert_eq!(a, c);
            // The noise is σ times the Gaussian stream of the same seed.
            let mut n = vec![0f32; x.len()];
            Gaussian::with_backend(8, backend).unwrap().fill(&mut n);
            for ((a, x), n) in a.iter().zip(&x).zip(&n) {
                assert_eq!(*a, x + 0.5 * n);
            }
            assert_eq!(
                new().process_into(&x, &mut b[..3]),
                Err(Error::LengthMismatch {
                    name: "out",
                    expected: 1001,
                    actual: 3
                })
            );
        }
    }

    #[test]
    fn awgn_with_backend_keeps_the_position() {
        let x = vec![0f32; 2000];
        let mut reference = Awgn::new(1.0, 4).unwrap();
        let want = reference.process(&x).unwrap();
        let switched = Awgn::new(1.0, 4).unwrap().with_backend(Backend::Scalar);
        let mut switched = switched.unwrap();
        let mut got = switched.process(&x[..123]).unwrap();
        let mut switched = switched.with_backend(Backend::detect()).unwrap();
        got.extend(switched.process(&x[123..]).unwrap());
        for (g, w) in got.iter().zip(&want) {
            assert!(
                (g - w).abs() <= SIMD_TOLERANCE * w.abs().max(1.0),
                "{g} {w}"
            );
        }
        switched.reset();
        assert_eq!(switched.process(&x).unwrap(), want);
    }

    use crate::testutil::pieces;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn fill_is_chunk_invariant(
            seed in any::<u64>(),
            cuts in prop::collection::vec(0usize..120, 0..12),
            extra in 0usize..100,
        ) {
            let total = cuts.iter().sum::<usize>() + extra;
            for backend in Backend::available() {
                let whole = stream(backend, seed, total);
                let mut g = Gaussian::with_backend(seed, backend).unwrap();
                let mut parts = vec![f32::NAN; total];
                for r in pieces(total, &cuts) {
                    g.fill(&mut parts[r]);
                }
                prop_assert!(
                    whole.iter().zip(&parts).all(|(a, b)| a.to_bits() == b.to_bits()),
                    "{}", backend.name()
                );
            }
        }

        #[test]
        fn awgn_is_chunk_invariant(
            seed in any::<u64>(),
            sigma in 0f32..3.0,
            cuts in prop::collection::vec(0usize..120, 0..12),
            extra in 0usize..100,
        ) {
            let total = cuts.iter().sum::<usize>() + extra;
            let x: Vec<f32> = (0..total).map(|i| (i as f32 * 0.37).sin()).collect();
            for backend in Backend::available() {
                let new = || Awgn::new(sigma, seed).unwrap().with_backend(backend).unwrap();
                let whole = new().process(&x).unwrap();
                let mut awgn = new();
                let mut parts = x.clone();
                for r in pieces(total, &cuts) {
                    awgn.process_in_place(&mut parts[r]);
                }
                prop_assert!(
                    whole.iter().zip(&parts).all(|(a, b)| a.to_bits() == b.to_bits()),
                    "{}", backend.name()
                );
            }
        }
    }
}
