"""Whole links: the AWGN link and SNR sweeps of it.

``simulate_awgn`` runs PRBS → Gray PAM4 (or NRZ), optionally 1/(1+D) precoded →
AWGN → slicer → bit and symbol error counts, streaming in chunks inside Rust (memory
does not grow with ``n_symbols``) with the GIL released. ``awgn_sweep`` runs it over
SNR points in parallel threads with deterministic per-point seeds, so the numbers do
not depend on the number of workers.
"""

from __future__ import annotations

import copy
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Iterable, List, Optional

import numpy as np
from numpy.typing import NDArray

from . import _native
from ._native import SerdesDspError
from ._arrays import check_count, check_finite_number
from .analysis import nrz_ber_theory, pam4_ber_theory, pam4_ser_theory

__all__ = ["AwgnResult", "simulate_awgn", "awgn_sweep", "point_seed", "LinkConfig", "simulate", "ber_sweep"]


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
    """The seed of sweep point ``index``: independent streams from one base seed, the
    same as the Rust core's ``link::point_seed`` (so Rust and Python sweeps agree)."""
    return int(_native.point_seed(int(seed) & (2**64 - 1), int(index)))


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


def _check_finite_values(node: Any, prefix: str) -> None:
    # JSON has no NaN: catch it here, naming the key as the Rust validation would.
    if isinstance(node, dict):
        for k, v in node.items():
            _check_finite_values(v, f"{prefix}{k}" if not prefix else f"{prefix}.{k}")
    elif isinstance(node, (list, tuple)):
        for v in node:
            _check_finite_values(v, prefix)
    elif isinstance(node, (float, np.floating)) and not np.isfinite(node):
        raise SerdesDspError(f"invalid `{prefix}` = {node}: allowed a finite number")


class LinkConfig:
    """A whole link as data: ``tx``, ``channel``, ``rx`` and ``fec`` sections.

    ``LinkConfig.default()`` is the built-in default link (106.25 Gb/s PAM4, Tx FIR,
    16 dB lossy line, 0.75·fb front end, 802.3ck CTLE with COM-style gain choice,
    bang-bang CDR at 8 samples/UI, 16-tap FFE + 4-tap DFE, KP4). Build one from a dict
    (missing keys take the defaults), from TOML text or a ``.toml`` file, and read or
    change values by dotted key: ``cfg["channel.snr_db"] = 18``. Every config is
    validated by the Rust core; a bad key or value raises ``ValueError`` naming it.
    """

    def __init__(self, data: Optional[dict] = None) -> None:
        _check_finite_values(data if data is not None else {}, "")
        text = json.dumps(data if data is not None else {})
        self._data = json.loads(_native.link_config_json(text, "json"))

    @classmethod
    def default(cls) -> "LinkConfig":
        """The built-in default link."""
        return cls()

    @classmethod
    def from_toml(cls, text_or_path: str) -> "LinkConfig":
        """From TOML text, or from a file if ``text_or_path`` names one."""
        text = text_or_path
        if "\n" not in text_or_path and os.path.exists(text_or_path):
            with open(text_or_path, encoding="utf-8") as f:
                text = f.read()
        cfg = cls.__new__(cls)
        cfg._data = json.loads(_native.link_config_json(text, "toml"))
        return cfg

    def to_dict(self) -> dict:
        """A deep copy of the config as nested dicts."""
        return copy.deepcopy(self._data)

    def to_json(self) -> str:
        return json.dumps(self._data)

    def __getitem__(self, key: str) -> Any:
        node: Any = self._data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"unknown config key {key!r}")
            node = node[part]
        return copy.deepcopy(node)

    def __setitem__(self, key: str, value: Any) -> None:
        self._data = self.replace(key, value)._data

    def replace(self, key: str, value: Any) -> "LinkConfig":
        """A validated copy with ``key`` (dotted: ``"channel.snr_db"``) set to ``value``.

        The key is resolved by the Rust core (``link::with_param``), the same code the
        Rust sweeps use; an unknown key or a bad value raises ``ValueError`` naming it.
        """
        if isinstance(value, np.generic):
            value = value.item()
        elif isinstance(value, np.ndarray):
            value = value.tolist()
        _check_finite_values(value, key)
        cfg = LinkConfig.__new__(LinkConfig)
        cfg._data = json.loads(_native.link_config_replace(self.to_json(), key, json.dumps(value)))
        return cfg

    def __repr__(self) -> str:
        return f"LinkConfig({self._data!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LinkConfig) and other._data == self._data


def simulate(
    config: Optional[LinkConfig] = None,
    n_symbols: int = 1_000_000,
    seed: int = 1,
    target_errors: Optional[int] = None,
) -> dict:
    """Runs ``config`` (default: the built-in link) for ``n_symbols`` symbols, or until
    ``target_errors`` pre-FEC bit errors. Streams in chunks in Rust with the GIL
    released; memory does not grow with ``n_symbols``.

    Returns a dict: ``symbols, symbol_errors, ser, bits, errors, ber, ber_low, ber_high``
    (pre-FEC, 99% interval), ``burst_histogram``, ``codewords, corrected_codewords,
    uncorrectable_codewords, symbol_errors_per_codeword, post_fec_bits, post_fec_errors,
    post_fec_ber`` (measured), ``post_fec_ber_extrapolated`` and
    ``frame_loss_ratio_extrapolated`` (burst-aware model: error events per codeword
    Poisson, their lengths as measured), ``post_fec_ber_from_histogram`` (the
    histogram's measured tail),
    ``ffe_taps, feedback_taps``, ``symbol_pulse, symbol_pulse_cursor`` (what the
    FFE/DFE were solved from), and for the analog channel models ``analog_pulse,
    samples_per_ui, ctle_gains_db, predicted_snr_db, cdr_locked, cdr_frequency_ppm,
    cdr_trace_symbol, cdr_trace_phase_ui`` (numpy), ``eye`` (dict: ``counts`` phases ×
    amplitude bins, ``amplitudes, phases_ui, samples``) and ``bathtub`` (dict:
    ``phase_ui, ber``); these are None or empty for the pulse model.
    """
    cfg = config if config is not None else LinkConfig.default()
    n = check_count("n_symbols", n_symbols)
    t = None if target_errors is None else check_count("target_errors", target_errors)
    return _native.link_simulate(cfg.to_json(), n, int(seed) & (2**64 - 1), t)


def _sweep_point(config_json: str, n_symbols: int, seed: int, target_errors: Optional[int]) -> dict:
    # Module level so that Dask can ship it to workers by reference.
    from serdes_dsp import _native as native

    return native.link_simulate(config_json, n_symbols, seed, target_errors)


# Per-point arrays and pictures: in ``simulate``'s dict, not in the sweep's table.
_NOT_IN_TABLE = (
    "burst_histogram",
    "symbol_errors_per_codeword",
    "ffe_taps",
    "feedback_taps",
    "symbol_pulse",
    "analog_pulse",
    "cdr_trace_symbol",
    "cdr_trace_phase_ui",
    "eye",
    "bathtub",
)


def ber_sweep(
    config: Optional[LinkConfig],
    param: str,
    values: Iterable[Any],
    *,
    target_errors: Optional[int] = 1000,
    max_symbols: int = 10_000_000,
    seed: int = 1,
    executor: Any = None,
    workers: Optional[int] = None,
    progress: bool = True,
) -> Any:
    """Runs ``config`` with ``param`` (dotted key, e.g. ``"channel.snr_db"``) set to each
    of ``values``; a pandas DataFrame with one row per point.

    Each point stops at ``target_errors`` pre-FEC bit errors or ``max_symbols``
    symbols. Point ``i`` uses ``point_seed(seed, i)``, so the table is the same
    whatever runs it: local threads (default, ``workers`` threads; the core releases
    the GIL) or a ``dask.distributed.Client`` given as ``executor`` (points are
    submitted to the cluster and gathered in order).
    """
    import pandas as pd

    base = config if config is not None else LinkConfig.default()
    vals = list(values)
    cfgs = [base.replace(param, v).to_json() for v in vals]
    n = check_count("max_symbols", max_symbols)
    t = None if target_errors is None else check_count("target_errors", target_errors)
    seeds = [point_seed(seed, i) for i in range(len(vals))]
    results: List[Optional[dict]] = [None] * len(vals)
    bar = _progress(len(vals), progress, param)
    if executor is not None:
        from dask.distributed import as_completed as dask_completed

        futures = [executor.submit(_sweep_point, c, n, s, t, pure=True) for c, s in zip(cfgs, seeds)]
        index = {f.key: i for i, f in enumerate(futures)}
        for fut in dask_completed(futures):
            results[index[fut.key]] = fut.result()
            if bar is not None:
                bar.update(1)
    else:
        from concurrent.futures import as_completed

        with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            futs = {pool.submit(_sweep_point, c, n, s, t): i for i, (c, s) in enumerate(zip(cfgs, seeds))}
            for fut in as_completed(futs):
                results[futs[fut]] = fut.result()
                if bar is not None:
                    bar.update(1)
    if bar is not None:
        bar.close()
    rows = []
    for v, r in zip(vals, results):
        assert r is not None
        row = {param: v}
        row.update({k: r[k] for k in r if k not in _NOT_IN_TABLE})
        row["symbol_errors_per_codeword"] = r["symbol_errors_per_codeword"]
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
