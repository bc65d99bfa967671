//! PRBS generators of ITU-T O.150 / IEEE 802.3 and a self-synchronising checker.
//!
//! A PRBS of order `k` with polynomial `1 + Σ x^t` is the sequence
//! `y[n] = ⊕_t y[n − t]` (period `2^k − 1`). The register holds the last `k` bits,
//! `S_i = y[n − 1 − i]`, as in IEEE 802.3 Figure 49-9 where `S0` is the newest stage
//! and PRBS31 feeds back `S27 ⊕ S30`; a seed sets `S_i` to its bit `i`, so the seed
//! is the state just before the first output bit (the first output bit is the first
//! feedback bit, not a bit of the seed). Output inversion follows O.150 (and 802.3
//! Clause 49.2.8 for PRBS31): inverted for orders 15, 23 and 31.
//!
//! | order | polynomial | recurrence | inverted | used in |
//! |---|---|---|---|---|
//! | 7  | x^7 + x^6 + 1 | `y[n−6] ⊕ y[n−7]` | no | 802.3 test patterns |
//! | 9  | x^9 + x^5 + 1 | `y[n−5] ⊕ y[n−9]` | no | Table 68-6 |
//! | 11 | x^11 + x^9 + 1 | `y[n−9] ⊕ y[n−11]` | no | O.150 |
//! | 13 | x^13 + x^12 + x^2 + x + 1 | `y[n−1] ⊕ y[n−2] ⊕ y[n−12] ⊕ y[n−13]` | no | PRBS13Q, QPRBS13 (Figure 94-6) |
//! | 15 | x^15 + x^14 + 1 | `y[n−14] ⊕ y[n−15]` | yes | O.150 |
//! | 23 | x^23 + x^18 + 1 | `y[n−18] ⊕ y[n−23]` | yes | O.150 |
//! | 31 | x^31 + x^28 + 1 | `y[n−28] ⊕ y[n−31]` | yes | Clause 49.2.8, PRBS31Q, SSPRQ |
//!
//! **Word-parallel generation.** Over GF(2), `p(x)^64 = p(x^64)`, so a sequence that
//! satisfies `y[n] = ⊕ y[n − t]` also satisfies `y[n] = ⊕ y[n − 64t]`: with 64-bit
//! words `W[j]` holding bits `64j … 64j + 63` (bit `i` of `W[j]` is `y[64j + i]`),
//! `W[j] = ⊕_t W[j − t]`. The generator keeps the last `k` words; every further 64
//! bits cost one XOR per term of the polynomial. The `k` words before the first one
//! are made once, bit by bit, by running the register *backwards* from the seed (the
//! recurrence solved for its oldest term), so that every output word, the first one
//! included, comes from the same word recurrence. Inverted output needs no extra pass:
//! with an even number of terms, as all the polynomials here have, the complemented
//! words obey `W[j] = ¬(⊕_t W[j − t])`.
//!
//! **Checking.** [`PrbsChecker`] predicts every received bit from the received bits
//! `t` places earlier, 64 predictions at a time with shifts and XORs; the error word
//! is the XOR of the received word and its prediction.

use crate::error::{check_max_u8, Error, Result};

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

/// The longest register, PRBS31.
const MAX_ORDER: usize = 31;

fn taps_of(order: u32) -> Result<&'static [u32]> {
    POLYNOMIALS
        .iter()
        .find(|(k, _)| *k == order)
        .map(|(_, t)| *t)
        .ok_or_else(|| Error::invalid("order", ALLOWED_ORDERS, order))
}

/// O.150's inversion convention (IEEE 802.3 Clause 49.2.8 for PRBS31): orders 15, 23
/// and 31 are sent inverted, 7, 9, 11 and 13 are not.
pub fn default_inversion(order: u32) -> bool {
    matches!(order, 15 | 23 | 31)
}

/// The constant XORed into the word recurrence: all ones when the output is inverted
/// and the polynomial has an even number of terms (the complements of an even
/// number of words cancel, so the result must be complemented once more).
fn flip_mask(taps: &[u32], inverted: bool) -> u64 {
    if inverted && taps.len().is_multiple_of(2) {
        !0
    } else {
        0
    }
}

/// Makes the next `out.len()` words from the last `order` words in `hist`
/// (`hist[i]` is the word `order − i` places before `out[0]`), then leaves the last
/// `order` words made in `hist`.
type WordKernel = fn(&mut [u64; MAX_ORDER], &mut [u64], u64);

/// `W[j − t]`: from `out` when `j ≥ t`, else from the history.
#[inline(always)]
fn earlier<const K: usize>(out: &[u64], hist: &[u64; MAX_ORDER], j: usize, t: usize) -> u64 {
    if j >= t {
        out[j - t]
    } else {
        hist[K + j - t]
    }
}

#[inline(always)]
fn save_history<const K: usize>(hist: &mut [u64; MAX_ORDER], out: &[u64]) {
    let n = out.len();
    if n >= K {
        hist[..K].copy_from_slice(&out[n - K..]);
    } else {
        hist.copy_within(n..K, 0);
        hist[K - n..K].copy_from_slice(out);
    }
}

/// Two-term polynomial `x^K + x^T + 1`: `W[j] = W[j − T] ⊕ W[j − K] ⊕ c`.
fn words2<const K: usize, const T: usize>(hist: &mut [u64; MAX_ORDER], out: &mut [u64], c: u64) {
    let n = out.len();
    for j in 0..n.min(K) {
        out[j] = earlier::<K>(out, hist, j, T) ^ hist[j] ^ c;
    }
    // Both lags are at least T words, so this loop vectorises (T ≥ 5 here).
    for j in K..n {
        out[j] = out[j - T] ^ out[j - K] ^ c;
    }
    save_history::<K>(hist, out);
}

/// Four-term polynomial `x^K + x^A + x^B + x^C + 1`.
fn words4<const K: usize, const A: usize, const B: usize, const C: usize>(
    hist: &mut [u64; MAX_ORDER],
    out: &mut [u64],
    c: u64,
) {
    let n = out.len();
    for j in 0..n.min(K) {
        out[j] = earlier::<K>(out, hist, j, A)
            ^ earlier::<K>(out, hist, j, B)
            ^ earlier::<K>(out, hist, j, C)
            ^ hist[j]
            ^ c;
    }
    for j in K..n {
        out[j] = out[j - A] ^ out[j - B] ^ out[j - C] ^ out[j - K] ^ c;
    }
    save_history::<K>(hist, out);
}

fn kernel_of(order: u32) -> Result<WordKernel> {
    Ok(match order {
        7 => words2::<7, 6>,
        9 => words2::<9, 5>,
        11 => words2::<11, 9>,
        13 => words4::<13, 12, 2, 1>,
        15 => words2::<15, 14>,
        23 => words2::<23, 18>,
        31 => words2::<31, 28>,
        _ => return Err(Error::invalid("order", ALLOWED_ORDERS, order)),
    })
}

/// `EXPAND[b]` holds the 8 bits of byte `b`, LSB first, one per byte (little endian).
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

/// Unpacks whole words into bytes, 64 per word, LSB first.
#[inline]
fn expand_words(words: &[u64], out: &mut [u8]) {
    for (w, o) in words.iter().zip(out.chunks_exact_mut(64)) {
        for (k, b) in o.chunks_exact_mut(8).enumerate() {
            b.copy_from_slice(&EXPAND[((w >> (8 * k)) & 0xff) as usize].to_le_bytes());
        }
    }
}

/// Words made per block in [`Prbs::fill_bits`] (4,096 bits, 512 bytes on the stack).
const BLOCK_WORDS: usize = 64;

/// A streaming, word-parallel PRBS generator (ITU-T O.150, IEEE 802.3 Clause 49.2.8,
/// Table 68-6, Figure 94-6).
///
/// Any sequence of [`Prbs::fill_bits`] and [`Prbs::fill_words`] calls, in any chunk
/// sizes, produces the same bit stream as one call.
///
/// ```
/// use serdes_dsp::signal::Prbs;
/// let mut g = Prbs::new(7, 0x7f).unwrap();
/// let b = g.bits(200);
/// // the recurrence of x^7 + x^6 + 1
/// assert!((7..200).all(|n| b[n] == b[n - 6] ^ b[n - 7]));
/// // period 127
/// assert_eq!(&b[..73], &b[127..200]);
/// // the same stream as 64-bit words, bit i of word j = bit 64j + i
/// let mut w = [0u64; 3];
/// Prbs::new(7, 0x7f).unwrap().fill_words(&mut w);
/// assert!((0..192).all(|n| ((w[n / 64] >> (n % 64)) & 1) as u8 == b[n]));
/// ```
#[derive(Debug, Clone)]
pub struct Prbs {
    order: u32,
    taps: &'static [u32],
    seed: u64,
    inverted: bool,
    kernel: WordKernel,
    /// XOR constant of the word recurrence on output (possibly inverted) words.
    flip: u64,
    /// The last `order` output words, oldest first.
    hist: [u64; MAX_ORDER],
    /// Unused bits of the last word made, the next one in bit 0, and their count
    /// (0 ..= 63; bits of `cur` above `avail` are zero).
    cur: u64,
    avail: u32,
}

impl Prbs {
    /// PRBS `order` (7, 9, 11, 13, 15, 23, 31) from register state `seed`
    /// (1 ..= 2^order − 1, bit `i` presets `S_i`), with the O.150 / 802.3 inversion:
    /// inverted for 15, 23 and 31, plain for 7, 9, 11 and 13 ([`default_inversion`]).
    ///
    /// Errors name `order` when it is not one of the seven, `seed` when it is 0 or
    /// does not fit the register.
    pub fn new(order: u32, seed: u64) -> Result<Self> {
        Self::with_inversion(order, seed, default_inversion(order))
    }

    /// PRBS `order` started from a register state derived from any 64-bit `seed`
    /// (`1 + seed·φ mod (2^order − 1)`, φ the 64-bit golden-ratio constant): the
    /// start every link of this crate uses, so that one seed sets a whole run.
    pub fn from_seed_u64(order: u32, seed: u64) -> Result<Self> {
        // An order outside the register's range gets a dummy period here;
        // `taps_of` then rejects it by name.
        let period = match order {
            1..=63 => (1u64 << order) - 1,
            _ => 1,
        };
        Self::new(order, 1 + seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) % period)
    }

    /// As [`Prbs::new`] with the output inversion given explicitly.
    pub fn with_inversion(order: u32, seed: u64, inverted: bool) -> Result<Self> {
        let taps = taps_of(order)?;
        let kernel = kernel_of(order)?;
        let max = (1u64 << order) - 1;
        if seed == 0 || seed > max {
            return Err(Error::invalid(
                "seed",
                format!("1..={max} (a non-zero {order}-bit register state)"),
                seed,
            ));
        }
        let mut g = Prbs {
            order,
            taps,
            seed,
            inverted,
            kernel,
            flip: flip_mask(taps, inverted),
            hist: [0; MAX_ORDER],
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
        let taps = self.taps;
        // back[i] = y[-1-i]: the seed gives the first k, the recurrence solved for its
        // oldest term gives the rest, y[m] = y[m+k] ⊕ (⊕_{t<k} y[m+k-t]).
        let n = 64 * k;
        let mut back = Vec::with_capacity(n);
        back.extend((0..k).map(|i| ((self.seed >> i) & 1) as u8));
        for i in k..n {
            let mut b = back[i - k];
            for &t in taps.iter().filter(|&&t| (t as usize) < k) {
                b ^= back[i - k + t as usize];
            }
            back.push(b);
        }
        let inv = if self.inverted { !0 } else { 0 };
        for w in 0..k {
            // word -(w+1) holds y[-64(w+1) + b] = back[64(w+1) - 1 - b] in bit b
            let mut word = 0u64;
            for b in 0..64 {
                word |= (back[64 * (w + 1) - 1 - b] as u64) << b;
            }
            self.hist[k - 1 - w] = word ^ inv;
        }
        self.cur = 0;
        self.avail = 0;
    }

    /// The next `out.len()` word-aligned output words.
    #[inline]
    fn words(&mut self, out: &mut [u64]) {
        (self.kernel)(&mut self.hist, out, self.flip);
    }

    /// Fills `out` with the next `64 · out.len()` bits of the stream, 64 per word: bit
    /// `i` of `out[j]` is stream bit `64j + i` counted from the current position (LSB
    /// first in time). At a position that is not a multiple of 64 (after a
    /// [`Prbs::fill_bits`] of a length that is not) it still returns the next 64 stream
    /// bits per word, at the cost of a shift per word.
    pub fn fill_words(&mut self, out: &mut [u64]) {
        self.words(out);
        let a = self.avail;
        if a > 0 {
            for o in out.iter_mut() {
                let w = *o;
                *o = self.cur | (w << a);
                self.cur = w >> (64 - a);
            }
        }
    }

    /// Fills `out` with the next `out.len()` bits, one per byte (0 or 1).
    pub fn fill_bits(&mut self, out: &mut [u8]) {
        let mut rest = out;
        if self.avail > 0 {
            let n = rest.len().min(self.avail as usize);
            let (head, tail) = rest.split_at_mut(n);
            for o in head {
                *o = (self.cur & 1) as u8;
                self.cur >>= 1;
            }
            self.avail -= n as u32;
            rest = tail;
        }
        let mut buf = [0u64; BLOCK_WORDS];
        let mut blocks = rest.chunks_exact_mut(64 * BLOCK_WORDS);
        for block in &mut blocks {
            self.words(&mut buf);
            expand_words(&buf, block);
        }
        let rem = blocks.into_remainder();
        let whole = rem.len() / 64;
        let (body, tail) = rem.split_at_mut(64 * whole);
        self.words(&mut buf[..whole]);
        expand_words(&buf[..whole], body);
        if !tail.is_empty() {
            let mut w = [0u64; 1];
            self.words(&mut w);
            let mut w = w[0];
            for o in tail.iter_mut() {
                *o = (w & 1) as u8;
                w >>= 1;
            }
            self.cur = w;
            self.avail = 64 - tail.len() as u32;
        }
    }

    /// The next `n` bits, one per byte (allocating form of [`Prbs::fill_bits`]).
    pub fn bits(&mut self, n: usize) -> Vec<u8> {
        let mut v = vec![0; n];
        self.fill_bits(&mut v);
        v
    }
}

/// Correct predictions in a row before a checker declares lock. A false lock on
/// random data has probability 2^−64; for PRBS31 this is about two register lengths.
pub const LOCK_RUN: u32 = 64;
/// Window of checked bits over which the error count is watched once locked.
pub const LOSS_WINDOW: u32 = 64;
/// Errors within one window that mean loss of lock: half the window, what random data
/// (or a wrong polynomial or inversion) gives on average.
pub const LOSS_ERRORS: u32 = 32;

/// Packs 64 bytes, each 0 or 1, into a word: byte `i` to bit `i`.
#[inline(always)]
fn pack64(bytes: &[u8]) -> u64 {
    let mut r = 0u64;
    for (k, c) in bytes.chunks_exact(8).enumerate() {
        let v = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        // byte i (0 or 1) lands on bit 56 + i: the products b_i 2^(8i + 7j + 7) never
        // collide, so no carry disturbs the top byte.
        r |= (v.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k);
    }
    r
}

/// `e >> s` that is 0 for `s ≥ 64`.
#[inline(always)]
fn shr(e: u64, s: u32) -> u64 {
    if s >= 64 {
        0
    } else {
        e >> s
    }
}

/// A self-synchronising PRBS checker that counts bit errors (the receive side of
/// O.150's error measurement, and of the PRBS31 checker of IEEE 802.3 Clause 49.2.12).
///
/// It needs no seed: it loads the first `order` received bits into its register,
/// then predicts each next bit from the polynomial's recurrence applied to the
/// *received* bits (`r[n] ≟ ⊕_t r[n − t]`, complemented for an inverted pattern), so
/// it locks on any phase of the pattern. The rules:
///
/// - **Lock**: after [`LOCK_RUN`] = 64 correct predictions in a row the checker is
///   locked, and counting starts with the next bit. On a clean stream of `N` bits,
///   [`PrbsChecker::bits_checked`] is therefore `N − order − 64`.
/// - **Loss of lock**: once locked, the checked bits are cut into windows of
///   [`LOSS_WINDOW`] = 64; when [`LOSS_ERRORS`] = 32 or more errors (≥ 50 %) fall in
///   one window, the checker drops lock at that bit and counting stops until it has
///   locked again (the errors already counted in that window stay counted).
/// - **Error multiplicity**: a single channel bit error at `n` is seen by the
///   prediction of `r[n]` and by each later prediction that uses `r[n]`, at `n + t`
///   for each term `t`: `1 + terms` errors, 3 for the two-term PRBS31 and 5 for
///   PRBS13 ([`PrbsChecker::error_multiplicity`]). [`PrbsChecker::errors`] is the raw
///   count; divide by the multiplicity to estimate channel bit errors at low BER.
/// - **Restart**: a jump to another phase of the pattern costs at most `order`
///   mispredictions (those whose lags straddle the jump); the checker stays locked.
///
/// Processing is word-parallel: 64 received bits are packed into a word and all 64
/// predictions are made with one shift-and-XOR per term. Any chunking of the input
/// gives the same counts and lock state.
///
/// ```
/// use serdes_dsp::signal::{Prbs, PrbsChecker};
/// let mut bits = Prbs::new(31, 1).unwrap().bits(10_000);
/// bits[5_000] ^= 1; // one channel error
/// let mut c = PrbsChecker::new(31).unwrap();
/// c.process(&bits).unwrap();
/// assert!(c.is_locked());
/// assert_eq!(c.errors(), 3); // the bit itself, and the predictions at +28 and +31
/// assert_eq!(c.bits_checked(), 10_000 - 31 - 64);
/// ```
#[derive(Debug, Clone)]
pub struct PrbsChecker {
    order: u32,
    taps: &'static [u32],
    inverted: bool,
    flip: u64,
    /// The last 64 received bits, the newest in bit 63.
    hist: u64,
    loaded: u32,
    good_run: u32,
    locked: bool,
    window_bits: u32,
    window_errors: u32,
    checked: u64,
    errors: u64,
}

impl PrbsChecker {
    /// A checker for PRBS `order` with the O.150 / 802.3 inversion ([`default_inversion`]).
    pub fn new(order: u32) -> Result<Self> {
        Self::with_inversion(order, default_inversion(order))
    }

    /// A checker with the inversion given explicitly.
    pub fn with_inversion(order: u32, inverted: bool) -> Result<Self> {
        Ok(Self::fresh(order, taps_of(order)?, inverted))
    }

    /// A checker with an empty register, unlocked, counts at zero.
    fn fresh(order: u32, taps: &'static [u32], inverted: bool) -> Self {
        PrbsChecker {
            order,
            taps,
            inverted,
            flip: flip_mask(taps, inverted),
            hist: 0,
            loaded: 0,
            good_run: 0,
            locked: false,
            window_bits: 0,
            window_errors: 0,
            checked: 0,
            errors: 0,
        }
    }

    /// The order `k`.
    pub fn order(&self) -> u32 {
        self.order
    }

    /// Whether the expected pattern is inverted.
    pub fn inverted(&self) -> bool {
        self.inverted
    }

    /// Checks received `bits` (each 0 or 1). A value above 1 is an
    /// [`Error::OutOfRange`] naming `bits`, raised before anything is counted.
    pub fn process(&mut self, bits: &[u8]) -> Result<()> {
        // An OR over the input vectorises; the slower scan for the index of the bad
        // value runs only when there is one.
        if bits.iter().fold(0u8, |acc, &b| acc | b) > 1 {
            check_max_u8("bits", bits, 1)?;
        }
        let mut rest = bits;
        while self.loaded < self.order {
            let Some((&b, tail)) = rest.split_first() else {
                return Ok(());
            };
            self.hist = (self.hist >> 1) | ((b as u64) << 63);
            self.loaded += 1;
            rest = tail;
        }
        let mut chunks = rest.chunks_exact(64);
        for chunk in &mut chunks {
            let r = pack64(chunk);
            let e = r ^ self.predict(r);
            self.hist = r;
            self.consume(e, 64);
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let n = tail.len() as u32;
            let r = tail
                .iter()
                .enumerate()
                .fold(0u64, |acc, (i, &b)| acc | ((b as u64) << i));
            let e = (r ^ self.predict(r)) & ((1u64 << n) - 1);
            self.hist = (self.hist >> n) | (r << (64 - n));
            self.consume(e, n);
        }
        Ok(())
    }

    /// Predictions of the bits of `r` (received bits in time order from bit 0), from
    /// `r` itself and the history: bit `i` of `(r << t) | (hist >> (64 − t))` is the
    /// received bit `t` places before bit `i` of `r`.
    #[inline(always)]
    fn predict(&self, r: u64) -> u64 {
        let mut p = self.flip;
        for &t in self.taps {
            p ^= (r << t) | (self.hist >> (64 - t));
        }
        p
    }

    /// Runs the lock state machine over `n ≤ 64` error flags (bit `i` of `e`, in time
    /// order; bits of `e` at and above `n` are zero), whole runs at a time. Bit for
    /// bit the same as applying the rules of the type's documentation one flag at a time.
    #[inline(always)]
    fn consume(&mut self, e: u64, n: u32) {
        if self.locked && e == 0 {
            // The common case: no error while locked. At most one window boundary
            // falls in these n bits, and a window that ends resets its count.
            self.checked += n as u64;
            let wb = self.window_bits + n;
            if wb >= LOSS_WINDOW {
                self.window_bits = wb - LOSS_WINDOW;
                self.window_errors = 0;
            } else {
                self.window_bits = wb;
            }
        } else {
            self.consume_slow(e, n);
        }
    }

    #[inline(never)]
    fn consume_slow(&mut self, mut e: u64, mut n: u32) {
        while n > 0 {
            if !self.locked {
                let need = LOCK_RUN - self.good_run;
                let zeros = e.trailing_zeros().min(n);
                if zeros >= need {
                    self.locked = true;
                    self.good_run = 0;
                    self.window_bits = 0;
                    self.window_errors = 0;
                    e = shr(e, need);
                    n -= need;
                } else if zeros == n {
                    self.good_run += zeros;
                    return;
                } else {
                    self.good_run = 0;
                    e = shr(e, zeros + 1);
                    n -= zeros + 1;
                }
                continue;
            }
            let take = (LOSS_WINDOW - self.window_bits).min(n);
            let part = if take == 64 {
                e
            } else {
                e & ((1u64 << take) - 1)
            };
            let errs = part.count_ones();
            if self.window_errors + errs >= LOSS_ERRORS {
                // lock is lost at the error that brings the window to LOSS_ERRORS
                let need = LOSS_ERRORS - self.window_errors;
                let mut p = part;
                for _ in 1..need {
                    p &= p - 1;
                }
                let used = p.trailing_zeros() + 1;
                self.checked += used as u64;
                self.errors += need as u64;
                self.locked = false;
                self.good_run = 0;
                e = shr(e, used);
                n -= used;
                continue;
            }
            self.checked += take as u64;
            self.errors += errs as u64;
            self.window_errors += errs;
            self.window_bits += take;
            if self.window_bits == LOSS_WINDOW {
                self.window_bits = 0;
                self.window_errors = 0;
            }
            e = shr(e, take);
            n -= take;
        }
    }

    /// Bits compared while locked.
    pub fn bits_checked(&self) -> u64 {
        self.checked
    }

    /// Mispredicted bits while locked, raw: each isolated channel bit error counts
    /// [`PrbsChecker::error_multiplicity`] times.
    pub fn errors(&self) -> u64 {
        self.errors
    }

    /// Errors that one isolated channel bit error produces: the number of terms of
    /// the polynomial plus one (3 for PRBS31, 5 for PRBS13).
    pub fn error_multiplicity(&self) -> u64 {
        self.taps.len() as u64 + 1
    }

    /// Whether the checker is locked to the pattern.
    pub fn is_locked(&self) -> bool {
        self.locked
    }

    /// Forgets everything: register empty, unlocked, counts at zero.
    pub fn reset(&mut self) {
        *self = Self::fresh(self.order, self.taps, self.inverted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Bit-serial reference, written from the definition: the history
    /// `y[-order..-1]` comes from the seed (`y[-1-i]` = bit `i`), then
    /// `y[n] = XOR of y[n - t]`, complemented on output if `inverted`.
    fn reference(order: u32, seed: u64, inverted: bool, n: usize) -> Vec<u8> {
        let taps = taps_of(order).unwrap();
        let k = order as usize;
        let mut y: Vec<u8> = (0..order).rev().map(|i| ((seed >> i) & 1) as u8).collect();
        for m in 0..n {
            let b = taps.iter().fold(0u8, |acc, &t| acc ^ y[m + k - t as usize]);
            y.push(b);
        }
        y[k..].iter().map(|&b| b ^ inverted as u8).collect()
    }

    fn unpack(words: &[u64]) -> Vec<u8> {
        words
            .iter()
            .flat_map(|w| (0..64).map(move |i| ((w >> i) & 1) as u8))
            .collect()
    }

    #[test]
    fn word_parallel_equals_bit_serial() {
        for (order, _) in POLYNOMIALS {
            let max = (1u64 << order) - 1;
            for seed in [1u64, 2, 0x5a5a_5a5a & max, 0x1234_5677 & max, max] {
                for inverted in [false, true] {
                    let n = 10 * 64 * order as usize + 37;
                    let want = reference(order, seed, inverted, n);
                    let got = Prbs::with_inversion(order, seed, inverted).unwrap().bits(n);
                    assert_eq!(got, want, "order {order} seed {seed:#x} inv {inverted}");
                    let mut w = vec![0u64; n / 64];
                    Prbs::with_inversion(order, seed, inverted)
                        .unwrap()
                        .fill_words(&mut w);
                    assert_eq!(unpack(&w), &want[..64 * (n / 64)]);
                }
            }
        }
    }

    #[test]
    fn known_first_bits_of_prbs7() {
        // Seed 0x7F: y[-1] … y[-7] all ones; y[n] = y[n-6] ^ y[n-7].
        //   y[0..=5] = 1^1 = 0 (both lags in the seed)
        //   y[6]  = y[0] ^ y[-1] = 0^1 = 1
        //   y[7..=11] = y[n-6] ^ y[n-7] = 0^0 = 0
        //   y[12] = y[6] ^ y[5] = 1^0 = 1
        //   y[13] = y[7] ^ y[6] = 0^1 = 1
        //   y[14..=17] = 0, y[18] = y[12] ^ y[11] = 1, y[19] = y[13] ^ y[12] = 0,
        //   y[20] = y[14] ^ y[13] = 1
        let b = Prbs::new(7, 0x7f).unwrap().bits(21);
        assert_eq!(
            b,
            [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1]
        );
    }

    /// The 64 stream bits that start at bit `pos`, read with `fill_words` after
    /// skipping (word-aligned skips first, then a `fill_bits` of the remainder, so
    /// the last read goes through the unaligned path).
    fn word_at(order: u32, seed: u64, pos: u64) -> u64 {
        let mut g = Prbs::with_inversion(order, seed, false).unwrap();
        let mut buf = vec![0u64; 1 << 16];
        let mut left = pos / 64;
        while left > 0 {
            let m = left.min(buf.len() as u64) as usize;
            g.fill_words(&mut buf[..m]);
            left -= m as u64;
        }
        g.bits((pos % 64) as usize);
        let mut w = [0u64];
        g.fill_words(&mut w);
        w[0]
    }

    #[test]
    fn periods_are_maximal() {
        // The register (the last k ≤ 31 bits) fixes the rest, so 64 equal bits at p
        // prove that the period divides p, and 64 unequal bits at d prove it is not d.
        // 2^7-1, 2^13-1 and 2^31-1 are prime; the others are checked at every proper
        // divisor. PRBS31 runs its whole period (2^31 - 1 bits) through fill_words.
        for order in [7u32, 9, 11, 13, 15, 23, 31] {
            let seed = 0x2b & ((1 << order) - 1);
            let p = (1u64 << order) - 1;
            let first = word_at(order, seed, 0);
            assert_eq!(word_at(order, seed, p), first, "order {order}");
            let small = (1..)
                .take_while(|d| d * d <= p)
                .filter(|d| p.is_multiple_of(*d));
            let divisors: Vec<u64> = small.flat_map(|d| [d, p / d]).filter(|&d| d < p).collect();
            for d in divisors {
                assert_ne!(word_at(order, seed, d), first, "order {order} divisor {d}");
            }
        }
        // and over whole periods of the short ones: 2^(k-1) ones per period
        for order in [7u32, 9, 11, 13, 15] {
            let p = (1usize << order) - 1;
            let b = Prbs::with_inversion(order, 1, false).unwrap().bits(2 * p);
            assert_eq!(&b[..p], &b[p..]);
            assert_eq!(
                b[..p].iter().map(|&x| x as usize).sum::<usize>(),
                1 << (order - 1)
            );
        }
    }

    #[test]
    fn recurrences_hold_on_the_output() {
        // PRBS31: y[n] = y[n-28] ^ y[n-31]; PRBS13: y[n] = y[n-1]^y[n-2]^y[n-12]^y[n-13]
        let raw = Prbs::with_inversion(31, 0x1234_5678, false)
            .unwrap()
            .bits(100_000);
        assert!((31..raw.len()).all(|n| raw[n] == raw[n - 28] ^ raw[n - 31]));
        let b = Prbs::new(13, 0x1aa0).unwrap().bits(100_000);
        assert!((13..b.len()).all(|n| b[n] == b[n - 1] ^ b[n - 2] ^ b[n - 12] ^ b[n - 13]));
        for (order, taps) in POLYNOMIALS {
            let b = Prbs::new(order, 5).unwrap().bits(5_000);
            let k = order as usize;
            // inverted output of an even number of terms: z[n] = ¬(⊕ z[n-t])
            let c = default_inversion(order) as u8;
            assert!((k..b.len())
                .all(|n| b[n] == taps.iter().fold(c, |acc, &t| acc ^ b[n - t as usize])));
        }
    }

    #[test]
    fn prbs31_inversion_convention() {
        let inv = Prbs::new(31, 0x1234_5678).unwrap().bits(20_000);
        let raw = Prbs::with_inversion(31, 0x1234_5678, false)
            .unwrap()
            .bits(20_000);
        assert!(inv.iter().zip(&raw).all(|(a, b)| a ^ b == 1));
        for order in [15, 23, 31] {
            assert!(Prbs::new(order, 1).unwrap().inverted());
        }
        for order in [7, 9, 11, 13] {
            assert!(!Prbs::new(order, 1).unwrap().inverted());
        }
        // all-ones register: y[n] = 1 ^ 1 = 0 for n < 28, so the inverted output
        // opens with 28 ones (802.3 Figure 49-9 with its output inverter)
        let b = Prbs::new(31, 0x7fff_ffff).unwrap().bits(32);
        assert!(b[..28].iter().all(|&x| x == 1));
        // y[28] = y[0]^y[-3] = 1, y[29] = 1, y[30] = 1, y[31] = y[3]^y[0] = 0
        assert_eq!(&b[28..], &[0, 0, 0, 1]);
    }

    #[test]
    fn reset_restarts_and_accessors() {
        let mut g = Prbs::new(23, 99).unwrap();
        let a = g.bits(1_000);
        g.bits(77);
        g.reset();
        assert_eq!(g.bits(1_000), a);
        assert_eq!(
            (g.order(), g.period(), g.seed(), g.inverted()),
            (23, (1 << 23) - 1, 99, true)
        );
    }

    #[test]
    fn bad_order_and_seed() {
        let e = Prbs::new(8, 1).unwrap_err().to_string();
        assert!(e.contains("`order`") && e.contains("31"), "{e}");
        assert!(Prbs::new(7, 0).unwrap_err().to_string().contains("`seed`"));
        assert!(Prbs::new(7, 128)
            .unwrap_err()
            .to_string()
            .contains("`seed`"));
        assert!(Prbs::new(31, 1 << 31).is_err());
        assert!(Prbs::new(31, (1 << 31) - 1).is_ok());
        assert!(PrbsChecker::new(8)
            .unwrap_err()
            .to_string()
            .contains("`order`"));
        let mut c = PrbsChecker::new(7).unwrap();
        let e = c.process(&[0, 1, 2]).unwrap_err().to_string();
        assert!(e.contains("`bits`"), "{e}");
        assert_eq!(c.bits_checked() + c.errors(), 0);
    }

    #[test]
    fn checker_locks_and_counts() {
        for (order, taps) in POLYNOMIALS {
            let mut bits = Prbs::new(order, 3).unwrap().bits(50_000);
            let mut c = PrbsChecker::new(order).unwrap();
            c.process(&bits).unwrap();
            assert!(c.is_locked());
            assert_eq!(c.errors(), 0);
            assert_eq!(c.bits_checked(), 50_000 - order as u64 - LOCK_RUN as u64);
            // One flipped bit is mispredicted where it is received and again at
            // each later bit whose prediction uses it (+t for every term t):
            // PRBS31 gives 3 (the bit, +28, +31), PRBS13 5 (the bit, +1, +2, +12, +13).
            bits[30_000] ^= 1;
            let mut c = PrbsChecker::new(order).unwrap();
            c.process(&bits).unwrap();
            assert_eq!(c.errors(), taps.len() as u64 + 1, "order {order}");
            assert_eq!(c.errors(), c.error_multiplicity());
            // the wrong inversion never locks
            let mut c = PrbsChecker::with_inversion(order, !default_inversion(order)).unwrap();
            c.process(&bits).unwrap();
            assert!(!c.is_locked() && c.bits_checked() == 0);
        }
        assert_eq!(PrbsChecker::new(31).unwrap().error_multiplicity(), 3);
    }

    #[test]
    fn checker_loses_lock_on_noise_and_relocks_after_a_restart() {
        let mut c = PrbsChecker::new(31).unwrap();
        c.process(&Prbs::new(31, 9).unwrap().bits(5_000)).unwrap();
        assert!(c.is_locked() && c.errors() == 0);
        // a restart of the pattern at another phase: a few errors, lock kept
        c.process(&Prbs::new(31, 12_345).unwrap().bits(5_000))
            .unwrap();
        assert!(c.is_locked());
        assert!(c.errors() > 0 && c.errors() <= 31, "{}", c.errors());
        // random data: lock is lost
        let noise = Prbs::new(23, 77).unwrap().bits(5_000);
        c.process(&noise).unwrap();
        assert!(!c.is_locked());
        let checked = c.bits_checked();
        // the pattern again: relocks and counts again, with no new errors
        let errors = c.errors();
        c.process(&Prbs::new(31, 4_242).unwrap().bits(5_000))
            .unwrap();
        assert!(c.is_locked());
        assert!(c.bits_checked() > checked);
        let errors_after_relock = c.errors();
        c.process(&Prbs::new(31, 4_242).unwrap().bits(10_000)[5_000..])
            .unwrap();
        assert_eq!(c.errors(), errors_after_relock);
        assert!(errors_after_relock >= errors);
        c.reset();
        assert!(!c.is_locked() && c.errors() == 0 && c.bits_checked() == 0);
    }

    /// The checker rules applied one bit at a time, written from the type's
    /// documentation without the word tricks: (checked, errors, locked).
    fn reference_checker(order: u32, inverted: bool, bits: &[u8]) -> (u64, u64, bool) {
        let taps = taps_of(order).unwrap();
        let c = (inverted && taps.len().is_multiple_of(2)) as u8;
        let k = order as usize;
        let (mut run, mut locked, mut wb, mut we, mut checked, mut errors) =
            (0u32, false, 0u32, 0u32, 0u64, 0u64);
        for n in k..bits.len() {
            let pred = taps.iter().fold(c, |acc, &t| acc ^ bits[n - t as usize]);
            let err = pred != bits[n];
            if locked {
                checked += 1;
                errors += err as u64;
                wb += 1;
                we += err as u32;
                if we >= LOSS_ERRORS {
                    locked = false;
                    run = 0;
                } else if wb == LOSS_WINDOW {
                    wb = 0;
                    we = 0;
                }
            } else if err {
                run = 0;
            } else {
                run += 1;
                if run == LOCK_RUN {
                    locked = true;
                    run = 0;
                    wb = 0;
                    we = 0;
                }
            }
        }
        (checked, errors, locked)
    }

    proptest! {
        #[test]
        fn any_chunking_gives_the_same_stream(
            order_idx in 0usize..7,
            seed in 1u64..(1 << 7),
            cuts in proptest::collection::vec((0usize..700, any::<bool>()), 0..12),
        ) {
            let order = POLYNOMIALS[order_idx].0;
            let len = |(n, words): &(usize, bool)| if *words { 64 * (n % 9) } else { *n };
            let total: usize = cuts.iter().map(len).sum();
            let want = Prbs::new(order, seed).unwrap().bits(total);
            let mut g = Prbs::new(order, seed).unwrap();
            let mut got = Vec::new();
            for (n, words) in cuts {
                if words {
                    let mut w = vec![0u64; n % 9];
                    g.fill_words(&mut w);
                    got.extend(unpack(&w));
                } else {
                    got.extend(g.bits(n));
                }
            }
            prop_assert_eq!(got, want);
        }

        #[test]
        fn checker_matches_the_bit_serial_rules_for_any_chunking(
            order_idx in 0usize..7,
            flips in proptest::collection::vec(0usize..6_000, 0..40),
            noise in proptest::option::of((0usize..5_000, 1usize..600)),
            restart in proptest::option::of(0usize..6_000),
            cuts in proptest::collection::vec(1usize..400, 1..30),
        ) {
            let order = POLYNOMIALS[order_idx].0;
            let mut bits = Prbs::new(order, 11).unwrap().bits(6_000);
            if let Some(at) = restart {
                let other = Prbs::new(order, 5).unwrap().bits(6_000 - at);
                bits[at..].copy_from_slice(&other);
            }
            if let Some((at, len)) = noise {
                let junk = Prbs::new(23, 3).unwrap().bits(len);
                for (b, j) in bits[at..].iter_mut().zip(junk) {
                    *b = j;
                }
            }
            for f in flips {
                bits[f] ^= 1;
            }
            let want = reference_checker(order, default_inversion(order), &bits);
            let mut c = PrbsChecker::new(order).unwrap();
            let mut rest = &bits[..];
            for n in cuts.iter().cycle() {
                if rest.is_empty() {
                    break;
                }
                let (a, b) = rest.split_at((*n).min(rest.len()));
                c.process(a).unwrap();
                rest = b;
            }
            prop_assert_eq!((c.bits_checked(), c.errors(), c.is_locked()), want);
        }
    }
}
