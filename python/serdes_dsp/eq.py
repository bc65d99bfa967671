"""Equalisers of a PAM4/NRZ SerDes link, as streaming blocks.

A receiver in IEEE 802.3 terms (Annex 93A/178A reference receiver) runs
:class:`Ctle` → sampler → :class:`Ffe` → :class:`Dfe` or :class:`Mlse`; the
transmitter has a :class:`TxFir`. Every block keeps its state between calls: calling
``process`` on consecutive chunks gives the same output as on the whole stream.

Arrays: samples are float32 (anything real is converted), symbols uint8 ``0..=3``
(PAM4 levels −1, −1/3, +1/3, +1) or ``0..=1`` (NRZ −1, +1). Every kernel releases the
GIL. Bad arguments raise :class:`serdes_dsp.SerdesDspError` (a ``ValueError``) naming
the argument and the allowed range.

FFE alignment: ``Ffe(taps, cursor).process(x)`` equals
``numpy.convolve(x, taps)[:len(x)]`` (``scipy.signal.lfilter(taps, 1, x)``); the
main tap delays the signal by ``cursor`` samples (``.delay``).
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _native
from ._arrays import as_float32_1d, as_samples, as_small_uint, check_finite_number

__all__ = [
    "TxFir",
    "Ctle",
    "Ffe",
    "Dfe",
    "Mlse",
    "FloatingDfe",
    "ErrorBursts",
    "Adaptation",
    "FfeSolution",
    "TxFirAdaptation",
    "CtleAdaptation",
    "estimate_pulse",
    "PAM4_POWER",
]

#: Mean power of the PAM4 levels ±1, ±1/3 with equiprobable symbols.
PAM4_POWER = 5.0 / 9.0


class Adaptation(NamedTuple):
    """Result of an ``adapt`` call."""

    #: Output while adapting: samples (FFE) or decided symbols (DFE).
    output: NDArray
    #: Taps over time, shape ``(snapshots, n_taps)``, one row every ``record_every`` symbols.
    trajectory: NDArray[np.float32]
    #: Mean square error over each snapshot's interval.
    mse: NDArray[np.float32]


class FfeSolution(NamedTuple):
    """Taps solved from a pulse response (see :meth:`Ffe.solve`)."""

    taps: NDArray[np.float32]
    #: Symbol index of the main cursor of the equalised pulse.
    delay: int
    #: The equalised symbol-rate pulse.
    equalised: NDArray[np.float64]
    #: Mean square error per symbol.
    mse: float
    #: Output SNR ``signal_power / mse`` in dB.
    snr_db: float


class TxFirAdaptation(NamedTuple):
    """What :meth:`TxFir.adapt` chose (the TxFir now has these taps)."""

    #: The chosen taps, the earliest pre-cursor first (``Σ|c| = 1``).
    taps: NDArray[np.float32]
    #: SNR of the reference receiver (signal over residual ISI and noise), dB.
    snr_db: float
    #: Symbol-spaced pulse at the receiver with these taps (``taps ∗ pulse``).
    pulse: NDArray[np.float64]
    #: Index of its main cursor.
    cursor: int
    #: The receiver's MMSE FFE taps (``[1.0]`` without FFE).
    ffe_taps: NDArray[np.float64]
    #: Number of tap settings evaluated.
    evaluated: int


class CtleAdaptation(NamedTuple):
    """What :meth:`Ctle.adapt` chose (the Ctle now has these gains)."""

    g_dc_db: float
    g_dc2_db: float
    #: SNR of the reference receiver with these gains, dB.
    snr_db: float
    #: The equalised pulse sampled once per UI at its largest sample.
    pulse: NDArray[np.float64]
    #: Index of its main cursor.
    cursor: int
    #: Sample index (of the input pulse's rate) of the main cursor's instant.
    phase: int
    #: Every grid point: columns ``g_dc_db, g_dc2_db, snr_db`` (``g_dc2_db`` fastest).
    table: NDArray[np.float64]


def estimate_pulse(
    x: ArrayLike, reference: ArrayLike, samples_per_ui: int = 1, span: tuple[int, int] = (4, 24)
) -> NDArray[np.float32]:
    """Least-squares pulse response from a received waveform and the levels sent.

    ``x``: ``samples_per_ui`` samples per UI, aligned with ``reference`` (sample
    ``k·M + r`` belongs to UI ``k``); ``reference``: the levels sent (float) or PAM4
    symbols (uint8, mapped to ±1, ±1/3). Returns the pulse over ``span = (pre, post)``
    UI around the main cursor (``(pre + 1 + post)·M`` samples, main cursor UI at
    ``pre·M``): ``x[k·M + r] ≈ Σ_j h[j·M + r]·a[k + pre − j]``, one least-squares
    solve per phase (``numpy.linalg.lstsq``).
    """
    m = int(samples_per_ui)
    pre, post = int(span[0]), int(span[1])
    if m < 1 or pre < 0 or post < 0:
        raise _native.SerdesDspError(f"invalid `span`/`samples_per_ui` = {span}/{m}: allowed pre, post >= 0, samples_per_ui >= 1")
    ref = np.asarray(reference)
    if ref.dtype == np.uint8:
        a = np.array([-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0])[as_small_uint("reference", ref, 3)]
    else:
        a = as_float32_1d("reference", ref).astype(np.float64)
    xf = as_float32_1d("x", x).astype(np.float64)
    k_n = min(len(a), len(xf) // m)
    n_taps = pre + 1 + post
    rows = np.arange(post, k_n - pre)
    if len(rows) < 2 * n_taps:
        raise _native.SerdesDspError(f"invalid `x` = {len(xf)} samples: allowed at least {(3 * n_taps + pre + post) * m} for span {span}")
    cols = rows[:, None] + pre - np.arange(n_taps)[None, :]
    a_mat = a[cols]
    x_mat = xf[: k_n * m].reshape(k_n, m)[rows]
    h, *_ = np.linalg.lstsq(a_mat, x_mat, rcond=None)
    return np.ascontiguousarray(h.reshape(-1), dtype=np.float32)


def _native_array(native: str, doc: str) -> property:
    """A read-write float32 array property: the native block's attribute ``native``,
    set from anything :func:`as_float32_1d` takes (the error naming ``native``)."""

    def get(self: Any) -> NDArray[np.float32]:
        return getattr(self._inner, native)

    def set_(self: Any, value: ArrayLike) -> None:
        setattr(self._inner, native, as_float32_1d(native, value))

    return property(get, set_, doc=doc)


def _adaptation(res: tuple, n_taps: int) -> Adaptation:
    out, flat, mse = res
    return Adaptation(out, flat.reshape(-1, n_taps), mse)


class TxFir:
    """Transmit FIR (IEEE 802.3 Tx FFE): ``y[n] = Σ c[k]·a[n−k]``, ``c[cursor] = c(0)``.

    ``normalise=True`` scales the taps to ``Σ|c| = 1`` (the 802.3 normalisation). Its
    delay is ``cursor`` symbols. :meth:`preset` gives the standard's presets (only
    preset 1 is confirmed here); :meth:`adapt` chooses the taps for a channel as link
    training / COM does.
    """

    def __init__(self, taps: ArrayLike, cursor: int = 0, *, normalise: bool = True) -> None:
        self._inner = _native._TxFir(as_float32_1d("taps", taps), int(cursor), bool(normalise))

    @property
    def taps(self) -> NDArray[np.float32]:
        """The taps, the earliest pre-cursor first."""
        return self._inner.taps

    @property
    def delay(self) -> int:
        """Delay in symbols (the number of pre-cursor taps)."""
        return self._inner.delay

    def process(self, x: ArrayLike) -> NDArray[np.float32]:
        """Filters levels ``x`` (float) or PAM4 symbols (uint8, mapped to ±1, ±1/3)."""
        arr = np.asarray(x)
        if arr.dtype == np.uint8:
            arr = np.array([-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0], dtype=np.float32)[as_small_uint("x", arr, 3)]
        return self._inner.process(as_samples("x", arr))

    @classmethod
    def preset(cls, n: int) -> "TxFir":
        """Tx FFE preset ``n`` of IEEE 802.3ck (``c(−3..=1)``, cursor 3).

        Only preset 1 (no equalisation, ``c(0) = 1``) is provided: the values of the
        other presets could not be confirmed from a source, so any other ``n`` raises
        :class:`SerdesDspError` naming ``n`` and the allowed range.
        """
        self = cls.__new__(cls)
        self._inner = _native._TxFir.preset(int(n))
        return self

    @property
    def cursor(self) -> int:
        """Index of the main tap ``c(0)``."""
        return self._inner.cursor

    def adapt(
        self,
        x: ArrayLike,
        reference: Optional[ArrayLike] = None,
        *,
        cursor: Optional[int] = None,
        grid: str = "802.3ck",
        step: Optional[float] = None,
        ffe_taps: int = 1,
        ffe_cursor: int = 0,
        dfe_taps: int = 0,
        noise_var: float = 0.0,
        signal_power: float = PAM4_POWER,
        span: tuple[int, int] = (4, 24),
    ) -> TxFirAdaptation:
        """Chooses the taps for a channel, as link training / COM does, and keeps them.

        ``x`` with ``reference=None``: the channel's symbol-spaced pulse response
        *without* this Tx FIR (channel, packages, CTLE, …), main cursor at ``cursor``
        (default: its largest sample). With ``reference``: ``x`` is the received
        symbol-spaced signal and ``reference`` the levels that entered the channel (the
        Tx FIR's *output*, or symbols sent with preset 1); the pulse is estimated by
        :func:`estimate_pulse` over ``span`` first.

        Every setting of the ``grid`` (``"802.3ck"``: ``c(−3) ∈ [−0.06, 0]``,
        ``c(−2) ∈ [0, 0.12]``, ``c(−1) ∈ [−0.34, 0]``, ``c(1) ∈ [−0.2, 0]``,
        ``c(0) ≥ 0.54``; ``"802.3dj"``: ``c(0) ≥ 0.5``; multiples of ``step``, default
        0.02; ``c(0) = 1 − Σ|c(k)|``) is applied to the pulse; the one whose reference
        receiver (an MMSE FFE of ``ffe_taps`` taps, main tap ``ffe_cursor``, then
        ``dfe_taps`` DFE taps; ``ffe_taps=1``: a plain slicer) reaches the highest SNR
        with white noise ``noise_var`` at the receiver is kept.
        """
        if reference is None:
            pulse = as_float32_1d("x", x)
            c = int(np.argmax(np.abs(pulse))) if cursor is None else int(cursor)
        else:
            pulse = estimate_pulse(x, reference, 1, span)
            c = int(span[0]) if cursor is None else int(cursor)
        r = self._inner.adapt(
            pulse,
            c,
            grid,
            None if step is None else float(step),
            int(ffe_taps),
            int(ffe_cursor),
            int(dfe_taps),
            float(noise_var),
            float(signal_power),
        )
        return TxFirAdaptation(self.taps, *r)

    def check_802_3ck_kr(self) -> None:
        """Raises if the taps are outside the 802.3ck KR Tx FFE ranges."""
        self._inner.check_802_3ck_kr()

    def reset(self) -> None:
        """Back to an idle line."""
        self._inner.reset()


class Ctle:
    """Continuous-time linear equaliser of IEEE 802.3 Annex 93A/178A, on waveforms sampled at ``sample_rate_hz``.

    ``Ctle(g_dc_db, g_dc2_db, baud_hz=..., sample_rate_hz=..., standard="802.3dj")``
    (``fz = fp1 = fb/2.5``, ``fp2 = fb``, ``fLF = fb/80``) or ``standard="802.3ck"``
    (53.125 GBd values), or :meth:`from_poles_zeros` for any real poles and zeros.
    The discrete filter (matched-z plus a linear-phase magnitude correction) follows
    the analog magnitude within :attr:`fit_error_db` (< 0.1 dB) up to 0.8 × Nyquist.
    """

    def __init__(
        self,
        g_dc_db: float,
        g_dc2_db: float = 0.0,
        *,
        sample_rate_hz: float,
        baud_hz: float = 106.25e9,
        standard: str = "802.3dj",
    ) -> None:
        g = check_finite_number("g_dc_db", g_dc_db)
        g2 = check_finite_number("g_dc2_db", g_dc2_db)
        fs = check_finite_number("sample_rate_hz", sample_rate_hz)
        self._baud_hz: Optional[float] = 53.125e9 if standard == "802.3ck" else float(baud_hz)
        self._standard = standard
        if standard == "802.3dj":
            self._inner = _native._Ctle.ieee_802_3dj(check_finite_number("baud_hz", baud_hz), g, g2, fs)
        elif standard == "802.3ck":
            self._inner = _native._Ctle.ieee_802_3ck(g, g2, fs)
        else:
            raise _native.SerdesDspError(f"invalid `standard` = {standard}: allowed one of 802.3dj, 802.3ck")

    @classmethod
    def from_poles_zeros(
        cls, dc_gain: float, zeros_hz: Sequence[float], poles_hz: Sequence[float], sample_rate_hz: float
    ) -> "Ctle":
        """``H(f) = dc_gain·Π(1 + jf/z)/Π(1 + jf/p)``; poles must be > 0 Hz (stable)."""
        self = cls.__new__(cls)
        self._inner = _native._Ctle(float(dc_gain), [float(z) for z in zeros_hz], [float(p) for p in poles_hz], float(sample_rate_hz))
        self._baud_hz = None
        self._standard = "802.3dj"
        return self

    @property
    def taps(self) -> None:
        """A CTLE has no taps (``None``); its settings are :attr:`g_dc_db`, :attr:`g_dc2_db`."""
        return None

    @property
    def g_dc_db(self) -> Optional[float]:
        """DC gain ``gDC`` (dB) of an Annex 93A CTLE (``None`` for :meth:`from_poles_zeros`)."""
        return self._inner.g_dc_db

    @property
    def g_dc2_db(self) -> Optional[float]:
        """Low-frequency gain ``gDC2`` (dB) of an Annex 93A CTLE (``None`` for :meth:`from_poles_zeros`)."""
        return self._inner.g_dc2_db

    @property
    def sample_rate_hz(self) -> float:
        """Sample rate of the waveform, Hz."""
        return self._inner.sample_rate_hz

    def response_db(self, f_hz: ArrayLike) -> NDArray[np.float64]:
        """Analog gain ``20·log10|H(f)|`` at ``f_hz``."""
        f = np.asarray(f_hz, dtype=np.float64)
        return self._inner.analog_gain_db(np.ascontiguousarray(f.ravel())).reshape(f.shape)

    def digital_response_db(self, f_hz: ArrayLike) -> NDArray[np.float64]:
        """Gain of the discrete filter at ``f_hz`` (meaningful below ``sample_rate_hz/2``)."""
        f = np.asarray(f_hz, dtype=np.float64)
        return self._inner.digital_gain_db(np.ascontiguousarray(f.ravel())).reshape(f.shape)

    @property
    def peaking_db(self) -> float:
        """Largest gain over the DC gain, dB."""
        return self._inner.peaking_db

    @property
    def peak_frequency_hz(self) -> float:
        """Frequency of the largest gain, Hz."""
        return self._inner.peak_frequency_hz

    @property
    def fit_error_db(self) -> float:
        """Largest |discrete − analog| gain on [0, 0.8 × Nyquist], dB."""
        return self._inner.fit_error_db

    @property
    def delay(self) -> int:
        """Pure delay of the magnitude-correction FIR, samples."""
        return self._inner.delay

    def process(self, x: ArrayLike) -> NDArray[np.float32]:
        """Filters the next chunk of the waveform."""
        return self._inner.process(as_samples("x", x))

    def apply_to_impulse_response(self, h: ArrayLike, dt_s: float) -> NDArray[np.float32]:
        """Multiplies ``h`` (sampled every ``dt_s`` s) by the analog ``H(f)`` in the frequency domain (circular over the next power of two)."""
        return self._inner.apply_to_impulse_response(as_float32_1d("h", h), float(dt_s))

    def adapt(
        self,
        x: ArrayLike,
        reference: Optional[ArrayLike] = None,
        *,
        samples_per_ui: Optional[int] = None,
        grid: Optional[str] = None,
        g_dc_db: Optional[Sequence[float]] = None,
        g_dc2_db: Optional[Sequence[float]] = None,
        ffe_taps: int = 1,
        ffe_cursor: int = 0,
        dfe_taps: int = 0,
        noise_var: float = 0.0,
        signal_power: float = PAM4_POWER,
        span: tuple[int, int] = (4, 24),
    ) -> CtleAdaptation:
        """Chooses ``gDC``, ``gDC2`` on the standard's grid for a channel, as COM does, and keeps them.

        ``x`` with ``reference=None``: the pulse response at the CTLE input, sampled at
        :attr:`sample_rate_hz` (``samples_per_ui`` per UI; default ``sample_rate_hz /
        baud_hz``). With ``reference`` (the levels or PAM4 symbols sent): ``x`` is the
        received waveform at the CTLE input and the pulse is estimated first by
        :func:`estimate_pulse` over ``span``.

        ``grid``: ``"802.3dj"`` (``gDC`` 0 to −15 dB by 1, ``gDC2`` 0 to −5 by 0.5) or
        ``"802.3ck"`` (``gDC`` 0 to −20, ``gDC2`` 0 to −6, by 1); default the
        constructor's ``standard``; ``g_dc_db`` / ``g_dc2_db`` replace its values.
        For each pair the exact analog ``H(f)`` is applied to the pulse (frequency
        domain, zero-padded by 128 UI), the result sampled once per UI at its largest
        sample, and the reference receiver's SNR computed (MMSE FFE of ``ffe_taps``,
        ``dfe_taps`` DFE taps; white noise ``noise_var`` per sample at the CTLE input,
        coloured by the CTLE). The best pair is kept; ``table`` holds them all.
        """
        fs = self.sample_rate_hz
        if samples_per_ui is None:
            if self._baud_hz is None:
                raise _native.SerdesDspError("invalid `samples_per_ui` = None: allowed an integer >= 1 (no baud rate known)")
            ratio = fs / self._baud_hz
            if abs(ratio - round(ratio)) > 1e-6 * ratio:
                raise _native.SerdesDspError(f"invalid `samples_per_ui` = None: sample_rate_hz / baud_hz = {ratio} is not an integer")
            m = int(round(ratio))
        else:
            m = int(samples_per_ui)
        if reference is None:
            pulse = as_float32_1d("x", x)
        else:
            pulse = estimate_pulse(x, reference, m, span)
        r = self._inner.adapt(
            pulse,
            m,
            self._standard if grid is None else grid,
            None if g_dc_db is None else [float(v) for v in g_dc_db],
            None if g_dc2_db is None else [float(v) for v in g_dc2_db],
            int(ffe_taps),
            int(ffe_cursor),
            int(dfe_taps),
            float(noise_var),
            float(signal_power),
        )
        g, g2, snr, p, cur, ph, table = r
        return CtleAdaptation(g, g2, snr, p, cur, ph, table.reshape(-1, 3))

    def reset(self) -> None:
        """Back to rest."""
        self._inner.reset()


class Ffe:
    """Feed-forward equaliser: ``y[n] = Σ c[k]·x[n·M − k]`` (``M`` samples per symbol).

    ``backend``: ``"auto"``, ``"scalar"``, ``"avx2"``, ``"avx512"``. SIMD backends agree
    with the scalar reference within ``1e-5 · Σ|c| · max|x|``.
    """

    def __init__(self, taps: ArrayLike, cursor: int = 0, *, samples_per_symbol: int = 1, backend: str = "auto") -> None:
        self._inner = _native._Ffe(as_float32_1d("taps", taps), int(cursor), int(samples_per_symbol), backend)

    @staticmethod
    def solve(
        pulse: ArrayLike,
        n_taps: int,
        cursor: int,
        *,
        noise_var: float = 0.0,
        samples_per_symbol: int = 1,
        method: str = "mmse",
        signal_power: float = PAM4_POWER,
    ) -> FfeSolution:
        """Zero-forcing (``method="zf"``) or MMSE taps for ``pulse`` (sampled at ``samples_per_symbol``/UI)."""
        r = _native.ffe_solve(
            as_float32_1d("pulse", pulse), int(n_taps), int(cursor), int(samples_per_symbol), method, float(noise_var), float(signal_power)
        )
        return FfeSolution(*r)

    @classmethod
    def from_pulse_response(
        cls,
        pulse: ArrayLike,
        n_taps: int,
        cursor: int,
        noise_var: float = 0.0,
        *,
        samples_per_symbol: int = 1,
        method: str = "mmse",
        backend: str = "auto",
    ) -> "Ffe":
        """An FFE with the MMSE (or ``method="zf"``) taps for ``pulse``; ``noise_var`` per input sample."""
        s = cls.solve(pulse, n_taps, cursor, noise_var=noise_var, samples_per_symbol=samples_per_symbol, method=method)
        return cls(s.taps, cursor, samples_per_symbol=samples_per_symbol, backend=backend)

    taps = _native_array("taps", "The taps, ``c[0]`` first.")

    @property
    def cursor(self) -> int:
        """Index of the main tap."""
        return self._inner.cursor

    @property
    def delay(self) -> int:
        """Delay of the main tap, input samples."""
        return self._inner.delay

    @property
    def backend(self) -> str:
        """The kernel in use."""
        return self._inner.backend

    def process(self, x: ArrayLike) -> NDArray[np.float32]:
        """Filters the next chunk (one output per symbol)."""
        return self._inner.process(as_samples("x", x))

    def adapt(
        self,
        x: ArrayLike,
        reference: Optional[ArrayLike] = None,
        *,
        mu: float = 1e-3,
        algorithm: str = "lms",
        modulation: str = "pam4",
        record_every: int = 1000,
    ) -> Adaptation:
        """Filters ``x`` while adapting the taps (``algorithm="lms"`` or ``"sign_sign"``).

        ``reference``: the desired output per output sample (transmitted levels,
        already aligned to the output); ``None`` adapts decision-directed.
        """
        ref = None if reference is None else as_float32_1d("reference", reference)
        r = self._inner.adapt(as_float32_1d("x", x), ref, float(mu), algorithm, modulation, int(record_every))
        return _adaptation(r, len(self.taps))

    def reset(self) -> None:
        """Zero history."""
        self._inner.reset()


class ErrorBursts:
    """Counts symbol/bit errors and groups them into bursts (errors ≤ ``max_distance`` symbols apart)."""

    def __init__(self, max_distance: int, modulation: str = "pam4") -> None:
        self._inner = _native._ErrorBursts(int(max_distance), modulation)
        self._max = 3 if modulation == "pam4" else 1

    def update(self, decided: ArrayLike, reference: ArrayLike) -> None:
        """Compares the next chunk of decisions with the symbols sent."""
        self._inner.update(as_small_uint("decided", decided, self._max), as_small_uint("reference", reference, self._max))

    @property
    def ber(self) -> float:
        """Bit error ratio (Gray-decoded for PAM4)."""
        return self._inner.ber

    @property
    def ser(self) -> float:
        """Symbol error ratio."""
        return self._inner.ser

    @property
    def bit_errors(self) -> int:
        return self._inner.bit_errors

    @property
    def symbol_errors(self) -> int:
        return self._inner.symbol_errors

    @property
    def symbols(self) -> int:
        return self._inner.symbols

    @property
    def histogram(self) -> NDArray[np.uint64]:
        """``histogram[k]`` = number of bursts of ``k`` errors."""
        return self._inner.histogram


class _DecisionStream:
    """The streaming methods the DFEs share (``self._inner`` is the native block)."""

    _inner: Any

    @property
    def delay(self) -> int:
        """0: the decision for sample ``n`` is output ``n``."""
        return 0

    def process(self, x: ArrayLike) -> NDArray[np.uint8]:
        """Decides the next chunk."""
        return self._inner.process(as_samples("x", x))

    def process_soft(self, x: ArrayLike) -> tuple[NDArray[np.uint8], NDArray[np.float32]]:
        """Decisions and the equalised samples (slicer input)."""
        return self._inner.process_soft(as_samples("x", x))

    def reset(self) -> None:
        """Forget past decisions."""
        self._inner.reset()


class Dfe(_DecisionStream):
    """Decision-feedback equaliser, 1 to 32 taps, ``modulation="pam4"`` or ``"nrz"``.

    ``y[n] = x[n] − Σ b_k·L(d[n−k])``; delay 0. ``process`` returns the decisions;
    ``process_soft`` also the slicer input. After construction or ``reset`` the past
    decisions are taken as symbol 0 (the line idled low).
    """

    def __init__(self, taps: ArrayLike, modulation: str = "pam4") -> None:
        self._inner = _native._Dfe(as_float32_1d("taps", taps), modulation)
        self._max = 3 if modulation == "pam4" else 1

    taps = _native_array("taps", "Feedback taps ``b_1..b_N``.")

    @property
    def thresholds(self) -> NDArray[np.float32]:
        """Slicer thresholds, lowest first."""
        return self._inner.thresholds

    levels = _native_array("levels", "The levels the slicer expects (adapted by ``adapt(mu_levels>0)``).")

    def count_errors(self, x: ArrayLike, reference: ArrayLike, errors: Optional[ErrorBursts] = None) -> ErrorBursts:
        """Decides ``x``, compares with ``reference`` (symbols sent) and returns the counter (``.ber``, ``.histogram`` of bursts, error propagation included)."""
        if errors is None:
            errors = ErrorBursts(len(self.taps), "pam4" if self._max == 3 else "nrz")
        errors.update(self.process(x), reference)
        return errors

    def adapt(
        self,
        x: ArrayLike,
        reference: Optional[ArrayLike] = None,
        *,
        mu_taps: float = 1e-3,
        mu_levels: float = 1e-3,
        algorithm: str = "lms",
        record_every: int = 1000,
    ) -> Adaptation:
        """Decides ``x`` while adapting the taps and slicer levels/thresholds.

        ``reference``: the symbols sent (training: errors and feedback use them);
        ``None``: decision-directed.
        """
        ref = None if reference is None else as_small_uint("reference", reference, self._max)
        r = self._inner.adapt(as_float32_1d("x", x), ref, float(mu_taps), float(mu_levels), algorithm, int(record_every))
        return _adaptation(r, len(self.taps))

    def check_802_3ck_kr(self) -> None:
        """Raises if the taps exceed the 802.3ck KR bmax limits."""
        self._inner.check_802_3ck_kr()


class FloatingDfe(_DecisionStream):
    """DFE with ``fixed`` taps ``b_1..b_N`` and floating taps ``taps`` at ``positions`` (``> N``).

    ``y[n] = x[n] − Σ b_k·L(d[n−k]) − Σ f_i·L(d[n−p_i])``; delay 0; the line is taken
    as idle (symbol 0) before the start and after ``reset``. The floating taps cover
    a reflection's post-cursor far from the main one without a tap per UI in between.
    """

    def __init__(self, fixed: ArrayLike, positions: Sequence[int], taps: ArrayLike, modulation: str = "pam4") -> None:
        self._inner = _native._FloatingDfe(as_float32_1d("fixed", fixed), [int(p) for p in positions], as_float32_1d("taps", taps), modulation)

    @classmethod
    def from_pulse(
        cls, pulse: ArrayLike, cursor: int, n_fixed: int, n_floating: int, max_position: int, modulation: str = "pam4"
    ) -> "FloatingDfe":
        """Zero-forcing taps ``h_k/h_0`` for a symbol-spaced ``pulse``; the floating taps go to the
        ``n_floating`` largest ``|h_k|`` with ``n_fixed < k ≤ max_position``. Feed it ``x / h_0``."""
        self = cls.__new__(cls)
        self._inner = _native._FloatingDfe.from_pulse(
            as_float32_1d("pulse", pulse), int(cursor), int(n_fixed), int(n_floating), int(max_position), modulation
        )
        return self

    @property
    def taps(self) -> NDArray[np.float32]:
        """The fixed taps ``b_1..b_N``."""
        return self._inner.fixed_taps

    @property
    def positions(self) -> list[int]:
        """Positions of the floating taps (symbols after the main cursor), ascending."""
        return self._inner.positions

    @property
    def floating_taps(self) -> NDArray[np.float32]:
        """The floating taps, in the order of :attr:`positions`."""
        return self._inner.floating_taps


class Mlse:
    """Viterbi sequence detector over ``channel = [h0, h1]`` (1 + αD) or ``[h0, h1, h2]``.

    Decisions come ``depth`` symbols late: ``process(x)[n]`` is the decision on
    ``x[n − depth]`` (0 for the first ``depth`` outputs); :meth:`finish` returns the
    ``depth`` decisions still pending.
    """

    def __init__(self, channel: ArrayLike, depth: int = 16, modulation: str = "pam4") -> None:
        self._inner = _native._Mlse(as_float32_1d("channel", channel), int(depth), modulation)
        self._max = 3 if modulation == "pam4" else 1

    taps = _native_array("channel", "The channel taps the detector assumes.")

    @property
    def delay(self) -> int:
        """Decision delay in symbols (the traceback depth)."""
        return self._inner.delay

    def process(self, x: ArrayLike) -> NDArray[np.uint8]:
        """Detects the next chunk (decisions delayed by ``delay``)."""
        return self._inner.process(as_samples("x", x))

    def finish(self) -> NDArray[np.uint8]:
        """The pending ``delay`` decisions (does not change the state)."""
        return self._inner.finish()

    def adapt(self, x: ArrayLike, reference: Optional[ArrayLike] = None) -> Adaptation:
        """Estimates the channel taps by least squares from ``x`` and the symbols sent
        (``reference``; ``None``: the decisions of a fresh detector with the current
        taps on ``x``) and sets them. ``output`` holds the decisions used."""
        xf = as_float32_1d("x", x)
        if reference is None:
            probe = Mlse(self.taps, self.delay, "pam4" if self._max == 3 else "nrz")
            d = np.concatenate([probe.process(xf), probe.finish()])[probe.delay :]
        else:
            d = as_small_uint("reference", reference, self._max)
        h = self._inner.estimate_channel(xf, d)
        self._inner.channel = h
        return Adaptation(d, h.reshape(1, -1), np.zeros(1, dtype=np.float32))

    def reset(self) -> None:
        """All states equally likely, empty survivors."""
        self._inner.reset()
