//! PRBS generators and checker (placeholder while being written).
#![allow(missing_docs)]
use crate::error::{Error, Result};
pub struct Prbs {
    state: u64,
    order: u32,
}
pub struct PrbsChecker;
impl Prbs {
    pub fn new(order: u32, seed: u64) -> Result<Self> {
        if ![7, 9, 11, 13, 15, 23, 31].contains(&order) {
            return Err(Error::invalid(
                "order",
                "one of 7, 9, 11, 13, 15, 23, 31",
                order,
            ));
        }
        Ok(Prbs {
            state: seed.max(1),
            order,
        })
    }
    pub fn fill_bits(&mut self, out: &mut [u8]) {
        let tap = match self.order {
            31 => 28,
            7 => 6,
            9 => 5,
            11 => 9,
            15 => 14,
            23 => 18,
            _ => 12,
        };
        for o in out {
            let b = ((self.state >> (self.order - 1)) ^ (self.state >> (tap - 1))) & 1;
            self.state = ((self.state << 1) | b) & ((1 << self.order) - 1);
            *o = b as u8;
        }
    }
}
impl Prbs {
    pub fn with_inversion(order: u32, seed: u64, _inverted: bool) -> Result<Self> {
        Self::new(order, seed)
    }
    pub fn bits(&mut self, n: usize) -> Vec<u8> {
        let mut v = vec![0; n];
        self.fill_bits(&mut v);
        v
    }
}
impl PrbsChecker {
    pub fn new(_order: u32) -> Result<Self> {
        Ok(PrbsChecker)
    }
    pub fn with_inversion(_order: u32, _inverted: bool) -> Result<Self> {
        Ok(PrbsChecker)
    }
    pub fn process(&mut self, _bits: &[u8]) -> Result<()> {
        Ok(())
    }
    pub fn bits_checked(&self) -> u64 {
        0
    }
    pub fn errors(&self) -> u64 {
        0
    }
    pub fn is_locked(&self) -> bool {
        false
    }
}
