//! The reference Chien search: the locator evaluated at every position of the
//! shortened code, its terms stepped by one multiplication each (Chien 1964).

use crate::fec::gf;

/// Writes into `roots` the indices `i` in `0..n` (transmission order) where
/// `Λ(α^−(n−1−i)) = 0`, in increasing order, stopping after `max_roots`.
///
/// `lambda` is the locator, lowest power first (`lambda[0] = 1`). Only the `n`
/// positions of the (shortened) code are searched: a root among the `1023 − n`
/// padding positions is never reported, and the caller sees fewer roots than
/// the degree.
pub fn chien_search(lambda: &[u16], n: usize, max_roots: usize, roots: &mut Vec<usize>) {
    roots.clear();
    let order = gf::ORDER;
    // term k at position i is λ_k · α^(−k(n−1−i)); stored as its logarithm.
    let mut logs: Vec<(usize, usize)> = Vec::with_capacity(lambda.len());
    for (k, &l) in lambda.iter().enumerate().skip(1) {
        if l != 0 {
            let start = (gf::LOG[l as usize] as usize + order - (k * (n - 1)) % order) % order;
            logs.push((start, k % order));
        }
    }
    let l0 = lambda.first().copied().unwrap_or(0);
    for i in 0..n {
        let mut sum = l0;
        for (lg, step) in logs.iter_mut() {
            sum ^= gf::EXP[*lg];
            *lg += *step;
            if *lg >= order {
                *lg -= order;
            }
        }
        if sum == 0 {
            roots.push(i);
            if roots.len() >= max_roots {
                return;
            }
        }
    }
}
