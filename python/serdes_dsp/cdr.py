"""Clock and data recovery on an oversampled PAM4 waveform.

:class:`Cdr` interpolates the waveform (``samples_per_ui`` samples per nominal UI) at
the instants its timing-error detector and proportional–integral loop recover, and
returns one sample per UI (for an FFE/DFE/slicer), its own slicer decisions and the
recovered phase. It streams: consecutive ``process`` calls give the same output as
one call on the whole waveform. :func:`jitter_transfer` and :func:`jitter_tolerance`
measure a configuration on synthetic waveforms (:func:`pam4_waveform`) and return
arrays ready to plot against frequency.

Detectors: ``"mm"`` (Mueller–Müller type A, slicer reference levels), ``"mm_ss"``
(sign–sign MM), ``"bang_bang"`` (Alexander, PAM4 transitions symmetric about the
middle threshold only) and ``"gardner"``. Bad arguments raise
:class:`serdes_dsp.SerdesDspError` (a ``ValueError``) naming the argument.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _native
from ._arrays import as_samples, as_small_uint

__all__ = ["Cdr", "CdrResult", "jitter_transfer", "jitter_tolerance", "pam4_waveform"]


class CdrResult(NamedTuple):
    """Output of :meth:`Cdr.process`, one entry per recovered symbol."""

    #: Waveform at the recovered instants, float32.
    samples: NDArray[np.float32]
    #: The CDR's slicer decisions 0..=3, uint8.
    symbols: NDArray[np.uint8]
    #: Sampling phase, UI: symbol ``n`` sampled at ``n + phase_ui[n]`` nominal UI
    #: (unwrapped; a ppm offset is a ramp). One per symbol with ``trace="symbol"``,
    #: one per block of ``update_every`` symbols with ``"block"``, empty with ``"off"``.
    phase_ui: NDArray[np.float64]


class Cdr:
    """Streaming CDR (interpolator + timing-error detector + PI loop).

    ``bandwidth_hz`` is the jitter-transfer −3 dB bandwidth (default ``baud_hz/2500``)
    designed with ``damping`` for the detector's nominal gain (``detector_gain``
    overrides it); or give the loop gains ``kp``/``ki`` (per symbol) directly.
    ``amplitude`` is the outer PAM4 level of the input (slicer levels ±A, ±A/3).
    ``update_every`` symbols pass between loop updates.

    ``trace`` chooses the phase trace :meth:`process` returns: ``"symbol"`` (one
    phase per recovered symbol, the default), ``"block"`` (one per loop update: the
    phase of symbol ``b * update_every``, the first of block ``b``; in between the
    phase moves by the frequency estimate alone) or ``"off"`` (an empty array; the
    fastest, for long BER runs). After :meth:`process`, :attr:`locked`,
    :attr:`lock_time`, :attr:`frequency_ppm`, :attr:`phase_ui` and :attr:`slips`
    report the loop's state.
    """

    def __init__(
        self,
        detector: str = "mm",
        *,
        samples_per_ui: int = 16,
        bandwidth_hz: Optional[float] = None,
        baud_hz: float = 53.125e9,
        damping: float = 1.0,
        kp: Optional[float] = None,
        ki: Optional[float] = None,
        amplitude: float = 1.0,
        interpolator: str = "cubic",
        update_every: int = 16,
        initial_phase_ui: float = 0.0,
        initial_ppm: float = 0.0,
        detector_gain: Optional[float] = None,
        backend: str = "auto",
        trace: str = "symbol",
    ) -> None:
        if samples_per_ui < 0:
            raise _native.SerdesDspError(f"invalid `samples_per_ui` = {samples_per_ui}: allowed 2..=256")
        self._inner = _native._Cdr(
            str(detector),
            int(samples_per_ui),
            None if bandwidth_hz is None else float(bandwidth_hz),
            float(baud_hz),
            float(damping),
            None if kp is None else float(kp),
            None if ki is None else float(ki),
            float(amplitude),
            str(interpolator),
            int(update_every),
            float(initial_phase_ui),
            float(initial_ppm),
            None if detector_gain is None else float(detector_gain),
            str(backend),
            str(trace),
        )

    def process(self, waveform: ArrayLike) -> CdrResult:
        """Recovers the symbols of the next chunk of the waveform (1-D, real)."""
        return CdrResult(*self._inner.process(as_samples("waveform", waveform, one_d="one-dimensional")))

    def reset(self) -> None:
        """Back to the start of a stream."""
        self._inner.reset()

    @property
    def frequency_ppm(self) -> float:
        """Recovered data-rate offset, ppm (positive: data faster than nominal)."""
        return self._inner.frequency_ppm

    @property
    def locked(self) -> bool:
        """Whether the lock detector says locked."""
        return self._inner.locked

    @property
    def lock_time(self) -> Optional[int]:
        """Symbol index at which the current lock was acquired (None: unlocked)."""
        return self._inner.lock_time

    @property
    def lock_losses(self) -> int:
        """How many times lock was lost since the start."""
        return self._inner.lock_losses

    @property
    def phase_ui(self) -> float:
        """Phase of the next symbol's sampling instant, UI (as in ``CdrResult.phase_ui``)."""
        return self._inner.phase_ui

    @property
    def symbols_out(self) -> int:
        """Symbols recovered since the start (or the last :meth:`reset`)."""
        return self._inner.symbols_out

    @property
    def update_every(self) -> int:
        """Symbols between loop updates."""
        return self._inner.update_every

    @property
    def trace(self) -> str:
        """The phase trace :meth:`process` returns: ``"symbol"``, ``"block"`` or ``"off"``."""
        return self._inner.trace

    @property
    def slips(self) -> int:
        """Net whole UIs the phase has wrapped through against the nominal clock."""
        return self._inner.slips

    @property
    def kp(self) -> float:
        """Proportional gain per symbol."""
        return self._inner.kp

    @property
    def ki(self) -> float:
        """Integral gain per symbol."""
        return self._inner.ki

    @property
    def backend(self) -> str:
        """Interpolator kernel in use."""
        return self._inner.backend

    def theoretical_transfer(self, frequencies_hz: ArrayLike) -> NDArray[np.float64]:
        """|H(f)| of the designed type II loop."""
        return self._inner.theoretical_transfer([float(f) for f in np.ravel(frequencies_hz)])

    def theoretical_error(self, frequencies_hz: ArrayLike) -> NDArray[np.float64]:
        """|1 − H(f)| of the designed loop (tolerance ∝ 1/|1 − H|)."""
        return self._inner.theoretical_error([float(f) for f in np.ravel(frequencies_hz)])


def jitter_transfer(
    cdr: Cdr, frequencies_hz: ArrayLike, *, amplitude_ui: float = 0.05, seed: int = 1
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Measured jitter transfer of ``cdr``'s configuration: ``(frequencies_hz, |H|)``.

    Each point simulates a fresh CDR on a clean PAM4 waveform with SJ of
    ``amplitude_ui`` (peak) and fits the recovered phase. Plot ``20*log10(|H|)``.
    """
    f = np.asarray(frequencies_hz, dtype=np.float64).ravel()
    return f, cdr._inner.jitter_transfer([float(v) for v in f], float(amplitude_ui), int(seed))


def jitter_tolerance(
    cdr: Cdr,
    frequencies_hz: ArrayLike,
    *,
    target_ser: float = 1e-3,
    min_symbols: int = 20_000,
    max_pp_ui: float = 100.0,
    seed: int = 1,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Measured jitter tolerance: ``(frequencies_hz, SJ amplitude in UI peak-to-peak)``
    at which the symbol error ratio stays at or below ``target_ser``."""
    f = np.asarray(frequencies_hz, dtype=np.float64).ravel()
    return f, cdr._inner.jitter_tolerance(
        [float(v) for v in f], float(target_ser), int(min_symbols), float(max_pp_ui), int(seed)
    )


def pam4_waveform(
    symbols: ArrayLike,
    samples_per_ui: int,
    *,
    delay_ui: float = 0.0,
    ppm: float = 0.0,
    sj_amplitude_ui: float = 0.0,
    sj_frequency_per_ui: float = 0.0,
    rolloff: float = 0.5,
    span_ui: int = 16,
) -> NDArray[np.float32]:
    """Oversampled PAM4 waveform (raised-cosine pulses, levels ±1, ±1/3): symbol ``k``
    centred at ``k + delay + k·(1/(1+ppm·1e-6) − 1) + A·sin(2π·f·k)`` UI."""
    s = as_small_uint("symbols", symbols, 3)
    return _native.cdr_waveform(
        s, int(samples_per_ui), float(delay_ui), float(ppm), float(sj_amplitude_ui),
        float(sj_frequency_per_ui), float(rolloff), int(span_ui),
    )
