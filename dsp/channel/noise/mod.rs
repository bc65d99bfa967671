//! Gaussian noise (placeholder being replaced by the SIMD implementation).
#![allow(missing_docs)]
use crate::error::{Error, Result};

pub struct Gaussian {
    state: u64,
}
impl Gaussian {
    pub fn new(seed: u64) -> Self {
        Gaussian { state: seed }
    }
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    pub fn fill(&mut self, out: &mut [f32]) {
        for o in out {
            let r = self.next_u64();
            let u1 = ((r >> 40) as f64 + 0.5) / (1u64 << 24) as f64;
            let u2 = (r & 0xffffff) as f64 / (1u64 << 24) as f64;
            *o = ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32;
        }
    }
}
pub struct Awgn {
    sigma: f32,
    g: Gaussian,
    buf: Vec<f32>,
}
impl Awgn {
    pub fn from_snr_db(snr_db: f64, signal_power: f64, seed: u64) -> Result<Self> {
        if !snr_db.is_finite() {
            return Err(Error::invalid("snr_db", "a finite number", snr_db));
        }
        let sigma = (signal_power / 10f64.powf(snr_db / 10.0)).sqrt() as f32;
        Ok(Awgn {
            sigma,
            g: Gaussian::new(seed),
            buf: Vec::new(),
        })
    }
    pub fn sigma(&self) -> f32 {
        self.sigma
    }
    pub fn process_in_place(&mut self, x: &mut [f32]) {
        self.buf.resize(x.len(), 0.0);
        self.g.fill(&mut self.buf);
        for (a, n) in x.iter_mut().zip(&self.buf) {
            *a += self.sigma * n;
        }
    }
}
impl Awgn {
    pub fn with_backend(self, _b: crate::cpu::Backend) -> Result<Self> {
        Ok(self)
    }
    pub fn process(&mut self, x: &[f32]) -> Vec<f32> {
        let mut v = x.to_vec();
        self.process_in_place(&mut v);
        v
    }
    pub fn reset(&mut self) {}
}
