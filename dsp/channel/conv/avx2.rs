//! AVX2 shims of the fast FIR algorithm's polyphase split and recombination
//! (`ffa.rs`): the scalar bodies compiled with AVX2, which LLVM vectorises with its
//! interleaved-access shuffles (the same operations, so the same bits).

/// See [`super::ffa::split_block_body`].
///
/// # Safety
/// The CPU must support AVX2 and FMA: call only with a stored
/// [`crate::cpu::Backend::Avx2`], which is handed out only after detection.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn split_block(s: &mut [&mut [f32]; 9], i: usize, x: &[f32]) -> bool {
    super::ffa::split_block_body(s, i, x)
}

/// See [`super::ffa::combine_block_body`].
///
/// # Safety
/// As for [`split_block`].
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn combine_block(o: &[&[f32]; 9], lo: usize, out: &mut [f32]) {
    super::ffa::combine_block_body(o, lo, out)
}
