//! Helpers shared by the integration tests (and, by `#[path]`, the benches): each
//! test binary uses only some of them.
#![allow(dead_code)]

pub mod eq;

/// xorshift64* — a tiny seeded generator so that proptest only has to shrink seeds
/// (the seed must not be 0).
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `[0, 1)` from the top 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in `0..n` (modulo bias negligible for small `n`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A random GF(2^10) symbol, `0..1024`.
    pub fn symbol(&mut self) -> u16 {
        (self.next() % 1024) as u16
    }
    /// A random non-zero GF(2^10) symbol, `1..1024`.
    pub fn nonzero(&mut self) -> u16 {
        1 + (self.next() % 1023) as u16
    }
    /// `count` distinct positions in `0..n`.
    pub fn positions(&mut self, n: usize, count: usize) -> Vec<usize> {
        let mut p: Vec<usize> = (0..n).collect();
        for i in 0..count {
            let j = i + self.below(n - i);
            p.swap(i, j);
        }
        p.truncate(count);
        p
    }
}
