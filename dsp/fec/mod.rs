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
//! codewords is ten AVX2 registers ("planes"), field addition is `vpxor`, and
//! multiplication by a constant is a fixed pattern of XORs of the ten planes.
//!
//! **Syndromes by Horner's rule.** `S_j = r(α^j)` is evaluated directly,
//! `acc_j ← acc_j·α^j + r_i` symbol by symbol. Multiplication by `α` moves every
//! plane up one power and folds plane 9 into planes 0 and 3 (`x^10 = x^3 + 1`):
//! one XOR, the rest is register renaming, so `·α^j` costs `j` XORs — for KP4
//! `Σ_{j<30} (j + 10) = 735` XORs per symbol and 256 codewords, against 1460 for
//! the `r(x) mod g(x)` divider it replaces (the generator's matrices are dense,
//! the powers of α sparse). Ten rotations bring the planes back to their
//! places, so the kernel has ten compiled variants (`j mod 10`) with a runtime
//! loop over `j / 10`, and each accumulator stays in registers over a chunk of
//! eight symbols. A group with all syndromes zero is stored as zeros at once.
//!
//! **Encoding by evaluation and interpolation.** The parity `p(x) = m(x)·x^(2t)
//! mod g(x)` has degree `< 2t`, and since the codeword vanishes at the roots of
//! `g`, `p(α^j) = α^(2t·j)·m(α^j)`. So the encoder runs the same Horner kernel
//! over the `k` message symbols and turns the `2t` values into the parity with a
//! fixed `2t × 2t` matrix (the inverse Vandermonde matrix of the roots, computed
//! once per code), applied once per group of 256 with the "method of four
//! Russians": the 32 XOR-subsets of a value's low five planes and the 32 of its
//! high five are built once, after which every constant product costs one look-up
//! pair per output plane. Codes with `2t > 64` keep the bit-sliced divider
//! (`bitslice::Register`: the shift register of `g(x)`, steps for `2t = 30` and
//! `14` with the generator's matrices as compile-time constants), where the
//! Horner cost `Σ (j + 10)` would exceed the divider's.
//!
//! **Transposes and memory.** Codewords are turned into planes and back by
//! 64×64 bit-matrix transposes (six stages of masked shift/XOR, Warren, *Hacker's
//! Delight* §7-3), four symbols of 256 rows at a time. Batches are processed in
//! blocks of 256 words: the block is checked and copied (sequential reads that
//! leave it in L2) before the kernel reads its rows 1 KiB apart, which the
//! hardware prefetchers could not follow from DRAM; rows are also prefetched a
//! cache line ahead.
//!
//! **Registers.** The portable body works on `[u64; 4]` lanes; LLVM kept those in
//! `ymm` registers for the XOR chains of the old divider but scalarised the
//! Horner kernel's by-value plane rotations and the Chien look-ups (2–6× slower).
//! The kernels are therefore generic over a `Plane` type, which the AVX2 shims
//! instantiate with a `__m256i` wrapper.
//!
//! The Chien search is bit-sliced over *positions* (256 per register) and only over
//! the `n` live ones, stopping when `deg Λ` roots are found; the subset tables of
//! the powers `α^(−k e)` are built once per code, so a locator coefficient costs
//! 20 look-ups per 256 positions. Forney's formula uses only the `l` low
//! coefficients of `Ω` (the key equation bounds its degree by the number of
//! errata). The algebra after the syndromes is scalar, with branch-free
//! multiplication (log tables whose zero entry points at a zero tail of the
//! antilog table) and Berlekamp–Massey updates bounded by the polynomials'
//! degrees.
//!
//! On AVX-512 CPUs these kernels run their AVX2 build: compiled with AVX-512
//! (`zmm`, or `ymm` with VL), LLVM vectorised the generic transposes with
//! `vpgatherqq`/`vpscatterqq`, which made them 1.5× slower on Zen 4, and Zen 4
//! executes `zmm` XORs as two halves and `vpternlogq` at half the rate of
//! `vpxor`, so the XOR-bound kernels gain little from AVX-512 there.
//!
//! What bounds the throughput now (perf, KP4, one core, AVX2 build): at pre-FEC
//! BER 2.4e-4 the syndrome kernel is about two thirds of a decode — its 735 XORs
//! per symbol, the 300 plane loads that feed them and the transposes (≈ 370
//! instructions per symbol) — and the block copy and the algebra of the
//! erroneous words the rest; the encoder is the same Horner kernel plus the
//! copy of the messages. With 15 errors in every word the scalar algebra
//! (Berlekamp–Massey, Forney, the syndrome check) is about half the time, the
//! Chien search a sixth. GFNI 8×8 bit transposes (`vgf2p8affineqb`) for the
//! transposes and a decoder that runs Berlekamp–Massey bit-sliced over 256 words
//! at once are the next steps.
//!
//! Nibble tables with `vpshufb` (the textbook route) need six shuffles per
//! product of 32 symbols because ten bits split as 4 + 4 + 2 and the product has
//! two bytes; bit slicing does the same work for 256 symbols in about 20 XORs.

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
