"""serdes-dsp: signal processing for high-speed serial links, from Python.

Submodules:

- :mod:`serdes_dsp.signal`   PRBS and IEEE 802.3 quaternary patterns, Gray PAM4/NRZ
  mapping, the 1/(1+D) precoder, slicing.
- :mod:`serdes_dsp.channel`  channels (lossy line, low-pass, Touchstone, scikit-rf
  networks), pulse responses, convolution, crosstalk, AWGN, jitter, TIE, optical IM-DD.
- :mod:`serdes_dsp.eq`       CTLE, Tx FIR, FFE, DFE, MLSE, LMS.
- :mod:`serdes_dsp.analysis` closed-form error rates, confidence intervals.
- :mod:`serdes_dsp.link`     whole links: ``LinkConfig``, ``simulate``, ``ber_sweep`` (threads or Dask).
- :mod:`serdes_dsp.cdr`      clock and data recovery, jitter transfer and tolerance.
- :mod:`serdes_dsp.fec`      IEEE 802.3 Reed-Solomon (KP4, KR4).
- :mod:`serdes_dsp.plot`     BER curves, eyes, bathtubs, pulse responses, taps (matplotlib).

Every native kernel releases the GIL; bad arguments raise :class:`SerdesDspError`
(a :class:`ValueError`) naming the argument and the allowed range, wrong array
types raise :class:`TypeError`.
"""

from . import _native
from ._native import SerdesDspError, __version__, cpu_backend

from . import analysis, cdr, channel, eq, fec, link, signal  # noqa: E402

__all__ = [
    "SerdesDspError",
    "__version__",
    "analysis",
    "cdr",
    "channel",
    "cpu_backend",
    "eq",
    "fec",
    "link",
    "signal",
]
