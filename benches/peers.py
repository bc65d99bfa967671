"""Side-by-side timings of serdes-dsp against the tools users would pick instead.

Run after `./scripts/ber-curve.sh` (or any command that built .venv):

    .venv/bin/python benches/peers.py

Prints median times over repeats and the ratio (peer time / serdes-dsp time) for the
same work on the same data, in one run: the machines are shared and noisy, so the
ratios are the figures to quote. One thread each (serdes-dsp kernels are single
threaded; numpy's generators too). Then, if their peers are installed,
`peers_fec.py` (galois, reedsolo) and `peers_eq.py` (scipy; PyBERT from pip `pipbert`
if importable) print theirs.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from serdes_dsp import channel, link, signal


def median_time(f, repeats: int = 7) -> float:
    f()  # warm-up
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def row(what: str, n: int, unit: str, ours: float, peer_name: str, peer: float) -> None:
    print(f"{what:<38} {n / ours / 1e6:>9.1f} M{unit}/s   {peer_name:<28} {n / peer / 1e6:>9.1f} M{unit}/s   ratio {peer / ours:>6.1f}x")


def main() -> None:
    n = 4_000_000
    rng = np.random.default_rng(1)
    x = np.zeros(n, dtype=np.float32)

    print(f"serdes_dsp backend: {signal._native.cpu_backend()}, {n:,} elements per call\n")

    t_ours = median_time(lambda: channel.awgn(x, 10.0, seed=1, signal_power=1.0))
    t_np = median_time(lambda: x + np.float32(0.316) * rng.standard_normal(n, dtype=np.float32))
    row("AWGN (x + sigma*N(0,1), f32)", n, "samples", t_ours, "numpy standard_normal", t_np)

    a = channel.Awgn(10.0, seed=1, signal_power=1.0)
    t_ours = median_time(lambda: a.process(x))
    row("AWGN streaming block", n, "samples", t_ours, "numpy standard_normal", t_np)

    t_ours = median_time(lambda: signal.prbs(31, n, seed=5))
    state = {"s": 5}

    def numpy_prbs31():
        # The best plain-numpy route: the recurrence in 28-bit strides (y[n] = y[n-28] ^ y[n-31]).
        out = np.empty(n, dtype=np.uint8)
        out[:31] = (state["s"] >> np.arange(31)) & 1
        i = 31
        while i < n:
            k = min(28, n - i)
            out[i : i + k] = out[i - 28 : i - 28 + k] ^ out[i - 31 : i - 31 + k]
            i += k
        return out ^ 1

    t_np = median_time(numpy_prbs31, repeats=3)
    row("PRBS31 bits", n, "bits", t_ours, "numpy strided recurrence", t_np)

    bits = signal.prbs(31, 2 * n, seed=3)
    t_ours = median_time(lambda: signal.pam4_map(bits))
    levels = np.array([-1, -1 / 3, 1 / 3, 1], dtype=np.float32)
    gray = np.array([0, 1, 3, 2], dtype=np.uint8)

    def numpy_map():
        b = bits.reshape(-1, 2)
        return levels[gray[(b[:, 0] << 1) | b[:, 1]]]

    t_np = median_time(numpy_map)
    row("Gray PAM4 map (bits -> levels)", n, "symbols", t_ours, "numpy fancy indexing", t_np)

    y = signal.pam4_map(bits) + rng.normal(0, 0.1, n).astype(np.float32)
    t_ours = median_time(lambda: signal.pam4_slice(y, symbols=True))
    t_np = median_time(lambda: np.digitize(y, [-2 / 3, 0, 2 / 3]).astype(np.uint8))
    row("PAM4 slice (samples -> symbols)", n, "symbols", t_ours, "numpy digitize", t_np)

    def numpy_link(m=n):
        b = rng.integers(0, 2, 2 * m, dtype=np.uint8)
        s = gray[(b[0::2] << 1) | b[1::2]]
        w = levels[s] + np.float32(0.15) * rng.standard_normal(m, dtype=np.float32)
        d = np.digitize(w, [-2 / 3, 0, 2 / 3]).astype(np.uint8)
        return np.count_nonzero(d != s)

    t_ours = median_time(lambda: link.simulate_awgn(14.0, n, seed=1), repeats=5)
    t_np = median_time(numpy_link, repeats=3)
    row("AWGN link (PRBS, map, noise, slice, count)", n, "symbols", t_ours, "numpy equivalent", t_np)

    for name in ("peers_fec", "peers_eq", "peers_link"):  # FEC, equalisers, whole link, when their peers are installed
        try:
            module = __import__(name)
        except ImportError as e:
            print(f"\n({name} skipped: {e})")
            continue
        print()
        module.main()


if __name__ == "__main__":
    main()
