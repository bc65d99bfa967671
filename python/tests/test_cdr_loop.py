"""serdes_dsp.cdr: the loop's state seen from Python (trace=, lock_time, locked,
frequency_ppm, slips), checked against the closed-form timing of the test waveform."""

import numpy as np
import pytest

from serdes_dsp import SerdesDspError
from serdes_dsp.cdr import Cdr, pam4_waveform


def symbols(n, seed):
    return np.random.default_rng(seed).integers(0, 4, n).astype(np.uint8)


def tau(k, delay_ui=0.0, ppm=0.0, sj_amplitude_ui=0.0, sj_frequency_per_ui=0.0):
    """The generator's documented timing, written out: symbol k centred at k + tau."""
    k = np.asarray(k, dtype=np.float64)
    return (delay_ui + k * (1.0 / (1.0 + ppm * 1e-6) - 1.0)
            + sj_amplitude_ui * np.sin(2 * np.pi * sj_frequency_per_ui * k))


def best_alignment(tx, rx, n):
    """Output n carries symbol n + d: the d in -3..=3 with the fewest errors on n."""
    errs = {d: int(np.sum(rx[n] != tx[n + d])) for d in range(-3, 4)}
    d = min(errs, key=errs.get)
    return d, errs[d]


@pytest.mark.parametrize("update_every", [12, 16])
def test_trace_symbol_block_off(update_every):
    sym = symbols(20_000, 3)
    x = pam4_waveform(sym, 8, delay_ui=0.1, ppm=100.0)
    chunks = np.array_split(x, 7)
    runs = {}
    for trace in ["symbol", "block", "off"]:
        cdr = Cdr(samples_per_ui=8, update_every=update_every, trace=trace)
        assert cdr.trace == trace and cdr.update_every == update_every
        parts = [cdr.process(c) for c in chunks]
        runs[trace] = (
            np.concatenate([p.samples for p in parts]),
            np.concatenate([p.symbols for p in parts]),
            np.concatenate([p.phase_ui for p in parts]),
            cdr.phase_ui,
        )
    samples, syms, phase, now = runs["symbol"]
    assert len(phase) == len(samples) == len(syms)
    for trace in ["block", "off"]:
        # The trace changes nothing else.
        np.testing.assert_array_equal(runs[trace][0], samples)
        np.testing.assert_array_equal(runs[trace][1], syms)
        assert runs[trace][3] == now
    # One phase per block: the block's first symbol's.
    np.testing.assert_array_equal(runs["block"][2], phase[::update_every])
    assert runs["off"][2].shape == (0,) and runs["off"][2].dtype == np.float64


def test_trace_default_and_bad_name():
    assert Cdr().trace == "symbol"
    with pytest.raises(SerdesDspError, match="trace"):
        Cdr(trace="sometimes")


@pytest.mark.parametrize("ppm", [-300.0, 200.0])
def test_lock_time_locked_and_frequency_against_the_waveform(ppm):
    delay = 0.35
    sym = symbols(50_000, 4)
    x = pam4_waveform(sym, 16, delay_ui=delay, ppm=ppm)
    cdr = Cdr(samples_per_ui=16)
    assert not cdr.locked and cdr.lock_time is None and cdr.lock_losses == 0
    assert cdr.frequency_ppm == 0.0 and cdr.symbols_out == 0
    res = cdr.process(x)
    assert cdr.locked and cdr.lock_losses == 0
    lt = cdr.lock_time
    assert isinstance(lt, int) and 0 <= lt < 20_000
    assert cdr.symbols_out == len(res.symbols)
    # The frequency estimate against the data rate, and against the slope of the
    # recovered phase (a ramp of 1/(1 + ppm·1e-6) − 1 UI per symbol).
    assert abs(cdr.frequency_ppm - ppm) < 5.0
    n = np.arange(lt + 2000, len(res.symbols) - 40)
    slope = np.polyfit(n, res.phase_ui[n], 1)[0]
    assert abs((1.0 / (1.0 + slope) - 1.0) * 1e6 - ppm) < 5.0
    # Locked means: from lock_time on, every symbol right and the instants on the
    # symbol centres (0.02 UI rms).
    d, e = best_alignment(sym, res.symbols, n)
    assert e == 0
    k = n + d
    assert np.sqrt(np.mean((n + res.phase_ui[n] - (k + tau(k, delay, ppm))) ** 2)) < 0.02
    # The state after the call: the next symbol's phase and its whole UIs.
    nxt = cdr.symbols_out
    want = d + tau(nxt + d, delay, ppm)
    assert abs(cdr.phase_ui - want) < 0.05
    assert cdr.slips == round(cdr.phase_ui)
    cdr.reset()
    assert not cdr.locked and cdr.lock_time is None and cdr.symbols_out == 0


def test_initial_ppm_is_the_starting_estimate():
    assert abs(Cdr(initial_ppm=150.0).frequency_ppm - 150.0) < 1e-6
    with pytest.raises(SerdesDspError, match="initial_ppm"):
        Cdr(initial_ppm=1e6)


def test_phase_wraps_through_several_ui_and_slips_are_reported():
    # SJ of ±2 UI far below the loop bandwidth: the sampling instant follows the data
    # through four UI boundaries each way; slips counts the whole UIs.
    a, f = 2.0, 1e-5
    sym = symbols(120_000, 5)
    x = pam4_waveform(sym, 8, delay_ui=0.3, sj_amplitude_ui=a, sj_frequency_per_ui=f)
    cdr = Cdr(samples_per_ui=8)
    seen = []
    parts = []
    for c in np.array_split(x, 60):
        parts.append(cdr.process(c))
        seen.append((cdr.symbols_out, cdr.phase_ui, cdr.slips))
    phase = np.concatenate([p.phase_ui for p in parts])
    rx = np.concatenate([p.symbols for p in parts])
    lt = cdr.lock_time
    assert cdr.locked and cdr.lock_losses == 0
    n = np.arange(lt + 1000, len(rx) - 40)
    d, e = best_alignment(sym, rx, n)
    assert e == 0
    assert phase[lt:].max() - phase[lt:].min() > 3.5
    for nxt, ph, slips in seen:
        if nxt < lt + 1000:
            continue
        want = d + tau(nxt + d, 0.3, 0.0, a, f)
        assert abs(ph - want) < 0.05
        assert slips == round(ph)
