"""serdes_dsp.eq: FFE against numpy.convolve, streaming, adaptation, DFE/MLSE error
rates, CTLE response, and bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serdes_dsp import SerdesDspError, cpu_backend
from serdes_dsp.eq import Ctle, Dfe, ErrorBursts, Ffe, Mlse, TxFir

LEVELS = np.array([-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0], dtype=np.float32)
BACKENDS = ["scalar"] + ([cpu_backend()] if cpu_backend() != "scalar" else [])


def isi(sym, h):
    """Channel output with the line idle at symbol 0 before the stream."""
    a = LEVELS[sym]
    pad = np.full(len(h) - 1, -1.0, dtype=np.float32)
    return np.convolve(np.concatenate([pad, a]), np.asarray(h, dtype=np.float32))[len(h) - 1 : len(h) - 1 + len(a)].astype(np.float32)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("n_taps", [1, 5, 16, 33])
def test_ffe_equals_numpy_convolve(backend, n_taps):
    rng = np.random.default_rng(n_taps)
    taps = rng.uniform(-1, 1, n_taps).astype(np.float32)
    x = rng.uniform(-1, 1, 5000).astype(np.float32)
    y = Ffe(taps, n_taps // 2, backend=backend).process(x)
    want = np.convolve(x.astype(np.float64), taps.astype(np.float64))[: len(x)]
    assert y.dtype == np.float32 and y.shape == x.shape
    assert np.max(np.abs(y - want)) <= 1e-5 * np.sum(np.abs(taps)) * np.max(np.abs(x))


def test_fractional_ffe_is_decimated_convolution():
    rng = np.random.default_rng(1)
    taps = rng.uniform(-1, 1, 9).astype(np.float32)
    x = rng.uniform(-1, 1, 1001).astype(np.float32)
    f = Ffe(taps, 4, samples_per_symbol=2)
    y = np.concatenate([f.process(x[:333]), f.process(x[333:])])
    np.testing.assert_allclose(y, np.convolve(x, taps)[: len(x)][::2], atol=1e-5)


@settings(max_examples=25, deadline=None)
@given(cuts=st.lists(st.integers(0, 400), max_size=6), n_taps=st.integers(1, 40), seed=st.integers(0, 2**32 - 1))
def test_streaming_blocks_are_chunk_invariant(cuts, n_taps, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.2, 1.2, 1500).astype(np.float32)
    taps = rng.uniform(-0.3, 0.3, n_taps).astype(np.float32)
    bounds = np.cumsum([0] + cuts + [len(x)]).clip(0, len(x))
    chunks = [x[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    makers = [
        lambda: Ffe(taps, 0),
        lambda: Dfe(taps[:32]),
        lambda: Mlse([1.0, 0.5], depth=12),
        lambda: Ctle(-6.0, -1.0, sample_rate_hz=4 * 106.25e9),
        lambda: TxFir(np.r_[taps, 1.0], n_taps),
    ]
    for make in makers:
        whole = make().process(x)
        block = make()
        parts = np.concatenate([block.process(c) for c in chunks])
        np.testing.assert_array_equal(parts, whole)


def test_lms_and_mmse_on_a_known_channel():
    rng = np.random.default_rng(3)
    pulse = np.array([0.15, 1.0, 0.45, 0.2], dtype=np.float32)
    sigma = 0.05
    sol = Ffe.solve(pulse, 11, 3, noise_var=sigma**2)
    n = 100_000
    a = LEVELS[rng.integers(0, 4, n)]
    x = (np.convolve(a, pulse)[:n] + rng.normal(0, sigma, n)).astype(np.float32)
    ref = np.r_[np.zeros(sol.delay), a[:-sol.delay]].astype(np.float32)
    ffe = Ffe(np.eye(11, dtype=np.float32)[3], 3)
    res = ffe.adapt(x, ref, mu=2e-3, record_every=500)
    assert res.trajectory.shape == (n // 500, 11)
    assert res.mse[-1] < res.mse[0]

    def snr(taps):
        y = Ffe(taps, 3).process(x)[1000:]
        e = y - ref[1000:]
        return 10 * np.log10(5 / 9 / np.mean(e**2))

    assert snr(ffe.taps) > snr(sol.taps) - 0.5
    assert abs(snr(sol.taps) - sol.snr_db) < 0.3
    f2 = Ffe.from_pulse_response(pulse, 11, 3, noise_var=sigma**2)
    np.testing.assert_array_equal(f2.taps, sol.taps)


def test_dfe_error_propagation_and_bursts():
    rng = np.random.default_rng(5)
    n = 1_000_000
    sym = rng.integers(0, 4, n).astype(np.uint8)
    sigma = 1 / (3 * 3.6467)  # no-ISI BER 1e-4
    noise = rng.normal(0, sigma, n).astype(np.float32)
    flat = ErrorBursts(1)
    flat.update(Dfe([0.0]).process(LEVELS[sym] + noise), sym)
    errs = Dfe([0.5]).count_errors(isi(sym, [1.0, 0.5]) + noise, sym)
    assert 1.0 <= errs.ber / flat.ber < 2.0
    h = errs.histogram
    assert int(np.sum(np.arange(len(h)) * h)) == errs.symbol_errors


def test_dfe_adapts_taps_and_levels():
    rng = np.random.default_rng(8)
    sym = rng.integers(0, 4, 200_000).astype(np.uint8)
    x = isi(sym, [0.8, 0.35, 0.1]) + rng.normal(0, 0.02, len(sym)).astype(np.float32)
    dfe = Dfe([0.0, 0.0])
    dfe.adapt(x[:20000], sym[:20000], mu_taps=2e-3, mu_levels=2e-3)
    res = dfe.adapt(x[20000:], mu_taps=2e-3, mu_levels=2e-3, algorithm="sign_sign")
    assert res.trajectory.shape[1] == 2
    np.testing.assert_allclose(dfe.taps, [0.35, 0.1], atol=0.02)
    np.testing.assert_allclose(dfe.levels, 0.8 * LEVELS, atol=0.02)


def test_mlse_detects_and_estimates():
    rng = np.random.default_rng(2)
    sym = rng.integers(0, 4, 20000).astype(np.uint8)
    x = isi(sym, [1.0, 0.5, 0.2]) + rng.normal(0, 0.03, len(sym)).astype(np.float32)
    m = Mlse([1.0, 0.4, 0.1], depth=10)
    res = m.adapt(x)
    np.testing.assert_allclose(m.taps, [1.0, 0.5, 0.2], atol=0.02)
    d = np.concatenate([m.process(x), m.finish()])[m.delay :]
    assert np.count_nonzero(d != sym) == 0
    assert len(res.output) == len(sym)


def test_ctle_response_and_peaking():
    fb = 106.25e9
    c = Ctle(-9.0, -2.0, baud_hz=fb, sample_rate_hz=8 * fb)
    f = np.linspace(0, 0.8 * 4 * fb, 200)
    assert np.max(np.abs(c.digital_response_db(f) - c.response_db(f))) < 0.1
    assert c.fit_error_db < 0.1
    assert abs(c.response_db(0.0) + 11.0) < 1e-9
    assert c.peaking_db > 7.0
    ck = Ctle(-6.0, standard="802.3ck", sample_rate_hz=16 * 53.125e9)
    assert abs(ck.response_db(0.0) + 6.0) < 1e-9
    pz = Ctle.from_poles_zeros(0.5, [10e9], [20e9, 50e9], 400e9)
    assert pz.process(np.ones(4000)).shape == (4000,)


def test_tx_fir():
    tx = TxFir([0.0, 0.1, -0.3, 1.2, -0.4], 3)
    assert abs(np.sum(np.abs(tx.taps)) - 1.0) < 1e-6
    tx.check_802_3ck_kr()
    y = tx.process(np.array([3, 3, 3, 3, 0], dtype=np.uint8))
    assert y.shape == (5,)
    # adapt is tested in test_eq_adapt.py; a bad pulse is an error, not NotImplementedError
    with pytest.raises(ValueError):
        tx.adapt(np.array([np.nan, 1.0]))


def test_bad_input_raises_naming_the_argument():
    with pytest.raises(SerdesDspError, match="taps"):
        Ffe([])
    with pytest.raises(SerdesDspError, match="taps"):
        Ffe([1.0, np.nan])
    with pytest.raises(SerdesDspError, match="cursor"):
        Ffe([1.0, 0.5], cursor=2)
    with pytest.raises(SerdesDspError, match="poles_hz"):
        Ctle.from_poles_zeros(1.0, [], [-1e9], 1e10)
    with pytest.raises(SerdesDspError, match="x"):
        Dfe([0.1]).process([0.0, np.nan])
    with pytest.raises(SerdesDspError, match="g_dc_db"):
        Ctle(-30.0, sample_rate_hz=1e11)
    with pytest.raises(SerdesDspError, match="depth"):
        Mlse([1.0, 0.5], depth=0)
    with pytest.raises(SerdesDspError, match="algorithm"):
        Ffe([1.0]).adapt([0.0], algorithm="rls")
    with pytest.raises(SerdesDspError, match="reference"):
        Dfe([0.1]).adapt([0.0, 0.0], [0, 4])
    with pytest.raises(TypeError):
        Ffe(["a"])
