//! The reference encoder: the textbook linear-feedback shift register that divides
//! `m(x) · x^(2t)` by `g(x)` one message symbol at a time (IEEE 802.3 Clause 91.5.2.7,
//! Figure 91-6), with table multiplication.

use crate::fec::gf;

/// Parity of one message: `parity = m(x) · x^(2t) mod g(x)`, in transmission order
/// (`parity[0]` is the coefficient of `x^(2t−1)`, sent first).
///
/// `generator` holds `g_0 … g_(2t)` (lowest power first, `g_(2t) = 1`);
/// `parity.len()` must be `2t` and `message` must hold symbols `< 1024`.
pub fn parity(generator: &[u16], message: &[u16], parity: &mut [u16]) {
    let two_t = parity.len();
    debug_assert_eq!(generator.len(), two_t + 1);
    parity.fill(0);
    // parity[j] is the register cell of x^(2t−1−j): the feedback leaves at j = 0.
    for &m in message {
        let fb = m ^ parity[0];
        parity.copy_within(1.., 0);
        parity[two_t - 1] = 0;
        if fb != 0 {
            for (j, p) in parity.iter_mut().enumerate() {
                *p ^= gf::mul(fb, generator[two_t - 1 - j]);
            }
        }
    }
}
