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
//! - [`extrapolate`] — burst-aware post-FEC extrapolation: error events (runs of
//!   wrong symbols) and their lengths, compound-Poisson model, Panjer's recursion.
//!
//! # SIMD: bit slicing
//!
//! Multiplying by a constant in GF(2^10) is a 10×10 matrix over GF(2). The SIMD
//! kernels put one *codeword* per bit of a register: a symbol position of 256
//! codewords is ten AVX2 registers, field addition is `vpxor`,
//! and multiplication by a constant is a fixed pattern of XORs of the ten planes.
//! The encoder's shift register multiplies one feedback symbol by all `2t`
//! generator coefficients per step. For `2t = 30` (KP4) and `2t = 14` (KR4) the
//! step is written out with the generator's 10×10 matrices as compile-time
//! constants: each output plane is the XOR of the feedback planes of the set bits
//! of its row (1460 XORs per step for KP4, about 5 per plane), the ten feedback
//! planes stay in registers and each remainder slot is loaded and stored once —
//! no tables, no indices. Other codes use the "method of four Russians": the 32
//! XOR-subsets of the feedback's low five planes and the 32 of its high five are
//! built once (62 XORs), after which every product costs one look-up pair per
//! output plane. Codewords are turned into planes and back by 64×64 bit-matrix
//! transposes (six stages of masked shift/XOR), rows prefetched a line ahead. The
//! syndromes reuse the divider: `r(x) mod g(x)` (divide the message part, add the
//! received parity), then the remainder — `2t` symbols instead of `n` — is
//! evaluated at the `2t` roots, bit-sliced too; an all-zero group skips that.
//!
//! The Chien search is bit-sliced over *positions* (256 per register) and only over
//! the `n` live ones; the subset tables of the powers `α^(−k e)` are built once per
//! code, so a locator coefficient costs 20 look-ups per 256 positions. Forney's
//! formula uses only the `l` low coefficients of `Ω` (the key equation bounds its
//! degree by the number of errata).
//!
//! On AVX-512 CPUs these kernels currently run their AVX2 build: compiled with
//! AVX-512 (`zmm`, or `ymm` with VL), LLVM vectorised the generic transposes and
//! look-ups with `vpgatherqq`/`vpscatterqq`, which made them 1.5× slower on Zen 4.
//! What bounds the throughput now (perf, KP4, one core): the syndrome kernel is
//! ~60–70 % of a decode at pre-FEC BER 2.4e-4 and within it the scattered row loads
//! (256 rows a codeword apart, read 8 bytes at a time) and the transposes weigh as
//! much as the XORs of the shift register; the scalar algebra after it is ~10 %.
//! Reading a whole cache line per row (32 symbols, eight transposes at once) and
//! GFNI 8×8 transposes are the next steps.
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
