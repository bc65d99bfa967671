//! PRBS generators of ITU-T O.150 / IEEE 802.3 and a self-synchronising checker.
//!
//! A PRBS of order `k` with polynomial `1 + Σ x^t` is the sequence
//! `y[n] = ⊕_t y[n − t]` (period `2^k − 1`). The register holds the last `k` bits,
//! `S_i = y[n − 1 − i]`, as in IEEE 802.3 Figure 49-9 where `S0` is the newest stage
//! and PRBS31 feeds back `S27 ⊕ S30`; a seed sets `S_i` to its bit `i`, so the seed
//! is the state just before the first output bit. Output inversion follows O.150
//! (and 802.3 Clause 49.2.8 for PRBS31): inverted for orders 15, 23 and 31.
//!
//! | order | polynomial | inverted | used in |
//! |---|---|---|---|
//! | 7  | x^7 + x^6 + 1 | no | 802.3 test patterns |
//! | 9  | x^9 + x^5 + 1 | no | Table 68-6 |
//! | 11 | x^11 + x^9 + 1 | no | O.150 |
//! | 13 | x^13 + x^12 + x^2 + x + 1 | no | PRBS13Q, QPRBS13 (Clause 120, 94) |
//! | 15 | x^15 + x^14 + 1 | yes | O.150 |
//! | 23 | x^23 + x^18 + 1 | yes | O.150 |
//! | 31 | x^31 + x^28 + 1 | yes | Clause 49.2.8, PRBS31Q, SSPRQ |
//!
//! **Word-parallel generation.** Over GF(2), `p(x)^64 = p(x^64)`, so a sequence that
//! satisfies `y[n] = ⊕ y[n − t]` also satisfies `y[n] = ⊕ y[n − 64t]`: with 64-bit
//! words `W[j]` holding bits `64j … 64j + 63` (bit `i` of `W[j]` is `y[64j + i]`),
//! `W[j] = ⊕_t W[j − t]`. After the first `k` words (made bit by bit from the seed)
//! every further 64 bits cost one XOR per term of the polynomial.

use crate::error::{Error, Result};

/// Orders with their polynomial terms `t` (the exponents other than 0).
const POLYNOMIALS: [(u32, &[u32]); 7] = [
    (7, &[6, 7]),
    (9, &[5, 9]),
    (11, &[9, 11]),
    (13, &[1, 2, 12, 13]),
    (15, &[14, 15]),
    (23, &[18, 23]),
    (31, &[28, 31]),
];

const ALLOWED_ORDERS: &str = "one of 7, 9, 11, 13, 15, 23, 31";

fn taps_of(order: u32) -> Result<&'static [u32]> {
    POLYNOMIALS
        .iter()
        .find(|(k, _)| *k == order)
        .map(|(_, t)| *t)
        .ok_or_else(|| Error::invalid("order", ALLOWED_ORDERS, order))
}

/// O.150's inversion convention: orders 15, 23 and 31 are sent inverted.
pub fn default_inversion(order: u32) -> bool {
    matches!(order, 15 | 23 | 31)
}

/// One step of the bit-serial register: returns the new bit and the new register.
#[inline]
fn step(reg: u64, taps: &[u32], mask: u64) -> (u64, u64) {
    let mut b = 0;
    for &t in taps {
        b ^= reg >> (t - 1);
    }
    let b = b & 1;
    (b, ((reg << 1) | b) & mask)
}

/// `EXPAND[b]` holds the 8 bits of byte `b`, LSB first, one per byte.
static EXPAND: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        let mut v = 0u64;
        let mut i = 0;
        while i < 8 {
            v |= (((b >> i) & 1) as u64) << (8 * i);
            i += 1;
        }
        t[b] = v;
        b += 1;
    }
    t
};

/// A streaming, word-parallel PRBS generator.
///
/// ```
/// use serdes_dsp::signal::Prbs;
/// let mut g = Prbs::new(7, 0x7f).unwrap();
/// let b = g.bits(200);
/// // the recurrence of x^7 + x^6 + 1
/// assert!((7..200).all(|n| b[n] == b[n - 6] ^ b[n - 7]));
/// // period 127
/// assert_eq!(&b[..73], &b[127..200]);
/// ```
#[derive(Debug, Clone)]
pub struct Prbs {
    order: u32,
    taps: &'static [u32],
    seed: u64,
    inverted: bool,
    /// The last `order` words of the raw (not inverted) stream, a ring.
    ring: [u64; 31],
    /// Index of the next word, modulo `order`.
    next: usize,
    /// Words already produced by the ring (the first `order` come from the seed).
    made: u64,
    /// Output word being consumed (already inverted if need be), and how many of
    /// its bits (from bit 0 up) are still unused.
    cur: u64,
    avail: u32,
}

impl Prbs {
    /// PRBS `order` (7, 9, 11, 13, 15, 23, 31) from register state `seed`
    /// (1 ..= 2^order − 1), inverted per O.150 ([`default_inversion`]).
    pub fn new(order: u32, seed: u64) -> Result<Self> {
        Self::with_inversion(order, seed, default_inversion(order))
    }

    /// As [`Prbs::new`] with the output inversion given explicitly.
    pub fn with_inversion(order: u32, seed: u64, inverted: bool) -> Result<Self> {
        let taps = taps_of(order)?;
        let max = (1u64 << order) - 1;
        if seed == 0 || seed > max {
            return Err(Error::invalid(
                "seed",
                format!("1..={max} (a non-zero {order}-bit register)"),
                seed,
            ));
        }
        let mut g = Prbs {
            order,
            taps,
            seed,
            inverted,
            ring: [0; 31],
            next: 0,
            made: 0,
            cur: 0,
            avail: 0,
        };
        g.reset();
        Ok(g)
    }

    /// The order `k`.
    pub fn order(&self) -> u32 {
        self.order
    }

    /// The period `2^k − 1` in bits.
    pub fn period(&self) -> u64 {
        (1u64 << self.order) - 1
    }

    /// Whether the output is inverted.
    pub fn inverted(&self) -> bool {
        self.inverted
    }

    /// The seed (register state before the first bit).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Back to the seed: the next bit is the first bit of the sequence again.
    pub fn reset(&mut self) {
        let k = self.order as usize;
        let mask = (1u64 << k) - 1;
        let mut reg = self.seed;
        for w in 0..k {
            let mut word = 0u64;
            for i in 0..64 {
                let (b, r) = step(reg, self.taps, mask);
                reg = r;
                word |= b << i;
            }
            self.ring[w] = word;
        }
        self.next = 0;
        self.made = 0;
        self.cur = 0;
        self.avail = 0;
    }

    /// The next 64 raw bits, word-aligned with the sequence start.
    #[inline]
    fn raw_word(&mut self) -> u64 {
        let k = self.order as usize;
        if self.made < k as u64 {
            // the first k words were made from the seed in `reset`
            let w = self.ring[self.made as usize];
            self.made += 1;
            return w;
        }
        // W[j] = XOR of W[j - t]; ring[(j - t) mod k], j ≡ next (mod k)
        let j = self.next;
        let mut w = 0u64;
        for &t in self.taps {
            let idx = (j + k - t as usize % k) % k;
            w ^= self.ring[idx];
        }
        self.ring[j] = w;
        self.next = if j + 1 == k { 0 } else { j + 1 };
        self.made += 1;
        w
    }

    #[inline]
    fn out_word(&mut self) -> u64 {
        let w = self.raw_word();
        if self.inverted {
            !w
        } else {
            w
        }
    }

    /// Fills `out` with the next `64 · out.len()` bits of the stream, 64 per word:
    /// bit `i` of `out[j]` is stream bit `64j + i` (LSB first in time). Works at any
    /// stream position (mixing with [`Prbs::fill_bits`] is allowed).
    pub fn fill_words(&mut self, out: &mut [u64]) {
        if self.avail == 0 {
            for o in out.iter_mut() {
                *o = self.out_word();
            }
            return;
        }
        let a = self.avail;
        for o in out.iter_mut() {
            let w = self.out_word();
            *o = self.cur | (w << a);
            self.cur = w >> (64 - a);
        }
    }

    /// Fills `out` with the next `out.len()` bits, one per byte (0 or 1).
    pub fn fill_bits(&mut self, out: &mut [u8]) {
        let mut i = 0;
        // finish the partly used word
        while i < out.len() && self.avail > 0 {
            out[i] = (self.cur & 1) as u8;
            self.cur >>= 1;
            self.avail -= 1;
            i += 1;
        }
        // whole words: 8 table look-ups of 8 bytes each
        while out.len() - i >= 64 {
            let w = self.out_word();
            for (k, chunk) in out[i..i + 64].chunks_exact_mut(8).enumerate() {
                chunk.copy_from_slice(&EXPAND[((w >> (8 * k)) & 0xff) as usize].to_le_bytes());
            }
            i += 64;
        }
        if i < out.len() {
            let mut w = self.out_word();
            let n = out.len() - i;
            for o in out[i..].iter_mut() {
                *o = (w & 1) as u8;
                w >>= 1;
            }
            self.cur = w;
            self.avail = 64 - n as u32;
        }
    }

    /// The next `n` bits, one per byte.
    pub fn bits(&mut self, n: usize) -> Vec<u8> {
        let mut v = vec![0; n];
        self.fill_bits(&mut v);
        v
    }
}

/// Bits in a row without a misprediction before a checker declares lock.
const LOCK_RUN: u64 = 64;
/// Window of checked bits over which the error count is watched once locked.
const LOSS_WINDOW: u32 = 64;
/// Errors within one window that mean loss of lock (half the window: random data).
const LOSS_ERRORS: u32 = 32;

/// A self-synchronising PRBS checker that counts bit errors.
///
/// It loads the received bits into its own register and predicts each next bit
/// from the polynomial's recurrence, so it needs no seed and locks on any phase of
/// the pattern. Rules: after `order` bits it predicts; after [`LOCK_RUN`] = 64 correct
/// predictions in a row it is locked and starts counting; once locked, 32 or more
/// errors within a window of 64 checked bits mean loss of lock (counting stops until
/// it locks again). A single channel bit error shows as one error per term of the
/// polynomial — the bit itself and each later prediction that uses it: 3 for the
/// two-term PRBS31, 5 for PRBS13 — as in every self-synchronising checker; divide
/// by [`PrbsChecker::error_multiplicity`] for an estimate of channel bit errors.
#[derive(Debug, Clone)]
pub struct PrbsChecker {
    order: u32,
    taps: &'static [u32],
    inverted: bool,
    reg: u64,
    loaded: u32,
    good_run: u64,
    locked: bool,
    window_bits: u32,
    window_errors: u32,
    checked: u64,
    errors: u64,
}

impl PrbsChecker {
    /// A checker for PRBS `order` with O.150 inversion ([`default_inversion`]).
    pub fn new(order: u32) -> Result<Self> {
        Self::with_inversion(order, default_inversion(order))
    }

    /// A checker with the inversion given explicitly.
    pub fn with_inversion(order: u32, inverted: bool) -> Result<Self> {
        Ok(PrbsChecker {
            order,
            taps: taps_of(order)?,
            inverted,
            reg: 0,
            loaded: 0,
            good_run: 0,
            locked: false,
            window_bits: 0,
            window_errors: 0,
            checked: 0,
            errors: 0,
        })
    }

    /// Checks received `bits` (each 0 or 1); [`Error::OutOfRange`] naming `bits` on any
    /// other value, before anything is counted.
    pub fn process(&mut self, bits: &[u8]) -> Result<()> {
        crate::error::check_max_u8("bits", bits, 1)?;
        let mask = (1u64 << self.order) - 1;
        let inv = self.inverted as u64;
        for &b in bits {
            let b = (b as u64) ^ inv;
            if self.loaded < self.order {
                self.reg = ((self.reg << 1) | b) & mask;
                self.loaded += 1;
                continue;
            }
            let (predicted, _) = step(self.reg, self.taps, mask);
            self.reg = ((self.reg << 1) | b) & mask;
            let err = predicted != b;
            if self.locked {
                self.checked += 1;
                self.errors += err as u64;
                self.window_bits += 1;
                self.window_errors += err as u32;
                if self.window_errors >= LOSS_ERRORS {
                    self.locked = false;
                    self.good_run = 0;
                }
                if self.window_bits == LOSS_WINDOW {
                    self.window_bits = 0;
                    self.window_errors = 0;
                }
            } else if err {
                self.good_run = 0;
            } else {
                self.good_run += 1;
                if self.good_run >= LOCK_RUN {
                    self.locked = true;
                    self.window_bits = 0;
                    self.window_errors = 0;
                }
            }
        }
        Ok(())
    }

    /// Bits compared while locked.
    pub fn bits_checked(&self) -> u64 {
        self.checked
    }

    /// Mispredicted bits while locked (each channel error counts
    /// [`PrbsChecker::error_multiplicity`] times).
    pub fn errors(&self) -> u64 {
        self.errors
    }

    /// Errors one isolated channel bit error produces: the number of polynomial terms + 1.
    pub fn error_multiplicity(&self) -> u64 {
        self.taps.len() as u64 + 1
    }

    /// Whether the checker is locked to the pattern.
    pub fn is_locked(&self) -> bool {
        self.locked
    }

    /// Forgets everything: unlocked, counts at zero.
    pub fn reset(&mut self) {
        *self = PrbsChecker::with_inversion(self.order, self.inverted).expect("order was checked");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Bit-serial reference, written from the definition (y[n] = XOR y[n-t]).
    fn reference(order: u32, seed: u64, inverted: bool, n: usize) -> Vec<u8> {
        let taps = taps_of(order).unwrap();
        // history: y[-1-i] = bit i of seed
        let mut y: Vec<u8> = (0..order).rev().map(|i| ((seed >> i) & 1) as u8).collect();
        let k = order as usize;
        for m in 0..n {
            let idx = m + k; // position of y[m] in the vector
            let b = taps.iter().fold(0u8, |acc, &t| acc ^ y[idx - t as usize]);
            y.push(b);
        }
        y[k..].iter().map(|&b| b ^ inverted as u8).collect()
    }

    #[test]
    fn word_parallel_equals_bit_serial() {
        for (order, _) in POLYNOMIALS {
            for seed in [1u64, 0x5a5a_5a5a & ((1 << order) - 1), (1 << order) - 1] {
                let n = 10 * 64 * order as usize + 37;
                let want = reference(order, seed, default_inversion(order), n);
                let got = Prbs::new(order, seed).unwrap().bits(n);
                assert_eq!(got, want, "order {order} seed {seed:#x}");
            }
        }
    }

    #[test]
    fn known_first_bits_of_prbs7() {
        // seed 0x7F: y[-1..-7] all ones; y[n] = y[n-6] ^ y[n-7] gives 0 for the
        // first 6 bits (1^1), then y[6] = y[0]^y[-1] = 0^1 = 1, y[7] = y[1]^y[0] = 0,
        // y[12] = y[6]^y[5] = 1, y[13] = y[7]^y[6] = 1.
        let b = Prbs::new(7, 0x7f).unwrap().bits(14);
        assert_eq!(b, [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1]);
    }

    #[test]
    fn periods_are_maximal() {
        for order in [7u32, 9, 11, 13, 15, 23] {
            let mut g = Prbs::with_inversion(order, 1, false).unwrap();
            let p = g.period() as usize;
            let b = g.bits(2 * p + 100);
            assert_eq!(&b[..p + 100], &b[p..2 * p + 100], "order {order}");
            // not periodic with any proper divisor of 2^k - 1
            for d in (1..p).filter(|d| p.is_multiple_of(*d)) {
                assert_ne!(&b[..p], &b[d..d + p], "order {order} divisor {d}");
            }
            // 2^(k-1) ones per period (maximal length)
            assert_eq!(
                b[..p].iter().map(|&x| x as usize).sum::<usize>(),
                1 << (order - 1)
            );
        }
    }

    #[test]
    fn prbs31_recurrence_and_inversion() {
        let inv = Prbs::new(31, 0x1234_5678).unwrap().bits(20_000);
        let raw = Prbs::with_inversion(31, 0x1234_5678, false)
            .unwrap()
            .bits(20_000);
        assert!(inv.iter().zip(&raw).all(|(a, b)| a ^ b == 1));
        assert!((31..raw.len()).all(|n| raw[n] == raw[n - 28] ^ raw[n - 31]));
        assert!(Prbs::new(31, 1).unwrap().inverted());
        assert!(!Prbs::new(9, 1).unwrap().inverted());
    }

    #[test]
    fn bad_order_and_seed() {
        assert!(Prbs::new(8, 1).unwrap_err().to_string().contains("`order`"));
        assert!(Prbs::new(7, 0).unwrap_err().to_string().contains("`seed`"));
        assert!(Prbs::new(7, 128)
            .unwrap_err()
            .to_string()
            .contains("`seed`"));
        assert!(PrbsChecker::new(10).is_err());
    }

    #[test]
    fn checker_locks_and_counts() {
        for (order, taps) in POLYNOMIALS {
            let mut bits = Prbs::new(order, 3).unwrap().bits(50_000);
            let mut c = PrbsChecker::new(order).unwrap();
            c.process(&bits).unwrap();
            assert!(c.is_locked());
            assert_eq!(c.errors(), 0);
            assert_eq!(c.bits_checked(), 50_000 - order as u64 - LOCK_RUN);
            bits[30_000] ^= 1;
            let mut c = PrbsChecker::new(order).unwrap();
            c.process(&bits).unwrap();
            assert_eq!(c.errors(), taps.len() as u64 + 1, "order {order}");
            assert_eq!(c.errors(), c.error_multiplicity());
        }
        // random data: loses lock; a restart of the pattern: relocks
        let mut c = PrbsChecker::new(31).unwrap();
        c.process(&Prbs::new(31, 9).unwrap().bits(5_000)).unwrap();
        let noise: Vec<u8> = Prbs::new(23, 77).unwrap().bits(5_000);
        c.process(&noise).unwrap();
        assert!(!c.is_locked());
        c.process(&Prbs::new(31, 12345).unwrap().bits(5_000))
            .unwrap();
        assert!(c.is_locked());
        assert!(c.process(&[0, 2]).is_err());
    }

    proptest! {
        #[test]
        fn any_chunking_gives_the_same_stream(
            order_idx in 0usize..7,
            seed in 1u64..(1 << 7),
            cuts in proptest::collection::vec((0usize..300, any::<bool>()), 0..8),
        ) {
            let order = POLYNOMIALS[order_idx].0;
            let total: usize = cuts.iter().map(|(n, w)| if *w { 64 * (n % 5) } else { *n }).sum();
            let want = Prbs::new(order, seed).unwrap().bits(total);
            let mut g = Prbs::new(order, seed).unwrap();
            let mut got = Vec::new();
            for (n, words) in cuts {
                if words {
                    let mut w = vec![0u64; n % 5];
                    g.fill_words(&mut w);
                    for x in w {
                        got.extend((0..64).map(|i| ((x >> i) & 1) as u8));
                    }
                } else {
                    got.extend(g.bits(n));
                }
            }
            prop_assert_eq!(got, want);
        }
    }
}
