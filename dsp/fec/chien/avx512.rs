//! AVX-512 shim: the bit-sliced Chien search, 256 positions per `ymm` register,
//! compiled with AVX-512VL: its 32 `ymm` registers hold the 30 accumulators of
//! a three-group search (KP4, KR4) at once.

use crate::fec::bitslice::{self, ChienTable};
use crate::fec::syndrome::Ymm512;

/// See `bitslice::chien_search`.
///
/// # Safety
/// The CPU must support AVX-512 (and so AVX2) (a stored [`crate::cpu::Backend::Avx512`]
/// proves it).
#[target_feature(enable = "avx2,avx512f,avx512vl")]
pub(crate) unsafe fn chien_search(
    table: &ChienTable<4>,
    lambda: &[u16],
    max_roots: usize,
    roots: &mut Vec<usize>,
) {
    bitslice::chien_search::<4, Ymm512>(table, lambda, max_roots, roots)
}
