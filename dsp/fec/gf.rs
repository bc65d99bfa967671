//! Arithmetic in GF(2^10), the symbol field of the IEEE 802.3 Reed-Solomon codes.
//!
//! Clause 91.5.2.7 (and Clauses 108, 119, 134 by reference): elements are 10-bit
//! words in the polynomial basis, bit `b` is the coefficient of `x^b`, the field is
//! GF(2)\[x\] modulo the primitive polynomial `p(x) = x^10 + x^3 + 1` (`0x409`), and
//! the primitive element is `α = x` (the word `2`).
//!
//! Multiplication and division go through log/antilog tables built at compile time:
//! [`LOG`]`[a]` is the discrete logarithm of `a ≠ 0` to base α (0..=1022) and
//! [`EXP`]`[e] = α^e` for `e` in `0..2·1023 + 2` (doubled so that the sum of two
//! logarithms never needs a reduction).

/// Bits per symbol: 10.
pub const BITS: u32 = 10;
/// Number of field elements: 2^10 = 1024. Symbols are `0..FIELD_SIZE`.
pub const FIELD_SIZE: usize = 1 << BITS;
/// Order of the multiplicative group, 2^10 − 1 = 1023: `α^1023 = 1`, and the longest
/// Reed-Solomon code over the field has `n = 1023`.
pub const ORDER: usize = FIELD_SIZE - 1;
/// The largest symbol value, 1023.
pub const MAX_SYMBOL: u16 = ORDER as u16;
/// The primitive polynomial `x^10 + x^3 + 1` as a bit mask (IEEE 802.3 Clause 91.5.2.7).
pub const PRIMITIVE_POLY: u16 = 0x409;

const EXP_LEN: usize = 2 * ORDER + 2;

const fn build_exp() -> [u16; EXP_LEN] {
    let mut t = [0u16; EXP_LEN];
    let mut v: u16 = 1;
    let mut i = 0;
    while i < EXP_LEN {
        t[i] = v;
        v <<= 1;
        if v & (1 << BITS) != 0 {
            v ^= PRIMITIVE_POLY;
        }
        i += 1;
    }
    t
}

const fn build_log() -> [u16; FIELD_SIZE] {
    let exp = build_exp();
    let mut t = [0u16; FIELD_SIZE];
    let mut i = 0;
    while i < ORDER {
        t[exp[i] as usize] = i as u16;
        i += 1;
    }
    t
}

pub(crate) const EXP_CONST: [u16; EXP_LEN] = build_exp();
pub(crate) const LOG_CONST: [u16; FIELD_SIZE] = build_log();

/// Antilogarithms: `EXP[e] = α^e` for `e` in `0..2048`, periodic with period 1023.
pub static EXP: [u16; EXP_LEN] = EXP_CONST;
/// Logarithms to base α: `LOG[a]` with `α^LOG[a] = a` for `a ≠ 0`; `LOG[0]` is 0 and
/// meaningless (callers test for zero first).
pub static LOG: [u16; FIELD_SIZE] = LOG_CONST;

/// [`mul`] usable in constant expressions (tables computed at compile time).
pub(crate) const fn mul_const(a: u16, b: u16) -> u16 {
    if a == 0 || b == 0 {
        0
    } else {
        EXP_CONST[LOG_CONST[a as usize] as usize + LOG_CONST[b as usize] as usize]
    }
}

/// [`mul_matrix_rows`] usable in constant expressions.
pub(crate) const fn mul_matrix_rows_const(c: u16) -> [u16; BITS as usize] {
    let mut rows = [0u16; BITS as usize];
    let mut b = 0;
    while b < BITS {
        let col = mul_const(c, 1 << b);
        let mut o = 0;
        while o < BITS as usize {
            if (col >> o) & 1 == 1 {
                rows[o] |= 1 << b;
            }
            o += 1;
        }
        b += 1;
    }
    rows
}

/// `a + b` in GF(2^10): bitwise XOR (characteristic 2, so also `a − b`).
#[inline(always)]
pub fn add(a: u16, b: u16) -> u16 {
    a ^ b
}

/// `a · b` in GF(2^10). Inputs must be symbols (`< 1024`).
#[inline(always)]
pub fn mul(a: u16, b: u16) -> u16 {
    if a == 0 || b == 0 {
        0
    } else {
        EXP[LOG[a as usize] as usize + LOG[b as usize] as usize]
    }
}

/// `a / b` in GF(2^10); `b` must be non-zero (`a / 0` returns 0 rather than panic).
#[inline(always)]
pub fn div(a: u16, b: u16) -> u16 {
    if a == 0 || b == 0 {
        0
    } else {
        EXP[LOG[a as usize] as usize + ORDER - LOG[b as usize] as usize]
    }
}

/// The multiplicative inverse `1 / a` (0 for `a = 0`).
#[inline(always)]
pub fn inv(a: u16) -> u16 {
    div(1, a)
}

/// `α^e` for any exponent (reduced modulo 1023; negative exponents allowed).
#[inline(always)]
pub fn alpha_pow(e: i64) -> u16 {
    EXP[e.rem_euclid(ORDER as i64) as usize]
}

/// `a^e` for `e ≥ 0` (`0^0 = 1`).
pub fn pow(a: u16, e: u64) -> u16 {
    if e == 0 {
        return 1;
    }
    if a == 0 {
        return 0;
    }
    EXP[((LOG[a as usize] as u64 * (e % ORDER as u64)) % ORDER as u64) as usize]
}

/// Multiplication without tables: carry-less product reduced by `x^10 + x^3 + 1`.
/// The definition the tables are checked against.
pub fn mul_reference(a: u16, b: u16) -> u16 {
    let mut acc: u32 = 0;
    for bit in 0..BITS {
        if b >> bit & 1 == 1 {
            acc ^= (a as u32) << bit;
        }
    }
    for bit in (BITS..2 * BITS - 1).rev() {
        if acc >> bit & 1 == 1 {
            acc ^= (PRIMITIVE_POLY as u32) << (bit - BITS);
        }
    }
    acc as u16
}

/// Evaluates the polynomial with coefficients `coeffs` (highest power first) at `x`
/// by Horner's rule.
pub fn poly_eval_high_first(coeffs: &[u16], x: u16) -> u16 {
    coeffs.iter().fold(0, |acc, &c| mul(acc, x) ^ c)
}

/// Evaluates the polynomial with coefficients `coeffs` (lowest power first, `coeffs[i]`
/// multiplies `x^i`) at `x`.
pub fn poly_eval_low_first(coeffs: &[u16], x: u16) -> u16 {
    coeffs.iter().rev().fold(0, |acc, &c| mul(acc, x) ^ c)
}

/// The `10 × 10` matrix over GF(2) of multiplication by the constant `c`: column `b`
/// is `c · α^b`, so bit `o` of `c · v` is the parity of `v & row(o)`; returned as the
/// ten row masks. Multiplication by a constant is linear over GF(2), which is what the
/// bit-sliced SIMD kernels use.
pub fn mul_matrix_rows(c: u16) -> [u16; BITS as usize] {
    mul_matrix_rows_const(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha_is_primitive_and_tables_are_consistent() {
        // α has order exactly 1023: every non-zero element appears once in EXP[0..1023].
        let mut seen = [false; FIELD_SIZE];
        for &v in &EXP[..ORDER] {
            assert!(!seen[v as usize] && v != 0);
            seen[v as usize] = true;
        }
        assert_eq!(EXP[ORDER], 1);
        assert_eq!(EXP[10], PRIMITIVE_POLY ^ (1 << 10)); // α^10 = α^3 + 1
        for a in 1..FIELD_SIZE as u16 {
            assert_eq!(EXP[LOG[a as usize] as usize], a);
            assert_eq!(mul(a, inv(a)), 1);
        }
    }

    #[test]
    fn table_multiplication_matches_the_definition() {
        for a in (0..1024u16).step_by(7) {
            for b in 0..1024u16 {
                let p = mul(a, b);
                assert_eq!(p, mul_reference(a, b), "{a} * {b}");
                if b != 0 {
                    assert_eq!(div(p, b), a);
                }
            }
        }
        assert_eq!(pow(2, 1023), 1);
        assert_eq!(pow(3, 0), 1);
        assert_eq!(alpha_pow(-1), EXP[1022]);
    }

    #[test]
    fn matrix_rows_multiply() {
        for c in [0u16, 1, 2, 523, 1023] {
            let rows = mul_matrix_rows(c);
            for v in [0u16, 1, 5, 999, 1023] {
                let mut p = 0;
                for (o, r) in rows.iter().enumerate() {
                    p |= (((r & v).count_ones() & 1) as u16) << o;
                }
                assert_eq!(p, mul(c, v));
            }
        }
    }
}
