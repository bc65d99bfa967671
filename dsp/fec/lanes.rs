//! Distribution of FEC symbols over PCS lanes, and the way back — so that an error
//! burst seen on one lane can be followed into the codewords it hit.
//!
//! In 200GBASE-R and 400GBASE-R (IEEE 802.3 Clause 119.2.4.7, reported) the
//! symbol-interleaved stream of two RS(544,514) codewords is dealt out to 8 or 16
//! PCS lanes 10 bits at a time, round robin from the lowest-numbered lane: stream
//! symbol `s` travels on lane `s mod L` as that lane's symbol `⌊s / L⌋`, LSB first.
//! Alignment markers and the PMA's bit multiplexing are not modelled: lane symbol
//! indices count FEC symbols only. A [`LaneMap`] combines that distribution with a
//! [`SymbolInterleaver`].

use crate::error::{Error, Result};
use crate::fec::bits::BITS_PER_SYMBOL;
use crate::fec::interleave::SymbolInterleaver;

/// Interleaving plus round-robin distribution of symbols over `lanes` lanes.
///
/// ```
/// use serdes_dsp::fec::lanes::LaneMap;
///
/// let map = LaneMap::pcs_400g(); // 2 × RS(544,514) over 16 PCS lanes
/// // A 25-bit burst on lane 3 starting at bit 100: lane symbols 10..=12.
/// let hits = map.burst(3, 100, 25)?;
/// assert_eq!(hits.len(), 3);
/// // Lane 3 carries stream symbols 3, 19, 35, …: odd, so always codeword B (index 1).
/// assert!(hits.iter().all(|&(cw, _)| cw == 1));
/// # Ok::<(), serdes_dsp::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaneMap {
    interleaver: SymbolInterleaver,
    lanes: usize,
}

impl LaneMap {
    /// `lanes ≥ 1` lanes after `interleaver`.
    pub fn new(interleaver: SymbolInterleaver, lanes: usize) -> Result<Self> {
        if lanes == 0 {
            return Err(Error::invalid("lanes", ">= 1", lanes));
        }
        Ok(LaneMap { interleaver, lanes })
    }

    /// 400GBASE-R: two-way interleaved RS(544,514) over 16 PCS lanes (Clause 119).
    pub fn pcs_400g() -> Self {
        LaneMap {
            interleaver: SymbolInterleaver::kp4_two_way(),
            lanes: 16,
        }
    }

    /// 200GBASE-R: two-way interleaved RS(544,514) over 8 PCS lanes (Clause 119).
    pub fn pcs_200g() -> Self {
        LaneMap {
            interleaver: SymbolInterleaver::kp4_two_way(),
            lanes: 8,
        }
    }

    /// The number of lanes.
    pub fn lanes(&self) -> usize {
        self.lanes
    }

    /// The interleaver in front of the lanes.
    pub fn interleaver(&self) -> SymbolInterleaver {
        self.interleaver
    }

    /// Interleaves `codewords` (whole blocks, back to back) and deals the stream
    /// out: one `Vec` of symbols per lane.
    pub fn distribute(&self, codewords: &[u16]) -> Result<Vec<Vec<u16>>> {
        let stream = self.interleaver.interleave(codewords)?;
        let mut out = vec![Vec::with_capacity(stream.len() / self.lanes + 1); self.lanes];
        for (s, &v) in stream.iter().enumerate() {
            out[s % self.lanes].push(v);
        }
        Ok(out)
    }

    /// The inverse of [`LaneMap::distribute`]: codewords back to back from the lanes.
    /// Lane `l` must hold `⌈(len − l) / L⌉` symbols of a stream of whole blocks.
    pub fn gather(&self, lanes: &[Vec<u16>]) -> Result<Vec<u16>> {
        if lanes.len() != self.lanes {
            return Err(Error::LengthMismatch {
                name: "lanes",
                expected: self.lanes,
                actual: lanes.len(),
            });
        }
        let total: usize = lanes.iter().map(Vec::len).sum();
        for (l, lane) in lanes.iter().enumerate() {
            let want = (total + self.lanes - 1 - l) / self.lanes;
            if lane.len() != want {
                return Err(Error::LengthMismatch {
                    name: "lanes",
                    expected: want,
                    actual: lane.len(),
                });
            }
        }
        let stream: Vec<u16> = (0..total)
            .map(|s| lanes[s % self.lanes][s / self.lanes])
            .collect();
        self.interleaver.deinterleave(&stream)
    }

    /// Where symbol `lane_symbol` of lane `lane` comes from: `(codeword, symbol)`.
    pub fn locate(&self, lane: usize, lane_symbol: usize) -> (usize, usize) {
        self.interleaver.locate(lane_symbol * self.lanes + lane)
    }

    /// The lane and lane symbol that carry symbol `symbol` of codeword `codeword`.
    pub fn lane_of(&self, codeword: usize, symbol: usize) -> (usize, usize) {
        let s = self.interleaver.stream_index(codeword, symbol);
        (s % self.lanes, s / self.lanes)
    }

    /// The codeword symbols hit by a burst of `bits` bit errors on lane `lane`
    /// starting at bit `first_bit` of that lane (10 bits per lane symbol, LSB
    /// first): `(codeword, symbol)` pairs in lane order.
    pub fn burst(&self, lane: usize, first_bit: usize, bits: usize) -> Result<Vec<(usize, usize)>> {
        if lane >= self.lanes {
            return Err(Error::invalid(
                "lane",
                format!("0 ..= {}", self.lanes - 1),
                lane,
            ));
        }
        if bits == 0 {
            return Ok(Vec::new());
        }
        let first = first_bit / BITS_PER_SYMBOL;
        let last = (first_bit + bits - 1) / BITS_PER_SYMBOL;
        Ok((first..=last).map(|ls| self.locate(lane, ls)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribute_gather_round_trip_and_tracing() {
        for map in [
            LaneMap::pcs_400g(),
            LaneMap::pcs_200g(),
            LaneMap::new(SymbolInterleaver::kp4_four_way(), 3).unwrap(),
        ] {
            let len = 3 * map.interleaver().block_len();
            let cws: Vec<u16> = (0..len).map(|i| (i * 7 % 1024) as u16).collect();
            let lanes = map.distribute(&cws).unwrap();
            assert_eq!(map.gather(&lanes).unwrap(), cws);
            for (l, lane) in lanes.iter().enumerate() {
                for (i, &v) in lane.iter().enumerate().step_by(37) {
                    let (c, p) = map.locate(l, i);
                    assert_eq!(v, cws[c * 544 + p]);
                    assert_eq!(map.lane_of(c, p), (l, i));
                }
            }
        }
        assert!(LaneMap::pcs_400g().burst(16, 0, 1).is_err());
    }
}
