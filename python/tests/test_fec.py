"""serdes_dsp.fec against an independent implementation: the `galois` package.

The IEEE 802.3 code is galois's full-length RS(1023, 1023 - 2t) over
GF(2^10) with irreducible polynomial x^10 + x^3 + 1, alpha = 2 and first consecutive
root c = 0, systematic, shortened by giving it k = 514-symbol messages.
"""

from __future__ import annotations

import numpy as np
import pytest

from serdes_dsp import SerdesDspError, cpu_backend
from serdes_dsp.fec import (
    ReedSolomon,
    codeword_failure_probability,
    post_fec_ber,
    pre_fec_ber_for_post_fec_ber,
)

galois = pytest.importorskip("galois")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

GF = galois.GF(2**10, irreducible_poly=0b10000001001)
CODES = {"kp4": (544, 514), "kr4": (528, 514)}
BACKENDS = ["scalar"] + ([cpu_backend()] if cpu_backend() != "scalar" else [])


def galois_rs(n: int, k: int) -> "galois.ReedSolomon":
    two_t = n - k
    return galois.ReedSolomon(1023, 1023 - two_t, field=GF, alpha=GF(2), c=0, systematic=True)


@pytest.fixture(scope="module", params=list(CODES))
def pair(request):
    n, k = CODES[request.param]
    return getattr(ReedSolomon, request.param)(), galois_rs(n, k)


def test_parameters_and_generator():
    rs = ReedSolomon.kp4()
    assert (rs.n, rs.k, rs.t) == (544, 514, 15)
    assert (ReedSolomon.kr4().t, ReedSolomon(100, 60).t) == (7, 20)
    g = galois_rs(544, 514).generator_poly  # highest power first
    assert rs.generator.tolist() == [int(c) for c in g.coeffs[::-1]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_encode_agrees_with_galois(pair, backend):
    rs, ref = pair
    rs = ReedSolomon(rs.n, rs.k, backend=backend)
    rng = np.random.default_rng(1)
    msg = rng.integers(0, 1024, (300, rs.k), dtype=np.uint16)
    want = np.asarray(ref.encode(GF(msg.astype(np.int64))), dtype=np.uint16)
    assert want.shape == (300, rs.n)
    np.testing.assert_array_equal(rs.encode(msg), want)


@pytest.mark.parametrize("backend", BACKENDS)
def test_decode_agrees_with_galois(pair, backend):
    rs, ref = pair
    rs = ReedSolomon(rs.n, rs.k, backend=backend)
    rng = np.random.default_rng(2)
    count = 120
    msg = rng.integers(0, 1024, (count, rs.k), dtype=np.uint16)
    cw = rs.encode(msg)
    rx = cw.copy()
    n_err = rng.integers(0, rs.t + 4, count)  # some beyond t
    for i, e in enumerate(n_err):
        pos = rng.choice(rs.n, size=e, replace=False)
        rx[i, pos] ^= rng.integers(1, 1024, e, dtype=np.uint16)
    res = rs.decode(rx)
    want, nerr = ref.decode(GF(rx.astype(np.int64)), output="codeword", errors=True)
    want = np.asarray(want, dtype=np.uint16)
    nerr = np.asarray(nerr)
    ok = nerr >= 0
    # Within t: both correct to the sent codeword.
    within = n_err <= rs.t
    np.testing.assert_array_equal(res.codewords[within], cw[within])
    np.testing.assert_array_equal(res.data[within], msg[within])
    np.testing.assert_array_equal(res.corrected[within], n_err[within])
    assert not res.failed[within].any()
    # Everywhere: galois's success/failure and its result agree with ours.
    np.testing.assert_array_equal(res.failed, ~ok)
    np.testing.assert_array_equal(res.codewords[ok], want[ok])
    np.testing.assert_array_equal(res.corrected[ok], nerr[ok])
    np.testing.assert_array_equal(res.codewords[~ok], rx[~ok])


def test_erasures_double_the_capacity():
    rs = ReedSolomon.kp4()
    rng = np.random.default_rng(3)
    msg = rng.integers(0, 1024, (50, 514), dtype=np.uint16)
    cw = rs.encode(msg)
    rx = cw.copy()
    mask = np.zeros(rx.shape, dtype=bool)
    for i in range(50):
        pos = rng.choice(544, size=30, replace=False)  # 2t erasures, no errors
        mask[i, pos] = True
        rx[i, pos] = rng.integers(0, 1024, 30, dtype=np.uint16)
    assert rs.decode(rx).failed.all()  # 30 errors without the mask: beyond t
    res = rs.decode(rx, erasures=mask)
    assert not res.failed.any()
    np.testing.assert_array_equal(res.data, msg)
    np.testing.assert_array_equal(res.corrected, (rx != cw).sum(axis=1))


def test_any_leading_shape():
    rs = ReedSolomon.kr4()
    msg = np.random.default_rng(4).integers(0, 1024, (2, 3, 514))
    cw = rs.encode(msg)
    assert cw.shape == (2, 3, 528) and cw.dtype == np.uint16
    res = rs.decode(cw)
    assert res.data.shape == (2, 3, 514) and res.corrected.shape == (2, 3)
    single = rs.decode(cw[1, 2])
    assert single.corrected.shape == () and not bool(single.failed)
    np.testing.assert_array_equal(rs.syndromes(cw), 0)


def test_bad_input():
    rs = ReedSolomon.kp4()
    with pytest.raises(TypeError):
        rs.encode(np.zeros((2, 514), dtype=np.float64))
    with pytest.raises(TypeError):
        rs.decode(np.zeros(544, dtype=bool))
    with pytest.raises(ValueError, match="`msg`.*1024"):
        rs.encode(np.full(514, 1024))
    with pytest.raises(ValueError, match="`rx`"):
        rs.decode(np.full(544, -1))
    with pytest.raises(ValueError, match="`msg`"):
        rs.encode(np.zeros(513, dtype=np.uint16))
    with pytest.raises(ValueError, match="`erasures`"):
        rs.decode(np.zeros((2, 544), dtype=np.uint16), erasures=np.zeros((1, 544), dtype=bool))
    with pytest.raises(TypeError):
        rs.decode(np.zeros(544, dtype=np.uint16), erasures=np.zeros(544, dtype=np.int8))
    with pytest.raises(SerdesDspError, match="`n`"):
        ReedSolomon(1024, 1000)
    with pytest.raises(SerdesDspError, match="`k`"):
        ReedSolomon(544, 515)
    with pytest.raises(SerdesDspError):
        ReedSolomon(544, 514, backend="neon")


def test_post_fec_figures():
    assert post_fec_ber(2.4e-4) == pytest.approx(2.4e-15, rel=0.03)
    assert codeword_failure_probability(2.4e-4, "kp4") == pytest.approx(8.2e-13, rel=0.03)
    assert codeword_failure_probability(2.4e-4, "kr4") == pytest.approx(5e-5, rel=0.1)
    assert pre_fec_ber_for_post_fec_ber(1e-15) == pytest.approx(2.26e-4, rel=0.01)
    rs = ReedSolomon.kp4()
    curve = post_fec_ber(np.array([1e-4, 2.4e-4]), rs)
    assert curve.shape == (2,) and curve[0] < curve[1]
    assert rs.post_fec_ber(2.4e-4) == post_fec_ber(2.4e-4, (544, 514))
    with pytest.raises(ValueError):
        post_fec_ber(2.0)
    with pytest.raises(ValueError):
        post_fec_ber(1e-4, "kp5")


@settings(max_examples=40, deadline=None)
@example(seed=5605, two_t=2, k=136, extra=3)  # galois: a non-codeword marked good
@given(
    seed=st.integers(0, 2**32 - 1),
    two_t=st.sampled_from([2, 4, 8, 14, 30]),
    k=st.integers(1, 200),
    extra=st.integers(-3, 3),
)
def test_property_random_codes_agree_with_galois(seed, two_t, k, extra):
    n = k + two_t
    rs = ReedSolomon(n, k)
    ref = galois_rs(n, k)
    rng = np.random.default_rng(seed)
    msg = rng.integers(0, 1024, (4, k), dtype=np.uint16)
    cw = rs.encode(msg)
    np.testing.assert_array_equal(cw, np.asarray(ref.encode(GF(msg.astype(np.int64))), dtype=np.uint16))
    e = max(0, min(n, two_t // 2 + extra))
    rx = cw.copy()
    for i in range(4):
        pos = rng.choice(n, size=e, replace=False)
        rx[i, pos] ^= rng.integers(1, 1024, e, dtype=np.uint16)
    res = rs.decode(rx)
    want, nerr = ref.decode(GF(rx.astype(np.int64)), output="codeword", errors=True)
    want = np.asarray(want, dtype=np.uint16)
    # galois can report success with a word that is not a codeword: for t = 1 and
    # S_0 = 0, S_1 != 0 (seed=5605, two_t=2, k=136, extra=3) it returns the word
    # unchanged with 0 errors. Such a "success" is a failure; ours must fail there.
    ok = (np.asarray(nerr) >= 0) & np.array([not rs.syndromes(w).any() for w in want])
    np.testing.assert_array_equal(res.failed, ~ok)
    np.testing.assert_array_equal(res.codewords[ok], want[ok])
    if e <= two_t // 2:
        np.testing.assert_array_equal(res.codewords, cw)
