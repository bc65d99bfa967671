"""Command line: ``python -m serdes_dsp [ber-curve] [options]``.

The main job: the BER curve of PAM4 through AWGN against theory over an SNR sweep.
Prints a table, writes ``ber_curve.csv`` and ``ber_curve.png``.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np


def main(argv: "list[str] | None" = None) -> int:
    p = argparse.ArgumentParser(prog="python -m serdes_dsp", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("job", nargs="?", default="ber-curve", choices=["ber-curve"], help="what to run")
    p.add_argument("--snr-db", type=float, nargs=3, default=[8.0, 19.0, 1.0], metavar=("START", "STOP", "STEP"),
                   help="SNR sweep in dB, STOP included (default 8 19 1)")
    p.add_argument("--max-symbols", type=int, default=200_000_000, help="maximum symbols per point")
    p.add_argument("--target-errors", type=int, default=2000, help="stop a point after this many bit errors")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--modulation", choices=["pam4", "nrz"], default="pam4")
    p.add_argument("--precoding", action="store_true", help="1/(1+D) precoding (PAM4)")
    p.add_argument("--out", default="ber_curve", help="output file stem (.csv, .png)")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)

    from .link import awgn_sweep

    start, stop, step = args.snr_db
    snr = np.round(np.arange(start, stop + step / 2, step), 6)
    t0 = time.perf_counter()
    df = awgn_sweep(snr, max_symbols=args.max_symbols, target_errors=args.target_errors, seed=args.seed,
                    modulation=args.modulation, precoding=args.precoding, progress=not args.no_progress)
    dt = time.perf_counter() - t0
    df["ratio"] = df["ber"] / df["ber_theory"]
    cols = ["snr_db", "symbols", "errors", "ber", "ber_low", "ber_high", "ber_theory", "ratio", "ser", "ser_theory"]
    with_pd_opts(lambda: print(df[cols].to_string(index=False)))
    total = int(df["symbols"].sum())
    print(f"\n{total:.3e} symbols in {dt:.1f} s ({total / dt / 1e6:.0f} Msymbols/s on all cores), "
          f"{args.modulation.upper()}{' precoded' if args.precoding else ''}, seed {args.seed}")
    df.to_csv(args.out + ".csv", index=False)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from .plot import ber_waterfall

        ax = ber_waterfall(df, modulation=args.modulation)
        ax.set_title(f"{args.modulation.upper()} in AWGN: measured vs closed form (99% intervals)")
        ax.figure.tight_layout()
        ax.figure.savefig(args.out + ".png", dpi=120)
        plt.close(ax.figure)
        print(f"wrote {args.out}.csv and {args.out}.png")
    except ImportError:
        print(f"wrote {args.out}.csv (matplotlib not installed: no plot)")
    return 0


def with_pd_opts(f):
    import pandas as pd

    with pd.option_context("display.float_format", "{:.3e}".format, "display.width", 160):
        f()


if __name__ == "__main__":
    sys.exit(main())
