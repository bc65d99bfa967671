//! AVX-512 shim: the bit-sliced Chien search, 256 positions per register
//! (`ymm` with AVX-512VL: 32 registers, `vpternlogq`; see `encode/avx512.rs` for why
//! not `zmm`).
//! Not run on machines without AVX-512; its tests skip there.

use crate::fec::bitslice::{self, ChienTable};

/// See `bitslice::chien_search`.
///
/// # Safety
/// The CPU must support AVX-512 F/BW/VL (a stored [`crate::cpu::Backend::Avx512`]
/// proves it).
#[target_feature(enable = "avx512f,avx512bw,avx512vl")]
pub(crate) unsafe fn chien_search(
    table: &ChienTable<4>,
    lambda: &[u16],
    max_roots: usize,
    roots: &mut Vec<usize>,
) {
    bitslice::chien_search::<4>(table, lambda, max_roots, roots)
}
