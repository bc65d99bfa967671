//! AVX-512 backend of the bit-sliced kernels on 256-codeword groups (`W = 4`, `ymm`):
//! the plane type [`Ymm512`] routing two pieces to code compiled with more
//! features than the AVX2 body around them: the Horner chunks (AVX-512VL: 32
//! `ymm` registers, `vpternlogq`) and, where the CPU has GFNI and AVX-512VBMI
//! (detected at run time), the loads and 64×64 bit transposes of full groups
//! ([`load_gfni`]). The rest stays AVX2 code: compiled with AVX-512, LLVM
//! vectorised the generic transposes *across rows* with
//! `vpgatherqq`/`vpscatterqq`, which are slow on Zen 4, and `zmm` planes
//! (`W = 8`) doubled the L1 working set. Not run on machines without AVX-512;
//! its tests skip there.

use std::arch::x86_64::{
    __m512i, _mm512_gf2p8affine_epi64_epi8, _mm512_loadu_si512, _mm512_permutex2var_epi64,
    _mm512_permutexvar_epi8, _mm512_set_epi64, _mm512_storeu_si512, _mm_prefetch, _MM_HINT_T0,
};

#[cfg(test)]
use crate::fec::bitslice::load_chunk;
use crate::fec::bitslice::{self, Lanes, Plane, Planes};
use crate::fec::syndrome::avx2::lanes4_casts;
use crate::fec::syndrome::Ymm;

/// A `ymm` plane of the AVX-512 backend: the same register as [`Ymm`], but its
/// Horner chunks run [`horner_vl`], compiled with AVX-512VL (32 `ymm` registers:
/// accumulators and inputs stay in registers, no spills), while the transposes
/// around them stay AVX2 code.
#[derive(Clone, Copy)]
#[repr(transparent)]
pub(crate) struct Ymm512(Ymm);

impl Plane<4> for Ymm512 {
    #[inline(always)]
    fn xor(self, o: Self) -> Self {
        Ymm512(self.0.xor(o.0))
    }
    lanes4_casts!();
    #[inline(always)]
    fn or(self, o: Self) -> Self {
        Ymm512(self.0.or(o.0))
    }
    #[inline(always)]
    fn from_lanes(l: Lanes<4>) -> Self {
        Ymm512(Ymm::from_lanes(l))
    }
    #[inline(always)]
    fn to_lanes(self) -> Lanes<4> {
        self.0.to_lanes()
    }
    #[inline(always)]
    fn load_full(rows: &[u16], stride: usize, p: usize, m: &mut [Lanes<4>; 64]) -> bool {
        if !gfni_available() {
            return false;
        }
        // SAFETY: GFNI and AVX-512VBMI were just detected; AVX-512F/BW/VL come with
        // the backend (a `Ymm512` exists only in the AVX-512 shims). The caller
        // guarantees `rows.len() ≥ 255·stride + p + 4`, which `load_gfni` reads
        // within.
        unsafe { load_gfni(rows, stride, p, m) };
        true
    }
    #[inline(always)]
    fn horner(acc: &mut [Planes<4>], input: &[Planes<4>]) {
        // SAFETY: a `Ymm512` exists only inside the AVX-512 shims, which run only
        // on CPUs with AVX-512F/VL (a stored `Backend::Avx512`).
        unsafe { horner_vl(acc, input) }
    }
}

// A transparent `Ymm`: the layout of `Lanes<4>` (asserted in `avx2.rs`) again.
const _: () = assert!(
    std::mem::size_of::<Ymm512>() == std::mem::size_of::<Lanes<4>>()
        && std::mem::align_of::<Ymm512>() == std::mem::align_of::<Lanes<4>>()
);

/// One Horner chunk (`bitslice::horner_chunk`) compiled with AVX-512VL: 32 `ymm`
/// registers, and `vpternlogq` where LLVM fuses XORs.
///
/// # Safety
/// The CPU must support AVX-512F and AVX-512VL.
#[target_feature(enable = "avx2,avx512f,avx512vl")]
#[inline(never)]
unsafe fn horner_vl(acc: &mut [Planes<4>], input: &[Planes<4>]) {
    bitslice::horner_chunk::<4, Ymm512>(acc, input)
}

/// Whether the CPU has GFNI and AVX-512VBMI (`std` caches the detection).
#[inline(always)]
fn gfni_available() -> bool {
    is_x86_feature_detected!("gfni") && is_x86_feature_detected!("avx512vbmi")
}

/// A 64-byte constant as a vector.
#[inline(always)]
fn bytes(b: &[u8; 64]) -> __m512i {
    // SAFETY: 64 readable bytes; unaligned load (SSE2/AVX-512F on every CPU this
    // runs on, see `load_gfni`).
    unsafe { _mm512_loadu_si512(b.as_ptr().cast()) }
}

/// `t[x] = swap ? (x % 8)·8 + x / 8 : (7 − x % 8)·8 + x / 8`.
const fn byte_table(swap: bool) -> [u8; 64] {
    let mut t = [0u8; 64];
    let mut i = 0;
    while i < 64 {
        let hi = if swap { i % 8 } else { 7 - i % 8 };
        t[i] = (hi * 8 + i / 8) as u8;
        i += 1;
    }
    t
}

/// `vpermb` indices: from 8 rows (qword `i` = row `i`) to qword `k` = byte `k`
/// of rows 7, 6, …, 0 (reversed, as `vgf2p8affineqb` reads matrix rows).
static ROWS_TO_BYTES: [u8; 64] = byte_table(false);
/// `vpermb` indices: (qword `g`, byte `β`) to (qword `β`, byte `g`).
static SWAP_QWORD_BYTE: [u8; 64] = byte_table(true);
/// Byte `β` of every qword is `1 << β`: with the data as the matrix operand,
/// `vgf2p8affineqb` returns in byte `β` bit `i` = bit `β` of data byte `7 − i`,
/// i.e. it transposes each qword's 8×8 bit matrix.
const UNIT_BYTES: i64 = 0x8040_2010_0804_0201u64 as i64;

/// `vpermt2q` of `a`, `b` with indices `idx` (`8 +` picks from `b`).
#[inline(always)]
fn perm2(a: __m512i, idx: [i64; 8], b: __m512i) -> __m512i {
    // SAFETY: AVX-512F, present wherever `load_gfni` runs (its only caller).
    unsafe {
        let i = _mm512_set_epi64(
            idx[7], idx[6], idx[5], idx[4], idx[3], idx[2], idx[1], idx[0],
        );
        _mm512_permutex2var_epi64(a, i, b)
    }
}

/// The 64×64 bit transposes of [`bitslice::load_chunk`] for a full group of 256
/// rows, with GFNI: for each 8 rows, one `vpermb` gathers byte `k` of the 8
/// rows into qword `k` and one `vgf2p8affineqb` transposes each of those 8×8 bit
/// blocks (byte `β` = bit `β` of the 8 rows); then qword transposes
/// (`vpermt2q`) and a byte shuffle put the bytes of 64 rows together, and four
/// such groups side by side make the `ymm` planes. About 900 instructions per
/// 4 symbols of 256 rows, against about 1600 for the six shift/XOR stages.
///
/// # Safety
/// The CPU must support AVX-512F/BW/VL, AVX-512VBMI and GFNI;
/// `rows.len() ≥ 255·stride + p + 4`.
#[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl,avx512vbmi,gfni")]
#[inline(never)]
#[allow(clippy::needless_range_loop)] // `w` indexes rows and `stage` columns alike
unsafe fn load_gfni(rows: &[u16], stride: usize, p: usize, m: &mut [Lanes<4>; 64]) {
    let base = rows.as_ptr();
    let row = |r: usize| -> i64 {
        // SAFETY: r < 256 and the caller's bound: symbols p .. p+4 of row r are
        // in `rows`.
        unsafe { base.add(r * stride + p).cast::<i64>().read_unaligned() }
    };
    // Rows are read 8 bytes at a time, 256 apart: fetch each row's next line
    // while its current one is used for the last time.
    let ahead = p % 32 >= 28 && rows.len() >= 255 * stride + p + 8;
    let to_bytes = bytes(&ROWS_TO_BYTES);
    let swap = bytes(&SWAP_QWORD_BYTE);
    let unit = _mm512_set_epi64(
        UNIT_BYTES, UNIT_BYTES, UNIT_BYTES, UNIT_BYTES, UNIT_BYTES, UNIT_BYTES, UNIT_BYTES,
        UNIT_BYTES,
    );
    // stage[k][w]: qword β = u64 lane w of plane 8k + β.
    let mut stage = [[unit; 4]; 8];
    for w in 0..4 {
        let mut g8 = [unit; 8];
        for (g, z) in g8.iter_mut().enumerate() {
            let r0 = 64 * w + 8 * g;
            if ahead {
                for i in 0..8 {
                    // SAFETY: in bounds by `ahead`'s condition; a hint only.
                    unsafe {
                        _mm_prefetch::<_MM_HINT_T0>(base.add((r0 + i) * stride + p + 4).cast())
                    };
                }
            }
            let x = _mm512_set_epi64(
                row(r0 + 7),
                row(r0 + 6),
                row(r0 + 5),
                row(r0 + 4),
                row(r0 + 3),
                row(r0 + 2),
                row(r0 + 1),
                row(r0),
            );
            // qword k: byte k of rows r0+7 … r0; transposed: byte β, bit i = bit
            // β of byte k of row r0 + i.
            let x = _mm512_permutexvar_epi8(to_bytes, x);
            *z = _mm512_gf2p8affine_epi64_epi8::<0>(unit, x);
        }
        // 8×8 qword transpose: t[k] qword g = g8[g] qword k.
        let lo = [0, 8, 1, 9, 2, 10, 3, 11];
        let hi = [4, 12, 5, 13, 6, 14, 7, 15];
        let mut p1 = [unit; 8];
        for a in 0..4 {
            p1[2 * a] = perm2(g8[2 * a], lo, g8[2 * a + 1]);
            p1[2 * a + 1] = perm2(g8[2 * a], hi, g8[2 * a + 1]);
        }
        // p1[2a] = [x0.0,x1.0,x0.1,x1.1,x0.2,x1.2,x0.3,x1.3] of the pair (2a, 2a+1),
        // p1[2a+1] the same for qwords 4..8.
        let q_lo = [0, 1, 8, 9, 2, 3, 10, 11];
        let q_hi = [4, 5, 12, 13, 6, 7, 14, 15];
        let mut p2 = [unit; 8];
        for h in 0..2 {
            // h = 0: pairs (0,1),(2,3); h = 1: pairs (4,5),(6,7).
            for half in 0..2 {
                let (a, b) = (p1[4 * h + half], p1[4 * h + 2 + half]);
                p2[4 * h + 2 * half] = perm2(a, q_lo, b);
                p2[4 * h + 2 * half + 1] = perm2(a, q_hi, b);
            }
        }
        // p2[4h + j] = [x(4h).k, x(4h+1).k, x(4h+2).k, x(4h+3).k] for k = 2j, 2j+1.
        let f_lo = [0, 1, 2, 3, 8, 9, 10, 11];
        let f_hi = [4, 5, 6, 7, 12, 13, 14, 15];
        for j in 0..4 {
            let (a, b) = (p2[j], p2[4 + j]);
            stage[2 * j][w] = _mm512_permutexvar_epi8(swap, perm2(a, f_lo, b));
            stage[2 * j + 1][w] = _mm512_permutexvar_epi8(swap, perm2(a, f_hi, b));
        }
    }
    // Planes 8k + β = [stage[k][0].β, stage[k][1].β, stage[k][2].β, stage[k][3].β].
    let out = m.as_mut_ptr().cast::<__m512i>();
    for (k, s) in stage.iter().enumerate() {
        let ab_lo = perm2(s[0], [0, 8, 1, 9, 2, 10, 3, 11], s[1]);
        let ab_hi = perm2(s[0], [4, 12, 5, 13, 6, 14, 7, 15], s[1]);
        let cd_lo = perm2(s[2], [0, 8, 1, 9, 2, 10, 3, 11], s[3]);
        let cd_hi = perm2(s[2], [4, 12, 5, 13, 6, 14, 7, 15], s[3]);
        let pairs = [
            perm2(ab_lo, [0, 1, 8, 9, 2, 3, 10, 11], cd_lo),
            perm2(ab_lo, [4, 5, 12, 13, 6, 7, 14, 15], cd_lo),
            perm2(ab_hi, [0, 1, 8, 9, 2, 3, 10, 11], cd_hi),
            perm2(ab_hi, [4, 5, 12, 13, 6, 7, 14, 15], cd_hi),
        ];
        for (h, v) in pairs.into_iter().enumerate() {
            // SAFETY: planes 8k + 2h and 8k + 2h + 1 are adjacent `Lanes<4>`
            // (32 bytes each) inside `m`: 64 writable bytes.
            unsafe { _mm512_storeu_si512(out.add(4 * k + h).cast(), v) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gfni_load_equals_the_shift_xor_transposes() {
        if !(crate::cpu::Backend::Avx512.is_available() && gfni_available()) {
            return;
        }
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for (stride, len) in [(544usize, 544usize), (514, 514), (528, 514), (40, 33)] {
            let rows: Vec<u16> = (0..256 * stride)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    // Mostly 10-bit symbols, some with bits 10–15 set.
                    if x.is_multiple_of(7) {
                        (x >> 20) as u16
                    } else {
                        (x >> 20) as u16 & 1023
                    }
                })
                .collect();
            let rows = &rows[..255 * stride + len];
            for p in [0usize, 4, 28, 29, len - 4] {
                let mut want = [Lanes::<4>::ZERO; 64];
                load_chunk(rows, stride, 256, p as isize, len, &mut want);
                let mut got = [Lanes::<4>::ZERO; 64];
                // SAFETY: features checked above; rows hold 255·stride + len ≥
                // 255·stride + p + 4 symbols.
                unsafe { load_gfni(rows, stride, p, &mut got) };
                assert_eq!(got, want, "stride {stride} p {p}");
            }
        }
    }
}
