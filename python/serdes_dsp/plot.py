"""Plots with matplotlib: BER waterfalls against theory."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .analysis import KP4_BER_THRESHOLD, nrz_ber_theory, pam4_ber_theory

__all__ = ["ber_waterfall"]


def ber_waterfall(
    df: Any,
    *,
    ax: Optional[Any] = None,
    theory: bool = True,
    modulation: str = "pam4",
    kp4_threshold: bool = True,
    label: str = "measured",
) -> Any:
    """BER against SNR from a sweep DataFrame (``snr_db``, ``ber``, ``ber_low``, ``ber_high``).

    Error bars are the confidence interval of each point; points without errors are
    drawn at their upper bound with a down-pointing marker. Adds the closed-form curve
    and the KP4 pre-FEC threshold (2.4e-4). Returns the Axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    snr = np.asarray(df["snr_db"], dtype=float)
    ber = np.asarray(df["ber"], dtype=float)
    lo = np.asarray(df["ber_low"], dtype=float)
    hi = np.asarray(df["ber_high"], dtype=float)
    seen = ber > 0
    ax.errorbar(
        snr[seen], ber[seen], yerr=[ber[seen] - lo[seen], hi[seen] - ber[seen]],
        fmt="o", capsize=3, label=label,
    )
    if (~seen).any():
        ax.plot(snr[~seen], hi[~seen], "v", color="C0", alpha=0.6, label="no errors (upper bound)")
    if theory:
        grid = np.linspace(snr.min() - 0.5, snr.max() + 0.5, 200)
        f = nrz_ber_theory if modulation == "nrz" else pam4_ber_theory
        ax.plot(grid, f(grid), "-", color="k", lw=1, label=f"{modulation.upper()} theory (AWGN)")
    if kp4_threshold:
        ax.axhline(KP4_BER_THRESHOLD, color="C3", ls="--", lw=1, label="KP4 threshold 2.4e-4")
    ax.set_yscale("log")
    ax.set_xlabel("SNR (dB): mean signal power / noise variance")
    ax.set_ylabel("bit error rate")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    return ax
