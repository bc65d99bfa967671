"""Conversion of user arrays to the dtypes the native kernels take.

Integer inputs are range-checked here or in Rust (never wrapped silently);
floating-point arrays where integers are expected raise ``TypeError``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._native import SerdesDspError


def as_small_uint(name: str, a: Any, max_value: int) -> NDArray[np.uint8]:
    """``a`` as a C-contiguous uint8 array with values in ``0..=max_value``."""
    arr = np.asarray(a)
    if arr.dtype.kind == "b":
        return np.ascontiguousarray(arr, dtype=np.uint8)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"`{name}` must be an integer or bool array, got dtype {arr.dtype}")
    if arr.size:
        lo, hi = int(arr.min()), int(arr.max())
        if lo < 0 or hi > max_value:
            bad = lo if lo < 0 else hi
            raise SerdesDspError(f"`{name}` holds {bad}: allowed 0..={max_value}")
    return np.ascontiguousarray(arr, dtype=np.uint8)


def as_float32(name: str, x: Any) -> NDArray[np.float32]:
    """``x`` as a C-contiguous float32 array (ints and float64 are converted)."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"`{name}` must be a real numeric array, got dtype {arr.dtype}")
    return np.ascontiguousarray(arr, dtype=np.float32)


_STREAM_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def as_samples(name: str, x: Any, *, one_d: str = "one-dimensional (a stream)") -> NDArray[np.floating]:
    """``x`` as a 1-D float32 or float64 array for a streaming block's ``process``.

    float32 and float64 arrays (native byte order, aligned, any stride) pass as they
    are: the native code converts float64 to float32 chunk by chunk, without a
    full-size copy. Other dtypes (ints, bool, float16, lists of ints) are converted
    to float32 by numpy. Not 1-D: ``ValueError`` "`name` must be {one_d}, got shape …".
    """
    arr = np.asarray(x)
    ok = arr.dtype in _STREAM_DTYPES and arr.flags.aligned and all(s % arr.itemsize == 0 for s in arr.strides)
    return _one_d(name, arr if ok else as_float32(name, arr), one_d)


def as_float32_1d(name: str, x: Any) -> NDArray[np.float32]:
    """``x`` as a C-contiguous 1-D float32 array (:func:`as_float32`)."""
    return _one_d(name, as_float32(name, x), "one-dimensional (a stream)")


def _one_d(name: str, arr: NDArray, one_d: str) -> NDArray:
    if arr.ndim != 1:
        raise ValueError(f"`{name}` must be {one_d}, got shape {arr.shape}")
    return arr


def as_flat_samples(name: str, x: Any) -> tuple[NDArray[np.floating], tuple[int, ...]]:
    """``x`` of any shape as :func:`as_samples` (flattened in C order) and its shape."""
    arr = np.asarray(x)
    shape = arr.shape
    if arr.ndim != 1:
        arr = (arr if arr.flags.c_contiguous else as_float32(name, arr)).reshape(-1)
    return as_samples(name, arr), shape


def check_count(name: str, n: Any) -> int:
    """A non-negative integer count."""
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"`{name}` must be an integer, got {type(n).__name__}")
    if n < 0:
        raise SerdesDspError(f"invalid `{name}` = {n}: allowed {name} >= 0")
    return int(n)


def check_finite_number(name: str, x: Any) -> float:
    """A finite real number."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise TypeError(f"`{name}` must be a real number, got {type(x).__name__}") from None
    if not np.isfinite(v):
        raise SerdesDspError(f"invalid `{name}` = {v}: allowed a finite number")
    return v
