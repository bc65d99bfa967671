//! The scalar reference of the FFE kernel: a plain multiply-then-add dot product per
//! output, taps in a fixed order, no fused multiply-add. Every SIMD backend is tested
//! against it (see [`super::SIMD_TOLERANCE`]).

/// `out[i] = Σ_j rev[j] · x[i·m + j]` for `j = 0, 1, …` in that order, each product
/// rounded before it is added (`rev` are the taps reversed, `m` the decimation).
///
/// `x.len()` must be at least `(out.len() − 1)·m + rev.len()`.
pub(super) fn fir_decim(rev: &[f32], x: &[f32], m: usize, out: &mut [f32]) {
    for (i, o) in out.iter_mut().enumerate() {
        let xs = &x[i * m..i * m + rev.len()];
        let mut acc = 0.0f32;
        for (&c, &v) in rev.iter().zip(xs) {
            acc += c * v;
        }
        *o = acc;
    }
}

/// Direct convolution, the textbook definition the FFE implements:
/// `y[n] = Σ_k taps[k] · x[n − k]` for `n` in `0..x.len()` with `x[m < 0] = 0` — the
/// same as `numpy.convolve(x, taps)[:len(x)]` and `scipy.signal.lfilter(taps, 1, x)`.
///
/// Computed in `f64` and rounded once, so it is the most accurate value against
/// which the `f32` kernels are checked. `O(n · taps)`; for tests and small inputs.
///
/// ```
/// use serdes_dsp::eq::ffe::direct_convolution;
/// assert_eq!(direct_convolution(&[1.0, 0.5], &[1.0, 0.0, 2.0]), vec![1.0, 0.5, 2.0]);
/// ```
pub fn direct_convolution(taps: &[f32], x: &[f32]) -> Vec<f32> {
    (0..x.len())
        .map(|n| {
            let mut acc = 0.0f64;
            for (k, &c) in taps.iter().enumerate() {
                if k <= n {
                    acc += c as f64 * x[n - k] as f64;
                }
            }
            acc as f32
        })
        .collect()
}
