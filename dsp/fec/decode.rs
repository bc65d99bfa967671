//! The algebraic decoder that runs after the syndromes: closed forms for one and two
//! errors, errors-and-erasures Berlekamp–Massey, Chien search, Forney's formula, and
//! a final check that what is returned is a codeword.
//!
//! Conventions (first consecutive root `b = 0`, IEEE 802.3 Clause 91.5.2.7): the
//! syndromes are `S_j = r(α^j)`, `j = 0 … 2t−1`; an error of value `Y` at index `i`
//! (transmission order) has locator `X = α^(n−1−i)` and adds `Y·X^j` to `S_j`; the
//! errata locator is `Λ(x) = ∏ (1 + X_k x)`, and Forney's formula for `b = 0` reads
//! `Y_k = X_k · Ω(X_k^−1) / Λ'(X_k^−1)` with `Ω(x) = S(x) Λ(x) mod x^(2t)`.
//!
//! Whatever path finds the correction, it is accepted only if the error values
//! reproduce all `2t` syndromes exactly (`Σ_k Y_k X_k^j = S_j`): the corrected word
//! then has zero syndromes, i.e. it *is* a codeword. This costs `2t` table look-ups
//! per corrected symbol and rules out "garbage marked good" by construction — also
//! for a locator whose roots fall in the shortened positions (never searched, so the
//! root count falls short of the degree and the word is reported as failed).

use super::chien::Chien;
use super::gf;

/// The result of decoding one codeword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The word is now a codeword; the number is how many symbols were changed
    /// (`0`: it was a codeword already — all syndromes zero). Erased symbols whose
    /// received value was right are not counted.
    Corrected(usize),
    /// More errors than the code can correct were detected ("uncorrectable
    /// codeword" in IEEE 802.3 Clause 91.5.3.3); the word is left as received.
    Failed,
}

impl Outcome {
    /// Whether the codeword was found uncorrectable.
    pub fn is_failed(self) -> bool {
        matches!(self, Outcome::Failed)
    }

    /// Symbols corrected (0 for a failed word).
    pub fn corrected(self) -> usize {
        match self {
            Outcome::Corrected(c) => c,
            Outcome::Failed => 0,
        }
    }
}

/// One symbol changed by the decoder: `word[position] ^= error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Correction {
    /// Index of the symbol in transmission order (0 = first sent).
    pub position: usize,
    /// The error value that was added (XOR) to the received symbol; non-zero.
    pub error: u16,
}

/// Buffers reused from one codeword to the next (the decoder allocates nothing per
/// word once they have grown).
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    lambda: Vec<u16>,
    b: Vec<u16>,
    tmp: Vec<u16>,
    omega: Vec<u16>,
    roots: Vec<usize>,
    values: Vec<u16>,
    check: Vec<u16>,
    log_syn: Vec<u16>,
}

/// `z^2 + z` for `z` in GF(2^10), in a `const fn` (carry-less square, reduced).
const fn square_plus_self(z: u16) -> u16 {
    let mut acc: u32 = 0;
    let mut b = 0;
    while b < 10 {
        if (z >> b) & 1 == 1 {
            acc ^= 1 << (2 * b);
        }
        b += 1;
    }
    let mut bit = 18;
    while bit >= 10 {
        if (acc >> bit) & 1 == 1 {
            acc ^= (gf::PRIMITIVE_POLY as u32) << (bit - 10);
        }
        bit -= 1;
    }
    (acc as u16) ^ z
}

/// Logarithm of zero in [`LOGZ`]: large enough that a sum with it indexes the
/// zero tail of [`EXPZ`].
const LOG_ZERO: u16 = 2047;

const fn build_logz() -> [u16; 1024] {
    let mut t = [LOG_ZERO; 1024];
    let mut a = 1;
    while a < 1024 {
        t[a] = gf::LOG_CONST[a];
        a += 1;
    }
    t
}

const fn build_expz() -> [u16; 4096] {
    let mut t = [0u16; 4096];
    let mut e = 0;
    while e < 2 * gf::ORDER {
        t[e] = gf::EXP_CONST[e];
        e += 1;
    }
    t
}

/// `LOG` with `LOGZ[0] = 2047`, and `EXP` extended by zeros: a sum of two
/// logarithms (`≤ 2044`) indexes a power of α, a sum with the logarithm of zero
/// (`≥ 2047`) a zero — so a product `EXPZ[LOGZ[a] + LOGZ[b]]` needs no branch (the algebra's products have
/// zero operands often and unpredictably).
static LOGZ: [u16; 1024] = build_logz();
static EXPZ: [u16; 4096] = build_expz();

const NO_ROOT: u16 = u16::MAX;

const fn build_quadratic_roots() -> [u16; 1024] {
    let mut t = [NO_ROOT; 1024];
    let mut z = 1023u16;
    // Descending, so each entry keeps the smaller of its two roots z and z+1.
    loop {
        t[square_plus_self(z) as usize] = z;
        if z == 0 {
            break;
        }
        z -= 1;
    }
    t
}

/// `QUADRATIC_ROOT[c]` is a `z` with `z^2 + z = c`, or `u16::MAX` if there is none
/// (the trace of `c` is 1). The other root is `z + 1`.
static QUADRATIC_ROOT: [u16; 1024] = build_quadratic_roots();

/// Decodes `word` in place given its syndromes `syn` (`2t` of them) and the erased
/// positions (distinct, each `< n`). On failure `word` is unchanged. Corrections are
/// appended to `record` when given.
pub(crate) fn decode_with_syndromes(
    word: &mut [u16],
    syn: &[u16],
    erasures: &[usize],
    scratch: &mut Scratch,
    record: Option<&mut Vec<Correction>>,
    chien: &Chien,
) -> Outcome {
    if syn.iter().all(|&s| s == 0) {
        return Outcome::Corrected(0);
    }
    let two_t = syn.len();
    if erasures.len() > two_t {
        return Outcome::Failed;
    }
    let n = word.len();
    if erasures.is_empty() {
        if let Some((pos, y)) = one_error(syn, n) {
            scratch.roots.clear();
            scratch.roots.push(pos);
            scratch.values.clear();
            scratch.values.push(y);
            return apply(word, scratch, record);
        }
        if two_t >= 4 && two_errors(syn, n, scratch) && verify(syn, n, scratch) {
            return apply(word, scratch, record);
        }
    }
    // Without erasures, `general` accepts a locator only if it is Berlekamp–Massey's
    // shortest LFSR of the syndromes with degree exactly `L ≤ t` and exactly `L`
    // distinct roots among the live positions; then the correction already
    // reproduces all 2t syndromes (proof above `verify`), and the check is skipped.
    if general(syn, n, erasures, scratch, chien) && (erasures.is_empty() || verify(syn, n, scratch))
    {
        apply(word, scratch, record)
    } else {
        Outcome::Failed
    }
}

/// Exactly one error: `S_j = Y X^j` for every `j`, so `Y = S_0`, `X = S_1/S_0`, and
/// each further syndrome must be the previous one times `X` (this check is the
/// whole verification). Returns the position and value.
fn one_error(syn: &[u16], n: usize) -> Option<(usize, u16)> {
    let y = syn[0];
    if y == 0 || syn.len() < 2 || syn[1] == 0 {
        return None;
    }
    let log_x =
        (gf::LOG[syn[1] as usize] as usize + gf::ORDER - gf::LOG[y as usize] as usize) % gf::ORDER;
    if log_x >= n {
        return None;
    }
    for j in 2..syn.len() {
        if syn[j] == 0 || gf::EXP[gf::LOG[syn[j - 1] as usize] as usize + log_x] != syn[j] {
            return None;
        }
    }
    Some((n - 1 - log_x, y))
}

/// Exactly two errors (Peterson): `Λ(x) = 1 + λ1 x + λ2 x^2` from `S_0 … S_3`, its
/// roots from the quadratic-root table (`X = λ1 z`, `z^2 + z = λ2/λ1^2`), the values
/// from `S_0` and `S_1`. Fills `scratch.roots/values`; the caller verifies all `2t`
/// syndromes.
fn two_errors(syn: &[u16], n: usize, scratch: &mut Scratch) -> bool {
    use gf::{div, mul};
    let (s0, s1, s2, s3) = (syn[0], syn[1], syn[2], syn[3]);
    let det = mul(s1, s1) ^ mul(s0, s2);
    if det == 0 {
        return false;
    }
    let l1 = div(mul(s1, s2) ^ mul(s0, s3), det);
    let l2 = div(mul(s1, s3) ^ mul(s2, s2), det);
    if l1 == 0 || l2 == 0 {
        return false;
    }
    let c = div(l2, mul(l1, l1));
    let z = QUADRATIC_ROOT[c as usize];
    if z == NO_ROOT {
        return false;
    }
    let x1 = mul(l1, z);
    let x2 = x1 ^ l1;
    if x1 == 0 || x2 == 0 {
        return false;
    }
    let (e1, e2) = (gf::LOG[x1 as usize] as usize, gf::LOG[x2 as usize] as usize);
    if e1 >= n || e2 >= n {
        return false;
    }
    let y1 = div(s1 ^ mul(s0, x2), l1);
    let y2 = s0 ^ y1;
    if y1 == 0 || y2 == 0 {
        return false;
    }
    scratch.roots.clear();
    scratch.roots.extend([n - 1 - e1, n - 1 - e2]);
    scratch.values.clear();
    scratch.values.extend([y1, y2]);
    true
}

/// Errors and erasures: the erasure locator `Γ(x)` seeds Berlekamp–Massey (Blahut's
/// form: `Λ = B = Γ`, `L = s`, iterations `r = s … 2t−1`, length change when
/// `2L ≤ r + s`), then Chien search over the `n` positions and Forney's formula.
/// Fills `scratch.roots/values`; `false` when the locator is not consistent
/// (degree ≠ `L`, too many errata, fewer roots than its degree, a repeated root).
fn general(
    syn: &[u16],
    n: usize,
    erasures: &[usize],
    scratch: &mut Scratch,
    chien: &Chien,
) -> bool {
    let two_t = syn.len();
    let s = erasures.len();
    let len = two_t + 2;
    let Scratch {
        lambda,
        b,
        tmp,
        omega,
        roots,
        values,
        log_syn,
        ..
    } = scratch;
    // Syndromes as logarithms (zero: LOG_ZERO), read by every discrepancy and by Ω.
    log_syn.clear();
    log_syn.extend(syn.iter().map(|&x| LOGZ[(x & 1023) as usize]));
    lambda.clear();
    lambda.resize(len, 0);
    lambda[0] = 1;
    for (deg, &p) in erasures.iter().enumerate() {
        // Λ ← Λ · (1 + X x), X = α^(n−1−p).
        let log_x = n - 1 - p;
        for i in (1..=deg + 1).rev() {
            let prev = lambda[i - 1];
            if prev != 0 {
                lambda[i] ^= gf::EXP[gf::LOG[prev as usize] as usize + log_x];
            }
        }
    }
    b.clear();
    b.extend_from_slice(lambda);
    tmp.clear();
    tmp.resize(len, 0);

    // Local slices (no reloads of the Vec headers, bounds checks hoisted) and
    // degree bounds of Λ and B, so the updates touch only the live coefficients
    // (up to t + 1 of them within capacity, not r + 2).
    let (l, swapped) = {
        let mut lam: &mut [u16] = &mut lambda[..len];
        let mut next: &mut [u16] = &mut tmp[..len];
        let b: &mut [u16] = &mut b[..len];
        let log_syn = &log_syn[..two_t];
        let (mut deg_l, mut deg_b) = (s, s);
        let mut swapped = false;
        let mut l = s;
        for r in s..two_t {
            let mut delta = 0u16;
            for i in 0..=l.min(r) {
                delta ^= EXPZ[(LOGZ[(lam[i] & 1023) as usize] + log_syn[r - i]) as usize];
            }
            // B ← x·B (deg B ≤ r + 1 ≤ 2t < len − 1).
            b.copy_within(0..=deg_b, 1);
            b[0] = 0;
            deg_b += 1;
            if delta != 0 {
                // Past `top` both Λ and the stale `next` (an older Λ, of lower
                // degree bound) are zero.
                let top = deg_l.max(deg_b);
                let log_d = LOGZ[delta as usize];
                for i in 0..=top {
                    next[i] = lam[i] ^ EXPZ[(log_d + LOGZ[(b[i] & 1023) as usize]) as usize];
                }
                if 2 * l <= r + s {
                    // 1/Δ as a logarithm: 1023 − log Δ (in 1 ..= 1023, EXP[1023] = 1).
                    let log_inv = gf::ORDER as u16 - log_d;
                    for i in 0..=top {
                        b[i] = EXPZ[(log_inv + LOGZ[(lam[i] & 1023) as usize]) as usize];
                    }
                    deg_b = deg_l;
                    l = r + 1 + s - l;
                }
                deg_l = top;
                std::mem::swap(&mut lam, &mut next);
                swapped = !swapped;
            }
        }
        (l, swapped)
    };
    if swapped {
        std::mem::swap(lambda, tmp);
    }
    let degree = lambda.iter().rposition(|&c| c != 0).unwrap_or(0);
    if degree != l || l == 0 || 2 * l > two_t + s || l > n {
        return false;
    }
    lambda.truncate(l + 1);
    chien.search(lambda, n, l, roots);
    if roots.len() != l {
        return false;
    }
    // Ω(x) = S(x) Λ(x) mod x^(2t) has degree < l when Λ locates the l errata (the
    // key equation), so only its first l coefficients are formed: l²/2 products
    // instead of 2t·l, and Forney evaluates a degree-(l−1) polynomial. (A wrong Λ
    // gives wrong values, which the syndrome check rejects.)
    // Ω and Λ's odd coefficients as logarithms, so that Forney's sums are
    // independent look-ups per term (Horner's rule chained two look-ups per step:
    // latency-bound).
    omega.clear();
    for j in 0..l.min(two_t) {
        let mut acc = 0u16;
        for (i, &li) in lambda[..=j].iter().enumerate() {
            acc ^= EXPZ[(LOGZ[(li & 1023) as usize] + log_syn[j - i]) as usize];
        }
        omega.push(LOGZ[(acc & 1023) as usize]);
    }
    // Λ'(x) = Σ_{k odd} λ_k x^(k−1) in characteristic 2: `odd[m]` is log λ_(2m+1).
    b.clear();
    b.extend(
        lambda
            .iter()
            .skip(1)
            .step_by(2)
            .map(|&c| LOGZ[(c & 1023) as usize]),
    );
    let order = gf::ORDER as u16;
    values.clear();
    for &pos in roots.iter() {
        let log_x = n - 1 - pos;
        // X⁻¹ = α^(1023 − log X) (log X < n ≤ 1023).
        let log_xi = (gf::ORDER - log_x) as u16;
        // Ω(X⁻¹) = Σ_j ω_j X^−j: exponent e = j·log X⁻¹ mod 1023 stepped by one
        // add and one conditional subtract; a zero ω_j (log 2047) lands in the
        // zero tail of EXPZ.
        let mut num = 0u16;
        let mut e = 0u16;
        for &lw in omega.iter() {
            num ^= EXPZ[(lw + e) as usize];
            e += log_xi;
            if e >= order {
                e -= order;
            }
        }
        // Λ'(X⁻¹) = Σ_m λ_(2m+1) X^(−2m).
        let step = (2 * log_xi as usize % gf::ORDER) as u16;
        let mut den = 0u16;
        let mut e = 0u16;
        for &lk in b.iter() {
            den ^= EXPZ[(lk + e) as usize];
            e += step;
            if e >= order {
                e -= order;
            }
        }
        if den == 0 {
            return false;
        }
        if num == 0 {
            // An erased symbol that was received right.
            values.push(0);
            continue;
        }
        let log_y =
            log_x + gf::LOG[num as usize] as usize + gf::ORDER - gf::LOG[den as usize] as usize;
        values.push(gf::EXP[log_y % gf::ORDER]);
    }
    true
}

// Why the errors-only path needs no syndrome check (the claim relied on by
// `decode_with_syndromes`). Suppose `general` accepted
// with no erasures: Berlekamp–Massey returned `Λ` with `λ_0 = 1`, degree
// exactly `L` (checked), generating the syndromes:
// `Σ_{i=0}^{L} λ_i S_(j−i) = 0` for `L ≤ j < 2t` (Massey 1969); and the Chien
// search found `L` distinct positions `p_k < n` with `Λ(X_k^−1) = 0`,
// `X_k = α^(n−1−p_k)` — distinct and non-zero, so they are all the roots and
// all simple.
//
// 1. The sequences `(S_0 … S_(2t−1))` obeying that recurrence form a space of
//    dimension `L` (the first `L` terms are free, the rest follow, `λ_L ≠ 0`
//    not even needed for this direction). Each `(X_k^j)_j` obeys it:
//    `Σ_i λ_i X_k^(j−i) = X_k^j Λ(X_k^−1) = 0`; the `L` of them are independent
//    (Vandermonde in `j < L`, distinct `X_k`), so they span it and
//    `S_j = Σ_k c_k X_k^j` for every `j < 2t`, for some `c_k`.
// 2. For such syndromes `S(x)Λ(x) mod x^(2t) = Σ_k c_k X_k ∏_(i≠k) (1 − X_i x)`
//    (up to the sign, irrelevant in characteristic 2): degree `< L`, so the `L`
//    low coefficients that `general` forms are all of `Ω`, and Forney's formula
//    `X_k Ω(X_k^−1) / Λ'(X_k^−1)` with `Λ'(X_k^−1) = X_k ∏_(i≠k)(1 − X_i/X_k) ≠ 0`
//    returns exactly `c_k`.
// 3. So the corrections `e_(p_k) = c_k` have syndromes `Σ_k c_k X_k^j = S_j`
//    for all `j < 2t`: the corrected word `r − e` has zero syndromes — it is a
//    codeword — which is all that `verify` would establish.
//
// With erasures the locator is seeded by the erasure locator and the same
// argument would need the recurrence over the modified syndromes, so that path
// keeps the check. The tests `beyond_capacity_fails_or_returns_a_codeword` and
// `random_words_decode_to_codewords_or_fail` and the fuzz target exercise the
// claim (every word reported corrected is re-encoded).

/// `Σ_k Y_k X_k^j == S_j` for every `j`: the corrected word has zero syndromes.
fn verify(syn: &[u16], n: usize, scratch: &mut Scratch) -> bool {
    let check = &mut scratch.check;
    check.clear();
    check.resize(syn.len(), 0);
    for (&pos, &y) in scratch.roots.iter().zip(&scratch.values) {
        if y == 0 {
            continue;
        }
        let log_x = n - 1 - pos;
        let mut lg = gf::LOG[y as usize] as usize;
        for c in check.iter_mut() {
            *c ^= gf::EXP[lg];
            lg += log_x;
            if lg >= gf::ORDER {
                lg -= gf::ORDER;
            }
        }
    }
    check.as_slice() == syn
}

fn apply(word: &mut [u16], scratch: &Scratch, record: Option<&mut Vec<Correction>>) -> Outcome {
    let mut count = 0;
    for (&pos, &y) in scratch.roots.iter().zip(&scratch.values) {
        if y != 0 {
            word[pos] ^= y;
            count += 1;
        }
    }
    if let Some(rec) = record {
        rec.extend(
            scratch
                .roots
                .iter()
                .zip(&scratch.values)
                .filter(|(_, &y)| y != 0)
                .map(|(&position, &error)| Correction { position, error }),
        );
    }
    Outcome::Corrected(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quadratic_root_table_solves_z2_plus_z() {
        let mut solvable = 0;
        for c in 0..1024u16 {
            let z = QUADRATIC_ROOT[c as usize];
            if z != NO_ROOT {
                assert_eq!(gf::mul(z, z) ^ z, c);
                solvable += 1;
            }
        }
        assert_eq!(solvable, 512); // the kernel of the trace
    }
}
