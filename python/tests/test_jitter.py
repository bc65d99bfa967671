"""serdes_dsp.jitter: jitter injection, TIE measurement against numpy-built edges,
the optical link's levels and noise against closed forms, streaming, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serdes_dsp import SerdesDspError, cpu_backend
from serdes_dsp.jitter import Jitter, OpticalLink, tie

BAUD = 53.125e9
Q = 1.602176634e-19
BACKENDS = ["scalar"] + ([cpu_backend()] if cpu_backend() != "scalar" else [])


def edges_waveform(levels, sps, displacement_ui=None, rise=0.5):
    """Levels on each UI with raised-cosine transitions `rise` UI wide, centred on
    the edge times k + displacement_ui[k] (numpy only)."""
    n_ui = len(levels)
    d = np.zeros(n_ui) if displacement_ui is None else np.asarray(displacement_ui, dtype=np.float64)
    n = n_ui * sps
    y = np.full(n, float(levels[0]))
    after = np.zeros(n + 1)  # steps fully done from this sample on
    for k in range(1, n_ui):
        step = levels[k] - levels[k - 1]
        if step == 0:
            continue
        c = k + d[k]
        lo = max(int(np.floor((c - rise / 2) * sps)), 0)
        hi = min(int(np.ceil((c + rise / 2) * sps)) + 1, n)
        t = np.arange(lo, hi) / sps
        a = np.clip((t - (c - rise / 2)) / rise, 0.0, 1.0)
        y[lo:hi] += step * (1 - np.cos(np.pi * a)) / 2
        after[hi] += step
    y += np.cumsum(after)[:n]
    return y.astype(np.float32)


@pytest.mark.parametrize("backend", BACKENDS)
def test_zero_jitter_is_a_pure_delay(backend):
    x = np.random.default_rng(1).uniform(-1, 1, 3000).astype(np.float32)
    j = Jitter(8, BAUD, 1, backend=backend)
    y = j.process(x)
    d = j.delay
    assert d % 8 == 0
    np.testing.assert_array_equal(y[d:], x[: len(x) - d])


def test_tie_recovers_rj_sj_of_numpy_built_edges():
    rng = np.random.default_rng(5)
    n_ui, sps = 12_000, 16
    rj, sj, f_ui = 0.02, 0.1, 0.0023
    d = rj * rng.standard_normal(n_ui) + sj * np.sin(2 * np.pi * f_ui * np.arange(n_ui) + 0.7)
    levels = np.where(rng.random(n_ui) < 0.5, -1.0, 1.0)
    x = edges_waveform(levels, sps, d)
    res = tie(x, sps, baud_hz=BAUD)
    s = res.stats
    assert s["rj_rms_ui"] == pytest.approx(rj, rel=0.05)
    assert s["sj_amplitude_ui"] == pytest.approx(sj, rel=0.05)
    assert s["sj_frequency_hz"] == pytest.approx(f_ui * BAUD, rel=0.01)
    # Each crossing's TIE is its edge's displacement (up to the fitted phase).
    k = np.rint(res.times / sps).astype(int)
    want = d[k] - np.mean(d[k])
    got = res.tie_ui - np.mean(res.tie_ui)
    assert np.max(np.abs(got - want)) < 0.01
    assert res.ui.dtype == np.int64 and res.rising.dtype == np.bool_


@pytest.mark.parametrize("pam4", [False, True])
def test_injected_rj_and_sj_are_recovered_within_5_percent(pam4):
    rng = np.random.default_rng(7)
    sps, n_ui = 16, 25_000
    alphabet = np.array([-1, -1 / 3, 1 / 3, 1]) if pam4 else np.array([-1.0, 1.0])
    x = edges_waveform(rng.choice(alphabet, n_ui), sps)
    j = Jitter(sps, BAUD, 3, rj_rms_ui=0.015, sj_amplitude_ui=0.2, sj_frequency_hz=BAUD / 650)
    y = j.process(x)[2 * j.delay :]
    s = tie(y, sps, pam4=pam4, baud_hz=BAUD).stats
    assert s["rj_rms_ui"] == pytest.approx(0.015, rel=0.05)
    assert s["sj_amplitude_ui"] == pytest.approx(0.2, rel=0.05)
    assert s["sj_frequency_hz"] == pytest.approx(BAUD / 650, rel=0.01)


def test_dcd_is_recovered_at_a_given_sj_frequency():
    rng = np.random.default_rng(8)
    x = edges_waveform(np.where(rng.random(10_000) < 0.5, -1.0, 1.0), 16)
    j = Jitter(16, BAUD, 3, dcd_ui=0.05, dcd_mode="rising_falling", buj_peak_ui=0.02, buj="prbs7")
    s = tie(j.process(x)[2 * j.delay :], 16, fit_sj=False).stats
    assert s["dcd_ui"] == pytest.approx(0.05, abs=0.003)
    assert s["sj_amplitude_ui"] == 0.0


@settings(max_examples=20, deadline=None)
@given(cuts=st.lists(st.integers(0, 500), max_size=6), seed=st.integers(0, 2**32 - 1))
def test_blocks_are_chunk_invariant(cuts, seed):
    rng = np.random.default_rng(seed)
    x = edges_waveform(np.where(rng.random(200) < 0.5, -1.0, 1.0), 8)
    bounds = np.cumsum([0] + cuts + [len(x)]).clip(0, len(x))
    makers = [
        lambda: Jitter(8, BAUD, seed, rj_rms_ui=0.02, sj_amplitude_ui=0.3, sj_frequency_hz=1e8, dcd_ui=0.05),
        lambda: OpticalLink(8 * BAUD, bandwidth_hz=40e9, seed=seed),
    ]
    for make in makers:
        whole = make().process(x)
        b = make()
        parts = np.concatenate([b.process(x[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:])])
        np.testing.assert_array_equal(whole, parts)


def test_optical_levels_match_er_and_oma():
    er_db, r, g = 4.0, 0.75, 800.0
    er = 10 ** (er_db / 10)
    quiet = dict(rin_db_hz=None, thermal_noise_pa_per_rt_hz=0.0, shot_noise=False)
    link = OpticalLink(8 * BAUD, extinction_ratio_db=er_db, oma_dbm=-1.0, responsivity_a_per_w=r, tia_gain_ohm=g, **quiet)
    v = link.process(np.array([1, 1, -1, -1], dtype=np.float32)).astype(np.float64)
    assert v[0] / v[2] == pytest.approx(er, rel=1e-5)
    assert (v[0] - v[2]) / (r * g) == pytest.approx(1e-3 * 10 ** (-0.1), rel=1e-5)
    link = OpticalLink(8 * BAUD, extinction_ratio_db=er_db, average_power_dbm=2.0, **quiet)
    p_avg = 1e-3 * 10**0.2
    assert link.oma_w == pytest.approx(2 * p_avg * (er - 1) / (er + 1), rel=1e-12)
    assert link.p1_w / link.p0_w == pytest.approx(er, rel=1e-12)


def test_optical_noise_matches_rin_shot_and_thermal_closed_forms():
    fs = 8 * BAUD
    r, g = 0.8, 1000.0
    link = OpticalLink(
        fs, extinction_ratio_db=6.0, average_power_dbm=0.0, rin_db_hz=-135.0,
        thermal_noise_pa_per_rt_hz=25.0, shot_noise=True, responsivity_a_per_w=r, tia_gain_ohm=g, seed=4,
    )
    y = link.process(np.ones(300_000, dtype=np.float32)).astype(np.float64) / g
    i1 = r * link.p1_w
    b = fs / 2
    want = (10 ** (-13.5) * i1**2 + 2 * Q * i1 + (25e-12) ** 2) * b
    assert np.var(y) == pytest.approx(want, rel=0.02)
    assert np.mean(y) == pytest.approx(i1, rel=1e-3)


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: Jitter(1, BAUD), "samples_per_ui"),
        (lambda: Jitter(8, BAUD, rj_rms_ui=-0.1), "rj_rms_ui"),
        (lambda: Jitter(8, BAUD, rj_rms_ui=float("nan")), "rj_rms_ui"),
        (lambda: Jitter(8, BAUD, dcd_mode="odd"), "dcd_mode"),
        (lambda: Jitter(8, BAUD, buj="prbs8", buj_peak_ui=0.1), "buj_prbs_order"),
        (lambda: OpticalLink(1e11, extinction_ratio_db=0.0), "extinction_ratio_db"),
        (lambda: OpticalLink(1e11, extinction_ratio_db=-1.0), "extinction_ratio_db"),
        (lambda: OpticalLink(1e11, average_power_dbm=0.0, oma_dbm=0.0), "average_power_dbm"),
        (lambda: OpticalLink(1e11, bandwidth_hz=1e11), "bandwidth_hz"),
        (lambda: tie(np.zeros(100, np.float32), 8), "waveform"),
        (lambda: tie(np.zeros(100, np.float32), 1.5), "samples_per_ui"),
        (lambda: tie(np.r_[np.zeros(10), np.nan].astype(np.float32), 8), "waveform"),
        (lambda: Jitter(8, BAUD).process(np.array([0.0, np.nan])), "x"),
        (lambda: OpticalLink(1e11).process(np.array([np.inf])), "x"),
    ],
)
def test_bad_input_raises_naming_the_argument(make, name):
    with pytest.raises(SerdesDspError, match=f"`{name}`"):
        make()
    assert issubclass(SerdesDspError, ValueError)
