"""Tx FIR presets and adaptation, CTLE adaptation: checked against brute force in numpy."""

import itertools

import numpy as np
import pytest

from serdes_dsp import SerdesDspError
from serdes_dsp.eq import Ctle, TxFir, estimate_pulse

SA = 5.0 / 9.0


def slicer_snr_db(q, main, noise_var):
    q = np.asarray(q, dtype=np.float64)
    isi = np.sum(q**2) - q[main] ** 2
    return 10 * np.log10(SA * q[main] ** 2 / (SA * isi + noise_var))


def ck_grid(step):
    """Every 802.3ck setting, written out here: c(-3..=1), c(0) = 1 - sum|others| >= 0.54."""
    def vals(lo, hi):
        k = np.arange(int(np.ceil(lo / step - 1e-9)), int(np.floor(hi / step + 1e-9)) + 1)
        return k * step

    out = []
    for c3, c2, c1, p1 in itertools.product(vals(-0.06, 0), vals(0, 0.12), vals(-0.34, 0), vals(-0.2, 0)):
        c0 = 1 - abs(c3) - abs(c2) - abs(c1) - abs(p1)
        if c0 >= 0.54 - 1e-9:
            out.append([c3, c2, c1, c0, p1])
    return np.array(out)


def test_preset_1_and_unconfirmed_presets_refused():
    np.testing.assert_array_equal(TxFir.preset(1).taps, [0, 0, 0, 1, 0])
    assert TxFir.preset(1).cursor == 3
    with pytest.raises(SerdesDspError, match="`n`"):
        TxFir.preset(2)
    with pytest.raises(ValueError):
        TxFir.preset(0)


def test_adapt_cancels_a_known_post_cursor_within_a_step():
    tx = TxFir.preset(1)
    res = tx.adapt(np.array([1.0, 0.2], dtype=np.float32))
    np.testing.assert_array_equal(tx.taps, res.taps)
    q = np.convolve(tx.taps, [1.0, 0.2])
    assert abs(q[4] / q[3]) <= 0.02 + 1e-6
    tx.check_802_3ck_kr()


def test_adapt_is_the_numpy_brute_force_maximum():
    pulse = np.array([0.04, -0.12, 0.9, 0.35, 0.12, 0.05])
    nv = 2e-3
    tx = TxFir.preset(1)
    res = tx.adapt(pulse, cursor=2, step=0.04, noise_var=nv)
    grid = ck_grid(0.04)
    snrs = [slicer_snr_db(np.convolve(c, pulse), 5, nv) for c in grid]
    assert res.evaluated == len(grid)
    assert res.snr_db == pytest.approx(max(snrs), abs=1e-6)
    np.testing.assert_allclose(res.taps, grid[int(np.argmax(snrs))], atol=1e-6)
    np.testing.assert_allclose(res.pulse, np.convolve(res.taps, pulse), atol=1e-6)


def test_adapt_from_data_matches_adapt_from_the_pulse():
    rng = np.random.default_rng(4)
    pulse = np.array([0.1, 1.0, 0.4, 0.15, 0.05])
    levels = rng.choice([-1.0, -1 / 3, 1 / 3, 1.0], 4000)
    x = np.convolve(levels, pulse)[1 : 4000 + 1]  # main cursor aligned with its symbol
    est = estimate_pulse(x, levels, 1, (2, 6))
    # span (2, 6): h[j] multiplies a[k + 2 - j], so the main cursor sits at index 2
    np.testing.assert_allclose(est, np.r_[0.0, pulse, 0.0, 0.0, 0.0], atol=1e-4)
    a = TxFir.preset(1)
    b = TxFir.preset(1)
    ra = a.adapt(pulse)
    rb = b.adapt(x, levels, span=(2, 6))
    np.testing.assert_allclose(ra.taps, rb.taps, atol=1e-6)


def test_adapt_bad_input_names_the_argument():
    tx = TxFir.preset(1)
    with pytest.raises(SerdesDspError, match="grid"):
        tx.adapt([1.0, 0.2], grid="pcie")
    with pytest.raises(SerdesDspError, match="step"):
        tx.adapt([1.0, 0.2], step=0.0)
    with pytest.raises(SerdesDspError, match="cursor"):
        tx.adapt([1.0, 0.2], cursor=5)
    with pytest.raises(SerdesDspError, match="pulse"):
        tx.adapt([1.0, np.nan])
    with pytest.raises(SerdesDspError, match="ffe_cursor"):
        tx.adapt([1.0, 0.2], ffe_taps=3, ffe_cursor=3)


# --- CTLE -----------------------------------------------------------------------

FB = 53.125e9


def ctle_h(f, g, g2):
    """IEEE 802.3ck CTLE (Annex 93A with the low-frequency pair), written out in numpy."""
    fz, fp1, fp2, flf = 21.25e9, 21.25e9, 53.125e9, 0.6640625e9
    g1, g2l = 10 ** (g / 20), 10 ** (g2 / 20)
    return (g1 + 1j * f / fz) * (g2l + 1j * f / flf) / ((1 + 1j * f / fp1) * (1 + 1j * f / fp2) * (1 + 1j * f / flf))


def channel_pulse(m, tau_ui, n_ui=40):
    t = np.arange(n_ui * m) / m
    up = 1 - np.exp(-t / tau_ui)
    down = np.where(t > 1, 1 - np.exp(-(t - 1) / tau_ui), 0.0)
    return (up - down).astype(np.float32)


def numpy_ctle_snr(pulse, m, g, g2, nv, n):
    f = np.fft.rfftfreq(n, 1 / (m * FB))
    h = ctle_h(f, g, g2)
    y = np.fft.irfft(np.fft.rfft(pulse, n) * h, n)
    peak = int(np.argmax(np.abs(y)))
    ui = y[peak % m :: m]
    noise = nv * np.sum(np.fft.irfft(h, n) ** 2)
    return slicer_snr_db(ui, peak // m, noise)


def test_ctle_adapt_is_the_numpy_brute_force_maximum():
    m = 16
    pulse = channel_pulse(m, 1.4)
    nv = 1e-3
    gs, g2s = [0.0, -2.0, -4.0, -6.0, -8.0, -10.0, -12.0, -14.0], [0.0, -2.0, -4.0, -6.0]
    ctle = Ctle(0.0, 0.0, sample_rate_hz=m * FB, standard="802.3ck")
    res = ctle.adapt(pulse, g_dc_db=gs, g_dc2_db=g2s, noise_var=nv)
    n = 1 << 14  # another padding than the crate's
    brute = {(g, g2): numpy_ctle_snr(pulse, m, g, g2, nv, n) for g in gs for g2 in g2s}
    assert res.table.shape == (len(gs) * len(g2s), 3)
    for g, g2, snr in res.table:
        assert snr == pytest.approx(brute[(g, g2)], abs=0.05)
    best = max(brute.values())
    assert res.snr_db == pytest.approx(best, abs=0.05)
    assert brute[(res.g_dc_db, res.g_dc2_db)] >= best - 0.05
    assert ctle.g_dc_db == res.g_dc_db and ctle.g_dc2_db == res.g_dc2_db
    assert res.g_dc_db < 0


def test_ctle_adapt_with_an_ffe_never_loses_to_the_slicer():
    m = 8
    pulse = channel_pulse(m, 2.0)
    a = Ctle(0.0, 0.0, sample_rate_hz=m * FB, standard="802.3ck").adapt(pulse, noise_var=1e-3)
    b = Ctle(0.0, 0.0, sample_rate_hz=m * FB, standard="802.3ck").adapt(pulse, noise_var=1e-3, ffe_taps=8, ffe_cursor=2)
    assert b.snr_db >= a.snr_db - 1e-9


def test_ctle_adapt_bad_input_names_the_argument():
    ctle = Ctle(0.0, 0.0, sample_rate_hz=8 * 106.25e9, baud_hz=106.25e9)
    pulse = channel_pulse(8, 1.0)
    with pytest.raises(SerdesDspError, match="grid"):
        ctle.adapt(pulse, grid="x")
    with pytest.raises(SerdesDspError, match="g_dc_db"):
        ctle.adapt(pulse, g_dc_db=[3.0])
    with pytest.raises(SerdesDspError, match="samples_per_ui"):
        ctle.adapt(pulse, samples_per_ui=0)
    with pytest.raises(SerdesDspError, match="pulse"):
        ctle.adapt(np.full(16, np.nan, dtype=np.float32))
    pz = Ctle.from_poles_zeros(1.0, [1e9], [2e9, 3e9], 8e10)
    assert pz.g_dc_db is None
    with pytest.raises(SerdesDspError, match="ctle"):
        pz.adapt(pulse, samples_per_ui=8)
