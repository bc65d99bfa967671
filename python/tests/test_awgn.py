"""PAM4 through AWGN from Python: Monte Carlo against the closed form."""

import math

import numpy as np
import pytest

from serdes_dsp import analysis, channel, link, signal


def q(x):
    return 0.5 * math.erfc(x / math.sqrt(2))


def test_theory_against_python_erfc():
    # independent implementation of the exact Gray PAM4 BER with math.erfc
    for snr_db in [6.0, 12.0, 18.0, 21.0]:
        a = math.sqrt(10 ** (snr_db / 10) / 5)
        ber = (3 * q(a) + 2 * q(3 * a) - q(5 * a)) / 4
        assert analysis.pam4_ber_theory(snr_db) == pytest.approx(ber, rel=1e-12)
        assert analysis.pam4_ser_theory(snr_db) == pytest.approx(1.5 * q(a), rel=1e-12)
        assert analysis.nrz_ber_theory(snr_db) == pytest.approx(q(math.sqrt(10 ** (snr_db / 10))), rel=1e-12)
    arr = analysis.pam4_ber_theory(np.array([10.0, 20.0]))
    assert arr.shape == (2,)
    assert analysis.esn0_db(10.0) == pytest.approx(10 - 3.0103, abs=1e-4)


@pytest.mark.parametrize("target", [1e-2, 3e-3, 1e-3, 1e-4, 1e-5])
def test_monte_carlo_ber_within_99_percent_interval(target):
    snr_db = analysis.pam4_snr_db_for_ber(target)
    theory = analysis.pam4_ber_theory(snr_db)
    n = int(3000 / theory / 2)
    r = link.simulate_awgn(snr_db, n, seed=int(1 / target))
    lo, hi = r.ber_ci
    assert r.bits == 2 * n
    assert lo <= theory <= hi, (snr_db, r.ber, theory, lo, hi)


def test_python_chain_matches_theory():
    # The same experiment assembled from the building blocks in numpy.
    snr_db = analysis.pam4_snr_db_for_ber(2e-3)
    bits = signal.prbs(31, 4_000_000, seed=11)
    x = signal.pam4_map(bits)
    y = channel.awgn(x, snr_db, seed=5, signal_power=channel.PAM4_POWER)
    errors = int(np.count_nonzero(signal.pam4_slice(y) != bits))
    lo, hi = analysis.confidence_interval(errors, bits.size, 0.99)
    assert lo <= analysis.pam4_ber_theory(snr_db) <= hi


def test_awgn_noise_statistics_and_streaming():
    z = np.zeros(1_000_000, dtype=np.float32)
    n = channel.awgn(z, 0.0, seed=1, signal_power=1.0)
    assert abs(n.mean()) < 5e-3 and abs(n.var() - 1.0) < 5e-3
    frac = np.mean(np.abs(n) > 3)
    assert abs(frac - 2 * q(3)) < 5 * math.sqrt(2 * q(3) / n.size)
    # streaming block: two calls continue the stream of one call
    a = channel.Awgn(10.0, seed=4, signal_power=1.0)
    whole = a.process(np.zeros(1000))
    a.reset()
    parts = np.concatenate([a.process(np.zeros(333)), a.process(np.zeros(667))])
    assert np.array_equal(whole, parts)
    assert a.sigma == pytest.approx(10 ** -0.5, rel=1e-6)
    # measured signal power (MATLAB's 'measured')
    x = np.full(100_000, 2.0, dtype=np.float32)
    y = channel.awgn(x, 20.0, seed=2)
    assert (y - x).var() == pytest.approx(4.0 / 100, rel=0.02)


def test_simulation_is_reproducible_and_chunk_free():
    a = link.simulate_awgn(14.0, 300_000, seed=9)
    b = link.simulate_awgn(14.0, 300_000, seed=9)
    c = link.simulate_awgn(14.0, 300_000, seed=10)
    assert a.errors == b.errors and a.errors != c.errors
    assert a.burst_histogram.sum() > 0


def test_sweep_dataframe_does_not_depend_on_workers():
    df1 = link.awgn_sweep([10, 12, 14], max_symbols=200_000, target_errors=None, workers=1, progress=False)
    df2 = link.awgn_sweep([10, 12, 14], max_symbols=200_000, target_errors=None, workers=3, progress=False)
    assert df1.equals(df2)
    assert list(df1["snr_db"]) == [10, 12, 14]
    assert (df1["ber_low"] <= df1["ber_theory"]).all() and (df1["ber_theory"] <= df1["ber_high"]).all()


def test_bad_arguments():
    with pytest.raises(ValueError, match="snr_db"):
        link.simulate_awgn(float("nan"), 10)
    with pytest.raises(ValueError, match="snr_db"):
        link.simulate_awgn(float("inf"), 10)
    with pytest.raises(ValueError, match="n_symbols"):
        link.simulate_awgn(10.0, -5)
    with pytest.raises(ValueError, match="modulation"):
        link.simulate_awgn(10.0, 10, modulation="pam8")
    with pytest.raises(ValueError, match="precoding"):
        link.simulate_awgn(10.0, 10, modulation="nrz", precoding=True)
    with pytest.raises(ValueError, match="order"):
        link.simulate_awgn(10.0, 10, prbs_order=8)
    with pytest.raises(ValueError, match="snr_db"):
        channel.awgn(np.ones(4), float("nan"), seed=1)
    with pytest.raises(ValueError, match="signal_power"):
        channel.awgn(np.ones(4), 10.0, seed=1, signal_power=-1.0)
    with pytest.raises(ValueError, match="zero power"):
        channel.awgn(np.zeros(4), 10.0, seed=1)
    with pytest.raises(ValueError, match="backend"):
        channel.awgn(np.ones(4), 10.0, seed=1, backend="neon")
    with pytest.raises(ValueError, match="x"):
        channel.awgn(np.array([1.0, np.nan]), 10.0, seed=1, signal_power=1.0)
