//! The scalar reference of the direct convolution kernel: a plain multiply-then-add
//! dot product per output, taps in a fixed order, no fused multiply-add. The SIMD
//! backends are tested against it (see [`super::SIMD_TOLERANCE`]).

/// `out[i] = Σ_j rev[j] · x[i + j]` for `j = 0, 1, …` in that order, each product
/// rounded before it is added (`rev` is the response reversed).
///
/// `x.len()` must be at least `out.len() + rev.len() − 1`.
pub(super) fn correlate(rev: &[f32], x: &[f32], out: &mut [f32]) {
    for (o, xs) in out.iter_mut().zip(x.windows(rev.len())) {
        let mut acc = 0.0f32;
        for (&c, &v) in rev.iter().zip(xs) {
            acc += c * v;
        }
        *o = acc;
    }
}

/// The textbook causal convolution `y[n] = Σ_k h[k] · x[n − k]` for `n` in
/// `0..x.len()` with `x[m < 0] = 0` (`numpy.convolve(x, h)[:len(x)]`), accumulated
/// in `f64` and rounded once: the most accurate value, against which the direct and
/// FFT kernels of [`super::Convolver`] are checked. `O(n · len(h))`; for tests.
///
/// ```
/// use serdes_dsp::channel::conv::reference_convolution;
/// assert_eq!(reference_convolution(&[1.0, 0.5], &[1.0, 0.0, 2.0]), vec![1.0, 0.5, 2.0]);
/// ```
pub fn reference_convolution(h: &[f32], x: &[f32]) -> Vec<f32> {
    (0..x.len())
        .map(|n| {
            let mut acc = 0.0f64;
            for (k, &c) in h.iter().enumerate().take(n + 1) {
                acc += c as f64 * x[n - k] as f64;
            }
            acc as f32
        })
        .collect()
}
