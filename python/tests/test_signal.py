"""The signal path from Python: patterns, mapping, precoder, slicer, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import serdes_dsp
from serdes_dsp import signal


def test_prbs_recurrence_and_period():
    # PRBS7 (x^7 + x^6 + 1): y[n] = y[n-6] ^ y[n-7], period 127; independent check in numpy
    b = signal.prbs(7, 500, seed=0x55)
    assert b.dtype == np.uint8 and set(np.unique(b)) <= {0, 1}
    assert np.array_equal(b[7:], b[1:-6] ^ b[:-7])
    assert np.array_equal(b[:127], b[127:254])
    # PRBS31 (802.3 Clause 49.2.8, inverted output): the recurrence holds on the inverted bits too
    b31 = signal.prbs(31, 5000, seed=12345)
    assert np.array_equal(b31[31:], b31[3:-28] ^ b31[:-31] ^ 1)
    # balanced over a long stretch
    assert abs(signal.prbs(31, 1_000_000, seed=7).mean() - 0.5) < 0.005


def test_prbs_checker_counts_errors():
    b = signal.prbs(31, 100_000, seed=99)
    checked, errors, locked = signal.check_prbs(b, 31)
    assert locked and errors == 0 and checked > 99_000
    bad = b.copy()
    bad[50_000] ^= 1
    checked, errors, locked = signal.check_prbs(bad, 31)
    assert errors == 3  # the bit itself and the two later predictions that use it


def test_patterns_have_the_standard_lengths():
    assert len(signal.pattern("prbs13q")) == 8191
    assert len(signal.pattern("qprbs13")) == 15548
    s = signal.pattern("ssprq")
    assert len(s) == 65535 and s.max() == 3
    with pytest.raises(ValueError, match="name"):
        signal.pattern("prbs14q")


def test_gray_mapping_levels():
    x = signal.pam4_map([0, 0, 0, 1, 1, 1, 1, 0])
    assert np.allclose(x, [-1, -1 / 3, 1 / 3, 1])
    assert x.dtype == np.float32
    bits = signal.prbs(31, 20_000, seed=3)
    assert np.array_equal(signal.pam4_slice(signal.pam4_map(bits)), bits)
    assert np.array_equal(signal.pam4_slice(signal.pam4_map(bits, precoding=True), precoding=True), bits)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=2, max_size=300), st.integers(0, 10_000), st.integers(1, 3))
def test_precoder_single_error_becomes_two(symbols, pos, delta):
    g = np.array(symbols, dtype=np.uint8)
    p = signal.precode(g)
    assert np.array_equal(signal.decode_precoded(p), g)
    i = pos % (len(g) - 1)
    p[i] = (p[i] + delta) % 4
    wrong = np.flatnonzero(signal.decode_precoded(p) != g)
    assert list(wrong) == [i, i + 1]


def test_precoder_against_the_formula():
    rng = np.random.default_rng(0)
    g = rng.integers(0, 4, 1000).astype(np.uint8)
    p = signal.precode(g)
    prev = np.concatenate([[0], p[:-1]]).astype(int)
    assert np.array_equal(p, (g.astype(int) - prev) % 4)


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="order"):
        signal.prbs(8, 10)
    with pytest.raises(ValueError, match="n"):
        signal.prbs(31, -1)
    with pytest.raises(ValueError, match="seed"):
        signal.prbs(7, 10, seed=0)
    with pytest.raises(ValueError, match="samples"):
        signal.pam4_slice(np.array([0.1, np.nan], dtype=np.float32))
    with pytest.raises(ValueError, match="symbols"):
        signal.precode([0, 4])
    with pytest.raises(ValueError, match="bits"):
        signal.pam4_map([0, 1, 2, 0])
    with pytest.raises(ValueError, match="even"):
        signal.pam4_map([0, 1, 1])
    with pytest.raises(TypeError, match="bits"):
        signal.pam4_map(np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="rlm"):
        signal.pam4_levels([0, 1], rlm=1.5)
    assert issubclass(serdes_dsp.SerdesDspError, ValueError)
