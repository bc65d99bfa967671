"""Plots with matplotlib: BER waterfalls against theory, link BER curves, eye
diagrams, bathtubs, pulse responses and equaliser taps."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
from numpy.typing import ArrayLike

from .analysis import KP4_BER_THRESHOLD, nrz_ber_theory, pam4_ber_theory

__all__ = ["ber_waterfall", "link_ber_curve", "eye_diagram", "bathtub", "pulse_response", "taps"]


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


def link_ber_curve(df: Any, *, param: str = "channel.snr_db", ax: Optional[Any] = None, theory: bool = True) -> Any:
    """Pre- and post-FEC BER of a ``serdes_dsp.link.ber_sweep`` table against ``param``.

    Pre-FEC: measured with its 99% interval (and, when ``theory``, the PAM4 AWGN curve
    at the same SNR for reference); the KP4 threshold line; post-FEC: measured where
    errors were seen, and the extrapolation from the histogram of symbol errors per
    codeword. Returns the Axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    pre = df.rename(columns={param: "snr_db"}) if param != "snr_db" else df
    ber_waterfall(pre, ax=ax, theory=theory, label="pre-FEC measured")
    x = np.asarray(df[param], dtype=float)
    post = np.asarray(df["post_fec_ber"], dtype=float)
    seen = post > 0
    if seen.any():
        ax.plot(x[seen], post[seen], "s", color="C2", label="post-FEC measured")
    ext = np.asarray(df["post_fec_ber_extrapolated"].fillna(0.0), dtype=float)
    if (ext > 0).any():
        ax.plot(x[ext > 0], ext[ext > 0], "--", color="C2", alpha=0.7, label="post-FEC from symbol-error histogram")
    ax.set_xlabel(param if param != "channel.snr_db" else "SNR at Rx input (dB), main cursor power / noise variance")
    ax.legend()
    return ax


def _axes(ax: Optional[Any]) -> Any:
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    return ax


def eye_diagram(eye: Any, *, ax: Optional[Any] = None, log: bool = True, cmap: str = "inferno") -> Any:
    """The 2-D histogram of a :class:`serdes_dsp.analysis.EyeHistogram` (or the
    ``eye`` dict of :func:`serdes_dsp.link.simulate`) as an image (phase in UI
    across, amplitude up; log colour scale by default). Returns the Axes."""
    ax = _axes(ax)
    if isinstance(eye, dict):  # the ``eye`` of ``link.simulate``'s result

        class _Eye:
            counts = eye["counts"]
            phases_ui = np.asarray(eye["phases_ui"])
            amplitudes = np.asarray(eye["amplitudes"])
            samples = int(eye["samples"])
            samples_per_ui = int(round(1.0 / (phases_ui[1] - phases_ui[0]))) if len(phases_ui) > 1 else 1

        eye = _Eye
    counts = np.asarray(eye.counts, dtype=float).T
    img = np.log10(1.0 + counts) if log else counts
    ph, amp = eye.phases_ui, eye.amplitudes
    dp = 1.0 / eye.samples_per_ui
    da = float(amp[1] - amp[0]) if len(amp) > 1 else 1.0
    ax.imshow(img, origin="lower", aspect="auto", cmap=cmap,
              extent=[ph[0] - dp / 2, ph[-1] + dp / 2, amp[0] - da / 2, amp[-1] + da / 2])
    ax.set_xlabel("phase (UI)")
    ax.set_ylabel("amplitude")
    ax.set_title(f"eye, {eye.samples:,} samples")
    return ax


def bathtub(tub: dict, *, ax: Optional[Any] = None, target_ber: Optional[float] = KP4_BER_THRESHOLD, label: str = "bathtub") -> Any:
    """BER against sampling phase from ``EyeHistogram.bathtub()`` (log scale), with the
    horizontal opening at ``target_ber`` marked. Returns the Axes."""
    ax = _axes(ax)
    ph = np.asarray(tub["phase_ui"], dtype=float)
    ber = np.clip(np.asarray(tub["ber"], dtype=float), 1e-30, None)
    ax.semilogy(ph, ber, "o-", ms=3, label=label)
    if target_ber is not None:
        ax.axhline(target_ber, color="C3", ls="--", lw=1, label=f"BER {target_ber:g}")
        ok = ber <= target_ber
        if ok.any():
            ax.set_title(f"opening at {target_ber:g}: {ok.sum() / len(ber):.2f} UI")
    ax.set_xlabel("sampling phase (UI)")
    ax.set_ylabel("bit error rate")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    return ax


def pulse_response(pulse: ArrayLike, *, samples_per_ui: int = 1, cursor: Optional[int] = None, ax: Optional[Any] = None) -> Any:
    """A pulse response against time in UI, the cursors marked when it is oversampled.
    ``cursor``: the index of the main cursor (default: the peak). Returns the Axes."""
    ax = _axes(ax)
    p = np.asarray(pulse, dtype=float)
    c = int(np.argmax(np.abs(p))) if cursor is None else int(cursor)
    t = (np.arange(len(p)) - c) / samples_per_ui
    ax.plot(t, p, "-" if samples_per_ui > 1 else "o-", label="pulse response")
    cur = np.arange(c % samples_per_ui, len(p), samples_per_ui)
    ax.plot(t[cur], p[cur], "o", color="C1", ms=4, label="cursors (1 per UI)")
    ax.axhline(0.0, color="k", lw=0.5)
    ax.set_xlabel("time from main cursor (UI)")
    ax.set_ylabel("amplitude")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax


def taps(ffe: ArrayLike, dfe: Optional[ArrayLike] = None, *, ax: Optional[Any] = None) -> Any:
    """FFE taps (stems) and DFE feedback taps beside them. Returns the Axes."""
    ax = _axes(ax)
    f = np.asarray(ffe, dtype=float)
    ax.stem(np.arange(len(f)), f, label="FFE")
    if dfe is not None and len(dfe):
        d = np.asarray(dfe, dtype=float)
        ax.stem(len(f) + 1 + np.arange(len(d)), d, linefmt="C1-", markerfmt="C1o", label="DFE")
    ax.set_xlabel("tap")
    ax.set_ylabel("weight")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax


def cdr_phase(result: dict, *, ax: Optional[Any] = None, baud_hz: Optional[float] = None) -> Any:
    """The CDR's recovered sampling phase (UI) against time, from the
    ``cdr_trace_symbol``/``cdr_trace_phase_ui`` of :func:`serdes_dsp.link.simulate`
    (or any dict with those keys; e.g. from :class:`serdes_dsp.cdr.Cdr`). Time is in
    symbols, or in µs when ``baud_hz`` is given. Returns the Axes."""
    ax = _axes(ax)
    k = np.asarray(result["cdr_trace_symbol"], dtype=float)
    ph = np.asarray(result["cdr_trace_phase_ui"], dtype=float)
    t = k / baud_hz * 1e6 if baud_hz else k
    ax.plot(t, ph, lw=0.8)
    ax.set_xlabel("time (µs)" if baud_hz else "symbol")
    ax.set_ylabel("recovered phase (UI)")
    ax.grid(True, alpha=0.3)
    return ax
