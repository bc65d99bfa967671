"""Whole links: the AWGN link and SNR sweeps of it.

``simulate_awgn`` runs PRBS → Gray PAM4 (or NRZ), optionally 1/(1+D) precoded →
AWGN → slicer → bit and symbol error counts, streaming in chunks inside Rust (memory
does not grow with ``n_symbols``) with the GIL released. ``awgn_sweep`` runs it over
SNR points in parallel threads with deterministic per-point seeds, so the numbers do
not depend on the number of workers.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Iterable, List, Optional

import numpy as np
from numpy.typing import NDArray

from . import _native
from ._arrays import check_count, check_finite_number
from .analysis import nrz_ber_theory, pam4_ber_theory, pam4_ser_theory

__all__ = ["AwgnResult", "simulate_awgn", "awgn_sweep", "point_seed"]


@dataclass(frozen=True)
class AwgnResult:
    """Counts of one AWGN link run.

    ``ber_ci`` is the exact two-sided interval at ``confidence``; ``burst_histogram[L]``
    counts bursts of exactly ``L`` consecutive bit errors (the last bin: 64 or longer).
    """

    snr_db: float
    modulation: str
    precoding: bool
    symbols: int
    symbol_errors: int
    ser: float
    bits: int
    errors: int
    ber: float
    ber_ci: tuple
    confidence: float
    burst_histogram: NDArray[np.uint64] = field(repr=False)

    @property
    def ber_theory(self) -> float:
        """Closed-form BER at this SNR (not precoded: precoding roughly doubles it)."""
        if self.modulation == "nrz":
            return float(nrz_ber_theory(self.snr_db))
        return float(pam4_ber_theory(self.snr_db))

    def as_dict(self) -> dict:
        """A flat dict (for pandas rows), without the histogram."""
        return {
            "snr_db": self.snr_db,
            "modulation": self.modulation,
            "precoding": self.precoding,
            "symbols": self.symbols,
            "symbol_errors": self.symbol_errors,
            "ser": self.ser,
            "bits": self.bits,
            "errors": self.errors,
            "ber": self.ber,
            "ber_low": self.ber_ci[0],
            "ber_high": self.ber_ci[1],
            "ber_theory": self.ber_theory,
        }


def simulate_awgn(
    snr_db: float,
    n_symbols: int,
    seed: int = 1,
    *,
    modulation: str = "pam4",
    precoding: bool = False,
    prbs_order: int = 31,
    target_errors: Optional[int] = None,
    confidence: float = 0.99,
) -> AwgnResult:
    """Runs ``n_symbols`` symbols through the AWGN link at ``snr_db``.

    With ``target_errors`` the run stops early once that many bit errors were counted
    (checked every 16,384 symbols), ``n_symbols`` being the maximum.
    """
    snr = check_finite_number("snr_db", snr_db)
    n = check_count("n_symbols", n_symbols)
    if target_errors is not None:
        target_errors = check_count("target_errors", target_errors)
    d = _native.simulate_awgn(
        snr, n, int(seed), str(modulation), bool(precoding), int(prbs_order), target_errors, float(confidence)
    )
    return AwgnResult(
        snr_db=snr,
        modulation=str(modulation),
        precoding=bool(precoding),
        symbols=d["symbols"],
        symbol_errors=d["symbol_errors"],
        ser=d["ser"],
        bits=d["bits"],
        errors=d["errors"],
        ber=d["ber"],
        ber_ci=(d["ber_low"], d["ber_high"]),
        confidence=float(confidence),
        burst_histogram=np.asarray(d["burst_histogram"], dtype=np.uint64),
    )


def point_seed(seed: int, index: int) -> int:
    """The seed of sweep point ``index``: independent streams from one base seed."""
    ss = np.random.SeedSequence([int(seed), int(index)])
    return int(ss.generate_state(1, dtype=np.uint64)[0])


def awgn_sweep(
    snr_db: Iterable[float],
    *,
    max_symbols: int = 10_000_000,
    target_errors: Optional[int] = 1000,
    seed: int = 1,
    modulation: str = "pam4",
    precoding: bool = False,
    workers: Optional[int] = None,
    progress: bool = True,
) -> Any:
    """BER of the AWGN link at each SNR, as a pandas DataFrame (one row per point).

    Points run in ``workers`` threads (default: all cores; the kernels release the
    GIL); point ``i`` uses ``point_seed(seed, i)``, so results do not depend on
    ``workers``. Columns: ``snr_db, symbols, symbol_errors, ser, bits, errors, ber,
    ber_low, ber_high, ber_theory, ser_theory``.
    """
    import pandas as pd

    points: List[float] = [check_finite_number("snr_db", s) for s in snr_db]
    workers = workers or os.cpu_count() or 1

    def run(i: int) -> AwgnResult:
        return simulate_awgn(
            points[i],
            max_symbols,
            point_seed(seed, i),
            modulation=modulation,
            precoding=precoding,
            target_errors=target_errors,
        )

    results: List[Optional[AwgnResult]] = [None] * len(points)
    bar = _progress(len(points), progress, "SNR points")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(run, i): i for i in range(len(points))}
        from concurrent.futures import as_completed

        for fut in as_completed(futures):
            results[futures[fut]] = fut.result()
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    rows = []
    for r in results:
        assert r is not None
        row = r.as_dict()
        row["ser_theory"] = float(pam4_ser_theory(r.snr_db)) if modulation == "pam4" else row["ber_theory"]
        rows.append(row)
    return pd.DataFrame(rows)


def _progress(total: int, enabled: bool, desc: str):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # progress bars are a nicety, not a requirement
        return None
    return tqdm(total=total, desc=desc)
