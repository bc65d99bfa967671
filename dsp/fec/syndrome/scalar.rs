//! The reference syndromes: Horner's rule at each root, one symbol at a time.

use crate::fec::gf;

/// `out[j] = r(α^j)` for `j` in `0..out.len()`, where `r(x)` has the coefficients
/// `word` in transmission order (`word[0]` multiplies `x^(n−1)`).
pub fn syndromes(word: &[u16], out: &mut [u16]) {
    for (j, s) in out.iter_mut().enumerate() {
        let log_root = j % gf::ORDER;
        let mut acc = 0u16;
        for &r in word {
            // acc·α^j + r, with acc·α^j by logarithms.
            acc = if acc == 0 {
                r
            } else {
                gf::EXP[gf::LOG[acc as usize] as usize + log_root] ^ r
            };
        }
        *s = acc;
    }
}
