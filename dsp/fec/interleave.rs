//! Symbol interleaving of codewords.
//!
//! - **2-way**, 400GBASE-R and 200GBASE-R (IEEE 802.3 Clause 119.2.4.6): the PCS
//!   distributes its data to two RS(544,514) encoders 10 bits at a time, round
//!   robin, and plays the two codewords out the same way, so the stream is
//!   `A_0 B_0 A_1 B_1 …`. A burst of `b` consecutive symbols costs each codeword at
//!   most `⌈b/2⌉` symbol errors.
//! - **4-way**, as used by the 200G-per-lane PHYs (IEEE 802.3dj): the same round
//!   robin over four codewords, `A_0 B_0 C_0 D_0 A_1 …`.
//!
//! [`SymbolInterleaver`] does any number of ways; the stream is cut into blocks of
//! `ways · n` symbols, block `m` carrying codewords `ways·m … ways·m + ways − 1`.

use crate::error::{Error, Result};

/// Round-robin symbol interleaving of `ways` codewords of `n` symbols.
///
/// ```
/// use serdes_dsp::fec::interleave::SymbolInterleaver;
///
/// let il = SymbolInterleaver::new(2, 3)?;
/// let a_then_b = [1u16, 2, 3, 11, 12, 13]; // codeword A, then B
/// let stream = il.interleave(&a_then_b)?;
/// assert_eq!(stream, [1, 11, 2, 12, 3, 13]);
/// assert_eq!(il.deinterleave(&stream)?, a_then_b);
/// assert_eq!(il.locate(3), (1, 1)); // stream symbol 3 is symbol 1 of codeword B
/// # Ok::<(), serdes_dsp::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SymbolInterleaver {
    ways: usize,
    n: usize,
}

impl SymbolInterleaver {
    /// `ways ≥ 1` codewords of `n ≥ 1` symbols per block.
    pub fn new(ways: usize, n: usize) -> Result<Self> {
        if ways == 0 {
            return Err(Error::invalid("ways", ">= 1", ways));
        }
        if n == 0 {
            return Err(Error::invalid("n", ">= 1", n));
        }
        Ok(SymbolInterleaver { ways, n })
    }

    /// Two RS(544,514) codewords, as in 400GBASE-R / 200GBASE-R (Clause 119).
    pub fn kp4_two_way() -> Self {
        SymbolInterleaver { ways: 2, n: 544 }
    }

    /// Four RS(544,514) codewords, as in the 200G-per-lane PHYs (802.3dj).
    pub fn kp4_four_way() -> Self {
        SymbolInterleaver { ways: 4, n: 544 }
    }

    /// Codewords per block.
    pub fn ways(&self) -> usize {
        self.ways
    }

    /// Symbols per codeword.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Symbols per block, `ways · n`.
    pub fn block_len(&self) -> usize {
        self.ways * self.n
    }

    /// Interleaves whole blocks: `codewords` holds codewords back to back (a
    /// multiple of `ways · n` symbols); returns the stream.
    pub fn interleave(&self, codewords: &[u16]) -> Result<Vec<u16>> {
        let mut out = vec![0u16; codewords.len()];
        self.interleave_into(codewords, &mut out)?;
        Ok(out)
    }

    /// [`SymbolInterleaver::interleave`] into `stream` (same length).
    pub fn interleave_into(&self, codewords: &[u16], stream: &mut [u16]) -> Result<()> {
        self.check("codewords", codewords.len(), stream.len())?;
        let (w, n) = (self.ways, self.n);
        for (src, dst) in codewords
            .chunks_exact(w * n)
            .zip(stream.chunks_exact_mut(w * n))
        {
            for (c, cw) in src.chunks_exact(n).enumerate() {
                for (i, &s) in cw.iter().enumerate() {
                    dst[i * w + c] = s;
                }
            }
        }
        Ok(())
    }

    /// The inverse of [`SymbolInterleaver::interleave`].
    pub fn deinterleave(&self, stream: &[u16]) -> Result<Vec<u16>> {
        let mut out = vec![0u16; stream.len()];
        self.deinterleave_into(stream, &mut out)?;
        Ok(out)
    }

    /// [`SymbolInterleaver::deinterleave`] into `codewords` (same length).
    pub fn deinterleave_into(&self, stream: &[u16], codewords: &mut [u16]) -> Result<()> {
        self.check("stream", stream.len(), codewords.len())?;
        let (w, n) = (self.ways, self.n);
        for (src, dst) in stream
            .chunks_exact(w * n)
            .zip(codewords.chunks_exact_mut(w * n))
        {
            for (c, cw) in dst.chunks_exact_mut(n).enumerate() {
                for (i, s) in cw.iter_mut().enumerate() {
                    *s = src[i * w + c];
                }
            }
        }
        Ok(())
    }

    /// Where stream symbol `index` comes from: `(codeword, symbol)`, the codeword
    /// counted from the start of the stream (block `m` holds codewords
    /// `ways·m … ways·m + ways − 1`).
    pub fn locate(&self, index: usize) -> (usize, usize) {
        let (block, j) = (index / self.block_len(), index % self.block_len());
        (block * self.ways + j % self.ways, j / self.ways)
    }

    /// The stream index of symbol `symbol` of codeword `codeword` (the inverse of
    /// [`SymbolInterleaver::locate`]).
    pub fn stream_index(&self, codeword: usize, symbol: usize) -> usize {
        let (block, c) = (codeword / self.ways, codeword % self.ways);
        block * self.block_len() + symbol * self.ways + c
    }

    fn check(&self, name: &'static str, len: usize, out_len: usize) -> Result<()> {
        if !len.is_multiple_of(self.block_len()) {
            return Err(Error::invalid(
                name,
                format!("a multiple of ways · n = {} symbols", self.block_len()),
                format!("{len} symbols"),
            ));
        }
        if out_len != len {
            return Err(Error::LengthMismatch {
                name: "output",
                expected: len,
                actual: out_len,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_way_round_trip_and_locate() {
        let il = SymbolInterleaver::kp4_four_way();
        let cws: Vec<u16> = (0..2 * il.block_len()).map(|i| (i % 1021) as u16).collect();
        let s = il.interleave(&cws).unwrap();
        assert_eq!(il.deinterleave(&s).unwrap(), cws);
        for idx in [0, 1, 5, 2175, 2176, 4000] {
            let (c, p) = il.locate(idx);
            assert_eq!(s[idx], cws[c * 544 + p]);
            assert_eq!(il.stream_index(c, p), idx);
        }
        assert!(il.interleave(&cws[1..]).is_err());
        assert!(SymbolInterleaver::new(0, 5).is_err());
    }
}
