"""The main job's command line on a short sweep."""

import subprocess
import sys

import pandas as pd


def test_cli_writes_table_csv_and_png(tmp_path):
    out = tmp_path / "curve"
    r = subprocess.run(
        [sys.executable, "-m", "serdes_dsp", "ber-curve", "--snr-db", "10", "14", "2",
         "--max-symbols", "200000", "--out", str(out), "--no-progress"],
        capture_output=True, text=True, check=True,
    )
    assert "ber_theory" in r.stdout
    df = pd.read_csv(str(out) + ".csv")
    assert list(df["snr_db"]) == [10, 12, 14]
    assert (out.parent / "curve.png").stat().st_size > 10_000
