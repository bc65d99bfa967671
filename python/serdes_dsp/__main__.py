"""Command line: ``python -m serdes_dsp [ber-curve | awgn] [options]``.

``ber-curve`` (the main job): the built-in default link (106.25 Gb/s PAM4, Tx FIR, CTLE, CDR,
lossy channel, FFE + DFE, KP4 FEC), or the link of ``--config link.toml``, over a
sweep of one parameter (default ``channel.snr_db``). Prints pre-FEC BER, post-FEC
BER and FEC statistics per point, writes ``ber_curve.csv`` and ``ber_curve.png``.

``awgn``: PAM4 (or NRZ) through AWGN only, against the closed form.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np


def main(argv: "list[str] | None" = None) -> int:
    p = argparse.ArgumentParser(prog="python -m serdes_dsp", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("job", nargs="?", default="ber-curve", choices=["ber-curve", "awgn"], help="what to run")
    p.add_argument("--config", help="link config (TOML) for ber-curve; default: the built-in default link")
    p.add_argument("--param", default="channel.snr_db", help="dotted config key to sweep (ber-curve)")
    p.add_argument("--values", "--snr-db", dest="values", type=float, nargs=3, default=None,
                   metavar=("START", "STOP", "STEP"), help="sweep values, STOP included (default: SNR 12 24 1 for "
                   "ber-curve, 8 19 1 for awgn)")
    p.add_argument("--max-symbols", type=int, default=None, help="maximum symbols per point")
    p.add_argument("--target-errors", type=int, default=2000, help="stop a point after this many pre-FEC bit errors")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--modulation", choices=["pam4", "nrz"], default="pam4", help="awgn job only")
    p.add_argument("--precoding", action="store_true", help="1/(1+D) precoding (awgn job only)")
    p.add_argument("--out", default="ber_curve", help="output file stem (.csv, .png)")
    p.add_argument("--no-progress", action="store_true")
    args = p.parse_args(argv)
    try:
        return awgn_job(args) if args.job == "awgn" else link_job(args)
    except (ValueError, TypeError, OSError) as e:  # bad config or arguments: one line, no traceback
        print(f"python -m serdes_dsp: error: {e}", file=sys.stderr)
        return 2


def link_job(args) -> int:
    from .analysis import pam4_ber_theory
    from .link import LinkConfig, ber_sweep

    cfg = LinkConfig.from_toml(args.config) if args.config else LinkConfig.default()
    start, stop, step = args.values if args.values else (12.0, 24.0, 1.0)
    values = [float(v) for v in np.round(np.arange(start, stop + step / 2, step), 6)]
    max_symbols = args.max_symbols or 20_000_000
    t0 = time.perf_counter()
    df = ber_sweep(cfg, args.param, values, target_errors=args.target_errors, max_symbols=max_symbols,
                   seed=args.seed, progress=not args.no_progress)
    dt = time.perf_counter() - t0
    awgn_ref = args.param == "channel.snr_db" and cfg["tx.modulation"] == "pam4"
    if awgn_ref:
        df["ber_theory_awgn"] = pam4_ber_theory(df[args.param].to_numpy())
    cols = [args.param, "symbols", "errors", "ber", "ber_low", "ber_high", "ser", "codewords",
            "corrected_codewords", "uncorrectable_codewords", "post_fec_errors", "post_fec_ber",
            "post_fec_ber_extrapolated"] + (["ber_theory_awgn"] if awgn_ref else [])
    with_pd_opts(lambda: print(df[cols].to_string(index=False)))
    total = int(df["symbols"].sum())
    print(f"\n{total:.3e} symbols in {dt:.1f} s ({total / dt / 1e6:.1f} Msymbols/s on all cores), "
          f"{cfg['baud_hz'] / 1e9:g} GBd {cfg['tx.modulation'].upper()}, FEC {cfg['fec.code']}, "
          f"detector {cfg['rx.detector']}, seed {args.seed}")
    df.drop(columns=["symbol_errors_per_codeword"]).to_csv(args.out + ".csv", index=False)

    def draw():
        from .plot import link_ber_curve

        ax = link_ber_curve(df, param=args.param, theory=awgn_ref)
        ax.set_title(f"{cfg['baud_hz'] * (2 if cfg['tx.modulation'] == 'pam4' else 1) / 1e9:g} Gb/s "
                     f"{cfg['tx.modulation'].upper()}, {cfg['rx.detector'].upper()}, FEC {cfg['fec.code']}: "
                     "pre- and post-FEC BER")
        return ax

    save_plot(args.out, draw)
    return 0


def awgn_job(args) -> int:
    from .link import awgn_sweep

    start, stop, step = args.values if args.values else (8.0, 19.0, 1.0)
    snr = np.round(np.arange(start, stop + step / 2, step), 6)
    t0 = time.perf_counter()
    df = awgn_sweep(snr, max_symbols=args.max_symbols or 200_000_000, target_errors=args.target_errors,
                    seed=args.seed, modulation=args.modulation, precoding=args.precoding,
                    progress=not args.no_progress)
    dt = time.perf_counter() - t0
    df["ratio"] = df["ber"] / df["ber_theory"]
    cols = ["snr_db", "symbols", "errors", "ber", "ber_low", "ber_high", "ber_theory", "ratio", "ser", "ser_theory"]
    with_pd_opts(lambda: print(df[cols].to_string(index=False)))
    total = int(df["symbols"].sum())
    print(f"\n{total:.3e} symbols in {dt:.1f} s ({total / dt / 1e6:.0f} Msymbols/s on all cores), "
          f"{args.modulation.upper()}{' precoded' if args.precoding else ''}, seed {args.seed}")
    df.to_csv(args.out + ".csv", index=False)

    def draw():
        from .plot import ber_waterfall

        ax = ber_waterfall(df, modulation=args.modulation)
        ax.set_title(f"{args.modulation.upper()} in AWGN: measured vs closed form (99% intervals)")
        return ax

    save_plot(args.out, draw)
    return 0


def save_plot(out: str, draw) -> None:
    """``out``.png of the axes ``draw()`` returns, when matplotlib is installed; says
    what was written (the CSV was written before)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        ax = draw()
        ax.figure.tight_layout()
        ax.figure.savefig(out + ".png", dpi=120)
        plt.close(ax.figure)
        print(f"wrote {out}.csv and {out}.png")
    except ImportError:
        print(f"wrote {out}.csv (matplotlib not installed: no plot)")


def with_pd_opts(f):
    import pandas as pd

    with pd.option_context("display.float_format", "{:.3e}".format, "display.width", 200):
        f()


if __name__ == "__main__":
    sys.exit(main())
