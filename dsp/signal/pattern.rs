//! The quaternary (PAM4) test patterns of IEEE 802.3: PRBS13Q, QPRBS13, PRBS31Q and SSPRQ.
//!
//! All are Gray coded with [`gray_encode`] (Clause 120.5.7): bits in pairs in time
//! order, the first bit of a pair the MSB.
//!
//! The starting states are the ones documented per pattern below; where the
//! standard's own figure could not be checked this is said, and a `_with_seed`
//! variant lets a user start elsewhere (any start of a PRBS is a valid phase of it).

use super::pam4::gray_encode;
use super::prbs::Prbs;
use crate::error::{Error, Result};

/// Seed of PRBS13 for PRBS13Q and QPRBS13: the COM tool's `s1..s13 = 0000010101011`
/// with `s13` sent first, i.e. the first 13 bits are `s13, s12, …, s1`, read into our
/// register convention (`S_i = s_{i+1}` before bit 14). Not confirmed against the
/// standard's figure.
pub const PRBS13_COM_SEED: [u8; 13] = [0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1];

/// Gray codes `bits` (even length) into symbols.
fn gray(bits: &[u8]) -> Vec<u8> {
    bits.chunks_exact(2)
        .map(|p| gray_encode(p[0], p[1]))
        .collect()
}

/// One period (8,191 bits) of PRBS13 starting with `s13, s12, …, s1` of `seed`
/// (`seed[i]` is `s_{i+1}`), then following `x^13 + x^12 + x^2 + x + 1`.
fn prbs13_period(seed: &[u8; 13]) -> Result<Vec<u8>> {
    if let Some(i) = seed.iter().position(|&b| b > 1) {
        return Err(Error::OutOfRange {
            name: "seed",
            index: i,
            value: seed[i] as u64,
            max: 1,
        });
    }
    // The first 13 bits are the seed, s13 first; the register before bit 14 is
    // S_i = y[12 - i] = s_{i+1}.
    let reg: u64 = seed.iter().enumerate().map(|(i, &b)| (b as u64) << i).sum();
    if reg == 0 {
        return Err(Error::invalid("seed", "not all zero", "0000000000000"));
    }
    let mut bits: Vec<u8> = seed.iter().rev().copied().collect();
    bits.extend(Prbs::with_inversion(13, reg, false)?.bits(8191 - 13));
    Ok(bits)
}

/// PRBS13Q (Clause 120.5.11.2.1): 8,191 symbols, two repetitions of PRBS13 (16,382
/// bits) Gray coded, from [`PRBS13_COM_SEED`].
pub fn prbs13q() -> Vec<u8> {
    prbs13q_with_seed(&PRBS13_COM_SEED).expect("the built-in seed is valid")
}

/// PRBS13Q from another PRBS13 start (`seed[i]` = `s_{i+1}`, `s13` sent first).
pub fn prbs13q_with_seed(seed: &[u8; 13]) -> Result<Vec<u8>> {
    let p = prbs13_period(seed)?;
    let mut bits = p.clone();
    bits.extend_from_slice(&p);
    Ok(gray(&bits))
}

/// QPRBS13 (Clause 94.2.9.3): `P, ¬P, P, ` the first 6,523 bits of `¬P`, with `P` the
/// 8,191 bits of PRBS13 from [`PRBS13_COM_SEED`]: 31,096 bits = 15,548 symbols. (Not
/// the OIF "QPRBS13-CEI", which is 8,191 symbols.)
pub fn qprbs13() -> Vec<u8> {
    qprbs13_with_seed(&PRBS13_COM_SEED).expect("the built-in seed is valid")
}

/// QPRBS13 from another PRBS13 start.
pub fn qprbs13_with_seed(seed: &[u8; 13]) -> Result<Vec<u8>> {
    let p = prbs13_period(seed)?;
    let not_p: Vec<u8> = p.iter().map(|b| b ^ 1).collect();
    let mut bits = Vec::with_capacity(31_096);
    bits.extend_from_slice(&p);
    bits.extend_from_slice(&not_p);
    bits.extend_from_slice(&p);
    bits.extend_from_slice(&not_p[..6_523]);
    Ok(gray(&bits))
}

/// PRBS31Q (Clause 120.5.11.2.2): the 802.3 PRBS31 (Clause 49.2.8, inverted output)
/// Gray coded, as a stream; period 2^31 − 1 symbols.
#[derive(Debug, Clone)]
pub struct Prbs31Q {
    prbs: Prbs,
    bits: Vec<u8>,
}

impl Prbs31Q {
    /// From PRBS31 register state `seed` (1 ..= 2^31 − 1).
    pub fn new(seed: u64) -> Result<Self> {
        Ok(Prbs31Q {
            prbs: Prbs::new(31, seed)?,
            bits: Vec::new(),
        })
    }

    /// The next `out.len()` symbols.
    pub fn fill_symbols(&mut self, out: &mut [u8]) {
        const CHUNK: usize = 8192;
        self.bits.resize(2 * CHUNK, 0);
        for part in out.chunks_mut(CHUNK) {
            let bits = &mut self.bits[..2 * part.len()];
            self.prbs.fill_bits(bits);
            for (s, p) in part.iter_mut().zip(bits.chunks_exact(2)) {
                *s = gray_encode(p[0], p[1]);
            }
        }
    }

    /// Back to the seed.
    pub fn reset(&mut self) {
        self.prbs.reset();
    }
}

/// SSPRQ, the short stress pattern random quaternary (Clause 120.5.11.2.3, seeds
/// in Table 120-2): 65,535 symbols.
///
/// Three sections of the 802.3 PRBS31 (inverted output; the seed is the register
/// state before the first bit, `S_i` = bit `i`): seed `0x00000002` for 10,924 bits,
/// `0x34013FF7` for 10,922 bits, `0x0CCCCCCC` for 10,922 bits — together sequence `A`
/// of 32,768 bits. The bit stream is `A`, `A`, `A` without its first bit, `A`
/// without its last bit (131,070 bits), Gray coded into 65,535 symbols; symbols
/// 16,384 … 32,767 and 49,151 … 65,534 are then inverted (`s → 3 − s`).
pub fn ssprq() -> Vec<u8> {
    let mut a = Vec::with_capacity(32_768);
    for (seed, n) in [
        (0x0000_0002u64, 10_924usize),
        (0x3401_3FF7, 10_922),
        (0x0CCC_CCCC, 10_922),
    ] {
        a.extend(
            Prbs::new(31, seed)
                .expect("Table 120-2 seeds are valid")
                .bits(n),
        );
    }
    let mut bits = Vec::with_capacity(131_070);
    bits.extend_from_slice(&a);
    bits.extend_from_slice(&a);
    bits.extend_from_slice(&a[1..]);
    bits.extend_from_slice(&a[..a.len() - 1]);
    let mut s = gray(&bits);
    invert_regions(&mut s);
    s
}

/// The SSPRQ symbol inversions (its own inverse).
fn invert_regions(s: &mut [u8]) {
    for r in [16_384..32_768, 49_151..65_535] {
        for x in &mut s[r] {
            *x = 3 - *x;
        }
    }
}

/// One period of a named pattern: `"prbs13q"`, `"qprbs13"` or `"ssprq"`.
pub fn pattern(name: &str) -> Result<Vec<u8>> {
    match name.to_ascii_lowercase().as_str() {
        "prbs13q" => Ok(prbs13q()),
        "qprbs13" => Ok(qprbs13()),
        "ssprq" => Ok(ssprq()),
        _ => Err(Error::invalid(
            "name",
            "one of prbs13q, qprbs13, ssprq",
            name,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::pam4::gray_decode;

    fn ungray(s: &[u8]) -> Vec<u8> {
        s.iter()
            .flat_map(|&x| {
                let (m, l) = gray_decode(x);
                [m, l]
            })
            .collect()
    }

    #[test]
    fn lengths() {
        assert_eq!(prbs13q().len(), 8_191);
        assert_eq!(qprbs13().len(), 15_548);
        assert_eq!(ssprq().len(), 65_535);
        assert!(pattern("prbs14q")
            .unwrap_err()
            .to_string()
            .contains("`name`"));
        assert_eq!(pattern("SSPRQ").unwrap(), ssprq());
    }

    #[test]
    fn prbs13q_is_two_periods_of_prbs13() {
        let bits = ungray(&prbs13q());
        assert_eq!(bits.len(), 16_382);
        assert_eq!(&bits[..8_191], &bits[8_191..]);
        // starts with the seed, s13 first
        let seed_first: Vec<u8> = PRBS13_COM_SEED.iter().rev().copied().collect();
        assert_eq!(&bits[..13], &seed_first[..]);
        // y[n] = y[n-1] ^ y[n-2] ^ y[n-12] ^ y[n-13] across the whole stream
        assert!((13..bits.len())
            .all(|n| bits[n] == bits[n - 1] ^ bits[n - 2] ^ bits[n - 12] ^ bits[n - 13]));
        // maximal length: 4,096 ones per period
        assert_eq!(bits[..8_191].iter().map(|&b| b as u32).sum::<u32>(), 4_096);
    }

    #[test]
    fn qprbs13_structure() {
        let bits = ungray(&qprbs13());
        let p = &bits[..8_191];
        assert!(bits[8_191..16_382].iter().zip(p).all(|(a, b)| a ^ b == 1));
        assert_eq!(&bits[16_382..24_573], p);
        assert!(bits[24_573..].iter().zip(p).all(|(a, b)| a ^ b == 1));
        assert_eq!(bits.len() - 24_573, 6_523);
    }

    #[test]
    fn ssprq_structure() {
        let s = ssprq();
        // undo the symbol inversions and recover A from the bit stream
        let mut plain = s.clone();
        invert_regions(&mut plain);
        let bits = ungray(&plain);
        let a = &bits[..32_768];
        assert_eq!(&bits[32_768..65_536], a);
        assert_eq!(&bits[65_536..98_303], &a[1..]);
        assert_eq!(&bits[98_303..], &a[..32_767]);
        // each section follows the inverted PRBS31 recurrence z[n] = z[n-28] ^ z[n-31] ^ 1
        for (lo, hi) in [(0, 10_924), (10_924, 21_846), (21_846, 32_768)] {
            let z = &a[lo..hi];
            assert!((31..z.len()).all(|n| z[n] == z[n - 28] ^ z[n - 31] ^ 1));
        }
        // the first bits: seed 2 means y[-2] = 1, all other history 0, so
        // y[n] = y[n-28] ^ y[n-31] is 0 until y[26] = y[-2]; then y[29] = y[1] ^ y[-2] = 1.
        // Inverted output: 26 ones, 0, 1, 1, 0.
        assert!(a[..26].iter().all(|&b| b == 1));
        assert_eq!(&a[26..30], &[0, 1, 1, 0]);
        // inverting the level (s -> 3 - s) of a Gray symbol flips its MSB only
        for (m, l) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
            assert_eq!(3 - gray_encode(m, l), gray_encode(1 - m, l));
        }
    }

    #[test]
    fn prbs31q_streams_in_chunks() {
        let mut a = Prbs31Q::new(5).unwrap();
        let mut whole = vec![0u8; 20_000];
        a.fill_symbols(&mut whole);
        let bits = Prbs::new(31, 5).unwrap().bits(40_000);
        assert_eq!(whole, gray(&bits));
        let mut b = Prbs31Q::new(5).unwrap();
        let mut parts = vec![0u8; 20_000];
        let (x, y) = parts.split_at_mut(7_777);
        b.fill_symbols(x);
        b.fill_symbols(y);
        assert_eq!(parts, whole);
        assert!(Prbs31Q::new(0).is_err());
    }
}
