"""IEEE 802.3 Reed-Solomon FEC over GF(2^10): RS(544,514) "KP4", RS(528,514) "KR4",
or any shortened RS(n, k) with n <= 1023, and analytic post-FEC error rates.

Conventions (Clauses 91 and 119): field GF(2^10) with primitive polynomial
x^10 + x^3 + 1, alpha = x; generator g(x) = prod_{j=0}^{2t-1} (x - alpha^j);
systematic. Symbols are uint16 values 0..1023 in transmission order: index 0 is the
first symbol sent (the coefficient of x^(n-1)), the k message symbols first and the
2t parity symbols last.

>>> import numpy as np
>>> from serdes_dsp.fec import ReedSolomon
>>> rs = ReedSolomon.kp4()
>>> msg = np.random.default_rng(1).integers(0, 1024, (8, 514), dtype=np.uint16)
>>> cw = rs.encode(msg)
>>> cw[:, 5] ^= 1                      # one symbol error per codeword
>>> res = rs.decode(cw)
>>> bool((res.data == msg).all()), res.corrected.tolist()[:3], bool(res.failed.any())
(True, [1, 1, 1], False)

The work runs in Rust with the GIL released (SIMD on AVX2/AVX-512 CPUs).
"""

from __future__ import annotations

from typing import Any, Optional, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _native
from ._native import SerdesDspError

__all__ = [
    "ReedSolomon",
    "DecodeResult",
    "post_fec_ber",
    "codeword_failure_probability",
    "pre_fec_ber_for_post_fec_ber",
]


def _symbols(name: str, a: Any, width: int) -> NDArray[np.uint16]:
    """``a`` as a C-contiguous uint16 array whose last axis has ``width`` symbols."""
    arr = np.asarray(a)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"`{name}` must be an integer array of symbols, got dtype {arr.dtype}")
    if arr.ndim == 0 or arr.shape[-1] != width:
        raise SerdesDspError(
            f"wrong shape of `{name}`: expected (..., {width}), got {arr.shape}"
        )
    if arr.size:
        lo, hi = int(arr.min()), int(arr.max())
        if lo < 0 or hi > 1023:
            bad = lo if lo < 0 else hi
            raise SerdesDspError(f"`{name}` holds {bad}: allowed symbols 0..=1023")
    return np.ascontiguousarray(arr, dtype=np.uint16)


class DecodeResult:
    """What :meth:`ReedSolomon.decode` returns.

    Attributes
    ----------
    data : uint16 array (..., k)
        The corrected messages (as received for failed codewords).
    codewords : uint16 array (..., n)
        The corrected codewords (as received for failed codewords).
    corrected : int64 array (...,)
        Symbols changed per codeword (0 for error-free and for failed codewords).
    failed : bool array (...,)
        True where the codeword was detected as uncorrectable.
    """

    __slots__ = ("codewords", "data", "corrected", "failed")

    def __init__(self, codewords: NDArray[np.uint16], k: int, corrected: NDArray[np.int64], failed: NDArray[np.bool_]):
        self.codewords = codewords
        self.data = codewords[..., :k]
        self.corrected = corrected
        self.failed = failed

    def __repr__(self) -> str:
        return (
            f"DecodeResult(codewords={self.failed.size}, corrected_symbols={int(self.corrected.sum())}, "
            f"failed={int(self.failed.sum())})"
        )


class ReedSolomon:
    """A shortened Reed-Solomon code RS(n, k) over GF(2^10), as in IEEE 802.3.

    ``ReedSolomon(n, k)`` for any ``n <= 1023`` with ``n - k`` even and ``k >= 1``;
    :meth:`kp4` is RS(544,514) (t = 15), :meth:`kr4` RS(528,514) (t = 7).
    ``backend`` is ``"auto"`` (the fastest this CPU runs), ``"scalar"``, ``"avx2"``
    or ``"avx512"``; every backend gives the same results.
    """

    def __init__(self, n: int, k: int, *, backend: str = "auto") -> None:
        self._codec = _native.RsCodec(int(n), int(k), str(backend))

    @classmethod
    def kp4(cls, *, backend: str = "auto") -> "ReedSolomon":
        """RS(544,514), t = 15: 100G-800G PAM4 Ethernet (Clauses 91, 119, 134)."""
        return cls(544, 514, backend=backend)

    @classmethod
    def kr4(cls, *, backend: str = "auto") -> "ReedSolomon":
        """RS(528,514), t = 7: 25G/100G NRZ Ethernet (Clauses 91, 108)."""
        return cls(528, 514, backend=backend)

    @property
    def n(self) -> int:
        """Codeword length in symbols."""
        return int(self._codec.n)

    @property
    def k(self) -> int:
        """Message length in symbols."""
        return int(self._codec.k)

    @property
    def t(self) -> int:
        """Symbol errors corrected per codeword, (n - k) / 2."""
        return int(self._codec.t)

    @property
    def backend(self) -> str:
        """The SIMD backend in use."""
        return str(self._codec.backend)

    @property
    def generator(self) -> NDArray[np.uint16]:
        """Generator polynomial coefficients g_0 ... g_2t (lowest power first)."""
        return self._codec.generator()

    def __repr__(self) -> str:
        return f"ReedSolomon(n={self.n}, k={self.k}, t={self.t}, backend={self.backend!r})"

    def encode(self, msg: ArrayLike) -> NDArray[np.uint16]:
        """Codewords of messages: uint16 ``(..., k)`` -> ``(..., n)``, parity last."""
        m = _symbols("msg", msg, self.k)
        lead = m.shape[:-1]
        out = self._codec.encode(m.reshape(-1, self.k))
        return out.reshape(*lead, self.n)

    def decode(self, rx: ArrayLike, erasures: Optional[ArrayLike] = None) -> DecodeResult:
        """Decodes received words ``(..., n)``.

        ``erasures``: optional bool mask of rx's shape, True where a symbol is
        erased (its position known to be unreliable). Corrects e errors and s
        erasures whenever 2e + s <= 2t; beyond that a codeword is either reported
        ``failed`` (and returned as received) or decoded to a valid codeword.
        """
        r = _symbols("rx", rx, self.n)
        lead = r.shape[:-1]
        mask = None
        if erasures is not None:
            e = np.asarray(erasures)
            if e.dtype.kind != "b":
                raise TypeError(f"`erasures` must be a bool array, got dtype {e.dtype}")
            if e.shape != r.shape:
                raise SerdesDspError(
                    f"wrong shape of `erasures`: expected {r.shape} (the shape of rx), got {e.shape}"
                )
            mask = np.ascontiguousarray(e).reshape(-1, self.n)
        words, corrected, failed = self._codec.decode(r.reshape(-1, self.n), mask)
        return DecodeResult(
            words.reshape(*lead, self.n),
            self.k,
            corrected.reshape(lead),
            failed.reshape(lead),
        )

    def syndromes(self, rx: ArrayLike) -> NDArray[np.uint16]:
        """Syndromes S_j = r(alpha^j), j = 0 .. 2t-1: ``(..., n)`` -> ``(..., 2t)``."""
        r = _symbols("rx", rx, self.n)
        lead = r.shape[:-1]
        return self._codec.syndromes(r.reshape(-1, self.n)).reshape(*lead, self.n - self.k)

    def post_fec_ber(self, pre_fec_ber: ArrayLike) -> Union[float, NDArray[np.float64]]:
        """Post-FEC BER of this code at ``pre_fec_ber`` (see :func:`post_fec_ber`)."""
        return post_fec_ber(pre_fec_ber, self)


Code = Union[str, ReedSolomon, "tuple[int, int]"]


def _n_t(code: Code) -> "tuple[int, int]":
    if isinstance(code, ReedSolomon):
        return code.n, code.t
    if isinstance(code, str):
        named = {"kp4": (544, 15), "kr4": (528, 7)}
        if code.lower() not in named:
            raise SerdesDspError(f"invalid `code` = {code!r}: allowed 'kp4', 'kr4', a ReedSolomon or (n, k)")
        return named[code.lower()]
    try:
        n, k = code  # type: ignore[misc]
    except (TypeError, ValueError):
        raise TypeError(f"`code` must be 'kp4', 'kr4', a ReedSolomon or (n, k), got {type(code).__name__}") from None
    rs = ReedSolomon(int(n), int(k))
    return rs.n, rs.t


def _vectorize(f: Any, x: ArrayLike, n: int, t: int) -> Union[float, NDArray[np.float64]]:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 0:
        return float(f(float(arr), n, t))
    flat = [f(float(v), n, t) for v in arr.ravel()]
    return np.asarray(flat, dtype=np.float64).reshape(arr.shape)


def post_fec_ber(pre_fec_ber: ArrayLike, code: Code = "kp4") -> Union[float, NDArray[np.float64]]:
    """Post-FEC bit error rate for independent bit errors at ``pre_fec_ber``.

    Symbols fail with q = 1 - (1 - p)^10; a codeword with more than t symbol
    errors fails and is passed through, each symbol error carrying 10p/q bit errors
    on average. ``code``: ``"kp4"`` (default), ``"kr4"``, a :class:`ReedSolomon` or
    ``(n, k)``. Scalars give a float, arrays an array. KP4 at 2.4e-4: about 2.4e-15.
    """
    n, t = _n_t(code)
    return _vectorize(_native.fec_post_fec_ber, pre_fec_ber, n, t)


def codeword_failure_probability(pre_fec_ber: ArrayLike, code: Code = "kp4") -> Union[float, NDArray[np.float64]]:
    """Probability that a codeword has more than t symbol errors (independent bit errors)."""
    n, t = _n_t(code)
    return _vectorize(_native.fec_codeword_failure_probability, pre_fec_ber, n, t)


def pre_fec_ber_for_post_fec_ber(target: float, code: Code = "kp4") -> float:
    """The pre-FEC BER at which :func:`post_fec_ber` equals ``target`` (KP4, 1e-15: ~2.26e-4)."""
    n, t = _n_t(code)
    return float(_native.fec_pre_fec_ber_for_post_fec_ber(float(target), n, t))
