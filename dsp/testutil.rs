//! Seeded inputs for the unit tests (the benches include this file by `#[path]`, so
//! it uses nothing of the crate): a 64-bit linear congruential generator with
//! Knuth's MMIX constants, and the streams the tests draw from it.

/// `s ← 6364136223846793005·s + 1442695040888963407 (mod 2^64)`; each draw steps
/// once and reads the top bits (the low bits of an LCG are weak).
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    /// Steps the state and returns it.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0
    }

    /// Uniform in `[−1, 1)` from the top 24 bits.
    pub(crate) fn next_f32(&mut self) -> f32 {
        ((self.next_u64() >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }

    /// Uniform in `[0, 1)` from the top 53 bits.
    pub(crate) fn next_unit_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `n` draws of [`Lcg::next_f32`] from state `seed`.
pub(crate) fn uniform_f32(seed: u64, n: usize) -> Vec<f32> {
    let mut g = Lcg(seed);
    (0..n).map(|_| g.next_f32()).collect()
}

/// Splits `0..total` at the cuts (each chunk `cuts[i]` long, clamped to what is
/// left; the rest in a last chunk): the chunkings of the chunk-invariance tests.
pub(crate) fn pieces(total: usize, cuts: &[usize]) -> Vec<std::ops::Range<usize>> {
    let mut start = 0;
    let mut out = vec![];
    for &c in cuts {
        let end = (start + c).min(total);
        out.push(start..end);
        start = end;
    }
    out.push(start..total);
    out
}
