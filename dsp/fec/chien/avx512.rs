//! AVX-512 shim: the bit-sliced Chien search, 512 positions per `zmm` register.
//! Not run on machines without AVX-512; its tests skip there.

use crate::fec::bitslice::{self, ChienTable};

/// See `bitslice::chien_search`.
///
/// # Safety
/// The CPU must support AVX-512 F/BW (a stored [`crate::cpu::Backend::Avx512`]
/// proves it).
#[target_feature(enable = "avx512f,avx512bw")]
pub(crate) unsafe fn chien_search(
    table: &ChienTable<8>,
    lambda: &[u16],
    max_roots: usize,
    roots: &mut Vec<usize>,
) {
    bitslice::chien_search::<8>(table, lambda, max_roots, roots)
}
