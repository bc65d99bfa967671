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
//! 64×64 bit-matrix transposes, four symbols of 256 rows at a time. The portable
//! (AVX2) version runs six stages of masked shift/XOR (Warren, *Hacker's
//! Delight* §7-3), ≈ 1600 instructions per four symbols of 256 rows. On CPUs
//! with GFNI and AVX-512VBMI (detected at run time) the AVX-512 backend loads
//! with `syndrome/avx512.rs::load_gfni` instead: eight rows' 8-byte pieces make
//! one `zmm`, one `vpermb` gathers byte `k` of the eight rows into qword `k`,
//! one `vgf2p8affineqb` with the data as the *matrix* operand and the unit
//! bytes `1 << β` as the vector transposes each of those 8×8 bit blocks; three
//! stages of `vpermt2q` and one `vpermb` bring 64 rows' bytes together and two
//! more `vpermt2q` stages lay four such 64-row groups side by side as `ymm`
//! planes — ≈ 900 instructions, of which the row loads are the larger part.
//! The symbol check (`< 1024`) rides along: bits 10–15 land in planes 10–15 of
//! each symbol, which are ORed together, so valid batches need no pass of their
//! own (the index of a bad symbol is then found by a scalar scan). Batches are
//! processed in blocks of 256 words: the block is copied (sequential reads that
//! leave it in L2) before the kernel reads its rows 1 KiB apart; each row's next
//! cache line is prefetched during the last chunk that uses the current one
//! (fetching a whole line ahead kept 512 lines live — all of L1 — and evicted
//! them before use).
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
//! On AVX-512 CPUs the transposes around the kernels are AVX2 code (compiled
//! with AVX-512, LLVM vectorised the generic transposes with
//! `vpgatherqq`/`vpscatterqq`, 1.5× slower on Zen 4), but the Horner chunks are
//! compiled with AVX-512VL (`Ymm512`: 32 `ymm` registers, so accumulators and
//! inputs stay in registers, and `vpternlogq` three-way XORs) and the loads use
//! the GFNI transposes above.
//!
//! **The decoder's algebra** is scalar and branch-free: products by logarithms
//! (zero-sentinel log tables), the syndromes turned into logarithms once per
//! word, Berlekamp–Massey updates bounded by the polynomials' degrees, and
//! Forney's sums `Ω(X⁻¹)`, `Λ'(X⁻¹)` as independent look-ups with the exponent
//! stepped by an add (Horner's rule chained two dependent look-ups per step and
//! was latency-bound). Without erasures the final syndrome re-check is skipped:
//! a locator of degree `L` from Berlekamp–Massey with `L` distinct roots in the
//! live positions makes Forney's values reproduce all `2t` syndromes (proof in
//! `decode.rs`), so the corrected word is a codeword; with erasures, and on the
//! closed-form two-error path, the check stays.
//!
//! Measured (KP4, payload Gbit/s per core in thread CPU time, Zen 4 at 2.6 GHz,
//! machine at load 6–7, best of 31 runs: `FEC_BEST=1 FEC_CPU_TIME=1 cargo bench
//! --bench fec`): AVX-512 backend encode 14.2, decode clean 16, decode at BER
//! 2.4e-4 11.2, decode with 15 errors in every word 2.1; the AVX2 backend in the
//! same runs 10.7, 12.3, 8.9, 2.0. Medians of 21 runs on the quiet machine:
//! AVX-512 13.5–14.0, 14.8–15.5, 10.2–10.6, 2.12–2.17 (`benches/fec.rs`).
//!
//! What bounds the throughput now (perf, AVX-512 backend): at BER 2.4e-4 the
//! Horner XORs (735 per symbol of 256 words) and the row loads of the
//! transposes (256 scalar 8-byte loads per 4 symbols, 1 KiB apart), then the
//! block copy (the batch is decoded into the caller's buffer) and the algebra of
//! the ≈ 70% of words with errors. With 15 errors the scalar Berlekamp–Massey
//! (≈ 40% of the time: 30 iterations of dependent look-ups) and the Chien search
//! (≈ 20%: 3 groups × 15 coefficients × 20 table look-ups, the third group
//! holding only 32 live positions). Next steps: Berlekamp–Massey over 32–64
//! words at once (GF(2^10) as GF(2^5)², so that `vpermb` log/antilog tables of
//! 32 entries fit a register), the Chien search on `zmm` (two groups for 544
//! positions) sharing a coefficient's indices between groups, and wider row
//! loads (16 or 32 symbols) before the GFNI transposes.
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
