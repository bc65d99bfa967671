//! Forward error correction of IEEE 802.3 (being written): GF(2^10) arithmetic and
//! the Reed-Solomon codes RS(544,514) "KP4" and RS(528,514) "KR4".
