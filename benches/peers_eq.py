"""Equalisers: serdes-dsp against numpy, scipy and PyBERT on the same data, in one run.

    python benches/peers_eq.py        # needs numpy, scipy and serdes_dsp built; PyBERT optional

- FFE, 16 taps, f32: ``serdes_dsp.eq.Ffe.process`` against ``numpy.convolve`` and
  ``scipy.signal.lfilter`` (both given float32 input) on the same 2^22 samples.
- DFE, PAM4, 1 and 8 taps: ``serdes_dsp.eq.Dfe.process`` against a plain Python loop
  (the form PyBERT's DFE takes) and, if the ``pipbert`` package is importable, PyBERT's
  own ``DFE.run_dfe`` on the same samples held for 32 samples per UI (its input form),
  with a fixed clock phase so that its bang-bang CDR is not measured; its per-sample
  Python loop is the cost.
- MLSE (1 + 0.5D): serdes-dsp alone (no open peer does PAM4 MLSE).

The machines are shared and noisy: medians of several runs; quote the ratios.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import scipy.signal

from serdes_dsp import eq


def median_time(f, repeats: int = 5) -> float:
    f()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def row(what: str, n: int, ours: float, name: str, peer: float) -> None:
    print(
        f"{what:<24} serdes-dsp {n / ours / 1e6:9.1f} M/s   {name:<22} {n / peer / 1e6:9.3f} M/s"
        f"   ratio {peer / ours:9.1f}x"
    )


def pam4(n: int, h1: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    sym = rng.integers(0, 4, n).astype(np.uint8)
    lev = (sym.astype(np.float32) * 2 - 3) / 3
    x = lev.copy()
    x[1:] += h1 * lev[:-1]
    x += rng.normal(0, 0.05, n).astype(np.float32)
    return sym, x.astype(np.float32)


def python_dfe(x: np.ndarray, taps: np.ndarray) -> np.ndarray:
    levels = [-1.0, -1 / 3, 1 / 3, 1.0]
    taps = taps.tolist()
    past = [0.0] * len(taps)
    out = np.empty(len(x), np.uint8)
    for n, v in enumerate(x.tolist()):
        y = v - sum(b * p for b, p in zip(taps, past))
        d = int(y >= -2 / 3) + int(y >= 0) + int(y >= 2 / 3)
        out[n] = d
        past = [levels[d]] + past[:-1]
    return out


def pybert_dfe(x: np.ndarray, n_taps: int, n_spb: int = 32, ui: float = 1 / 53.125e9):
    try:
        from pybert.models.dfe import DFE
    except ImportError:
        return None
    wave = np.repeat(x.astype(float), n_spb)
    t = np.arange(len(wave)) * ui / n_spb
    # PyBERT's own defaults: tap gain 0.1, CDR delta_t 0.1 ps, alpha 0.01; PAM4 is mod_type 2.
    # clock_phase fixes the sampling instant (as PyBERT does for its Mueller-Muller CDR), so
    # that the DFE, not the bang-bang CDR, is measured.
    d = DFE(n_taps, 0.1, 0.1e-12, 0.01, ui, n_spb, 1.0, mod_type=2, ideal=True)
    return lambda: d.run_dfe(t, wave, clock_phase=ui / 2)


def main() -> None:
    rng = np.random.default_rng(1)
    n = 1 << 22
    x = rng.normal(0, 1, n).astype(np.float32)
    taps = rng.normal(0, 0.1, 16).astype(np.float32)
    taps[3] = 1.0
    ffe = eq.Ffe(taps, cursor=3)
    print(f"serdes-dsp FFE backend: {ffe.backend}")
    t_ours = median_time(lambda: ffe.process(x))
    t_np = median_time(lambda: np.convolve(x, taps))
    t_sp = median_time(lambda: scipy.signal.lfilter(taps, [1.0], x))
    row("FFE 16 taps", n, t_ours, "numpy.convolve", t_np)
    row("FFE 16 taps", n, t_ours, "scipy.signal.lfilter", t_sp)

    for n_taps in (1, 8):
        dfe_taps = (0.5 / np.arange(1, n_taps + 1)).astype(np.float32)
        sym, xs = pam4(n, 0.5, rng)
        d = eq.Dfe(dfe_taps)
        t_ours = median_time(lambda: d.process(xs))
        m = 20_000
        t_py = median_time(lambda: python_dfe(xs[:m], dfe_taps), repeats=3) * n / m
        row(f"DFE PAM4 {n_taps} taps", n, t_ours, "Python loop", t_py)
        m_pb = 2_000
        run = pybert_dfe(xs[:m_pb], n_taps)
        if run is not None:
            t_pb = median_time(run, repeats=1) * n / m_pb
            row(f"DFE PAM4 {n_taps} taps", n, t_ours, "PyBERT DFE (32 spb)", t_pb)

    sym, xs = pam4(n, 0.5, rng)
    m = eq.Mlse([1.0, 0.5], depth=16)
    t_ours = median_time(lambda: m.process(xs))
    print(f"{'MLSE 1+0.5D':<24} serdes-dsp {n / t_ours / 1e6:9.1f} M/s")


if __name__ == "__main__":
    main()
