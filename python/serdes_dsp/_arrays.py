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
