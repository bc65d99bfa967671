//! The reference of the convolution: the textbook definition accumulated in `f64`,
//! against which the direct kernels (those of [`crate::eq::ffe`]) and the FFT path
//! are checked.

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
