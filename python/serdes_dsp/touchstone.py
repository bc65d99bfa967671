"""Touchstone S-parameter files (versions 1.x and 2.0) and mixed-mode parameters.

:func:`read_touchstone` reads a ``.sNp`` (or 2.0 ``.ts``) file into a :class:`Network`:
frequencies in Hz, S parameters as a complex128 array of shape ``(nfreq, n, n)``
(``s[:, i, j]`` is S(i+1)(j+1), as in scikit-rf), and the reference impedance of each
port in ohms. Formats RI/MA/DB, units Hz/kHz/MHz/GHz, 1.x multi-line rows, 2.0
keywords (``[Two-Port Data Order]``, ``[Reference]``, ``[Matrix Format]`` …) are
read; only S parameters are supported. A 2.0 file of mixed-mode data
(``[Mixed-Mode Order] D1,2 D3,4 C1,2 C3,4``, ``D<p>,<n>`` = ``(a_p − a_n)/√2``) is
converted back to single-ended S parameters as it is read, so ``Network.s`` is
always single-ended. A malformed file raises
:class:`serdes_dsp.SerdesDspError` (a ``ValueError``) naming the file and line.

Mixed mode: a single-ended 4-port is seen as two differential pairs. ``ordering``:

- ``"adjacent"`` (the default; scikit-rf's ``se2gmm(p=2)`` convention): ports 1 (+)
  and 2 (−) form the pair at side 1, ports 3 (+) and 4 (−) at side 2 — the lines run
  1→3 and 2→4.
- ``"odd_even"``: ports 1 (+) and 3 (−) at side 1, ports 2 (+) and 4 (−) at side 2 —
  the lines run 1→2 and 3→4.

Example::

    net = read_touchstone("channel.s4p")
    f, sdd21 = net.sdd21(ordering="adjacent")
    loss = net.insertion_loss_db(26.5625e9)   # at the Nyquist of 106.25 Gb/s PAM4
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional, Union

import numpy as np
from numpy.typing import NDArray

from . import _native

__all__ = ["Network", "read_touchstone", "parse_touchstone", "mixed_mode"]

_ORDERINGS = ("odd_even", "adjacent")


def _check_ordering(ordering: str) -> str:
    if ordering not in _ORDERINGS:
        raise ValueError(f"invalid `ordering` = {ordering!r}: allowed 'odd_even' or 'adjacent'")
    return ordering


@dataclass(frozen=True)
class Network:
    """S parameters of an N-port over frequency."""

    #: Frequencies in Hz, strictly increasing, shape ``(nfreq,)``.
    freqs_hz: NDArray[np.float64]
    #: S parameters, complex128, shape ``(nfreq, n, n)``; ``s[:, 1, 0]`` is S21.
    s: NDArray[np.complex128]
    #: Reference impedance of each port in ohms, shape ``(n,)``.
    z0: NDArray[np.float64]

    @property
    def nports(self) -> int:
        """The number of ports N."""
        return int(self.s.shape[1])

    def s_param(self, i: int, j: int) -> NDArray[np.complex128]:
        """``S_ij`` over frequency with 1-based port numbers: ``s_param(2, 1)`` is S21."""
        n = self.nports
        for name, p in (("i", i), ("j", j)):
            if not 1 <= p <= n:
                raise ValueError(f"invalid `{name}` = {p}: allowed a port number in 1..={n}")
        return self.s[:, i - 1, j - 1]

    def mixed_mode(self, ordering: str = "adjacent") -> dict[str, NDArray[np.complex128]]:
        """The mixed-mode blocks ``{"sdd", "sdc", "scd", "scc"}``, each ``(nfreq, P, P)``.

        Needs an even port count and the same ``z0`` on every port.
        """
        if not np.all(self.z0 == self.z0[0]):
            raise ValueError(f"invalid `z0` = {self.z0}: allowed the same reference impedance on every port")
        return mixed_mode(self.freqs_hz, self.s, ordering)

    def _two_pairs(self) -> None:
        if self.nports < 4 or self.nports % 2:
            raise ValueError(
                f"invalid `nports` = {self.nports}: allowed an even number >= 4 of single-ended ports "
                "(a 4-port for one differential channel)"
            )

    def sdd21(self, ordering: str = "adjacent") -> tuple[NDArray[np.float64], NDArray[np.complex128]]:
        """``(freqs_hz, SDD21)``: the differential insertion response, pair 1 → pair 2."""
        self._two_pairs()
        return self.freqs_hz, self.mixed_mode(ordering)["sdd"][:, 1, 0]

    def sdd11(self, ordering: str = "adjacent") -> tuple[NDArray[np.float64], NDArray[np.complex128]]:
        """``(freqs_hz, SDD11)``: the differential reflection at pair 1."""
        self._two_pairs()
        return self.freqs_hz, self.mixed_mode(ordering)["sdd"][:, 0, 0]

    def scd21(self, ordering: str = "adjacent") -> tuple[NDArray[np.float64], NDArray[np.complex128]]:
        """``(freqs_hz, SCD21)``: differential-to-common-mode conversion, pair 1 → pair 2."""
        self._two_pairs()
        return self.freqs_hz, self.mixed_mode(ordering)["scd"][:, 1, 0]

    def insertion_loss_db(self, f_hz: float, ordering: str = "adjacent") -> float:
        """Insertion loss in dB (positive) at ``f_hz``, linearly interpolated in dB.

        From S21 for a two-port, from SDD21 for a 4-port (with ``ordering``). ``f_hz``
        must lie within the measured frequencies.
        """
        if self.nports == 2:
            h = np.ascontiguousarray(self.s[:, 1, 0])
        else:
            h = np.ascontiguousarray(self.sdd21(ordering)[1])
        return float(_native.insertion_loss_db(np.ascontiguousarray(self.freqs_hz), h, float(f_hz)))


def _network(arrays: tuple[NDArray[np.float64], NDArray[np.complex128], NDArray[np.float64]]) -> Network:
    freqs, s, z0 = arrays
    return Network(freqs_hz=freqs, s=s, z0=z0)


def read_touchstone(path: Union[str, "os.PathLike[str]"]) -> Network:
    """Reads a Touchstone file; a 1.x file's port count comes from its ``.sNp`` name."""
    return _network(_native.touchstone_read(os.fspath(path)))


def parse_touchstone(text: str, nports: Optional[int] = None) -> Network:
    """Parses Touchstone text; ``nports`` (the N of ``.sNp``) is required for 1.x text."""
    return _network(_native.touchstone_parse(text, nports))


def mixed_mode(
    freqs_hz: NDArray[np.float64], s: NDArray[np.complex128], ordering: str = "adjacent"
) -> dict[str, NDArray[np.complex128]]:
    """Mixed-mode blocks of single-ended S parameters ``s`` (``(nfreq, 2P, 2P)``).

    Returns ``{"freqs_hz", "sdd", "sdc", "scd", "scc"}``, each block ``(nfreq, P, P)``;
    mixed-mode port k is pair k of ``ordering`` (see the module docs). Valid for equal,
    real reference impedances on every single-ended port.
    """
    _check_ordering(ordering)
    f = np.ascontiguousarray(freqs_hz, dtype=np.float64)
    sc = np.ascontiguousarray(s, dtype=np.complex128)
    if sc.ndim != 3:
        raise ValueError(f"invalid `s` of shape {sc.shape}: allowed shape (nfreq, n, n)")
    return dict(_native.mixed_mode(f, sc, ordering))
