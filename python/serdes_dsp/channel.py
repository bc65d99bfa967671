"""The channel: seeded additive white Gaussian noise, channel models and crosstalk.

:class:`Channel` is a linear channel (the analytic lossy line, low-pass filters, a
tabulated frequency response or a scikit-rf network) with its impulse and pulse
responses and a streaming ``process``; :class:`Crosstalk` sums aggressor lanes at the
victim.

SNR convention: ``SNR = mean signal power / noise variance`` per sample (see
:mod:`serdes_dsp.analysis` for Es/N0 and Eb/N0). The stream of noise depends only on
the seed (and, by float rounding below 1e-5 relative, on the SIMD backend).
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional, Tuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _native
from ._arrays import as_flat_samples, as_float32, as_samples, check_finite_number
from ._native import SerdesDspError

__all__ = [
    "awgn",
    "Awgn",
    "PAM4_POWER",
    "Channel",
    "Crosstalk",
    "ImpulseResponse",
    "PulseResponse",
    "Jitter",
    "OpticalLink",
    "tie",
    "TieResult",
    "read_touchstone",
]

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
    if signal_power is None:
        # The power of the float32 samples, as the noise is added to them.
        xf = as_float32("x", x)
        signal_power = float(np.mean(np.square(xf, dtype=np.float64))) if xf.size else 0.0
        if not signal_power > 0.0:
            raise SerdesDspError("`x` has zero power: give `signal_power` explicitly")
    flat, shape = as_flat_samples("x", x)
    snr = check_finite_number("snr_db", snr_db)
    out = _native.awgn(flat, snr, int(seed), float(signal_power), backend)
    return out.reshape(shape)


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
        flat, shape = as_flat_samples("x", x)
        return self._inner.process(flat).reshape(shape)

    def reset(self) -> None:
        """Back to the start of the noise stream."""
        self._inner.reset()


class ImpulseResponse(NamedTuple):
    """An impulse response sampled at ``samples_per_ui * baud_hz``.

    ``samples[k] = h(k/fs)/fs``: a discrete FIR whose sum is the DC gain ``H(0)``.
    """

    samples: NDArray[np.float32]
    samples_per_ui: int
    baud_hz: float
    #: Index of the largest ``|h[k]|``.
    peak_index: int
    #: Where the step response first crosses half its final value, in seconds.
    delay_s: float

    @property
    def sample_rate_hz(self) -> float:
        """``samples_per_ui * baud_hz``."""
        return self.samples_per_ui * self.baud_hz


class PulseResponse(NamedTuple):
    """The channel's output for one unit symbol one UI long."""

    samples: NDArray[np.float32]
    samples_per_ui: int
    #: Index of the main cursor (the largest ``|p[k]|``).
    peak_index: int

    def cursors(self, pre: int, post: int) -> NDArray[np.float32]:
        """``pre`` pre-cursors, the main cursor (at index ``pre``), ``post`` post-cursors:
        ``p[peak + k*samples_per_ui]`` for ``k = -pre..=post``, 0 outside the response."""
        idx = self.peak_index + self.samples_per_ui * np.arange(-int(pre), int(post) + 1)
        ok = (idx >= 0) & (idx < self.samples.size)
        out = np.zeros(idx.size, dtype=np.float32)
        out[ok] = self.samples[idx[ok]]
        return out

    @property
    def main_cursor(self) -> float:
        """``p[peak_index]``."""
        return float(self.samples[self.peak_index])


def _positive_int(name: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"`{name}` must be an integer, got {type(v).__name__}")
    if v < 0:
        raise SerdesDspError(f"invalid `{name}` = {v}: allowed an integer >= 0")
    return int(v)


class Channel:
    """A linear channel: build it with :meth:`lossy_line`, :meth:`low_pass`,
    :meth:`from_frequency_response` or :meth:`from_network`.

    Responses are sampled at ``samples_per_ui * baud_hz`` over ``n_ui`` unit intervals
    (the response is periodic in ``n_ui``: make it longer than the channel's delay plus
    its settling). Frequency → time: DC extrapolation, linear interpolation of magnitude
    and unwrapped phase, a raised-cosine roll-off over the top 10 % of the band,
    inverse real FFT.

    >>> ch = Channel.lossy_line(loss_db=20.0, baud_hz=53.125e9)
    >>> round(float(ch.insertion_loss_db(26.5625e9)), 6)
    20.0
    """

    def __init__(self, native: Any, baud_hz: Optional[float] = None) -> None:
        self._inner = native
        # The symbol rate the channel was described at (lossy_line), and the
        # sampling of the stream `process` runs (set by its first call).
        self._baud_hz = baud_hz
        self._sampling: Optional[Tuple[int, float]] = None

    @classmethod
    def lossy_line(cls, loss_db: float, baud_hz: float, *, skin_fraction: float = 0.3) -> "Channel":
        """Lossy line with ``loss_db`` of insertion loss at the Nyquist frequency
        ``baud_hz / 2`` (``baud_hz`` is the symbol rate: 53.125e9 for 106.25 Gb/s PAM4);
        loss ``a*sqrt(f/fN) + b*(f/fN)`` dB with ``a = skin_fraction * loss_db``, minimum phase."""
        return cls(_native._Channel.lossy_line(float(loss_db), float(baud_hz), float(skin_fraction)), float(baud_hz))

    @classmethod
    def low_pass(cls, order: int, f3db_hz: float) -> "Channel":
        """First-order (RC) or second-order Butterworth low-pass, -3 dB at ``f3db_hz``."""
        o = _positive_int("order", order)
        if o not in (1, 2):
            raise SerdesDspError(f"invalid `order` = {o}: allowed 1 or 2")
        return cls(_native._Channel.low_pass(o, float(f3db_hz)))

    @classmethod
    def from_frequency_response(cls, freqs_hz: ArrayLike, h: ArrayLike) -> "Channel":
        """Tabulated complex response ``h`` (e.g. SDD21) at ``freqs_hz`` (>= 0, strictly increasing)."""
        f = np.ascontiguousarray(np.asarray(freqs_hz, dtype=np.float64).ravel())
        hh = np.ascontiguousarray(np.asarray(h, dtype=np.complex128).ravel())
        return cls(_native._Channel.from_frequency_response(f, hh))

    @classmethod
    def from_touchstone(cls, path: Any, ports: str = "1-3/2-4") -> "Channel":
        """From a Touchstone file (.s2p: S21; .s4p: SDD21), parsed by the Rust core.

        ``ports`` pairs the single-ended ports of a 4-port as in :meth:`from_network`:
        ``"1-3/2-4"`` (also ``"odd_even"``) or ``"1-2/3-4"`` (also ``"adjacent"``,
        scikit-rf's ``se2gmm``). A missing file or a malformed line raises
        ``ValueError`` naming the path or the line number.
        """
        import os

        return cls(_native._Channel.from_touchstone(os.fspath(path), str(ports)))

    @classmethod
    def from_network(cls, network: Any, ports: str = "1-3/2-4") -> "Channel":
        """From a scikit-rf ``Network``: S21 of a 2-port, SDD21 of a 4-port.

        For a 4-port, ``ports`` names the single-ended pairing: ``"1-3/2-4"`` (ports 1
        and 3 form the input pair, 2 and 4 the output pair: lines 1→2 and 3→4, the
        default of MATLAB's ``s2sdd``) or ``"1-2/3-4"`` (1 and 2 in, 3 and 4 out: lines
        1→3 and 2→4, scikit-rf's own ``se2gmm`` convention). The network is converted
        with ``se2gmm(p=2)`` after renumbering to scikit-rf's order; DC, if absent, is
        extrapolated.
        """
        s = np.asarray(network.s)
        f = np.asarray(network.f, dtype=np.float64)
        nports = s.shape[1]
        if nports == 2:
            h = s[:, 1, 0]
        elif nports == 4:
            net = network.copy()
            if ports == "1-3/2-4":
                net.renumber([1, 2], [2, 1])
            elif ports != "1-2/3-4":
                raise SerdesDspError(f"invalid `ports` = {ports!r}: allowed '1-3/2-4' or '1-2/3-4'")
            net.se2gmm(p=2)
            h = np.asarray(net.s)[:, 1, 0]
        else:
            raise SerdesDspError(f"invalid `network` with {nports} ports: allowed a 2-port (S21) or a 4-port (SDD21)")
        return cls.from_frequency_response(f, h)

    def with_reflection(self, amplitude: float, delay_s: float) -> "Channel":
        """The same channel with an echo: ``H * (1 + amplitude * exp(-2j*pi*f*delay_s))``."""
        return Channel(self._inner.with_reflection(float(amplitude), float(delay_s)), self._baud_hz)

    def with_delay(self, delay_s: float) -> "Channel":
        """The same channel followed by a pure delay of ``delay_s`` seconds."""
        return Channel(self._inner.with_delay(float(delay_s)), self._baud_hz)

    def insertion_loss_db(self, f_hz: ArrayLike) -> Any:
        """``-20*log10|H(f)|`` at ``f_hz`` (scalar or array, Hz)."""
        fa = np.asarray(f_hz, dtype=np.float64)
        out = self._inner.insertion_loss_db(np.ascontiguousarray(fa.ravel()))
        return float(out[0]) if fa.ndim == 0 else out.reshape(fa.shape)

    def impulse_response(self, samples_per_ui: int, baud_hz: float, n_ui: int = 128) -> ImpulseResponse:
        """Impulse response at ``samples_per_ui * baud_hz``, ``n_ui`` UI long."""
        sps, n = _positive_int("samples_per_ui", samples_per_ui), _positive_int("n_ui", n_ui)
        samples, peak, delay = self._inner.impulse_response(sps, float(baud_hz), n)
        return ImpulseResponse(samples, sps, float(baud_hz), int(peak), float(delay))

    def pulse_response(self, samples_per_ui: int, baud_hz: float, n_ui: int = 128) -> PulseResponse:
        """Pulse response (one unit symbol, one UI long) at ``samples_per_ui * baud_hz``."""
        sps, n = _positive_int("samples_per_ui", samples_per_ui), _positive_int("n_ui", n_ui)
        samples, peak = self._inner.pulse_response(sps, float(baud_hz), n)
        return PulseResponse(samples, sps, int(peak))

    def process(
        self, x: ArrayLike, samples_per_ui: Optional[int] = None, baud_hz: Optional[float] = None, n_ui: int = 128
    ) -> NDArray[np.float32]:
        """Streams the waveform ``x`` (``samples_per_ui`` per UI) through the channel:
        successive calls continue one stream (direct, fast-FIR or FFT convolution
        with the impulse response); a change of sampling restarts it.

        ``samples_per_ui`` and ``baud_hz`` default to those of the previous call, so
        ``ch.process(x)`` continues the stream; on the first call ``baud_hz``
        defaults to the symbol rate of a :meth:`lossy_line` and ``samples_per_ui``
        must be given (``ValueError`` naming it otherwise)."""
        xf = as_samples("x", x)
        prev_sps, prev_baud = self._sampling if self._sampling is not None else (None, self._baud_hz)
        if samples_per_ui is None:
            samples_per_ui = prev_sps
        if samples_per_ui is None:
            raise SerdesDspError("`samples_per_ui` is required on the first call to process (e.g. 8)")
        if baud_hz is None:
            baud_hz = prev_baud
        if baud_hz is None:
            raise SerdesDspError("`baud_hz` is required on the first call to process (the symbol rate, Hz)")
        sps, n = _positive_int("samples_per_ui", samples_per_ui), _positive_int("n_ui", n_ui)
        out = self._inner.process(xf, sps, float(baud_hz), n)
        self._sampling = (sps, float(baud_hz))
        return out

    def reset(self) -> None:
        """Restarts the stream of :meth:`process`."""
        self._inner.reset()

    def __repr__(self) -> str:
        return f"Channel({self._inner!r})"


class Crosstalk:
    """Aggressors with their own seeded PRBS31Q PAM4 patterns through their own
    coupling responses (FEXT/NEXT), summed at the victim; streaming.

    >>> x = Crosstalk(samples_per_ui=4)
    >>> x.add_aggressor([0.05, 0.1, 0.05], seed=0x1234, kind="fext", amplitude=0.1)
    >>> x.process(np.zeros(64, dtype=np.float32)).shape
    (64,)
    """

    def __init__(self, samples_per_ui: int) -> None:
        self._inner = _native._Crosstalk(_positive_int("samples_per_ui", samples_per_ui))

    def add_aggressor(self, response: ArrayLike, seed: int, *, kind: str = "fext", amplitude: float = 1.0) -> None:
        """An aggressor coupled by ``response`` (impulse response at this sample rate)."""
        r = as_float32("response", response).ravel()
        self._inner.add_aggressor(kind, r, _positive_int("seed", seed), float(amplitude))

    def add_channel(
        self, channel: Channel, baud_hz: float, seed: int, *, kind: str = "fext", amplitude: float = 1.0, n_ui: int = 128
    ) -> None:
        """An aggressor coupled through ``channel`` (e.g. the SDD41 of a multi-port file)."""
        self._inner.add_channel(
            kind, channel._inner, float(baud_hz), _positive_int("n_ui", n_ui), _positive_int("seed", seed), float(amplitude)
        )

    def __len__(self) -> int:
        return len(self._inner)

    @property
    def kinds(self) -> list[str]:
        """``"fext"``/``"next"`` per aggressor."""
        return list(self._inner.kinds)

    def process(self, victim: ArrayLike) -> NDArray[np.float32]:
        """``victim`` plus the next ``len(victim)`` samples of crosstalk."""
        return self._inner.process(as_samples("victim", victim))

    def crosstalk(self, n: int) -> NDArray[np.float32]:
        """The next ``n`` samples of crosstalk alone."""
        return self._inner.crosstalk(_positive_int("n", n))

    def reset(self) -> None:
        """Every pattern back to its seed, every convolution at rest."""
        self._inner.reset()


from .jitter import Jitter, OpticalLink, TieResult, tie  # noqa: E402
from .touchstone import read_touchstone  # noqa: E402
