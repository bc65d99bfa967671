"""Floating-tap DFE against a textbook loop written in numpy/Python."""

import numpy as np
import pytest

from serdes_dsp import SerdesDspError
from serdes_dsp.eq import FloatingDfe

LV = np.array([-1.0, -1 / 3, 1 / 3, 1.0])


def textbook(fixed, positions, taps, x):
    d = []
    ys = []
    for n, xn in enumerate(x):
        y = float(xn)
        for p, t in zip(positions, taps):
            y -= t * LV[d[n - p] if n >= p else 0]
        for k, b in enumerate(fixed, start=1):
            y -= b * LV[d[n - k] if n >= k else 0]
        ys.append(y)
        d.append(int(np.clip(np.searchsorted([-2 / 3, 0.0, 2 / 3], y, side="right"), 0, 3)))
    return np.array(d, dtype=np.uint8), np.array(ys)


def test_matches_textbook_loop_in_chunks_and_cancels_a_reflection():
    rng = np.random.default_rng(7)
    sym = rng.integers(0, 4, 5000).astype(np.uint8)
    h = np.zeros(60)
    h[0], h[1], h[2], h[37], h[52] = 1.0, 0.45, 0.15, 0.25, -0.12
    a = np.r_[np.full(len(h), -1.0), LV[sym]]  # idle line before the start
    x = (np.convolve(a, h)[len(h) : len(h) + len(sym)] + rng.normal(0, 0.03, len(sym))).astype(np.float32)
    dfe = FloatingDfe.from_pulse(h.astype(np.float32), 0, 2, 2, 59)
    assert dfe.positions == [37, 52]
    np.testing.assert_allclose(dfe.taps, [0.45, 0.15], atol=1e-7)
    want, want_y = textbook([0.45, 0.15], [37, 52], [0.25, -0.12], x)
    np.testing.assert_array_equal(want, sym)
    got = [dfe.process_soft(c) for c in np.split(x, [1, 40, 41, 1000, 3333])]
    np.testing.assert_array_equal(np.concatenate([g[0] for g in got]), want)
    np.testing.assert_allclose(np.concatenate([g[1] for g in got]), want_y, atol=1e-5)
    # without the floating taps the reflection makes errors
    plain = textbook([0.45, 0.15], [], [], x)[0]
    assert np.sum(plain != sym) > 50


def test_bad_arguments_are_named():
    with pytest.raises(SerdesDspError, match="floating"):
        FloatingDfe([0.4, 0.1], [2], [0.1])
    with pytest.raises(SerdesDspError, match="taps"):
        FloatingDfe([0.4], [5, 6], [0.1])
    with pytest.raises(SerdesDspError, match="n_floating"):
        FloatingDfe.from_pulse([1.0, 0.5, 0.1], 0, 1, 0, 8)
