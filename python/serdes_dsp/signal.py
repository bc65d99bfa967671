"""Test patterns, Gray PAM4 / NRZ mapping, the 1/(1+D) precoder and slicing.

Conventions (IEEE 802.3 Clause 120.5.7): bits are taken in pairs in time order, the
first bit of a pair is the MSB; Gray code ``00→0, 01→1, 11→2, 10→3``; symbol ``s``
is sent at level ``−1, −1/3, +1/3, +1``. Arrays are in transmission order.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _native
from ._arrays import as_flat_samples, as_samples, as_small_uint, check_count

__all__ = [
    "prbs",
    "prbs31q",
    "pattern",
    "check_prbs",
    "bits_to_symbols",
    "symbols_to_bits",
    "pam4_map",
    "pam4_slice",
    "pam4_levels",
    "nrz_map",
    "nrz_slice",
    "precode",
    "decode_precoded",
    "PAM4_THRESHOLDS",
]

#: Slicer thresholds half way between the PAM4 levels ±1, ±1/3.
PAM4_THRESHOLDS = (-2.0 / 3.0, 0.0, 2.0 / 3.0)


def prbs(order: int, n: int, seed: int = 1, *, inverted: Optional[bool] = None) -> NDArray[np.uint8]:
    """``n`` bits (uint8 0/1) of PRBS ``order`` in {7, 9, 11, 13, 15, 23, 31}.

    Polynomials of ITU-T O.150 / IEEE 802.3 (x^31+x^28+1 is Clause 49.2.8). ``seed`` is
    the register state before the first bit, 1 .. 2^order−1. ``inverted=None`` follows
    O.150 (orders 15, 23 and 31 inverted, as 802.3's PRBS31).
    """
    return _native.prbs(int(order), check_count("n", n), int(seed), inverted)


def prbs31q(n: int, seed: int = 2) -> NDArray[np.uint8]:
    """``n`` symbols of PRBS31Q (Clause 120.5.11.2.2): Gray-coded 802.3 PRBS31."""
    return _native.prbs31q(check_count("n", n), int(seed))


def pattern(name: str) -> NDArray[np.uint8]:
    """One period of an IEEE 802.3 quaternary test pattern as symbols 0..3.

    ``name``: ``"prbs13q"`` (120.5.11.2.1, 8,191 symbols), ``"qprbs13"`` (94.2.9.3,
    15,548 symbols) or ``"ssprq"`` (120.5.11.2.3, 65,535 symbols).
    """
    return _native.quaternary_pattern(str(name))


def check_prbs(bits: ArrayLike, order: int, *, inverted: Optional[bool] = None) -> tuple[int, int, bool]:
    """Self-synchronising PRBS check of received ``bits``: ``(bits_checked, errors, locked)``.

    Each channel bit error shows as one error per non-zero term of the polynomial
    (3 for PRBS31), as in any self-synchronising checker.
    """
    return _native.check_prbs(as_small_uint("bits", bits, 1).ravel(), int(order), inverted)


def bits_to_symbols(bits: ArrayLike) -> NDArray[np.uint8]:
    """Gray-codes pairs of a 1-D bit array (first bit MSB) into PAM4 symbols 0..3."""
    return _native.bits_to_symbols(_one_d("bits", as_small_uint("bits", bits, 1)))


def symbols_to_bits(symbols: ArrayLike) -> NDArray[np.uint8]:
    """Inverse of :func:`bits_to_symbols`: symbols 0..3 → bit pairs, MSB first."""
    return _native.symbols_to_bits(_one_d("symbols", as_small_uint("symbols", symbols, 3)))


def pam4_levels(symbols: ArrayLike, *, rlm: float = 1.0) -> NDArray[np.float32]:
    """Symbols 0..3 (any shape) → levels −1, −rlm/3, +rlm/3, +1 (float32).

    ``rlm`` is the level mismatch ratio of Clause 120D.3.1.2, in (0, 1].
    """
    s = as_small_uint("symbols", symbols, 3)
    return _native.pam4_levels(s.ravel(), float(rlm)).reshape(s.shape)


def pam4_map(bits: ArrayLike, *, precoding: bool = False, rlm: float = 1.0) -> NDArray[np.float32]:
    """Bits → Gray PAM4 symbols → (optionally 1/(1+D) precoded) → levels (float32).

    ``len(bits)`` must be even; the output has ``len(bits) // 2`` samples.
    """
    s = bits_to_symbols(bits)
    if precoding:
        s = _native.precode(s)
    return _native.pam4_levels(s, float(rlm))


def pam4_slice(
    samples: ArrayLike,
    *,
    thresholds: Sequence[float] = PAM4_THRESHOLDS,
    precoding: bool = False,
    symbols: bool = False,
) -> NDArray[np.uint8]:
    """Samples → PAM4 decisions → (precoding undone) → bits, MSB first.

    With ``symbols=True`` return the symbols 0..3 instead of bits. NaN or infinite
    samples raise ``ValueError``.
    """
    x = as_samples("samples", samples, one_d="1-D (a stream in time order)")
    s = _native.slice_samples(x, [float(t) for t in thresholds])
    if precoding:
        s = _native.decode_precoded(s)
    return s if symbols else _native.symbols_to_bits(s)


def nrz_map(bits: ArrayLike) -> NDArray[np.float32]:
    """Bits (any shape) → NRZ levels 0 → −1, 1 → +1 (float32)."""
    b = as_small_uint("bits", bits, 1)
    return _native.nrz_levels(b.ravel()).reshape(b.shape)


def nrz_slice(samples: ArrayLike, *, threshold: float = 0.0) -> NDArray[np.uint8]:
    """Samples → bits (1 where the sample is at or above ``threshold``)."""
    x, shape = as_flat_samples("samples", samples)
    return _native.slice_samples(x, [float(threshold)]).reshape(shape)


def precode(symbols: ArrayLike) -> NDArray[np.uint8]:
    """The 1/(1+D) mod 4 precoder of Clause 120.5.7.2: ``P(j) = (G(j) − P(j−1)) mod 4``, ``P(−1)=0``."""
    return _native.precode(_one_d("symbols", as_small_uint("symbols", symbols, 3)))


def decode_precoded(symbols: ArrayLike) -> NDArray[np.uint8]:
    """Inverse of :func:`precode`: ``G(j) = (P(j) + P(j−1)) mod 4``."""
    return _native.decode_precoded(_one_d("symbols", as_small_uint("symbols", symbols, 3)))


def _one_d(name: str, a: np.ndarray) -> np.ndarray:
    if a.ndim != 1:
        raise ValueError(f"`{name}` must be 1-D (a stream in time order), got shape {a.shape}")
    return a
