"""The whole link: serdes-dsp's default link against PyBERT on the closest equivalent
configuration, in one run.

    python benches/peers_link.py          # PyBERT from pip `pipbert`; set PYBERT_PYTHON
                                          # to an interpreter that has it, if not this one

serdes-dsp: the built-in default link (106.25 Gb/s PAM4, 16 dB lossy line, Rx front
end, 802.3ck CTLE, bang-bang CDR at 8 samples/UI, 16-tap FFE, 4-tap DFE, KP4
encode and decode), one point on one thread, training included.
PyBERT: its own link model at 106.25 Gb/s PAM-4 with 8 samples/UI (its default is 32),
its built-in lossy channel, CTLE, DFE and bang-bang CDR, `simulate(update_plots=False)`
in a subprocess (its import alone takes seconds and wants a Qt platform). PyBERT also
computes its jitter decomposition in that call; it has no FEC. Ratio = our symbols/s
over PyBERT's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

PYBERT_SCRIPT = r"""
import json, os, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ETS_TOOLKIT", "null")
from pybert.pybert import PyBERT
dut = PyBERT(run_simulation=False, gui=False)
dut.bit_rate = 106.25
dut.mod_type = "PAM-4"
dut.nspui = 8
dut.nbits = NBITS
dut.eye_bits = NBITS // 2
t = time.perf_counter()
dut.simulate(initial_run=True, update_plots=False)
print(json.dumps({"seconds": time.perf_counter() - t, "symbols": NBITS // 2}))
"""


def pybert_rate(nbits: int = 40_000) -> "float | None":
    py = os.environ.get("PYBERT_PYTHON", sys.executable)
    try:
        out = subprocess.run([py, "-c", PYBERT_SCRIPT.replace("NBITS", str(nbits))],
                             capture_output=True, text=True, timeout=1800, check=True)
    except (OSError, subprocess.SubprocessError) as e:
        print(f"(PyBERT link skipped: {type(e).__name__}; install pip `pipbert` or set PYBERT_PYTHON)")
        return None
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return r["symbols"] / r["seconds"]


def main() -> None:
    from serdes_dsp import link

    cfg = link.LinkConfig.default()
    n = 4_000_000
    link.simulate(cfg, n_symbols=100_000, seed=1)  # warm-up
    rates = []
    for seed in (1, 2, 3):
        t0 = time.perf_counter()
        r = link.simulate(cfg, n_symbols=n, seed=seed)
        rates.append(r["symbols"] / (time.perf_counter() - t0))
    ours = sorted(rates)[1]
    print(f"{'default link, one point, one thread':<38} {ours / 1e6:>9.2f} Msymbols/s (median of 3, training included)")
    theirs = pybert_rate()
    if theirs is not None:
        print(f"{'PyBERT link (PAM-4, 8 spui)':<38} {theirs / 1e6:>9.5f} Msymbols/s   ratio {ours / theirs:,.0f}x")


if __name__ == "__main__":
    main()
