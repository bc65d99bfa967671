//! Quaternary test patterns (placeholder being written).
#![allow(missing_docs)]
use crate::error::{Error, Result};
pub struct Prbs31Q;
impl Prbs31Q {
    pub fn new(_seed: u64) -> Result<Self> {
        Ok(Prbs31Q)
    }
    pub fn fill_symbols(&mut self, _out: &mut [u8]) {}
}
pub fn pattern(name: &str) -> Result<Vec<u8>> {
    Err(Error::invalid("name", "prbs13q, qprbs13, ssprq", name))
}
