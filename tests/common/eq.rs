//! Direct references for the equalisers' tests, written from the definitions and
//! free of the crate's types (the DFE's unit tests include this file by `#[path]`):
//! `levels` are the modulation's levels, the first `q` of them used.

/// `x[n] = Σ_k h[k]·L(a[n−k])`, the line idle at symbol 0 before the stream (which
/// is what the DFE assumes after reset).
pub fn isi(levels: [f32; 4], sym: &[u8], h: &[f32]) -> Vec<f32> {
    (0..sym.len())
        .map(|n| {
            h.iter()
                .enumerate()
                .map(|(k, &c)| c * levels[if n >= k { sym[n - k] as usize } else { 0 }])
                .sum()
        })
        .collect()
}

/// The textbook DFE, one tap at a time: `y = x − Σ b_k·L(d[n−k])`, sliced at the
/// midpoints of the `q` levels; returns the decisions and the `y`.
pub fn textbook_dfe(levels: [f32; 4], q: usize, taps: &[f32], x: &[f32]) -> (Vec<u8>, Vec<f32>) {
    let l = levels;
    let mut past = vec![0u8; taps.len()];
    let mut d = Vec::new();
    let mut ys = Vec::new();
    for &xn in x {
        let fb: f32 = taps
            .iter()
            .zip(&past)
            .map(|(&b, &s)| b * l[s as usize])
            .sum();
        let y = xn - fb;
        let s = (0..q - 1).filter(|&i| y >= 0.5 * (l[i] + l[i + 1])).count() as u8;
        past.rotate_right(1);
        past[0] = s;
        d.push(s);
        ys.push(y);
    }
    (d, ys)
}
