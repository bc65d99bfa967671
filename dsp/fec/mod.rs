//! Forward error correction of IEEE 802.3: GF(2^10) arithmetic and the Reed-Solomon
//! codes RS(544,514) "KP4" and RS(528,514) "KR4" (or any shortened RS code over
//! GF(2^10)), with the bit order, interleaving and lane distribution of the PCS,
//! and post-FEC error-rate analysis.
//!
//! # The pieces
//!
//! - [`gf`] — the field of Clause 91.5.2.7: `x^10 + x^3 + 1`, `α = x`, log/antilog
//!   tables.
//! - [`ReedSolomon`] (`rs.rs`) — the code: `new(n, k)`, [`ReedSolomon::kp4`],
//!   [`ReedSolomon::kr4`]; encode and decode one word or a batch, into caller
//!   buffers or new ones.
//! - [`encode`] — the parity `m(x)·x^(2t) mod g(x)`; [`syndrome`] — `S_j = r(α^j)`;
//!   [`chien`] — the locator's roots. Each has a scalar reference; encoding and
//!   syndromes also have SIMD kernels (`bitslice.rs` with AVX2/AVX-512 shims).
//! - `decode.rs` — what follows the syndromes: zero syndromes exit at once; one
//!   and two errors in closed form; otherwise errors-and-erasures
//!   Berlekamp–Massey, Chien search over the `n` real positions only, Forney; and
//!   every correction is checked to reproduce all `2t` syndromes before it is
//!   applied, so a word reported corrected is always a codeword.
//! - [`bits`] — 10-bit symbols to and from bit streams, least significant bit
//!   first (Clause 119.2.4.6 / Figure 119-9).
//! - [`interleave`] — symbol interleaving of 2 codewords (400GBASE-R, Clause 119)
//!   or 4 (200G/lane PHYs).
//! - [`lanes`] — distribution of FEC symbols over PCS lanes and back, and where a
//!   lane's symbol came from, to follow a burst into codewords.
//! - [`stats`] — 802.3-style FEC counters and the analytic codeword failure rate
//!   and post-FEC BER.
//!
//! # SIMD: bit slicing
//!
//! Multiplying by a constant in GF(2^10) is a 10×10 matrix over GF(2). The SIMD
//! kernels put one *codeword* per bit of a register: a symbol position of 256
//! codewords is ten AVX2 registers (512 and AVX-512), field addition is `vpxor`,
//! and multiplication by a constant is a fixed pattern of XORs of the ten planes.
//! The encoder's shift register multiplies one feedback symbol by all `2t`
//! generator coefficients per step; the kernel builds the 32 XOR-subsets of the
//! feedback's low five planes and the 32 of its high five once (62 XORs), after
//! which every product costs one XOR per output plane ("method of four
//! Russians"), about 2.5 register XORs per generator coefficient for 256
//! codewords. Codewords are turned into planes and back by 64×64 bit-matrix
//! transposes (six stages of masked shift/XOR). The syndromes reuse the divider:
//! `r(x) mod g(x)` (divide the message part, add the received parity), then the
//! remainder — `2t` symbols instead of `n` — is evaluated at the `2t` roots,
//! bit-sliced too; an all-zero group skips that.
//!
//! Nibble tables with `vpshufb` (the textbook route) need six shuffles per
//! product of 32 symbols because ten bits split as 4 + 4 + 2 and the product has
//! two bytes; bit slicing does the same work for 256 symbols in about 20 XORs,
//! and AVX2 has no per-lane table for the Horner products at 30 different roots.
//! The decoder after the syndromes is scalar (it runs only for codewords with
//! errors, mostly in closed form).

pub mod bits;
pub(crate) mod bitslice;
pub mod chien;
mod decode;
pub mod encode;
pub mod extrapolate;
pub mod gf;
pub mod interleave;
pub mod lanes;
mod rs;
pub mod stats;
pub mod syndrome;

pub use decode::{Correction, Outcome};
pub use rs::ReedSolomon;
