//! Overlap-save convolution with real FFTs (`realfft`, on top of RustFFT, which
//! picks its own AVX/SSE kernels at run time).
//!
//! The response `h` (length `m`) is transformed once, zero-padded to `n` (a power of
//! two, several times `m`), and scaled by `1/n` (realfft's inverse is unnormalised).
//! The stream is cut into blocks of `l = n − m + 1` outputs on a fixed grid of stream
//! positions. The work buffer holds the `m − 1` inputs before the block, then the
//! block's inputs received so far, then zeros; its circular convolution with `h`
//! equals the linear one at indices `m − 1 ..`, which are the block's outputs.
//!
//! When a call ends inside a block, the outputs received so far are computed with
//! the rest of the block still zero and emitted; the next call recomputes the block
//! with more inputs and emits only the new outputs. Mathematically the outputs do not
//! depend on the later inputs (the convolution is causal), but the rounding of the
//! FFT does, so the chunked stream agrees with the one-call stream to FFT rounding
//! (see [`super::FFT_TOLERANCE`]), not bit for bit; chunks that are multiples of
//! [`FftConv::block_len`] give the same bits. Small chunks cost a whole block's FFTs
//! each.

use num_complex::Complex32;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use std::sync::Arc;

/// Overlap-save state: see the module doc.
#[derive(Clone)]
pub(super) struct FftConv {
    n: usize,
    m: usize,
    fwd: Arc<dyn RealToComplex<f32>>,
    inv: Arc<dyn ComplexToReal<f32>>,
    /// `rfft(h zero-padded to n) / n`.
    spectrum: Vec<Complex32>,
    /// `[m − 1 inputs before the block | p inputs of the block | zeros]`, length `n`.
    buf: Vec<f32>,
    /// Inputs of the current block received so far (`0 ≤ p < l`).
    p: usize,
    work: Vec<f32>,
    spec: Vec<Complex32>,
    scratch: Vec<Complex32>,
}

impl std::fmt::Debug for FftConv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FftConv")
            .field("fft_len", &self.n)
            .field("response_len", &self.m)
            .finish()
    }
}

/// The FFT length for a response of `m` samples: the power of two nearest `8·m`
/// (at least 64), a trade-off measured in `benches/channel.rs` between the cost per
/// block (`n log n`) and the outputs per block (`n − m + 1`).
pub(super) fn fft_len(m: usize) -> usize {
    (8 * m).next_power_of_two().max(64)
}

impl FftConv {
    /// Prepares the convolution with `h` (non-empty, finite) using FFTs of length `n`
    /// (a power of two `≥ 2·h.len()`).
    pub(super) fn new(h: &[f32], n: usize) -> FftConv {
        let m = h.len();
        debug_assert!(n >= 2 * m && n.is_power_of_two());
        let mut planner = RealFftPlanner::<f32>::new();
        let fwd = planner.plan_fft_forward(n);
        let inv = planner.plan_fft_inverse(n);
        // Transform in f64 for an accurate spectrum of the response.
        let mut planner64 = RealFftPlanner::<f64>::new();
        let fwd64 = planner64.plan_fft_forward(n);
        let mut padded64 = vec![0.0f64; n];
        for (p, &v) in padded64.iter_mut().zip(h) {
            *p = v as f64;
        }
        let mut spec64 = fwd64.make_output_vec();
        fwd64
            .process(&mut padded64, &mut spec64)
            .expect("buffer lengths come from the plan");
        let scale = 1.0 / n as f64;
        let spectrum = spec64
            .iter()
            .map(|c| Complex32::new((c.re * scale) as f32, (c.im * scale) as f32))
            .collect();
        let scratch_len = fwd.get_scratch_len().max(inv.get_scratch_len());
        FftConv {
            n,
            m,
            spec: fwd.make_output_vec(),
            scratch: vec![Complex32::new(0.0, 0.0); scratch_len],
            fwd,
            inv,
            spectrum,
            buf: vec![0.0; n],
            p: 0,
            work: vec![0.0; n],
        }
    }

    /// Outputs per block: `n − m + 1`.
    pub(super) fn block_len(&self) -> usize {
        self.n - self.m + 1
    }

    /// Inputs of the current block received so far (`0..block_len()`).
    pub(super) fn filled(&self) -> usize {
        self.p
    }

    /// The FFT length.
    pub(super) fn fft_len(&self) -> usize {
        self.n
    }

    pub(super) fn reset(&mut self) {
        self.buf.fill(0.0);
        self.p = 0;
    }

    /// Convolves the next chunk; `out.len() == x.len()`.
    pub(super) fn process(&mut self, mut x: &[f32], mut out: &mut [f32]) {
        let l = self.block_len();
        let h = self.m - 1;
        while !x.is_empty() {
            let t = (l - self.p).min(x.len());
            self.buf[h + self.p..h + self.p + t].copy_from_slice(&x[..t]);
            self.block();
            out[..t].copy_from_slice(&self.work[h + self.p..h + self.p + t]);
            self.p += t;
            if self.p == l {
                self.buf.copy_within(l.., 0);
                self.buf[h..].fill(0.0);
                self.p = 0;
            }
            x = &x[t..];
            out = &mut out[t..];
        }
    }

    /// `work = irfft(rfft(buf) · spectrum)`.
    fn block(&mut self) {
        self.work.copy_from_slice(&self.buf);
        self.fwd
            .process_with_scratch(&mut self.work, &mut self.spec, &mut self.scratch)
            .expect("buffer lengths come from the plan");
        for (s, &c) in self.spec.iter_mut().zip(&self.spectrum) {
            *s *= c;
        }
        // Real input, real response: DC and Nyquist bins are real (realfft checks).
        self.spec[0].im = 0.0;
        let last = self.spec.len() - 1;
        self.spec[last].im = 0.0;
        self.inv
            .process_with_scratch(&mut self.spec, &mut self.work, &mut self.scratch)
            .expect("buffer lengths come from the plan");
    }
}
