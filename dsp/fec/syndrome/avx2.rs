//! AVX2 shim: the bit-sliced kernel with 256-codeword groups (`W = 4`, one `ymm`
//! register per plane). The body is generic and `#[inline(always)]`; compiled
//! inside this `#[target_feature]` function its `[u64; 4]` operations become
//! `vpxor`/`vpand`/`vpsrlq`/`vpsllq` on `ymm` registers.

use std::arch::x86_64::{__m256i, _mm256_or_si256, _mm256_xor_si256};

use crate::fec::bitslice::{self, Lanes, Plane, Planes, SlicedCode};

/// One `ymm` register as a bit plane of 256 codewords: the Horner kernels of
/// `bitslice` keep these in registers (as `[u64; 4]` arrays moved by value they
/// were scalarised).
#[derive(Clone, Copy)]
#[repr(transparent)]
pub(crate) struct Ymm(__m256i);

// `Lanes<4>` is `#[repr(C, align(32))] [u64; 4]`: 32 bytes, 32-aligned, like `Ymm`.
const _: () = assert!(
    std::mem::size_of::<Ymm>() == std::mem::size_of::<Lanes<4>>()
        && std::mem::align_of::<Ymm>() == std::mem::align_of::<Lanes<4>>()
);

/// The `cast`, `cast_mut` and `cast_table` methods of [`Plane<4>`] for a type with
/// the layout of `Lanes<4>` (32 bytes, 32-aligned, every bit pattern valid): the
/// implementing file asserts the size and alignment next to the `impl`.
macro_rules! lanes4_casts {
    () => {
        #[inline(always)]
        fn cast(planes: &[Planes<4>]) -> &[[Self; 10]] {
            // SAFETY: `Self` has the layout of `Lanes<4>` (asserted beside the impl),
            // every bit pattern valid.
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
            unsafe { &*(table as *const [Lanes<4>; 32]).cast::<[Self; 32]>() }
        }
    };
}
pub(crate) use lanes4_casts;

impl Plane<4> for Ymm {
    #[inline(always)]
    fn xor(self, o: Self) -> Self {
        // SAFETY: a `Ymm` only exists inside the AVX2 (or AVX-512) shims of the FEC
        // kernels, which run only on CPUs with AVX2.
        Ymm(unsafe { _mm256_xor_si256(self.0, o.0) })
    }
    lanes4_casts!();
    #[inline(always)]
    fn or(self, o: Self) -> Self {
        // SAFETY: as for `xor`.
        Ymm(unsafe { _mm256_or_si256(self.0, o.0) })
    }
    #[inline(always)]
    fn from_lanes(l: Lanes<4>) -> Self {
        // SAFETY: same size (checked above); every bit pattern is valid for both.
        Ymm(unsafe { std::mem::transmute::<[u64; 4], __m256i>(l.0) })
    }
    #[inline(always)]
    fn to_lanes(self) -> Lanes<4> {
        // SAFETY: as for `from_lanes`.
        Lanes(unsafe { std::mem::transmute::<__m256i, [u64; 4]>(self.0) })
    }
}

/// Syndromes of `count` words (see `bitslice::syndrome_batch`), 256 at a time,
/// with plane `P`: [`Ymm`] (AVX2 backend) or `Ymm512` (AVX-512 backend, whose
/// plane routes its Horner chunks and loads to AVX-512 code): the two backends
/// differ only in the plane type.
///
/// # Safety
/// The CPU must support AVX2, and everything `P` needs: AVX2 for `Ymm`, AVX-512
/// for `Ymm512` (a stored [`crate::cpu::Backend::Avx2`] or
/// [`crate::cpu::Backend::Avx512`] proves it).
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn syndrome_batch<P: Plane<4>>(
    code: &SlicedCode,
    words: &[u16],
    n: usize,
    count: usize,
    syndromes: &mut [u16],
) -> bool {
    bitslice::syndrome_batch::<4, P>(code, words, n, count, syndromes)
}
