//! 10-bit FEC symbols to and from bit streams, in the bit order of IEEE 802.3.
//!
//! Each symbol goes on the wire least significant bit first: in Clause 91.5.2.7 the
//! message symbol `m_(k−1−i)` is the ten bits `tx_scrambled<10i+9:10i>` (bit 0 of the
//! symbol is the earlier bit), and Clause 119.2.4.6 (Figure 119-9) transmits the
//! codeword symbols the same way. (The project's `STANDARDS.md` lists this order as
//! *reported*: taken from secondary sources, not yet checked against the text.)
//!
//! Bits are `u8` values 0 or 1, one per element, as everywhere in the crate.

use crate::error::{Error, Result};
use crate::fec::gf;
use crate::fec::rs::check_symbols;

/// Bits per FEC symbol.
pub const BITS_PER_SYMBOL: usize = gf::BITS as usize;

/// The bits of `symbols` in transmission order (10 per symbol, LSB first).
pub fn symbols_to_bits(symbols: &[u16]) -> Result<Vec<u8>> {
    let mut bits = vec![0u8; symbols.len() * BITS_PER_SYMBOL];
    symbols_to_bits_into(symbols, &mut bits)?;
    Ok(bits)
}

/// [`symbols_to_bits`] into `bits` (length `10 · symbols.len()`).
pub fn symbols_to_bits_into(symbols: &[u16], bits: &mut [u8]) -> Result<()> {
    check_symbols("symbols", symbols)?;
    if bits.len() != symbols.len() * BITS_PER_SYMBOL {
        return Err(Error::LengthMismatch {
            name: "bits",
            expected: symbols.len() * BITS_PER_SYMBOL,
            actual: bits.len(),
        });
    }
    for (&s, out) in symbols.iter().zip(bits.chunks_exact_mut(BITS_PER_SYMBOL)) {
        for (b, o) in out.iter_mut().enumerate() {
            *o = (s >> b & 1) as u8;
        }
    }
    Ok(())
}

/// Symbols from a bit stream (LSB of each symbol first); `bits.len()` must be a
/// multiple of 10 and every element 0 or 1.
pub fn bits_to_symbols(bits: &[u8]) -> Result<Vec<u16>> {
    if !bits.len().is_multiple_of(BITS_PER_SYMBOL) {
        return Err(Error::invalid(
            "bits",
            "a length that is a multiple of 10",
            bits.len(),
        ));
    }
    let mut symbols = vec![0u16; bits.len() / BITS_PER_SYMBOL];
    bits_to_symbols_into(bits, &mut symbols)?;
    Ok(symbols)
}

/// [`bits_to_symbols`] into `symbols` (length `bits.len() / 10`).
pub fn bits_to_symbols_into(bits: &[u8], symbols: &mut [u16]) -> Result<()> {
    if bits.len() != symbols.len() * BITS_PER_SYMBOL {
        return Err(Error::LengthMismatch {
            name: "bits",
            expected: symbols.len() * BITS_PER_SYMBOL,
            actual: bits.len(),
        });
    }
    crate::error::check_max_u8("bits", bits, 1)?;
    for (s, chunk) in symbols.iter_mut().zip(bits.chunks_exact(BITS_PER_SYMBOL)) {
        *s = chunk
            .iter()
            .enumerate()
            .fold(0u16, |acc, (b, &v)| acc | (v as u16) << b);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lsb_first_and_round_trip() {
        let bits = symbols_to_bits(&[1, 0x200, 0x3ff]).unwrap();
        assert_eq!(&bits[..10], &[1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&bits[10..20], &[0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(bits_to_symbols(&bits).unwrap(), vec![1, 0x200, 0x3ff]);
        assert!(symbols_to_bits(&[1024]).is_err());
        assert!(bits_to_symbols(&[0; 9]).is_err());
        assert!(bits_to_symbols(&[2; 10])
            .unwrap_err()
            .to_string()
            .contains("`bits`"));
    }
}
