"""Jitter on oversampled waveforms, TIE measurement, and the IM-DD optical link.

* :class:`Jitter` displaces the edges of a waveform (``samples_per_ui`` samples per
  unit interval, edges at samples ``k*samples_per_ui + edge_offset``) by random (RJ,
  Gaussian, rms UI), sinusoidal (SJ, peak UI at a frequency in Hz), duty-cycle
  (DCD, UI peak to peak) and bounded uncorrelated (BUJ, peak UI) jitter, by
  resampling it (Catmull-Rom cubic) through a time warp that moves edge ``k`` by
  exactly its displacement. Positive displacement = late. The output is delayed
  by ``.delay`` samples (a multiple of ``samples_per_ui``).
* :func:`tie` finds the threshold crossings of a waveform, fits an ideal clock
  (frequency and phase, least squares) and returns the time-interval error with
  the fitted SJ, DCD and RJ.
* :class:`OpticalLink` turns an electrical drive (−1 … +1) into the TIA output of
  an IM-DD link: extinction ratio, average power or OMA, RIN, bandwidth limit,
  responsivity, shot and thermal noise.

Every block is seeded and streaming: consecutive ``process`` calls give the same
output as one call on the whole stream. Bad arguments raise
:class:`serdes_dsp.SerdesDspError` (a ``ValueError``) naming the argument.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _native
from ._arrays import as_float32_1d, as_samples
from ._native import SerdesDspError

__all__ = ["Jitter", "OpticalLink", "tie", "TieResult"]


class Jitter:
    """Jitter applied to an oversampled waveform (streaming).

    ``Jitter(samples_per_ui, baud_hz, seed, rj_rms_ui=0, sj_amplitude_ui=0,
    sj_frequency_hz=0, sj_phase_rad=0, dcd_ui=0, dcd_mode="even_odd",
    buj_peak_ui=0, buj="uniform", edge_offset=0, backend="auto")``.

    ``dcd_mode``: ``"even_odd"`` (+dcd/2 on even UIs, −dcd/2 on odd) or
    ``"rising_falling"`` (rising edges late by dcd relative to falling ones).
    ``buj``: ``"uniform"`` (uniform in ±peak) or ``"prbs7"``, ``"prbs9"`` … (±peak
    from the bits of that PRBS).
    """

    def __init__(
        self,
        samples_per_ui: int,
        baud_hz: float,
        seed: int = 0,
        *,
        rj_rms_ui: float = 0.0,
        sj_amplitude_ui: float = 0.0,
        sj_frequency_hz: float = 0.0,
        sj_phase_rad: float = 0.0,
        dcd_ui: float = 0.0,
        dcd_mode: str = "even_odd",
        buj_peak_ui: float = 0.0,
        buj: str = "uniform",
        edge_offset: int = 0,
        backend: str = "auto",
    ) -> None:
        if isinstance(samples_per_ui, float) and not samples_per_ui.is_integer():
            raise SerdesDspError(f"invalid `samples_per_ui` = {samples_per_ui}: allowed an integer >= 2")
        if int(samples_per_ui) < 2:
            raise SerdesDspError(f"invalid `samples_per_ui` = {samples_per_ui}: allowed an integer in 2..=1024")
        if int(edge_offset) < 0:
            raise SerdesDspError(f"invalid `edge_offset` = {edge_offset}: allowed 0..samples_per_ui-1")
        self._inner = _native._Jitter(
            int(samples_per_ui),
            float(baud_hz),
            int(seed),
            float(rj_rms_ui),
            float(sj_amplitude_ui),
            float(sj_frequency_hz),
            float(sj_phase_rad),
            float(dcd_ui),
            str(dcd_mode),
            float(buj_peak_ui),
            str(buj),
            int(edge_offset),
            backend,
        )

    @property
    def delay(self) -> int:
        """Latency in samples: output ``n`` is input ``n - delay`` displaced by the jitter."""
        return self._inner.delay

    @property
    def max_displacement_ui(self) -> float:
        """The largest displacement any edge can get (6.66·RJ + SJ + DCD/2 + BUJ), UI."""
        return self._inner.max_displacement_ui

    @property
    def backend(self) -> str:
        """The resampling kernel in use: ``"scalar"``, ``"avx2"`` or ``"avx512"``."""
        return self._inner.backend

    def process(self, x: ArrayLike) -> NDArray[np.float32]:
        """The next ``len(x)`` samples of the jittered waveform (float32)."""
        return self._inner.process(as_samples("x", x))

    def reset(self) -> None:
        """Back to the start of the stream (history, edges, random streams)."""
        self._inner.reset()


class TieResult(NamedTuple):
    """Result of :func:`tie`: per-crossing arrays (time order) and the fitted values."""

    #: Crossing times, samples from the start of the waveform.
    times: NDArray[np.float64]
    #: UI index of each crossing (the first is 0).
    ui: NDArray[np.int64]
    #: Whether each crossing is rising.
    rising: NDArray[np.bool_]
    #: TIE against the fitted clock, UI (positive = late).
    tie_ui: NDArray[np.float64]
    #: TIE minus the fitted SJ and DCD, UI.
    residual_ui: NDArray[np.float64]
    #: ``edges``, ``period_samples``, ``phase_samples``, ``frequency_offset_ppm``,
    #: ``tie_rms_ui``, ``tie_pp_ui``, ``sj_amplitude_ui``, ``sj_frequency_per_ui``,
    #: ``sj_frequency_hz`` (if ``baud_hz`` was given), ``sj_phase_rad``, ``dcd_ui``
    #: (rising − falling, or None), ``dcd_even_odd_ui`` (or None), ``rj_rms_ui``.
    stats: dict[str, Any]


def tie(
    waveform: ArrayLike,
    samples_per_ui: float,
    *,
    thresholds: Optional[Sequence[float]] = None,
    pam4: bool = False,
    symmetry_tolerance: Optional[float] = None,
    baud_hz: Optional[float] = None,
    sj_frequency_hz: Optional[float] = None,
    fit_sj: bool = True,
) -> TieResult:
    """Time-interval error of ``waveform`` and the jitter fitted to it.

    Crossings of ``thresholds`` (default ``[0]``; with ``pam4=True``
    ``[-2/3, 0, 2/3]`` and ``symmetry_tolerance=0.15``, which keeps only the
    transitions symmetric about a threshold) are located by linear interpolation
    and compared with an ideal clock fitted by least squares. SJ is searched in the
    TIE spectrum unless ``sj_frequency_hz`` (needs ``baud_hz``) is given, or
    ``fit_sj=False``. DCD is fitted as rising-minus-falling (and even-minus-odd),
    RJ is the rms of what is left.
    """
    x = as_float32_1d("waveform", waveform)
    if thresholds is None:
        thresholds = [-2.0 / 3.0, 0.0, 2.0 / 3.0] if pam4 else [0.0]
        if pam4 and symmetry_tolerance is None:
            symmetry_tolerance = 0.15
    if baud_hz is not None and not (np.isfinite(baud_hz) and baud_hz > 0):
        raise SerdesDspError(f"invalid `baud_hz` = {baud_hz}: allowed a finite number of Hz > 0")
    sj: Optional[float]
    if not fit_sj:
        sj = 0.0
    elif sj_frequency_hz is not None:
        if baud_hz is None:
            raise SerdesDspError("`sj_frequency_hz` needs `baud_hz` (the symbol rate)")
        sj = float(sj_frequency_hz) / float(baud_hz)
        if not (np.isfinite(sj) and 0 < sj <= 0.5):
            raise SerdesDspError(f"invalid `sj_frequency_hz` = {sj_frequency_hz}: allowed (0, baud_hz/2]")
    else:
        sj = None
    times, ui, rising, tie_ui, residual, stats = _native.tie(
        x,
        float(samples_per_ui),
        [float(t) for t in thresholds],
        None if symmetry_tolerance is None else float(symmetry_tolerance),
        sj,
    )
    stats = dict(stats)
    if baud_hz is not None:
        stats["sj_frequency_hz"] = stats["sj_frequency_per_ui"] * float(baud_hz)
    return TieResult(times, ui, rising, tie_ui, residual, stats)


class OpticalLink:
    """IM-DD optical link: drive (−1 … +1) → laser → bandwidth → photodiode → TIA (V).

    ``P = P_avg·(1 + m·v)`` with ``m = (ER−1)/(ER+1)``; give ``average_power_dbm``
    or ``oma_dbm``. Noise (white over ``sample_rate_hz/2``): RIN ``rin_db_hz``
    (on the received power), shot noise ``2qI`` and thermal noise
    ``thermal_noise_pa_per_rt_hz``. ``bandwidth_hz`` (order 1 or 2, Butterworth)
    limits the optical path. Output ``V = tia_gain_ohm · I``.
    """

    def __init__(
        self,
        sample_rate_hz: float,
        *,
        extinction_ratio_db: float = 5.0,
        average_power_dbm: Optional[float] = None,
        oma_dbm: Optional[float] = None,
        rin_db_hz: Optional[float] = -145.0,
        bandwidth_hz: Optional[float] = None,
        bandwidth_order: int = 2,
        responsivity_a_per_w: float = 0.8,
        thermal_noise_pa_per_rt_hz: float = 15.0,
        shot_noise: bool = True,
        tia_gain_ohm: float = 1000.0,
        seed: int = 0,
    ) -> None:
        if average_power_dbm is None and oma_dbm is None:
            average_power_dbm = 0.0
        opt = lambda v: None if v is None else float(v)  # noqa: E731
        self._inner = _native._OpticalLink(
            float(sample_rate_hz),
            float(extinction_ratio_db),
            opt(average_power_dbm),
            opt(oma_dbm),
            opt(rin_db_hz),
            opt(bandwidth_hz),
            int(bandwidth_order),
            float(responsivity_a_per_w),
            float(thermal_noise_pa_per_rt_hz),
            bool(shot_noise),
            float(tia_gain_ohm),
            int(seed),
        )

    @property
    def average_power_w(self) -> float:
        """Average optical power, W."""
        return self._inner.average_power_w

    @property
    def p0_w(self) -> float:
        """Optical power of the "0" level (drive −1), W."""
        return self._inner.p0_w

    @property
    def p1_w(self) -> float:
        """Optical power of the "1" level (drive +1), W."""
        return self._inner.p1_w

    @property
    def oma_w(self) -> float:
        """Optical modulation amplitude ``P1 − P0``, W."""
        return self._inner.oma_w

    @property
    def noise_bandwidth_hz(self) -> float:
        """The noise bandwidth ``B`` (half the sample rate), Hz."""
        return self._inner.noise_bandwidth_hz

    @property
    def levels_v(self) -> tuple[float, float]:
        """Noiseless output for drives −1 and +1, V."""
        return self._inner.levels_v

    def noise_sigma_a(self, current_a: float) -> float:
        """Photocurrent noise rms at ``current_a``: ``sqrt((RIN·I² + 2qI + i_th²)·B)``, A."""
        return self._inner.noise_sigma_a(float(current_a))

    def process(self, x: ArrayLike) -> NDArray[np.float32]:
        """The TIA output (V, float32) for the next ``len(x)`` drive samples."""
        return self._inner.process(as_samples("x", x))

    def reset(self) -> None:
        """Back to the start of the stream (filter at rest, noise from the seed)."""
        self._inner.reset()
