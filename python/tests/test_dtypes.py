"""float64 (and other dtype) input to the streaming blocks' ``process``.

float64 arrays go to the native code as they are and are converted to float32 chunk
by chunk there; the reference here is the same block fed ``x.astype(np.float32)``
(a contiguous float32 array, which the native code uses in place, unconverted). The
output must be bit-identical, in one call or in chunks, for strided views, and the
errors and the state after them must be those of the float32 input. The inputs are
long enough to span several of the native chunks (16384 samples).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serdes_dsp import SerdesDspError, _native
from serdes_dsp.analysis import EyeHistogram
from serdes_dsp.cdr import Cdr, pam4_waveform
from serdes_dsp.channel import Awgn, Channel, Crosstalk, awgn
from serdes_dsp.eq import Ctle, Dfe, Ffe, FloatingDfe, Mlse, TxFir
from serdes_dsp.jitter import Jitter, OpticalLink
from serdes_dsp.signal import nrz_slice, pam4_slice

BAUD = 53.125e9
N = 50_000  # > 3 native chunks
TAPS = np.array([0.02, -0.1, 1.0, -0.25, 0.08, -0.03, 0.01, 0.005, -0.002, 0.001, 0.0, 0.003, -0.001, 0.0, 0.001, 0.0005], dtype=np.float32)


def _xtalk() -> Crosstalk:
    x = Crosstalk(samples_per_ui=4)
    x.add_aggressor(np.hanning(24) * 0.01, seed=0x1234, kind="fext", amplitude=0.5)
    x.add_aggressor(np.hanning(16) * 0.02, seed=7, kind="next")
    x.add_aggressor(np.hanning(400) * 0.001, seed=11)  # long enough for the FFT path
    return x


class _ChannelStream:
    """`Channel.process` with its sampling arguments, as a one-argument block."""

    def __init__(self, n_ui: int) -> None:
        self.ch = Channel.lossy_line(15.0, BAUD)
        self.n_ui = n_ui

    def process(self, x: Any) -> Any:
        return self.ch.process(x, 8, BAUD, self.n_ui)


#: name -> (factory, method, input name in the error)
BLOCKS: dict[str, tuple[Callable[[], Any], str, str]] = {
    "TxFir": (lambda: TxFir([-0.1, 1.0, -0.2], 1), "process", "x"),
    "Ctle": (lambda: Ctle(-6.0, -2.0, sample_rate_hz=4 * 106.25e9), "process", "x"),
    "Ffe": (lambda: Ffe(TAPS, 2), "process", "x"),
    "Ffe(M=3)": (lambda: Ffe(TAPS[:9], 4, samples_per_symbol=3), "process", "x"),
    "Dfe": (lambda: Dfe([0.2, 0.05, -0.02]), "process", "x"),
    "Dfe.soft": (lambda: Dfe([0.2, 0.05, -0.02]), "process_soft", "x"),
    "FloatingDfe": (lambda: FloatingDfe([0.2], [9, 30], [0.05, -0.02]), "process", "x"),
    "FloatingDfe.soft": (lambda: FloatingDfe([0.2], [9, 30], [0.05, -0.02]), "process_soft", "x"),
    "Mlse": (lambda: Mlse([1.0, 0.5], depth=12), "process", "x"),
    "Awgn": (lambda: Awgn(18.0, seed=5), "process", "x"),
    "Channel(fft)": (lambda: _ChannelStream(64), "process", "x"),
    "Channel(ffa)": (lambda: _ChannelStream(16), "process", "x"),
    "Channel(direct)": (lambda: _ChannelStream(4), "process", "x"),
    "Crosstalk": (_xtalk, "process", "victim"),
    "Jitter": (lambda: Jitter(8, BAUD, seed=3, rj_rms_ui=0.01, sj_amplitude_ui=0.1, sj_frequency_hz=BAUD / 3000), "process", "x"),
    "OpticalLink": (lambda: OpticalLink(8 * BAUD, bandwidth_hz=30e9, seed=9), "process", "x"),
    "Cdr": (lambda: Cdr(samples_per_ui=8, baud_hz=BAUD, bandwidth_hz=BAUD / 1000), "process", "waveform"),
}

#: Blocks with an FFT convolution: chunk-invariant bit for bit only on its block grid.
FFT_ROUNDED = {"Channel(fft)", "Crosstalk"}


def _waveform(n: int = N, seed: int = 0) -> np.ndarray:
    """A PAM4 waveform at 8 samples per UI in float64, with values that float32 must round."""
    rng = np.random.default_rng(seed)
    sym = rng.integers(0, 4, n // 8 + 1).astype(np.uint8)
    w = pam4_waveform(sym, 8, delay_ui=0.3)[:n].astype(np.float64)
    return w + rng.normal(0.0, 0.02, n)


def _assert_same(a: Any, b: Any) -> None:
    """Bit-identical outputs (arrays, or tuples of arrays), same dtypes and shapes."""
    if isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b)
        for u, v in zip(a, b):
            _assert_same(u, v)
        return
    assert a.dtype == b.dtype and a.shape == b.shape
    assert np.array_equal(a, b, equal_nan=True)


def _cat(outs: list) -> Any:
    if isinstance(outs[0], tuple):
        parts = [np.concatenate(p) for p in zip(*outs)]
        return type(outs[0])(*parts) if hasattr(outs[0], "_fields") else tuple(parts)
    return np.concatenate(outs)


def _pair(name: str):
    make, method, _ = BLOCKS[name]
    a, b = make(), make()
    return getattr(a, method), getattr(b, method)


def test_channel_methods_are_covered():
    methods = {n: BLOCKS[n][0]() for n in ("Channel(fft)", "Channel(ffa)", "Channel(direct)")}
    for b in methods.values():
        b.process(np.zeros(10))
    got = {n: b.ch._inner.method for n, b in methods.items()}
    assert got["Channel(fft)"] == "fft" and got["Channel(direct)"] == "direct"
    assert got["Channel(ffa)"] in ("ffa", "fft")  # the FFA only on AVX-512


@pytest.mark.parametrize("name", BLOCKS)
def test_float64_equals_float32_input(name):
    x = _waveform()
    assert not np.array_equal(x, x.astype(np.float32))  # the rounding is exercised
    f64, f32 = _pair(name)
    _assert_same(f64(x), f32(x.astype(np.float32)))
    # The state carried over is the same: the next call agrees too.
    y = _waveform(seed=1)
    _assert_same(f64(y), f32(y.astype(np.float32)))


@pytest.mark.parametrize("name", BLOCKS)
def test_float64_chunks_equal_float32_chunks_and_whole(name):
    x = _waveform(seed=2)
    cuts = [0, 777, 5000, 5000, 20_000, 20_000 + 16384, N]  # an empty chunk, one of exactly 16384
    f64, f32 = _pair(name)
    outs64 = [f64(x[a:b]) for a, b in zip(cuts[:-1], cuts[1:])]
    outs32 = [f32(x[a:b].astype(np.float32)) for a, b in zip(cuts[:-1], cuts[1:])]
    for u, v in zip(outs64, outs32):
        _assert_same(u, v)
    whole, _ = _pair(name)
    if name in FFT_ROUNDED:
        # The user's own cuts are off the FFT's block grid: equal to FFT rounding.
        np.testing.assert_allclose(_cat(outs64), whole(x.astype(np.float32)), atol=1e-5 * 4)
    else:
        _assert_same(_cat(outs64), whole(x.astype(np.float32)))


@pytest.mark.parametrize("name", BLOCKS)
@pytest.mark.parametrize("view", ["every_2nd", "reversed", "column"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_strided_views(name, view, dtype):
    base = _waveform(2 * N, seed=4).astype(dtype)
    if view == "every_2nd":
        x = base[::2]
    elif view == "reversed":
        x = base[::-1][:N]
    else:
        x = base.reshape(N, 2)[:, 1]
    assert not x.flags.c_contiguous
    f_view, f_ref = _pair(name)
    _assert_same(f_view(x), f_ref(np.ascontiguousarray(x, dtype=np.float32)))


@pytest.mark.parametrize("name", BLOCKS)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, 1e39])
@pytest.mark.parametrize("at", [5, 16384 + 7, N - 1])
def test_non_finite_sample_same_error_and_state(name, bad, at):
    _, _, arg = BLOCKS[name]
    x = _waveform(seed=5)
    x[at] = bad  # 1e39 is finite in float64, infinite in float32
    f64, f32 = _pair(name)
    clean = _waveform(20_000, seed=6)
    # Advance both blocks a little first, so that "untouched" is not the reset state.
    _assert_same(f64(clean[:1000]), f32(clean[:1000].astype(np.float32)))
    with np.errstate(over="ignore"):
        x32 = x.astype(np.float32)
    with pytest.raises(SerdesDspError) as e32:
        f32(x32)
    with pytest.raises(SerdesDspError) as e64:
        f64(x)
    assert str(e64.value) == str(e32.value)
    assert f"`{arg}`" in str(e64.value) and f"index {at}" in str(e64.value)
    # Nothing of the refused call entered either block.
    _assert_same(f64(clean[1000:]), f32(clean[1000:].astype(np.float32)))
    with pytest.raises(SerdesDspError) as e_view:
        f64(np.repeat(x, 2)[::2])
    assert str(e_view.value) == str(e32.value)
    _assert_same(f64(clean[:10]), f32(clean[:10].astype(np.float32)))


@pytest.mark.parametrize("name", BLOCKS)
def test_empty_input(name):
    f64, f32 = _pair(name)
    _assert_same(f64(np.zeros(0)), f32(np.zeros(0, dtype=np.float32)))
    _assert_same(f64(np.zeros(0)[::2]), f32(np.zeros(0, dtype=np.float32)))
    x = _waveform(seed=7)
    _assert_same(f64(x), f32(x.astype(np.float32)))


@pytest.mark.parametrize("name", BLOCKS)
def test_other_dtypes_are_converted_as_numpy_does(name):
    x = _waveform(20_000, seed=8)
    inputs = {
        "float16": x.astype(np.float16),
        "int8": np.round(x).astype(np.int8),
        "big-endian float64": x.astype(">f8"),
        "list": x[:3000].tolist(),
    }
    raw = np.zeros(20_000 * 8 + 1, dtype=np.uint8)
    mis = np.frombuffer(raw.data, dtype=np.float64, count=20_000, offset=1)
    packed = np.zeros(20_000, dtype=[("a", "<f8"), ("b", "<f4")])
    packed["a"] = x
    inputs["packed record field"] = packed["a"]
    for label, v in inputs.items():
        f_in, f_ref = _pair(name)
        _assert_same(f_in(v), f_ref(np.asarray(v, dtype=np.float32)))
    assert not mis.flags.aligned
    f_in, f_ref = _pair(name)
    _assert_same(f_in(mis), f_ref(mis.astype(np.float32)))


def test_awgn_one_shot_and_any_shape():
    x = _waveform(seed=9)
    _assert_same(awgn(x, 15.0, seed=1, signal_power=0.5), awgn(x.astype(np.float32), 15.0, seed=1, signal_power=0.5))
    _assert_same(awgn(x, 15.0, seed=1), awgn(x.astype(np.float32), 15.0, seed=1))
    grid = x[:40_000].reshape(200, 200)
    _assert_same(awgn(grid, 15.0, seed=2, signal_power=0.5), awgn(grid.astype(np.float32), 15.0, seed=2, signal_power=0.5))
    _assert_same(awgn(grid.T, 15.0, seed=2, signal_power=0.5), awgn(grid.T.astype(np.float32), 15.0, seed=2, signal_power=0.5))
    a, b = Awgn(12.0, seed=3), Awgn(12.0, seed=3)
    _assert_same(a.process(grid), b.process(grid.astype(np.float32)))
    _assert_same(a.process(grid.T), b.process(grid.T.astype(np.float32)))


def test_native_process_refuses_a_misaligned_view():
    raw = np.zeros(20_000 * 8 + 1, dtype=np.uint8)
    mis = np.frombuffer(raw.data, dtype=np.float64, count=20_000, offset=1)
    ffe = _native._Ffe(TAPS, 2, 1, "auto")
    with pytest.raises(SerdesDspError, match="`x`"):
        ffe.process(mis)
    with pytest.raises(TypeError):
        ffe.process(np.zeros(10, dtype=np.int32))


def test_shape_errors_unchanged():
    with pytest.raises(ValueError, match=r"`x` must be one-dimensional \(a stream\), got shape \(2, 2\)"):
        Ffe(TAPS, 2).process(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"`waveform` must be one-dimensional, got shape \(2, 2\)"):
        Cdr().process(np.zeros((2, 2)))
    with pytest.raises(TypeError, match="real numeric"):
        Ffe(TAPS, 2).process(np.zeros(4, dtype=np.complex128))


def test_slicers_float64_equal_float32():
    x = _waveform(seed=10)
    for f in (lambda v: pam4_slice(v), lambda v: pam4_slice(v, symbols=True), lambda v: nrz_slice(v)):
        _assert_same(f(x), f(x.astype(np.float32)))
        _assert_same(f(x[::-3]), f(np.ascontiguousarray(x[::-3], dtype=np.float32)))
    grid = x[:40_000].reshape(200, 200).T
    _assert_same(nrz_slice(grid), nrz_slice(grid.astype(np.float32)))
    x[30_000] = np.nan
    for f in (pam4_slice, nrz_slice):
        with pytest.raises(SerdesDspError) as e64:
            f(x)
        with pytest.raises(SerdesDspError) as e32:
            f(x.astype(np.float32))
        assert str(e64.value) == str(e32.value) and "index 30000" in str(e64.value)


@pytest.mark.parametrize("with_symbols", [False, True])
def test_eye_histogram_float64_equals_float32(with_symbols):
    rng = np.random.default_rng(11)
    sym = rng.integers(0, 4, 6000).astype(np.uint8)
    x = pam4_waveform(sym, 8).astype(np.float64)[: 6000 * 8] + rng.normal(0, 0.05, 6000 * 8)
    a, b = EyeHistogram(8), EyeHistogram(8)
    for lo, hi in [(0, 8 * 100), (8 * 100, 8 * 4100), (8 * 4100, 8 * 6000)]:
        s = sym[lo // 8 : hi // 8] if with_symbols else None
        a.accumulate(x[lo:hi], s)
        b.accumulate(x[lo:hi].astype(np.float32), s)
        _assert_same(a.counts, b.counts)
    a.accumulate(x[::2][:16_000])
    b.accumulate(np.ascontiguousarray(x[::2][:16_000], dtype=np.float32))
    _assert_same(a.counts, b.counts)
    if with_symbols:
        np.testing.assert_array_equal(a.bathtub()["ber"], b.bathtub()["ber"])
    y = x[: 8 * 3000].copy()
    y[20_000] = np.inf
    with pytest.raises(SerdesDspError) as e64:
        a.accumulate(y)
    with pytest.raises(SerdesDspError) as e32:
        b.accumulate(y.astype(np.float32))
    assert str(e64.value) == str(e32.value) and "index 20000" in str(e64.value)
    _assert_same(a.counts, b.counts)


@settings(max_examples=12, deadline=None)
@given(
    cuts=st.lists(st.integers(0, 40_000), max_size=5),
    stride=st.sampled_from([1, 1, 2, -1]),
    name=st.sampled_from(["Ffe(M=3)", "Dfe.soft", "Channel(fft)", "Cdr", "Jitter", "Awgn"]),
)
def test_random_chunkings_of_float64_equal_float32(cuts, stride, name):
    x = _waveform(80_000, seed=len(cuts))[::stride][:40_000]
    bounds = sorted(set([0, len(x)] + cuts))
    f64, f32 = _pair(name)
    for a, b in zip(bounds[:-1], bounds[1:]):
        _assert_same(f64(x[a:b]), f32(np.ascontiguousarray(x[a:b], dtype=np.float32)))
