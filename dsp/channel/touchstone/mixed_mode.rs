//! Mixed-mode S parameters: a single-ended 2P-port seen as P differential pairs.
//!
//! For pair k with positive port `P_k` and negative port `N_k`, the differential and
//! common-mode waves are `a_d = (a_P − a_N)/√2` and `a_c = (a_P + a_N)/√2`. With the
//! orthogonal matrix M that maps single-ended waves to (d_1…d_P, c_1…c_P),
//! `S_mm = M · S · Mᵀ = [[SDD, SDC], [SCD, SCC]]`. This is exact for equal, real
//! reference impedances z0 on every port (the mixed-mode references are then 2·z0
//! differential and z0/2 common), which is what this module requires.

use num_complex::Complex64;

use super::network::Network;
use crate::error::{Error, Result};

/// Which single-ended ports form each differential pair (ports numbered from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PortOrdering {
    /// Odd ports at side 1: for 2P ports, pair k (1-based) is port k (+) and port k+P
    /// (−). For a 4-port: ports 1 (+) and 3 (−) are the pair at side 1, ports 2 (+)
    /// and 4 (−) the pair at side 2, so the two lines run 1→2 and 3→4 (the layout of
    /// many VNA exports where S21 is a through).
    OddEven,
    /// Adjacent ports pair up — scikit-rf's `Network.se2gmm(p)` convention (checked
    /// against scikit-rf 2.2 in the Python tests): pair k is port 2k−1 (+) and port 2k
    /// (−). For a 4-port: ports 1 (+) and 2 (−) are the pair at side 1, ports 3 (+)
    /// and 4 (−) at side 2, so the lines run 1→3 and 2→4.
    Adjacent,
}

impl PortOrdering {
    /// The 0-based `(positive, negative)` single-ended ports of each pair.
    pub fn pairs(self, nports: usize) -> Vec<(usize, usize)> {
        let p = nports / 2;
        match self {
            PortOrdering::OddEven => (0..p).map(|k| (k, k + p)).collect(),
            PortOrdering::Adjacent => (0..p).map(|k| (2 * k, 2 * k + 1)).collect(),
        }
    }

    /// The ordering from its name, case-insensitive: `odd_even` (also `oddeven`,
    /// `1-3/2-4`: ports 1 and 3 form the pair at side 1) or `adjacent` (also
    /// `12_34`, `1-2/3-4`, `se2gmm`: ports 1 and 2 form the pair at side 1).
    pub fn from_name(name: &str) -> Result<Self> {
        match name.to_ascii_lowercase().as_str() {
            "odd_even" | "oddeven" | "1-3/2-4" => Ok(PortOrdering::OddEven),
            "adjacent" | "12_34" | "1-2/3-4" | "se2gmm" => Ok(PortOrdering::Adjacent),
            _ => Err(Error::invalid(
                "ordering",
                "`odd_even` (= `1-3/2-4`) or `adjacent` (= `1-2/3-4`, scikit-rf's se2gmm)",
                name,
            )),
        }
    }
}

/// The four mixed-mode blocks of a network of P differential pairs, each
/// `nfreq × P × P` row-major like [`Network::s`]; mixed-mode port k is pair k.
#[derive(Debug, Clone, PartialEq)]
pub struct MixedMode {
    /// Frequencies in hertz.
    pub freqs_hz: Vec<f64>,
    /// Number of differential pairs P.
    pub npairs: usize,
    /// Differential out, differential in.
    pub sdd: Vec<Complex64>,
    /// Differential out, common-mode in.
    pub sdc: Vec<Complex64>,
    /// Common-mode out, differential in (mode conversion).
    pub scd: Vec<Complex64>,
    /// Common-mode out, common-mode in.
    pub scc: Vec<Complex64>,
}

impl MixedMode {
    fn block(block: &[Complex64], npairs: usize, i: usize, j: usize) -> Vec<Complex64> {
        block
            .chunks_exact(npairs * npairs)
            .map(|m| m[(i - 1) * npairs + (j - 1)])
            .collect()
    }
}

impl Network {
    /// Checks that the network can be seen as pairs: an even port count ≥ 2 and one
    /// reference impedance for every port.
    fn check_pairs(&self) -> Result<usize> {
        let n = self.nports();
        if n < 2 || !n.is_multiple_of(2) {
            return Err(Error::invalid(
                "nports",
                "an even number of single-ended ports (4 for one differential channel)",
                n,
            ));
        }
        let z0 = self.z0();
        if z0.iter().any(|&r| r != z0[0]) {
            return Err(Error::invalid(
                "z0",
                "the same reference impedance on every port",
                format!("{z0:?}"),
            ));
        }
        Ok(n / 2)
    }

    /// The mixed-mode blocks SDD, SDC, SCD, SCC with the given port `ordering`.
    /// Errors: an odd port count (names `nports`), unequal `z0`.
    pub fn mixed_mode(&self, ordering: PortOrdering) -> Result<MixedMode> {
        let p = self.check_pairs()?;
        let n = self.nports();
        let pairs = ordering.pairs(n);
        let h = std::f64::consts::FRAC_1_SQRT_2;
        // Row r of M: mixed-mode port r (d_1..d_P, c_1..c_P) as two single-ended
        // ports with their coefficients.
        let rows: Vec<[(usize, f64); 2]> = pairs
            .iter()
            .map(|&(pos, neg)| [(pos, h), (neg, -h)])
            .chain(pairs.iter().map(|&(pos, neg)| [(pos, h), (neg, h)]))
            .collect();
        let nf = self.nfreq();
        let zero = Complex64::new(0.0, 0.0);
        let mut blocks = [
            vec![zero; nf * p * p],
            vec![zero; nf * p * p],
            vec![zero; nf * p * p],
            vec![zero; nf * p * p],
        ];
        for (f, s) in self.s().chunks_exact(n * n).enumerate() {
            for (r, row) in rows.iter().enumerate() {
                for (c, col) in rows.iter().enumerate() {
                    let mut v = zero;
                    for &(i, mi) in row {
                        for &(j, mj) in col {
                            v += s[i * n + j] * (mi * mj);
                        }
                    }
                    let which = (r / p) * 2 + c / p; // 0 dd, 1 dc, 2 cd, 3 cc
                    blocks[which][f * p * p + (r % p) * p + c % p] = v;
                }
            }
        }
        let [sdd, sdc, scd, scc] = blocks;
        Ok(MixedMode {
            freqs_hz: self.freqs_hz().to_vec(),
            npairs: p,
            sdd,
            sdc,
            scd,
            scc,
        })
    }

    /// Checks that a 2-pair quantity such as SDD21 exists.
    fn check_two_pairs(&self) -> Result<()> {
        if self.nports() < 4 || !self.nports().is_multiple_of(2) {
            return Err(Error::invalid(
                "nports",
                "an even number >= 4 of single-ended ports (a 4-port for one differential channel)",
                self.nports(),
            ));
        }
        Ok(())
    }

    /// SDD21, the differential insertion response from pair 1 to pair 2, with the
    /// frequencies: `(freqs_hz, sdd21)`. What a channel model takes as its
    /// transfer function. Errors name `nports` when there are not two pairs.
    pub fn sdd21(&self, ordering: PortOrdering) -> Result<(Vec<f64>, Vec<Complex64>)> {
        self.check_two_pairs()?;
        let mm = self.mixed_mode(ordering)?;
        Ok((
            mm.freqs_hz.clone(),
            MixedMode::block(&mm.sdd, mm.npairs, 2, 1),
        ))
    }

    /// SDD11, the differential return loss at pair 1: `(freqs_hz, sdd11)`.
    pub fn sdd11(&self, ordering: PortOrdering) -> Result<(Vec<f64>, Vec<Complex64>)> {
        self.check_two_pairs()?;
        let mm = self.mixed_mode(ordering)?;
        Ok((
            mm.freqs_hz.clone(),
            MixedMode::block(&mm.sdd, mm.npairs, 1, 1),
        ))
    }

    /// SCD21, differential-to-common-mode conversion from pair 1 to pair 2:
    /// `(freqs_hz, scd21)`.
    pub fn scd21(&self, ordering: PortOrdering) -> Result<(Vec<f64>, Vec<Complex64>)> {
        self.check_two_pairs()?;
        let mm = self.mixed_mode(ordering)?;
        Ok((
            mm.freqs_hz.clone(),
            MixedMode::block(&mm.scd, mm.npairs, 2, 1),
        ))
    }
}
