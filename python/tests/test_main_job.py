"""The main job's command line on short sweeps: the default link, a TOML config, and
the AWGN-only job."""

import subprocess
import sys

import pandas as pd


def run(*args):
    return subprocess.run([sys.executable, "-m", "serdes_dsp", *args, "--no-progress"],
                          capture_output=True, text=True, check=True)


def test_default_link_writes_table_csv_and_png(tmp_path):
    out = tmp_path / "curve"
    r = run("ber-curve", "--values", "14", "18", "2", "--max-symbols", "100000", "--out", str(out))
    assert "post_fec_ber" in r.stdout and "uncorrectable_codewords" in r.stdout
    df = pd.read_csv(str(out) + ".csv")
    assert list(df["channel.snr_db"]) == [14, 16, 18]
    assert (df["codewords"] > 0).all()
    assert df["ber"].iloc[0] > df["ber"].iloc[-1]
    assert (out.parent / "curve.png").stat().st_size > 10_000


def test_config_file_is_used(tmp_path):
    cfg = tmp_path / "link.toml"
    cfg.write_text('[fec]\ncode = "none"\n[rx]\ndetector = "slicer"\n')
    out = tmp_path / "c"
    r = run("--config", str(cfg), "--values", "16", "16", "1", "--max-symbols", "50000", "--out", str(out))
    assert "FEC none" in r.stdout
    df = pd.read_csv(str(out) + ".csv")
    assert (df["codewords"] == 0).all()


def test_bad_config_is_one_clear_error(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[rx]\nffe_taps = 0\n")
    r = subprocess.run([sys.executable, "-m", "serdes_dsp", "--config", str(cfg), "--no-progress"],
                       capture_output=True, text=True)
    assert r.returncode != 0
    assert "rx.ffe_taps" in r.stderr


def test_awgn_job_against_theory(tmp_path):
    out = tmp_path / "awgn"
    r = run("awgn", "--snr-db", "10", "14", "2", "--max-symbols", "200000", "--out", str(out))
    assert "ber_theory" in r.stdout
    df = pd.read_csv(str(out) + ".csv")
    assert list(df["snr_db"]) == [10, 12, 14]
    assert (out.parent / "awgn.png").stat().st_size > 10_000
