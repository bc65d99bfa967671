"""Closed-form error rates in AWGN and confidence intervals.

SNR is mean signal power over noise variance per real sample. For a real channel
``Es/N0 = SNR/2`` (−3.01 dB) and ``Eb/N0 = Es/N0 / log2(M)``. Gray PAM4, exactly:
``SER = 1.5·Q(a)``, ``BER = (3Q(a) + 2Q(3a) − Q(5a))/4``, ``a = sqrt(SNR/5)``.
"""

from __future__ import annotations

from typing import Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _native
from ._arrays import as_float32, as_samples, as_small_uint

__all__ = [
    "pam4_ber_theory",
    "pam4_ser_theory",
    "nrz_ber_theory",
    "q_function",
    "pam4_snr_db_for_ber",
    "esn0_db",
    "ebn0_db",
    "confidence_interval",
    "KP4_BER_THRESHOLD",
    "EyeHistogram",
]

#: Pre-FEC BER at which RS(544,514) reaches post-FEC 2.4e-15 with random errors.
KP4_BER_THRESHOLD = 2.4e-4

Floats = Union[float, NDArray[np.float64]]


def _vec(f, x: ArrayLike) -> Floats:
    arr = np.asarray(x, dtype=np.float64)
    out = np.vectorize(f, otypes=[np.float64])(arr)
    return float(out) if out.ndim == 0 else out


def pam4_ber_theory(snr_db: ArrayLike) -> Floats:
    """Bit error rate of Gray-coded PAM4 at ``snr_db`` (scalar or array)."""
    return _vec(_native.pam4_ber, snr_db)


def pam4_ser_theory(snr_db: ArrayLike) -> Floats:
    """Symbol error rate of PAM4 at ``snr_db``: ``1.5·Q(sqrt(SNR/5))``."""
    return _vec(_native.pam4_ser, snr_db)


def nrz_ber_theory(snr_db: ArrayLike) -> Floats:
    """Bit error rate of NRZ at ``snr_db``: ``Q(sqrt(SNR))``."""
    return _vec(_native.nrz_ber, snr_db)


def q_function(x: ArrayLike) -> Floats:
    """Gaussian tail probability ``Q(x) = erfc(x/√2)/2``."""
    return _vec(_native.q_function, x)


def pam4_snr_db_for_ber(ber: float) -> float:
    """SNR in dB at which Gray PAM4 has bit error rate ``ber`` (0 < ber < 0.375)."""
    v = _native.pam4_snr_db_for_ber(float(ber))
    if v is None:
        raise ValueError(f"invalid `ber` = {ber}: allowed 0 < ber < 0.375")
    return v


def esn0_db(snr_db: ArrayLike) -> Floats:
    """Es/N0 in dB for a real channel: ``snr_db − 3.0103``."""
    return np.asarray(snr_db, dtype=np.float64) - 10 * np.log10(2.0)


def ebn0_db(snr_db: ArrayLike, bits_per_symbol: int = 2) -> Floats:
    """Eb/N0 in dB: Es/N0 minus ``10·log10(bits_per_symbol)``."""
    return esn0_db(snr_db) - 10 * np.log10(bits_per_symbol)


def confidence_interval(errors: int, trials: int, confidence: float = 0.99) -> tuple[float, float]:
    """Exact two-sided interval on an error rate (Poisson/Clopper–Pearson for k ≪ n)."""
    if errors < 0 or trials < 0:
        raise ValueError(f"invalid `errors`/`trials` = {errors}/{trials}: allowed >= 0")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"invalid `confidence` = {confidence}: allowed 0 < confidence < 1")
    return _native.confidence_interval(int(errors), int(trials), float(confidence))


class EyeHistogram:
    """A streaming eye diagram of an oversampled waveform, and its bathtub curve.

    ``samples_per_ui`` samples per unit interval; the picture is ``ui_span`` UIs wide
    with ``amp_bins`` amplitude bins over ``amp_range`` (samples outside fall in the
    end bins). Feed it chunk by chunk with :meth:`accumulate`; give the transmitted
    ``symbols`` (one per UI, sample 0 of the chunk at phase 0 of ``symbols[0]``) for
    the per-symbol statistics that :meth:`bathtub` needs. ``levels``: 4 for PAM4,
    2 for NRZ.
    """

    def __init__(
        self,
        samples_per_ui: int,
        *,
        ui_span: int = 2,
        amp_range: "tuple[float, float]" = (-1.5, 1.5),
        amp_bins: int = 128,
        levels: int = 4,
    ) -> None:
        lo, hi = amp_range
        self._inner = _native._EyeHistogram(int(samples_per_ui), int(ui_span), float(lo), float(hi), int(amp_bins), int(levels))
        self.samples_per_ui = int(samples_per_ui)
        self.levels = int(levels)

    def accumulate(self, waveform: ArrayLike, symbols: "ArrayLike | None" = None) -> "EyeHistogram":
        """Adds a chunk of waveform (and the symbols it carries). Returns ``self``."""
        # Without symbols a float64 waveform is converted chunk by chunk in the native
        # code; with them it goes in one piece as float32.
        arr = np.asarray(waveform)
        w = as_samples("waveform", arr) if symbols is None and arr.ndim == 1 else as_float32("waveform", arr)
        s = None if symbols is None else as_small_uint("symbols", symbols, self.levels - 1)
        self._inner.accumulate(w, s)
        return self

    @property
    def counts(self) -> NDArray[np.uint64]:
        """Histogram ``(phase columns, amplitude bins)``."""
        return self._inner.counts()

    @property
    def amplitudes(self) -> NDArray[np.float32]:
        """Centre of each amplitude bin."""
        return self._inner.amplitudes()

    @property
    def phases_ui(self) -> NDArray[np.float64]:
        """Phase of each column in UI."""
        return self._inner.phases_ui()

    @property
    def samples(self) -> int:
        return self._inner.samples

    def bathtub(self) -> dict:
        """BER against sampling phase by Gaussian extrapolation of each symbol's
        samples: ``{"phase_ui": array, "ber": array, "thresholds": list}``."""
        return self._inner.bathtub()
