//! Bit-sliced Reed-Solomon arithmetic over many codewords at once: the engine of
//! the SIMD encoder and syndrome kernels.
//!
//! # Layout
//!
//! A [`Lanes<W>`] is `64·W` bits — one bit per codeword of a group (`W = 4`: one AVX2
//! register, 256 codewords; `W = 8`: one AVX-512 register, 512 codewords). A symbol
//! position of the whole group is ten `Lanes` ("planes"): plane `b` holds bit `b`
//! of that symbol of every codeword. Addition in GF(2^10) is XOR of planes.
//!
//! # Multiplication by a constant ("method of four Russians")
//!
//! `v ↦ c·v` is linear over GF(2): output bit `o` is the XOR of the input bits in
//! row `o` of the 10×10 matrix of `c` ([`gf::mul_matrix_rows`]). Split each row into
//! its low five and high five columns. For a given input `v`, the 32 XORs of every
//! subset of `v`'s planes 0–4 and the 32 of planes 5–9 are built once (62 XORs);
//! then *any* constant times `v` costs one XOR per output plane:
//! `(c·v)_o = LO[row_o & 31] ^ HI[row_o >> 5]`. In the encoder's shift register all
//! `2t` generator coefficients multiply the same feedback symbol, so one pair of
//! subset tables serves `2t` products: 62 + 20·2t XORs for `2t` multiplications of
//! `64·W` symbols, i.e. about 2.5 vector XORs per product of a whole register.
//!
//! # Horner's rule at the roots
//!
//! [`evaluate`] computes `Σ_i r_i·α^(j(len−1−i))` for every root `α^j` and
//! row: `acc_j ← acc_j·α^j + r_i`. Multiplication by `α` rotates the planes up
//! one power and XORs plane 9 into plane 3 (`x^10 = x^3 + 1`); done `j` times with
//! the rotation resolved at compile time, `·α^j` costs `j` XORs (735 per symbol
//! for the 30 roots of KP4; the dense generator matrices of the divider cost
//! 1460). The syndromes are these sums over the received word; the encoder's
//! parity is a fixed linear map of them over the message ([`interpolation_matrix`]).
//!
//! # Transposition
//!
//! Symbols arrive codeword by codeword (`u16`, transmission order). Four symbols of
//! a codeword are one `u64`; 64 codewords give a 64×64 bit matrix, transposed in six
//! stages of masked shifts and XORs (the recursive block swap of Warren, *Hacker's
//! Delight*, §7-3), on `W` groups of 64 codewords in parallel lanes. Row `16u + b`
//! of the result is plane `b` of symbol `u`; rows `16u + 10 … 16u + 15` are zero.
//! The same transposition turns planes back into symbols. A [`Plane`] type may
//! bring its own load of full groups ([`Plane::load_full`]: the GFNI transposes
//! of `syndrome/avx512.rs`), tested bit-exact against this one.
//!
//! Every function here is `#[inline(always)]` and safe: the per-ISA shims
//! (`encode/avx2.rs`, …) enable the target features and call them. The Horner
//! and Chien kernels compute on a [`Plane`] type, which the shims set to a
//! `__m256i` wrapper: as by-value `[u64; W]` arrays LLVM scalarised them.

// Loops over `0..W` and `0..64` index several arrays in lockstep; written as index
// loops so that each is one fixed-width register operation after inlining.
#![allow(clippy::needless_range_loop)]

use super::gf;

/// `64·W` bits: one bit per codeword of a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C, align(32))]
pub(crate) struct Lanes<const W: usize>(pub(crate) [u64; W]);

impl<const W: usize> Lanes<W> {
    pub(crate) const ZERO: Self = Lanes([0; W]);

    #[inline(always)]
    pub(crate) fn xor(self, o: Self) -> Self {
        let mut r = self.0;
        for i in 0..W {
            r[i] ^= o.0[i];
        }
        Lanes(r)
    }

    #[inline(always)]
    pub(crate) fn or(self, o: Self) -> Self {
        let mut r = self.0;
        for i in 0..W {
            r[i] |= o.0[i];
        }
        Lanes(r)
    }

    #[inline(always)]
    fn and_shr_xor(a: Self, b: Self, shift: u32, mask: u64) -> Self {
        let mut r = [0; W];
        for i in 0..W {
            r[i] = ((a.0[i] >> shift) ^ b.0[i]) & mask;
        }
        Lanes(r)
    }

    #[inline(always)]
    fn shl(self, shift: u32) -> Self {
        let mut r = self.0;
        for x in &mut r {
            *x <<= shift;
        }
        Lanes(r)
    }

    #[inline(always)]
    pub(crate) fn is_zero(self) -> bool {
        self.0.iter().fold(0, |a, &x| a | x) == 0
    }
}

/// One symbol position of a group: ten planes.
pub(crate) type Planes<const W: usize> = [Lanes<W>; 10];

/// The 20 subset-table indices of a constant: `[row_0 & 31, …, row_9 & 31,
/// row_0 >> 5, …, row_9 >> 5]` of its multiplication matrix.
pub(crate) type ConstIndex = [u8; 20];

/// The subset-table indices of multiplication by `c`.
pub(crate) const fn const_index(c: u16) -> ConstIndex {
    let rows = gf::mul_matrix_rows_const(c);
    let mut idx = [0u8; 20];
    let mut o = 0;
    while o < 10 {
        idx[o] = (rows[o] & 31) as u8;
        idx[10 + o] = (rows[o] >> 5) as u8;
        o += 1;
    }
    idx
}

const fn build_all_const_index() -> [ConstIndex; 1024] {
    let mut t = [[0u8; 20]; 1024];
    let mut c = 0;
    while c < 1024 {
        t[c] = const_index(c as u16);
        c += 1;
    }
    t
}

/// [`const_index`] of every symbol, computed at compile time (20 KiB): the Chien
/// search multiplies by locator coefficients that change per codeword.
static ALL_CONST_INDEX: [ConstIndex; 1024] = build_all_const_index();

/// `g_0 … g_(T−1)` of `g(x) = ∏_{j<T} (x − α^j)` at compile time (`T ≤ 32`).
const fn generator_coefficients<const T: usize>() -> [u16; T] {
    let mut g = [0u16; 33];
    g[0] = 1;
    let mut j = 0;
    while j < T {
        // r = α^j.
        let mut r = 1u16;
        let mut e = 0;
        while e < j {
            r = gf::mul_const(r, 2);
            e += 1;
        }
        let mut i = j + 1;
        while i >= 1 {
            g[i] = g[i - 1] ^ gf::mul_const(g[i], r);
            i -= 1;
        }
        g[0] = gf::mul_const(g[0], r);
        j += 1;
    }
    let mut out = [0u16; T];
    let mut i = 0;
    while i < T {
        out[i] = g[i];
        i += 1;
    }
    out
}

/// Multiplication-matrix rows of `g_0 … g_(T−1)` (row `o`, bit `b`: input plane `b`
/// enters output plane `o`), at compile time, for the direct-XOR steps.
const fn generator_rows<const T: usize>() -> [[u16; 10]; T] {
    let g = generator_coefficients::<T>();
    let mut out = [[0u16; 10]; T];
    let mut i = 0;
    while i < T {
        out[i] = gf::mul_matrix_rows_const(g[i]);
        i += 1;
    }
    out
}

/// Matrix rows of the KP4 generator coefficients (direct-XOR steps).
const KP4_ROWS: [[u16; 10]; 30] = generator_rows::<30>();
/// Matrix rows of the KR4 generator coefficients (direct-XOR steps).
const KR4_ROWS: [[u16; 10]; 14] = generator_rows::<14>();

/// Which shift-register step a code uses: the generic one reads its constants from
/// [`SlicedCode::gen`]; for `2t = 30` and `2t = 14` (the generator depends only on
/// `2t`) a fully unrolled step has them as immediates.
pub(crate) const STEP_GENERIC: u8 = 0;
pub(crate) const STEP_2T30: u8 = 1;
pub(crate) const STEP_2T14: u8 = 2;

/// Tables of one code for the bit-sliced kernels.
#[derive(Debug, Clone)]
pub(crate) struct SlicedCode {
    /// `2t`.
    pub(crate) two_t: usize,
    /// `gen[j]`: indices of `g_j`, `j = 0 … 2t−1`.
    pub(crate) gen: Vec<ConstIndex>,
    /// `syn[m·2t + j]`: indices of `α^(j·(2t−1−m))`, the weight of remainder
    /// symbol `m` (transmission order) in `S_j`.
    pub(crate) syn: Vec<ConstIndex>,
    /// [`STEP_GENERIC`], [`STEP_2T30`] or [`STEP_2T14`].
    pub(crate) step: u8,
    /// For `2t ≤` [`HORNER_MAX_2T`] (empty otherwise): `interp[j·2t + m]`, indices
    /// of the weight of `m(α^j)` in parity symbol `m` (transmission order) — the
    /// encoder by evaluation and interpolation (see [`parity_batch`]).
    pub(crate) interp: Vec<ConstIndex>,
}

/// Codes with `2t` up to this use the Horner kernels ([`evaluate`]): their cost per
/// symbol, `Σ_{j<2t} (j + 10)` XORs, stays below the divider's (≈ 50 per generator
/// coefficient) up to about `2t = 70`.
pub(crate) const HORNER_MAX_2T: usize = 64;

/// The matrix that turns the evaluations `e_j = m(α^j)` of a message into its
/// parity: the remainder `p(x) = m(x)·x^(2t) mod g(x)` has degree `< 2t` and
/// `p(α^j) = α^(2t·j)·e_j` at the `2t` roots of `g` (the codeword vanishes there),
/// so `p = V⁻¹·diag(α^(2t·j))·e` with the Vandermonde matrix `V[j][i] = α^(i·j)`.
/// Returned as `q[m][j]`: parity symbol `m` (transmission order, the coefficient
/// of `x^(2t−1−m)`) is `Σ_j q[m][j]·e_j`.
pub(crate) fn interpolation_matrix(two_t: usize) -> Vec<Vec<u16>> {
    // Gauss–Jordan on [V | I] over GF(2^10); V is invertible (distinct roots).
    let mut a: Vec<Vec<u16>> = (0..two_t)
        .map(|j| {
            let mut row: Vec<u16> = (0..two_t).map(|i| gf::alpha_pow((i * j) as i64)).collect();
            row.extend((0..two_t).map(|c| u16::from(c == j)));
            row
        })
        .collect();
    for col in 0..two_t {
        let Some(p) = (col..two_t).find(|&r| a[r][col] != 0) else {
            unreachable!("a Vandermonde matrix of distinct points is invertible")
        };
        a.swap(col, p);
        let inv = gf::inv(a[col][col]);
        for x in a[col].iter_mut() {
            *x = gf::mul(*x, inv);
        }
        for r in 0..two_t {
            let f = a[r][col];
            if r != col && f != 0 {
                for c in 0..2 * two_t {
                    let v = gf::mul(f, a[col][c]);
                    a[r][c] ^= v;
                }
            }
        }
    }
    // c_i = Σ_j Vinv[i][j]·α^(2t·j)·e_j; parity symbol m is c_(2t−1−m).
    (0..two_t)
        .map(|m| {
            let i = two_t - 1 - m;
            (0..two_t)
                .map(|j| gf::mul(a[i][two_t + j], gf::alpha_pow((two_t * j) as i64)))
                .collect()
        })
        .collect()
}

impl SlicedCode {
    pub(crate) fn new(generator: &[u16]) -> SlicedCode {
        let two_t = generator.len() - 1;
        let gen = generator[..two_t].iter().map(|&g| const_index(g)).collect();
        let mut syn = Vec::with_capacity(two_t * two_t);
        for m in 0..two_t {
            for j in 0..two_t {
                syn.push(const_index(gf::alpha_pow((j * (two_t - 1 - m)) as i64)));
            }
        }
        let step = match two_t {
            30 => STEP_2T30,
            14 => STEP_2T14,
            _ => STEP_GENERIC,
        };
        let interp = if two_t <= HORNER_MAX_2T {
            let q = interpolation_matrix(two_t);
            (0..two_t)
                .flat_map(|j| (0..two_t).map(move |m| (j, m)))
                .map(|(j, m)| const_index(q[m][j]))
                .collect()
        } else {
            Vec::new()
        };
        SlicedCode {
            two_t,
            gen,
            syn,
            step,
            interp,
        }
    }
}

/// The 32 XORs of every subset of `x[base .. base+5]`: entry `s` is the XOR of the
/// planes `x[base + i]` for the set bits `i` of `s`, built by doubling (constant
/// trip counts, so the compiler unrolls it into 26 XORs and stores).
#[inline(always)]
fn subset_table<const W: usize>(x: &Planes<W>, base: usize, t: &mut [Lanes<W>; 32]) {
    t[0] = Lanes::ZERO;
    t[1] = x[base];
    for i in 0..2 {
        t[2 + i] = t[i].xor(x[base + 1]);
    }
    for i in 0..4 {
        t[4 + i] = t[i].xor(x[base + 2]);
    }
    for i in 0..8 {
        t[8 + i] = t[i].xor(x[base + 3]);
    }
    for i in 0..16 {
        t[16 + i] = t[i].xor(x[base + 4]);
    }
}

/// Subset tables of one symbol position: `(LO, HI)`.
#[derive(Debug, Clone)]
pub(crate) struct Subsets<const W: usize> {
    lo: [Lanes<W>; 32],
    hi: [Lanes<W>; 32],
}

impl<const W: usize> Subsets<W> {
    pub(crate) fn new() -> Self {
        Subsets {
            lo: [Lanes::ZERO; 32],
            hi: [Lanes::ZERO; 32],
        }
    }

    #[inline(always)]
    pub(crate) fn build(&mut self, x: &Planes<W>) {
        subset_table(x, 0, &mut self.lo);
        subset_table(x, 5, &mut self.hi);
    }

    /// `acc ^= c·x` for the `x` of the last [`Subsets::build`]. Written out plane by
    /// plane: as a loop, the compiler turned the look-ups into vector gathers.
    #[inline(always)]
    pub(crate) fn mul_add(&self, idx: &ConstIndex, acc: &mut Planes<W>) {
        macro_rules! planes {
            ($($o:literal)*) => {$(
                acc[$o] = acc[$o]
                    .xor(self.lo[(idx[$o] & 31) as usize])
                    .xor(self.hi[(idx[10 + $o] & 31) as usize]);
            )*};
        }
        planes!(0 1 2 3 4 5 6 7 8 9);
    }

    /// `c·x` for the `x` of the last [`Subsets::build`].
    #[inline(always)]
    pub(crate) fn mul(&self, idx: &ConstIndex, out: &mut Planes<W>) {
        macro_rules! planes {
            ($($o:literal)*) => {$(
                out[$o] = self.lo[(idx[$o] & 31) as usize].xor(self.hi[(idx[10 + $o] & 31) as usize]);
            )*};
        }
        planes!(0 1 2 3 4 5 6 7 8 9);
    }
}

/// Transposes 64×64 bit matrices in place, one per lane: bit `j` of `a[i]` becomes
/// bit `i` of `a[j]`.
#[inline(always)]
pub(crate) fn transpose64<const W: usize>(a: &mut [Lanes<W>; 64]) {
    transpose_stage::<W, 32>(a, 0x0000_0000_FFFF_FFFF);
    transpose_stage::<W, 16>(a, 0x0000_FFFF_0000_FFFF);
    transpose_stage::<W, 8>(a, 0x00FF_00FF_00FF_00FF);
    transpose_stage::<W, 4>(a, 0x0F0F_0F0F_0F0F_0F0F);
    transpose_stage::<W, 2>(a, 0x3333_3333_3333_3333);
    transpose_stage::<W, 1>(a, 0x5555_5555_5555_5555);
}

/// One stage of [`transpose64`]: swaps the off-diagonal `J×J` blocks of every
/// `2J×2J` block (rows `k` and `k + J`, columns masked by `m`).
#[inline(always)]
fn transpose_stage<const W: usize, const J: usize>(a: &mut [Lanes<W>; 64], m: u64) {
    for blk in 0..64 / (2 * J) {
        for i in 0..J {
            let k = blk * 2 * J + i;
            let t = Lanes::and_shr_xor(a[k], a[k + J], J as u32, m);
            a[k + J] = a[k + J].xor(t);
            a[k] = a[k].xor(t.shl(J as u32));
        }
    }
}

/// Four symbols `pos .. pos+4` of a row as one `u64` (symbol `pos` in the low 16
/// bits); positions outside `0..len` read as zero.
#[inline(always)]
fn load4(row: &[u16], pos: isize, len: usize) -> u64 {
    if pos >= 0 && pos as usize + 4 <= len {
        let p = pos as usize;
        let s: &[u16; 4] = row[p..p + 4].try_into().unwrap_or(&[0; 4]);
        s[0] as u64 | (s[1] as u64) << 16 | (s[2] as u64) << 32 | (s[3] as u64) << 48
    } else {
        let mut v = 0u64;
        for u in 0..4 {
            let q = pos + u as isize;
            if q >= 0 && (q as usize) < len {
                v |= (row[q as usize] as u64) << (16 * u);
            }
        }
        v
    }
}

/// Asks the cache for the line holding `x` (a hint: no effect on results).
#[inline(always)]
fn prefetch(x: &u16) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `prefetcht1` (SSE, on every x86-64 CPU) only hints the cache; it never
    // faults and has no architectural effect. The address is that of a live `&u16`.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T1};
        _mm_prefetch::<_MM_HINT_T1>((x as *const u16).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Loads symbols `pos .. pos+4` (of `0..len`) of the group's codewords and
/// transposes them (the reference of [`Plane::load_full`]): afterwards `m[16u + b]` is plane `b` of symbol `pos + u`.
/// Codeword `64w + c` of the group (`< count`) is row `(64w + c)·stride` of `rows`.
#[inline(always)]
pub(crate) fn load_chunk<const W: usize>(
    rows: &[u16],
    stride: usize,
    count: usize,
    pos: isize,
    len: usize,
    m: &mut [Lanes<W>; 64],
) {
    if count == 64 * W && pos >= 0 && pos as usize + 4 <= len {
        // The bulk: a full group, four symbols inside every row. Row `cw` is
        // codeword `64w + c`, so rows in order fill `m[c].0[w]` column by column.
        let p = pos as usize;
        // Each row is read 8 bytes per call, 256 rows apart: too many streams for
        // the hardware prefetchers. Every 32 symbols (64 bytes, so every line once)
        // fetch the next line into L2 (256 rows of lines ahead would not fit L1).
        // (Chunks start at any residue mod 4: a padded start shifts them.)
        let ahead = p % 32 >= 28;
        let rows = &rows[..(64 * W - 1) * stride + len];
        for c in 0..64 {
            let mut v = [0u64; W];
            for w in 0..W {
                let row = &rows[(64 * w + c) * stride..];
                if ahead {
                    if let Some(x) = row.get(p + 4) {
                        prefetch(x);
                    }
                }
                v[w] = match row.get(p..p + 4) {
                    Some(&[a, b, c, d]) => {
                        a as u64 | (b as u64) << 16 | (c as u64) << 32 | (d as u64) << 48
                    }
                    _ => 0,
                };
            }
            m[c] = Lanes(v);
        }
        transpose64(m);
        return;
    }
    for c in 0..64 {
        for w in 0..W {
            let cw = 64 * w + c;
            m[c].0[w] = if cw < count {
                load4(&rows[cw * stride..cw * stride + len], pos, len)
            } else {
                0
            };
        }
    }
    transpose64(m);
}

/// `$acc ^= c·$x` by direct XORs, `$rows` (a constant expression) being the matrix
/// rows of `c`: output plane `o` gets the input planes of the set bits of row `o`.
/// The conditions are compile-time constants, so only the XORs of set bits remain —
/// about five per plane, fused by AVX-512 into `vpternlogq` pairs — and the input
/// planes stay in registers: no table, no index, no load but the accumulator.
macro_rules! mul_add_direct {
    ($rows:expr, $x:expr, $acc:expr) => {{
        const ROWS: [u16; 10] = $rows;
        mul_add_direct!(@planes ROWS, $x, $acc, [0 1 2 3 4 5 6 7 8 9])
    }};
    (@planes $r:ident, $x:expr, $acc:expr, [$($o:literal)*]) => {{
        $(
            $acc[$o] = xor_row!($r[$o], $x, $acc[$o]);
        )*
    }};
}

/// `$a` XOR the planes `$x[b]` of the set bits `b` of the constant `$row`.
macro_rules! xor_row {
    ($row:expr, $x:expr, $a:expr) => {
        xor_row!(@bits $row, $x, $a, [0 1 2 3 4 5 6 7 8 9])
    };
    (@bits $row:expr, $x:expr, $a:expr, [$($b:literal)*]) => {{
        let mut a = $a;
        $(
            if ($row >> $b) & 1 == 1 {
                a = a.xor($x[$b]);
            }
        )*
        a
    }};
}

/// One shift-register step for one `2t` with direct XORs (see [`mul_add_direct`]):
/// the feedback's ten planes stay in registers; each slot is loaded, updated and
/// stored once.
macro_rules! direct_step {
    ($name:ident, $rows:ident, $t:literal, [$($j:literal)*]) => {
        #[inline(always)]
        fn $name(&mut self, d: &Planes<W>) {
            const T: usize = $t;
            let h = self.head;
            let ring: &mut [Planes<W>; T] = match (&mut self.ring[..]).try_into() {
                Ok(r) => r,
                Err(_) => return,
            };
            let mut fb = [Lanes::ZERO; 10];
            for b in 0..10 {
                fb[b] = d[b].xor(ring[h][b]);
            }
            $(
                {
                    let s = h + 1 + $j;
                    let s = if s >= T { s - T } else { s };
                    let mut acc = ring[s];
                    mul_add_direct!($rows[T - 1 - $j], fb, acc);
                    ring[s] = acc;
                }
            )*
            let mut last = [Lanes::ZERO; 10];
            mul_add_direct!($rows[0], fb, last);
            ring[h] = last;
            self.head = if h + 1 == T { 0 } else { h + 1 };
        }
    };
}

/// The shift register of the encoder, bit-sliced: `ring` holds the `2t` remainder
/// symbols, `ring[(head + j) % 2t]` being the coefficient of `x^(2t−1−j)`.
pub(crate) struct Register<const W: usize> {
    pub(crate) ring: Vec<Planes<W>>,
    pub(crate) head: usize,
    subsets: Subsets<W>,
    chunk: [Lanes<W>; 64],
}

impl<const W: usize> Register<W> {
    pub(crate) fn new(two_t: usize) -> Self {
        Register {
            ring: vec![[Lanes::ZERO; 10]; two_t],
            head: 0,
            subsets: Subsets::new(),
            chunk: [Lanes::ZERO; 64],
        }
    }

    /// Symbol `j` of the remainder in transmission order (coefficient of `x^(2t−1−j)`).
    #[inline(always)]
    pub(crate) fn symbol(&self, j: usize) -> &Planes<W> {
        let two_t = self.ring.len();
        &self.ring[(self.head + j) % two_t]
    }

    /// One division step: feeds the input symbol `d` (its ten planes).
    #[inline(always)]
    fn step(&mut self, code: &SlicedCode, d: &Planes<W>) {
        let two_t = self.ring.len();
        let h = self.head;
        let mut fb = [Lanes::ZERO; 10];
        for b in 0..10 {
            fb[b] = d[b].xor(self.ring[h][b]);
        }
        self.subsets.build(&fb);
        // R'[j] = R[j+1] + fb·g_(2t−1−j) for j < 2t−1; R'[2t−1] = fb·g_0, which
        // lands in the slot the old R[0] leaves free.
        let (after, before) = self.ring.split_at_mut(h + 1);
        for (j, slot) in before.iter_mut().chain(after[..h].iter_mut()).enumerate() {
            self.subsets.mul_add(&code.gen[two_t - 1 - j], slot);
        }
        self.subsets.mul(&code.gen[0], &mut after[h]);
        self.head = if h + 1 == two_t { 0 } else { h + 1 };
    }

    // The steps for 2t = 30 and 2t = 14 with the generator's matrices as
    // compile-time constants, every slot and plane written out; the lists are the
    // slots 0 … 2t−2.
    direct_step!(direct_step_2t30, KP4_ROWS, 30, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28]);
    direct_step!(direct_step_2t14, KR4_ROWS, 14, [0 1 2 3 4 5 6 7 8 9 10 11 12]);

    /// Clears the register and feeds symbols `0..len` of each of the group's `count`
    /// rows (`rows[c·stride ..]`): afterwards it holds `m(x)·x^(2t) mod g(x)` of
    /// each row's first `len` symbols. Leading zeros are padded so that the chunks of
    /// four end exactly at `len` (zeros before the first symbol do not change a
    /// remainder).
    #[inline(always)]
    pub(crate) fn divide<const K: u8>(
        &mut self,
        code: &SlicedCode,
        rows: &[u16],
        stride: usize,
        count: usize,
        len: usize,
    ) {
        for r in self.ring.iter_mut() {
            *r = [Lanes::ZERO; 10];
        }
        self.head = 0;
        let pad = (4 - len % 4) % 4;
        let mut pos = -(pad as isize);
        while pos < len as isize {
            load_chunk(rows, stride, count, pos, len, &mut self.chunk);
            let d: [Planes<W>; 4] =
                std::array::from_fn(|u| std::array::from_fn(|b| self.chunk[16 * u + b]));
            // Direct XORs with the feedback in registers, one step at a time
            // (the double step's 20 feedback planes defeat the vectoriser).
            match K {
                STEP_2T30 => {
                    for du in &d {
                        self.direct_step_2t30(du);
                    }
                }
                STEP_2T14 => {
                    for du in &d {
                        self.direct_step_2t14(du);
                    }
                }
                _ => {
                    for du in &d {
                        self.step(code, du);
                    }
                }
            }
            pos += 4;
        }
    }

    /// Adds symbols `start .. start+2t` of each row to the remainder (the received
    /// parity, for syndromes: `r(x) mod g(x) = (m·x^(2t) mod g) + p(x)`).
    #[inline(always)]
    pub(crate) fn add_parity(&mut self, rows: &[u16], stride: usize, count: usize, start: usize) {
        let two_t = self.ring.len();
        let mut j = 0;
        while j < two_t {
            let sub = &rows[start..];
            load_chunk(sub, stride, count, j as isize, two_t, &mut self.chunk);
            for u in 0..4.min(two_t - j) {
                let slot = (self.head + j + u) % two_t;
                for b in 0..10 {
                    self.ring[slot][b] = self.ring[slot][b].xor(self.chunk[16 * u + b]);
                }
            }
            j += 4;
        }
    }

    /// Whether every row's remainder is zero.
    #[inline(always)]
    pub(crate) fn all_zero(&self) -> bool {
        let mut acc = Lanes::<W>::ZERO;
        for s in &self.ring {
            for p in s {
                acc = acc.or(*p);
            }
        }
        acc.is_zero()
    }

    /// Writes `planes` (symbols in order) to the group's rows: row `c` gets
    /// `out[c·stride + j]` for `j` in `0..planes.len()`.
    #[inline(always)]
    pub(crate) fn store(
        &mut self,
        planes: &[Planes<W>],
        out: &mut [u16],
        stride: usize,
        count: usize,
    ) {
        store_planes(planes, out, stride, count, &mut self.chunk);
    }

    /// The remainder in transmission order, as planes.
    #[inline(always)]
    pub(crate) fn remainder(&self) -> Vec<Planes<W>> {
        (0..self.ring.len()).map(|j| *self.symbol(j)).collect()
    }

    /// `S_j = rem(α^j)` for `j` in `0..2t`, bit-sliced, from the remainder.
    #[inline(always)]
    pub(crate) fn syndromes(&mut self, code: &SlicedCode, out: &mut [Planes<W>]) {
        let two_t = self.ring.len();
        for s in out.iter_mut() {
            *s = [Lanes::ZERO; 10];
        }
        for m in 0..two_t {
            let x = *self.symbol(m);
            self.subsets.build(&x);
            for (j, s) in out.iter_mut().enumerate() {
                self.subsets.mul_add(&code.syn[m * two_t + j], s);
            }
        }
    }
}

/// Writes `planes` (symbols in order) to the group's rows: row `c` gets
/// `out[c·stride + j]` for `j` in `0..planes.len()` (`chunk` is scratch).
#[inline(always)]
fn store_planes<const W: usize>(
    planes: &[Planes<W>],
    out: &mut [u16],
    stride: usize,
    count: usize,
    chunk: &mut [Lanes<W>; 64],
) {
    let len = planes.len();
    let mut j = 0;
    while j < len {
        for u in 0..4 {
            for b in 0..16 {
                chunk[16 * u + b] = if b < 10 && j + u < len {
                    planes[j + u][b]
                } else {
                    Lanes::ZERO
                };
            }
        }
        transpose64(chunk);
        for c in 0..64 {
            for w in 0..W {
                let cw = 64 * w + c;
                if cw < count {
                    let v = chunk[c].0[w];
                    let row = &mut out[cw * stride..cw * stride + len];
                    for u in 0..4.min(len - j) {
                        row[j + u] = (v >> (16 * u)) as u16 & 0x3ff;
                    }
                }
            }
        }
        j += 4;
    }
}

/// One bit plane as the Horner kernels see it: `Lanes<W>` itself (portable), or a
/// SIMD register type of the per-ISA shims (`syndrome/avx2.rs`), which the
/// compiler keeps in registers where it scalarises `[u64; W]` arrays moved by
/// value. `cast`/`cast_mut` view planes of `Lanes<W>` as planes of `Self` (same
/// size and alignment).
pub(crate) trait Plane<const W: usize>: Copy {
    /// Bitwise XOR.
    fn xor(self, o: Self) -> Self;
    /// `planes` seen as `Self`.
    fn cast(planes: &[Planes<W>]) -> &[[Self; 10]];
    /// `planes` seen as `Self`, mutably.
    fn cast_mut(planes: &mut [Planes<W>]) -> &mut [[Self; 10]];
    /// A subset table seen as `Self`.
    fn cast_table(table: &[Lanes<W>; 32]) -> &[Self; 32];
    /// Bitwise OR.
    fn or(self, o: Self) -> Self;
    /// From lane words.
    fn from_lanes(l: Lanes<W>) -> Self;
    /// To lane words.
    fn to_lanes(self) -> Lanes<W>;
    /// Symbols `p .. p+4` of the 256 rows `rows[c·stride ..]` transposed into
    /// `m` as [`load_chunk`] does for a full group (rows `16u + b`: plane `b` of
    /// symbol `p + u`, bits 10–15 included); `false` if this type has no kernel
    /// of its own (then [`load_chunk`] runs). The caller guarantees
    /// `rows.len() ≥ 255·stride + p + 4`.
    #[inline(always)]
    fn load_full(rows: &[u16], stride: usize, p: usize, m: &mut [Lanes<W>; 64]) -> bool {
        let _ = (rows, stride, p, m);
        false
    }
    /// One Horner chunk ([`horner_chunk`] on this type): the hook through which
    /// a shim runs the kernel compiled with more target features than the
    /// transposes around it (`syndrome/avx512.rs`).
    #[inline(always)]
    fn horner(acc: &mut [Planes<W>], input: &[Planes<W>]) {
        horner_chunk::<W, Self>(acc, input)
    }
}

impl<const W: usize> Plane<W> for Lanes<W> {
    #[inline(always)]
    fn xor(self, o: Self) -> Self {
        Lanes::xor(self, o)
    }
    #[inline(always)]
    fn cast(planes: &[Planes<W>]) -> &[[Self; 10]] {
        planes
    }
    #[inline(always)]
    fn cast_mut(planes: &mut [Planes<W>]) -> &mut [[Self; 10]] {
        planes
    }
    #[inline(always)]
    fn cast_table(table: &[Lanes<W>; 32]) -> &[Self; 32] {
        table
    }
    #[inline(always)]
    fn or(self, o: Self) -> Self {
        Lanes::or(self, o)
    }
    #[inline(always)]
    fn from_lanes(l: Lanes<W>) -> Self {
        l
    }
    #[inline(always)]
    fn to_lanes(self) -> Lanes<W> {
        self
    }
}

/// `a·α`: the planes move up one power (`x^b → x^(b+1)`) and `x^10 = x^3 + 1`
/// folds plane 9 into planes 0 and 3 — one XOR; the rest is register renaming.
#[inline(always)]
fn mul_alpha<const W: usize, P: Plane<W>>(a: [P; 10]) -> [P; 10] {
    [
        a[9],
        a[0],
        a[1],
        a[2].xor(a[9]),
        a[3],
        a[4],
        a[5],
        a[6],
        a[7],
        a[8],
    ]
}

/// Horner's rule at `α^j`, `j = 10·tens + R`, over the symbols `input`:
/// `acc ← acc·α^j + d` for each `d`. The multiplication is `j` steps of
/// [`mul_alpha`] — `j` XORs, the plane permutation resolved at compile time (ten
/// steps bring the planes back to their places, so the runtime `tens` loop needs
/// no moves) — and the accumulator stays in registers for the whole chunk.
#[inline(always)]
fn horner_root<const W: usize, P: Plane<W>, const R: usize>(
    acc: &mut [P; 10],
    tens: usize,
    input: &[[P; 10]],
) {
    let mut a = *acc;
    for d in input {
        for _ in 0..tens {
            for _ in 0..10 {
                a = mul_alpha::<W, P>(a);
            }
        }
        for _ in 0..R {
            a = mul_alpha::<W, P>(a);
        }
        for b in 0..10 {
            a[b] = a[b].xor(d[b]);
        }
    }
    *acc = a;
}

/// Symbols per Horner chunk: two 64×64 transposes.
const HORNER_CHUNK: usize = 8;

/// [`horner_root`] for every root `α^j`, `j < acc.len()`: the residue `j mod 10`
/// picks one of ten compiled variants.
#[inline(always)]
pub(crate) fn horner_chunk<const W: usize, P: Plane<W>>(
    acc: &mut [Planes<W>],
    input: &[Planes<W>],
) {
    let acc = P::cast_mut(acc);
    let input = P::cast(input);
    for (j, a) in acc.iter_mut().enumerate() {
        let tens = j / 10;
        match j % 10 {
            0 => horner_root::<W, P, 0>(a, tens, input),
            1 => horner_root::<W, P, 1>(a, tens, input),
            2 => horner_root::<W, P, 2>(a, tens, input),
            3 => horner_root::<W, P, 3>(a, tens, input),
            4 => horner_root::<W, P, 4>(a, tens, input),
            5 => horner_root::<W, P, 5>(a, tens, input),
            6 => horner_root::<W, P, 6>(a, tens, input),
            7 => horner_root::<W, P, 7>(a, tens, input),
            8 => horner_root::<W, P, 8>(a, tens, input),
            _ => horner_root::<W, P, 9>(a, tens, input),
        }
    }
}

/// Evaluates the polynomial of symbols `0..len` of each of the group's `count` rows
/// (`rows[c·stride ..]`, transmission order: symbol 0 is the highest power) at
/// `α^j` for every `j < acc.len()`, by Horner's rule, bit-sliced: afterwards
/// `acc[j]` holds the values. Leading zeros pad `len` to whole chunks (they do not
/// change a Horner sum). Bits 10–15 of every symbol read are ORed into `high`.
#[inline(always)]
pub(crate) fn evaluate<const W: usize, P: Plane<W>>(
    rows: &[u16],
    stride: usize,
    count: usize,
    len: usize,
    acc: &mut [Planes<W>],
    chunk: &mut [Lanes<W>; 64],
    high: &mut Lanes<W>,
) {
    for a in acc.iter_mut() {
        *a = [Lanes::ZERO; 10];
    }
    let pad = (HORNER_CHUNK - len % HORNER_CHUNK) % HORNER_CHUNK;
    let mut pos = -(pad as isize);
    let mut d = [[Lanes::<W>::ZERO; 10]; HORNER_CHUNK];
    while pos < len as isize {
        for q in 0..HORNER_CHUNK / 4 {
            let at = pos + 4 * q as isize;
            let full = count == 64 * W
                && at >= 0
                && at as usize + 4 <= len
                && rows.len() >= (64 * W - 1) * stride + at as usize + 4;
            if !(full && P::load_full(rows, stride, at as usize, chunk)) {
                load_chunk(rows, stride, count, at, len, chunk);
            }
            for u in 0..4 {
                for b in 0..10 {
                    d[4 * q + u][b] = chunk[16 * u + b];
                }
                // Bits 10–15 of the symbols: non-zero only for symbols ≥ 1024,
                // so the input check costs six ORs per symbol here instead of a
                // pass over the batch.
                for b in 10..16 {
                    *high = high.or(chunk[16 * u + b]);
                }
            }
        }
        P::horner(acc, &d);
        pos += HORNER_CHUNK as isize;
    }
}

/// `out[m] = Σ_j c_(j,m)·x[j]` for the constants `matrix[j·out.len() + m]`, with
/// one pair of subset tables per input.
#[inline(always)]
fn linear_map<const W: usize>(
    x: &[Planes<W>],
    matrix: &[ConstIndex],
    out: &mut [Planes<W>],
    subsets: &mut Subsets<W>,
) {
    for o in out.iter_mut() {
        *o = [Lanes::ZERO; 10];
    }
    let len = out.len();
    for (j, xj) in x.iter().enumerate() {
        subsets.build(xj);
        for (m, o) in out.iter_mut().enumerate() {
            subsets.mul_add(&matrix[j * len + m], o);
        }
    }
}

/// The powers `α^(−k(n−1−i))` for `k = 1 … max_degree` and every position `i < n`,
/// bit-sliced over positions in groups of `64·W`: the Chien search evaluates
/// `Λ(X_i^−1) = Σ λ_k · α^(−k(n−1−i))` for a whole group as `Σ λ_k · A_k`. The
/// subset tables of every `A_k` are built here, once per code (`2t · ⌈n/64W⌉` of
/// 2 KiB: 180 KiB for KP4), so a coefficient costs 20 look-ups and XORs per group.
#[derive(Debug, Clone)]
pub(crate) struct ChienTable<const W: usize> {
    max_degree: usize,
    groups: usize,
    /// `subsets[(k−1)·groups + g]`: the subset tables of `A_k` on group `g`, whose
    /// plane `b`, lane bit `c` of word `w` is bit `b` of `α^(−k(n−1−i))` with
    /// `i = 64·(W·g + w) + c` (0 past `n`).
    subsets: Vec<Subsets<W>>,
    /// Lane bits of positions `< n`, per group.
    valid: Vec<Lanes<W>>,
}

impl<const W: usize> ChienTable<W> {
    /// Largest `2t` for which codes get a table (its size grows with `2t · n`).
    pub(crate) const MAX_DEGREE: usize = 64;

    pub(crate) fn new(n: usize, max_degree: usize) -> Self {
        let groups = n.div_ceil(64 * W);
        let mut planes = vec![[Lanes::<W>::ZERO; 10]; max_degree * groups];
        let mut valid = vec![Lanes::<W>::ZERO; groups];
        for i in 0..n {
            let (g, w, c) = (i / (64 * W), i / 64 % W, i % 64);
            valid[g].0[w] |= 1 << c;
            for k in 1..=max_degree {
                let v = gf::alpha_pow(-((k * (n - 1 - i)) as i64));
                let p = &mut planes[(k - 1) * groups + g];
                for (b, plane) in p.iter_mut().enumerate() {
                    plane.0[w] |= ((v >> b & 1) as u64) << c;
                }
            }
        }
        let subsets = planes
            .iter()
            .map(|p| {
                let mut s = Subsets::new();
                s.build(p);
                s
            })
            .collect();
        ChienTable {
            max_degree,
            groups,
            subsets,
            valid,
        }
    }

    pub(crate) fn max_degree(&self) -> usize {
        self.max_degree
    }
}

/// Bit-sliced Chien search: the positions `i < n` with `Λ(α^−(n−1−i)) = 0`, in
/// increasing order, at most `max_roots` (the same result as
/// [`crate::fec::chien::chien_search`]). Coefficients past `table.max_degree` are
/// ignored: the caller passes shorter locators only.
#[inline(always)]
pub(crate) fn chien_search<const W: usize, P: Plane<W>>(
    table: &ChienTable<W>,
    lambda: &[u16],
    max_roots: usize,
    roots: &mut Vec<usize>,
) {
    roots.clear();
    if table.groups == 3 {
        return chien_search_groups::<W, P, 3>(table, lambda, max_roots, roots);
    }
    let start = constant_planes::<W, P>(lambda);
    for g in 0..table.groups {
        let mut acc = start;
        for (k, &lk) in lambda.iter().enumerate().skip(1) {
            if lk == 0 || k > table.max_degree {
                continue;
            }
            // acc += λ_k·A_k from A_k's subset tables, as registers of type P
            // (as `[u64; W]` the look-ups were scalarised).
            let sub = &table.subsets[(k - 1) * table.groups + g];
            let (lo, hi) = (P::cast_table(&sub.lo), P::cast_table(&sub.hi));
            let idx = &ALL_CONST_INDEX[(lk & 1023) as usize];
            for o in 0..10 {
                acc[o] = acc[o]
                    .xor(lo[(idx[o] & 31) as usize])
                    .xor(hi[(idx[10 + o] & 31) as usize]);
            }
        }
        if push_roots::<W, P>(&acc, table, g, max_roots, roots) {
            return;
        }
    }
}

/// [`chien_search`] for a table of exactly `G` groups (KP4 and KR4: 3), all
/// groups at once: a coefficient's subset indices are read once for the `G`
/// groups (the index arithmetic was most of the work), the `10·G` accumulators
/// kept in registers where the shim has enough of them (AVX-512VL: 32).
#[inline(always)]
fn chien_search_groups<const W: usize, P: Plane<W>, const G: usize>(
    table: &ChienTable<W>,
    lambda: &[u16],
    max_roots: usize,
    roots: &mut Vec<usize>,
) {
    let mut acc = [constant_planes::<W, P>(lambda); G];
    for (k, &lk) in lambda.iter().enumerate().skip(1) {
        if lk == 0 || k > table.max_degree {
            continue;
        }
        let idx = &ALL_CONST_INDEX[(lk & 1023) as usize];
        let subs = &table.subsets[(k - 1) * G..k * G];
        for o in 0..10 {
            let (lo, hi) = ((idx[o] & 31) as usize, (idx[10 + o] & 31) as usize);
            for g in 0..G {
                let (tl, th) = (P::cast_table(&subs[g].lo), P::cast_table(&subs[g].hi));
                acc[g][o] = acc[g][o].xor(tl[lo]).xor(th[hi]);
            }
        }
    }
    for (g, a) in acc.iter().enumerate() {
        if push_roots::<W, P>(a, table, g, max_roots, roots) {
            return;
        }
    }
}

/// The planes of the constant `λ_0` in every lane: the accumulators' start.
#[inline(always)]
fn constant_planes<const W: usize, P: Plane<W>>(lambda: &[u16]) -> [P; 10] {
    let l0 = lambda.first().copied().unwrap_or(0);
    let (zero, ones) = (
        P::from_lanes(Lanes::ZERO),
        P::from_lanes(Lanes([u64::MAX; W])),
    );
    std::array::from_fn(|b| if l0 >> b & 1 == 1 { ones } else { zero })
}

/// Appends the positions of group `g` where every plane of `acc` is zero (the
/// roots), in increasing order; `true` once `max_roots` are found.
#[inline(always)]
fn push_roots<const W: usize, P: Plane<W>>(
    acc: &[P; 10],
    table: &ChienTable<W>,
    g: usize,
    max_roots: usize,
    roots: &mut Vec<usize>,
) -> bool {
    let any = acc[1..].iter().fold(acc[0], |a, p| a.or(*p)).to_lanes();
    for w in 0..W {
        let mut zeros = !any.0[w] & table.valid[g].0[w];
        while zeros != 0 {
            let c = zeros.trailing_zeros() as usize;
            roots.push(64 * (W * g + w) + c);
            if roots.len() >= max_roots {
                return true;
            }
            zeros &= zeros - 1;
        }
    }
    false
}

/// Parity of `count` messages (rows of `k` symbols in `messages`), written to
/// `out[c·out_stride .. c·out_stride + 2t]` for row `c`, in groups of `64·W`.
/// Returns whether every message symbol is `< 1024` (if not, `out` holds
/// garbage: the caller reports the error).
#[inline(always)]
pub(crate) fn parity_batch<const W: usize, P: Plane<W>>(
    code: &SlicedCode,
    messages: &[u16],
    k: usize,
    count: usize,
    out: &mut [u16],
    out_stride: usize,
) -> bool {
    let group = 64 * W;
    if !code.interp.is_empty() {
        // Evaluation and interpolation: e_j = m(α^j) by Horner (Σ (j + 10) XORs
        // per symbol: 735 for KP4, against the divider's 1460), then the parity
        // from the 2t values by the fixed matrix of `interpolation_matrix`, once
        // per group.
        let two_t = code.two_t;
        let mut chunk = [Lanes::<W>::ZERO; 64];
        let mut values = vec![[Lanes::<W>::ZERO; 10]; two_t];
        let mut parity = vec![[Lanes::<W>::ZERO; 10]; two_t];
        let mut subsets = Subsets::new();
        let mut high = Lanes::<W>::ZERO;
        let mut first = 0;
        while first < count {
            let c = group.min(count - first);
            evaluate::<W, P>(
                &messages[first * k..],
                k,
                c,
                k,
                &mut values,
                &mut chunk,
                &mut high,
            );
            linear_map(&values, &code.interp, &mut parity, &mut subsets);
            store_planes(
                &parity,
                &mut out[first * out_stride..],
                out_stride,
                c,
                &mut chunk,
            );
            first += c;
        }
        return high.is_zero();
    }
    let mut reg = Register::<W>::new(code.two_t);
    let mut first = 0;
    while first < count {
        let c = group.min(count - first);
        match code.step {
            STEP_2T30 => reg.divide::<STEP_2T30>(code, &messages[first * k..], k, c, k),
            STEP_2T14 => reg.divide::<STEP_2T14>(code, &messages[first * k..], k, c, k),
            _ => reg.divide::<STEP_GENERIC>(code, &messages[first * k..], k, c, k),
        }
        let rem = reg.remainder();
        reg.store(&rem, &mut out[first * out_stride..], out_stride, c);
        first += c;
    }
    in_range(&messages[..count * k])
}

/// Whether every symbol is `< 1024` (for the kernels that do not see bits
/// 10–15 on the way).
#[inline(always)]
pub(crate) fn in_range(x: &[u16]) -> bool {
    x.iter().fold(0, |a, &v| a | v) < 1024
}

/// Syndromes of `count` received words (rows of `n` symbols), `2t` per word to
/// `syndromes` (row stride `2t`), in groups of `64·W`. A group whose remainders
/// are all zero gets zeros without the evaluation at the roots. Returns whether
/// every symbol is `< 1024` (if not, the syndromes are garbage).
#[inline(always)]
pub(crate) fn syndrome_batch<const W: usize, P: Plane<W>>(
    code: &SlicedCode,
    words: &[u16],
    n: usize,
    count: usize,
    syndromes: &mut [u16],
) -> bool {
    let two_t = code.two_t;
    let k = n - two_t;
    let mut planes = vec![[Lanes::ZERO; 10]; two_t];
    let group = 64 * W;
    if two_t <= HORNER_MAX_2T {
        // S_j = r(α^j) directly by Horner over all n symbols: 735 XORs per symbol
        // for KP4 against the divider's 1460 (and 2t symbols more).
        let mut chunk = [Lanes::<W>::ZERO; 64];
        let mut high = Lanes::<W>::ZERO;
        let mut first = 0;
        while first < count {
            let c = group.min(count - first);
            let rows = &words[first * n..(first + c) * n];
            let out = &mut syndromes[first * two_t..(first + c) * two_t];
            evaluate::<W, P>(rows, n, c, n, &mut planes, &mut chunk, &mut high);
            let mut any = Lanes::<W>::ZERO;
            for p in planes.iter().flatten() {
                any = any.or(*p);
            }
            if any.is_zero() {
                out.fill(0);
            } else {
                store_planes(&planes, out, two_t, c, &mut chunk);
            }
            first += c;
        }
        return high.is_zero();
    }
    let mut reg = Register::<W>::new(two_t);
    let mut first = 0;
    while first < count {
        let c = group.min(count - first);
        let rows = &words[first * n..(first + c) * n];
        let out = &mut syndromes[first * two_t..(first + c) * two_t];
        match code.step {
            STEP_2T30 => reg.divide::<STEP_2T30>(code, rows, n, c, k),
            STEP_2T14 => reg.divide::<STEP_2T14>(code, rows, n, c, k),
            _ => reg.divide::<STEP_GENERIC>(code, rows, n, c, k),
        }
        reg.add_parity(rows, n, c, k);
        if reg.all_zero() {
            out.fill(0);
        } else {
            reg.syndromes(code, &mut planes);
            reg.store(&planes, out, two_t, c);
        }
        first += c;
    }
    in_range(&words[..count * n])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compile_time_generator_tables_match() {
        for (two_t, table) in [(30usize, &KP4_ROWS[..]), (14, &KR4_ROWS[..])] {
            let g = crate::fec::ReedSolomon::new(600, 600 - two_t).unwrap();
            let want: Vec<[u16; 10]> = g.generator()[..two_t]
                .iter()
                .map(|&c| gf::mul_matrix_rows(c))
                .collect();
            assert_eq!(table, &want[..]);
        }
    }

    #[test]
    fn interpolation_matrix_gives_the_remainder() {
        // The parity from the evaluations equals the shift-register parity.
        for two_t in [2usize, 14, 30, 64] {
            let k = 100;
            let rs = crate::fec::ReedSolomon::new(k + two_t, k).unwrap();
            let q = interpolation_matrix(two_t);
            let msg: Vec<u16> = (0..k).map(|i| ((i * 389 + 17) % 1024) as u16).collect();
            let mut want = vec![0u16; two_t];
            crate::fec::encode::parity(rs.generator(), &msg, &mut want);
            let e: Vec<u16> = (0..two_t)
                .map(|j| gf::poly_eval_high_first(&msg, gf::alpha_pow(j as i64)))
                .collect();
            let got: Vec<u16> = (0..two_t)
                .map(|m| (0..two_t).fold(0, |acc, j| acc ^ gf::mul(q[m][j], e[j])))
                .collect();
            assert_eq!(got, want, "2t = {two_t}");
        }
    }

    #[test]
    fn mul_alpha_multiplies_by_alpha() {
        for v in [1u16, 2, 512, 513, 1023, 777] {
            let mut p = [Lanes::<1>::ZERO; 10];
            for (b, x) in p.iter_mut().enumerate() {
                x.0[0] = u64::from(v >> b & 1);
            }
            let q = mul_alpha::<1, Lanes<1>>(p);
            let got: u16 = (0..10).map(|b| (q[b].0[0] as u16) << b).sum();
            assert_eq!(got, gf::mul(v, 2));
        }
    }

    #[test]
    fn transpose_is_a_transpose() {
        let mut a = [Lanes::<2>::ZERO; 64];
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for r in a.iter_mut() {
            for w in 0..2 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                r.0[w] = x;
            }
        }
        let orig = a;
        transpose64(&mut a);
        for i in 0..64 {
            for j in 0..64 {
                for w in 0..2 {
                    assert_eq!(a[j].0[w] >> i & 1, orig[i].0[w] >> j & 1);
                }
            }
        }
    }

    #[test]
    fn subset_tables_multiply_by_constants() {
        let mut planes = [Lanes::<1>::ZERO; 10];
        let vals: Vec<u16> = (0..64).map(|i| (i * 37 + 5) % 1024).collect();
        for (c, &v) in vals.iter().enumerate() {
            for (b, p) in planes.iter_mut().enumerate() {
                p.0[0] |= ((v >> b) & 1) as u64 * (1 << c);
            }
        }
        let mut s = Subsets::<1>::new();
        s.build(&planes);
        for k in [0u16, 1, 2, 523, 1023] {
            let mut out = [Lanes::ZERO; 10];
            s.mul(&const_index(k), &mut out);
            for (c, &v) in vals.iter().enumerate() {
                let got: u16 = (0..10).map(|b| ((out[b].0[0] >> c & 1) as u16) << b).sum();
                assert_eq!(got, gf::mul(k, v));
            }
        }
    }
}
