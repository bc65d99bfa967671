"""The configurable whole link: config handling, the AWGN special case against theory,
sweeps that do not depend on who runs them (threads, Dask)."""

import numpy as np
import pytest

from serdes_dsp.analysis import pam4_ber_theory
from serdes_dsp.link import LinkConfig, ber_sweep, simulate


def awgn_only(snr_db: float) -> LinkConfig:
    return LinkConfig(
        {
            "tx": {"fir": []},
            "channel": {"model": "pulse", "pulse": [1.0], "cursor": 0, "snr_db": snr_db},
            "rx": {"ffe_taps": 1, "ffe_cursor": 0, "detector": "slicer"},
            "fec": {"code": "none"},
        }
    )


def test_default_config_is_complete_and_round_trips():
    cfg = LinkConfig.default()
    assert cfg["fec.code"] == "kp4"
    assert cfg["baud_hz"] == 53.125e9
    assert LinkConfig(cfg.to_dict()) == cfg
    toml = "[channel]\nsnr_db = 17.5\n"
    assert LinkConfig.from_toml(toml)["channel.snr_db"] == 17.5


@pytest.mark.parametrize(
    "key,value,name",
    [
        ("rx.ffe_taps", 0, "rx.ffe_taps"),
        ("channel.snr_db", float("nan"), "channel.snr_db"),
        ("fec.interleave", 3, "fec.interleave"),
        ("tx.prbs_order", 8, "tx.prbs_order"),
        ("channel.loss_db", -1.0, "channel.loss_db"),
        ("rx.samples_per_ui", 7, "rx.samples_per_ui"),
        ("rx.cdr.detector", "pll", "rx.cdr.detector"),
        ("rx.ctle.g_dc_db", 5.0, "rx.ctle.g_dc_db"),
    ],
)
def test_bad_values_name_the_key(key, value, name):
    with pytest.raises(ValueError, match=name.replace(".", r"\.")):
        LinkConfig.default().replace(key, value)


def test_unknown_keys_are_errors():
    with pytest.raises(ValueError, match="ffe_tapz"):
        LinkConfig({"rx": {"ffe_tapz": 3}})
    with pytest.raises(ValueError, match="nonsense"):
        LinkConfig.default().replace("rx.nonsense", 1)


def test_awgn_only_link_matches_theory():
    snr = 14.0
    r = simulate(awgn_only(snr), n_symbols=300_000, seed=5)
    assert r["ber_low"] <= pam4_ber_theory(snr) <= r["ber_high"]


def test_default_link_counts_fec():
    r = simulate(LinkConfig.default().replace("channel.snr_db", 16.0), n_symbols=200_000, seed=2)
    assert r["codewords"] == sum(r["symbol_errors_per_codeword"])
    assert r["errors"] > 0 and r["codewords"] > 50
    # below the KP4 threshold everything is corrected
    assert r["post_fec_errors"] == 0 or r["uncorrectable_codewords"] > 0


def test_sweep_does_not_depend_on_workers():
    a = ber_sweep(awgn_only(12.0), "channel.snr_db", [10.0, 12.0], target_errors=200, max_symbols=100_000, workers=1, progress=False)
    b = ber_sweep(awgn_only(12.0), "channel.snr_db", [10.0, 12.0], target_errors=200, max_symbols=100_000, workers=2, progress=False)
    assert a.equals(b)
    assert list(a["channel.snr_db"]) == [10.0, 12.0]
    assert np.all(a["ber"].to_numpy()[:1] > a["ber"].to_numpy()[1:])


def test_dask_gives_the_same_table():
    distributed = pytest.importorskip("dask.distributed")
    local = ber_sweep(awgn_only(12.0), "channel.snr_db", [11.0, 13.0], target_errors=100, max_symbols=50_000, progress=False)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            remote = ber_sweep(
                awgn_only(12.0), "channel.snr_db", [11.0, 13.0], target_errors=100, max_symbols=50_000, executor=client, progress=False
            )
    assert local.equals(remote)


def test_missing_touchstone_file_names_the_key(tmp_path):
    with pytest.raises(ValueError, match=r"channel\.touchstone"):
        LinkConfig({"channel": {"model": "touchstone", "touchstone": str(tmp_path / "none.s4p")}})


def test_replace_uses_the_cores_dotted_keys():
    cfg = LinkConfig.default().replace("rx.cdr.bandwidth_hz", np.float64(30e6))
    assert cfg["rx.cdr.bandwidth_hz"] == 30e6
    assert cfg.replace("rx.ffe_taps", 8.0)["rx.ffe_taps"] == 8  # a whole float for an integer key
    with pytest.raises(ValueError, match="param"):
        cfg.replace("rx.cdr.nonsense", 1)


def test_default_analog_link_returns_eye_bathtub_trace_and_taps():
    r = simulate(LinkConfig.default().replace("channel.snr_db", 20.0), n_symbols=100_000, seed=3)
    assert r["cdr_locked"] is True
    assert len(r["ffe_taps"]) == 16 and len(r["feedback_taps"]) == 4
    g_dc, g_dc2 = r["ctle_gains_db"]
    assert -20 <= g_dc <= 0 and -6 <= g_dc2 <= 0
    assert r["samples_per_ui"] == 8 and abs(max(r["analog_pulse"]) - 1.0) < 1e-6
    eye = r["eye"]
    assert eye["counts"].shape == (16, 128) and eye["counts"].sum() == eye["samples"]
    assert 0.99 * 100_000 * 8 <= eye["samples"] <= 100_000 * 8  # the last windows wait for the delay
    # The eye's UI windows are centred on the pulse peak: the bathtub is best mid-UI.
    tub = r["bathtub"]
    best = tub["phase_ui"][int(np.argmin(tub["ber"]))]
    assert 0.25 <= best <= 0.75, tub
    assert len(r["cdr_trace_symbol"]) == len(r["cdr_trace_phase_ui"]) > 1000
    assert np.all(np.diff(r["cdr_trace_symbol"]) == 16)
    # Locked: the recovered phase wanders by far less than a UI.
    assert np.ptp(r["cdr_trace_phase_ui"]) < 0.25


def test_plots_of_a_link_result():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from serdes_dsp import plot

    r = simulate(LinkConfig.default().replace("channel.snr_db", 20.0), n_symbols=20_000, seed=1)
    assert plot.eye_diagram(r["eye"]).images
    assert plot.cdr_phase(r, baud_hz=53.125e9).lines
    assert plot.bathtub(r["bathtub"]).lines


def test_crosstalk_from_a_dict_costs_margin():
    # A NEXT aggressor at -22 dB at Nyquist adds about 0.05 of noise power at the
    # sampler (the victim's levels have power 5/9): the BER rises.
    base = {"channel": {"snr_db": 19.0}, "fec": {"code": "none"}}
    quiet = simulate(LinkConfig(base), n_symbols=300_000, seed=3)
    noisy_cfg = LinkConfig(base).replace("channel.crosstalk", [{"kind": "next", "coupling_db": -22.0}])
    assert noisy_cfg["channel.crosstalk"][0]["kind"] == "next"
    noisy = simulate(noisy_cfg, n_symbols=300_000, seed=3)
    assert noisy["ber_low"] > quiet["ber_high"], (noisy["ber"], quiet["ber"])


def test_optical_ber_falls_with_received_power():
    cfg = LinkConfig(
        {
            "channel": {"loss_db": 6.0, "optical": {"enabled": True, "power": "oma", "power_dbm": -10.0}},
            "fec": {"code": "none"},
        }
    )
    df = ber_sweep(cfg, "channel.optical.power_dbm", [-11.0, -9.0, -7.0], target_errors=300,
                   max_symbols=400_000, seed=1, progress=False)
    ber = df["ber"].to_numpy()
    assert ber[0] > ber[1] > ber[2], ber
    assert ber[0] > 1e-4


@pytest.mark.parametrize(
    "section,name",
    [
        ({"crosstalk": [{"coupling_db": 3.0}]}, "channel.crosstalk.coupling_db"),
        ({"crosstalk": [{"touchstone": "/no/such.s8p"}]}, "channel.crosstalk.touchstone"),
        ({"crosstalk": [{"sdd": [1, 1], "touchstone": __file__}]}, "channel.crosstalk"),
        ({"optical": {"enabled": True, "extinction_ratio_db": -1.0}}, "channel.optical.extinction_ratio_db"),
        ({"optical": {"enabled": True, "bandwidth_order": 4}}, "channel.optical.bandwidth_order"),
        ({"optical": {"gain": 1.0}}, "gain"),
    ],
)
def test_bad_crosstalk_and_optical_keys_are_named(section, name):
    with pytest.raises(ValueError, match=name.replace(".", r"\.")):
        LinkConfig({"channel": section})
