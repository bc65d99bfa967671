//! AVX-512 shim: for now the same code as the AVX2 shim — the bit-sliced kernel on
//! 256-codeword groups (`W = 4`, `ymm`) compiled for AVX2 only. Measured on Zen 4
//! (thread CPU time), every AVX-512 build of the generic body was slower: with
//! `zmm` (`W = 8`) twice the L1 working set and gathers for table look-ups; with
//! AVX-512VL on `ymm` (32 registers, `vpternlogq`) LLVM vectorises the 64×64
//! transposes *across rows* with `vpgatherqq`/`vpscatterqq`, which are slow there
//! (encode 4.4 vs 6.8 Gbit/s); and Zen 4 runs `zmm` XORs as two halves and
//! `vpternlogq` at half the rate of `vpxor`, so the XOR-bound kernels gain little.
//! Not run on machines without AVX-512; its tests skip there.

use std::arch::x86_64::__m256i;

use crate::fec::bitslice::{self, Lanes, Plane, Planes, SlicedCode};
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
    #[inline(always)]
    fn cast(planes: &[Planes<4>]) -> &[[Self; 10]] {
        // SAFETY: `Ymm512` is a transparent `Ymm`, which has the layout of
        // `Lanes<4>` (checked in `avx2.rs`); every bit pattern is valid.
        unsafe { std::slice::from_raw_parts(planes.as_ptr().cast(), planes.len()) }
    }
    #[inline(always)]
    fn cast_mut(planes: &mut [Planes<4>]) -> &mut [[Self; 10]] {
        // SAFETY: as for `cast`; the borrow is handed on, so no aliasing.
        unsafe { std::slice::from_raw_parts_mut(planes.as_mut_ptr().cast(), planes.len()) }
    }
    #[inline(always)]
    fn cast_table(table: &[Lanes<4>; 32]) -> &[Self; 32] {
        // SAFETY: as for `cast` (32 elements of the same layout).
        unsafe { &*(table as *const [Lanes<4>; 32]).cast::<[Ymm512; 32]>() }
    }
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
    fn horner(acc: &mut [Planes<4>], input: &[Planes<4>]) {
        // SAFETY: a `Ymm512` exists only inside the AVX-512 shims, which run only
        // on CPUs with AVX-512F/VL (a stored `Backend::Avx512`).
        unsafe { horner_vl(acc, input) }
    }
}

const _: () = assert!(std::mem::size_of::<Ymm512>() == std::mem::size_of::<__m256i>());

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

/// Syndromes of `count` words (see `bitslice::syndrome_batch`), 256 at a time.
///
/// # Safety
/// The CPU must support AVX-512 (and so AVX2) (a stored [`crate::cpu::Backend::Avx512`]
/// proves it).
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn syndrome_batch(
    code: &SlicedCode,
    words: &[u16],
    n: usize,
    count: usize,
    syndromes: &mut [u16],
) -> bool {
    bitslice::syndrome_batch::<4, Ymm512>(code, words, n, count, syndromes)
}
