"""The channel: seeded additive white Gaussian noise.

SNR convention: ``SNR = mean signal power / noise variance`` per sample (see
:mod:`serdes_dsp.analysis` for Es/N0 and Eb/N0). The stream of noise depends only on
the seed (and, by float rounding below 1e-5 relative, on the SIMD backend).
"""

from __future__ import annotations

from typing import Optional

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _native
from ._arrays import as_float32, check_finite_number
from ._native import SerdesDspError

__all__ = ["awgn", "Awgn", "PAM4_POWER"]

#: Mean power of the PAM4 levels ±1, ±1/3 with equiprobable symbols.
PAM4_POWER = 5.0 / 9.0


def awgn(
    x: ArrayLike,
    snr_db: float,
    seed: int,
    *,
    signal_power: Optional[float] = None,
    backend: str = "auto",
) -> NDArray[np.float32]:
    """``x`` plus Gaussian noise of variance ``signal_power / 10**(snr_db/10)``.

    ``signal_power=None`` measures it as ``mean(x**2)`` (MATLAB's ``'measured'``); give
    it (e.g. :data:`PAM4_POWER`) for an SNR that does not depend on the data.
    ``backend``: ``"auto"``, ``"scalar"``, ``"avx2"`` or ``"avx512"``.
    """
    xf = as_float32("x", x)
    snr = check_finite_number("snr_db", snr_db)
    if signal_power is None:
        signal_power = float(np.mean(np.square(xf, dtype=np.float64))) if xf.size else 0.0
        if not signal_power > 0.0:
            raise SerdesDspError("`x` has zero power: give `signal_power` explicitly")
    out = _native.awgn(xf.ravel(), snr, int(seed), float(signal_power), backend)
    return out.reshape(xf.shape)


class Awgn:
    """Streaming AWGN: successive :meth:`process` calls continue one noise stream.

    ``Awgn(snr_db, seed, signal_power=PAM4_POWER)``; ``.sigma`` is the noise rms.
    """

    def __init__(self, snr_db: float, seed: int, signal_power: float = PAM4_POWER, backend: str = "auto") -> None:
        self._inner = _native.Awgn(check_finite_number("snr_db", snr_db), int(seed), float(signal_power), backend)

    @property
    def sigma(self) -> float:
        """Noise standard deviation."""
        return self._inner.sigma

    def process(self, x: ArrayLike) -> NDArray[np.float32]:
        """Adds the next ``len(x)`` noise samples to ``x``."""
        xf = as_float32("x", x)
        return self._inner.process(xf.ravel()).reshape(xf.shape)

    def reset(self) -> None:
        """Back to the start of the noise stream."""
        self._inner.reset()
