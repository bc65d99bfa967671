//! AVX-512 shim: the bit-sliced Chien search, 256 positions per `ymm` register,
//! compiled for AVX2 only (see `syndrome/avx512.rs` for why).

use crate::fec::bitslice::{self, ChienTable};
use crate::fec::syndrome::Ymm;

/// See `bitslice::chien_search`.
///
/// # Safety
/// The CPU must support AVX-512 (and so AVX2) (a stored [`crate::cpu::Backend::Avx512`]
/// proves it).
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn chien_search(
    table: &ChienTable<4>,
    lambda: &[u16],
    max_roots: usize,
    roots: &mut Vec<usize>,
) {
    bitslice::chien_search::<4, Ymm>(table, lambda, max_roots, roots)
}
