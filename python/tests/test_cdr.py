"""serdes_dsp.cdr: ppm lock, zero symbol errors, streaming, jitter transfer against
the closed-form type II loop, and bad input."""

import numpy as np
import pytest

from serdes_dsp import SerdesDspError
from serdes_dsp.cdr import Cdr, jitter_tolerance, jitter_transfer, pam4_waveform


def raised_cosine(t, beta=0.5):
    """Independent raised-cosine pulse (numpy), for checking the generator."""
    t = np.asarray(t, dtype=np.float64)
    den = 1.0 - (2.0 * beta * t) ** 2
    singular = np.abs(den) < 1e-10
    out = np.sinc(t) * np.cos(np.pi * beta * t) / np.where(singular, 1.0, den)
    return np.where(singular, np.pi / 4 * np.sinc(1 / (2 * beta)), out)


def test_waveform_is_the_pulse_sum():
    rng = np.random.default_rng(1)
    sym = rng.integers(0, 4, 200).astype(np.uint8)
    x = pam4_waveform(sym, 8, delay_ui=0.3)
    levels = (2.0 * sym - 3.0) / 3.0
    t = np.arange(len(x)) / 8.0
    want = (levels[None, :] * raised_cosine(t[:, None] - np.arange(200)[None, :] - 0.3) * (
        np.abs(t[:, None] - np.arange(200)[None, :] - 0.3) < 16)).sum(axis=1)
    np.testing.assert_allclose(x, want, atol=2e-5)


@pytest.mark.parametrize("detector", ["mm", "gardner"])
@pytest.mark.parametrize("ppm", [-300.0, 100.0, 300.0])
def test_locks_and_recovers_every_symbol(detector, ppm):
    rng = np.random.default_rng(7)
    sym = rng.integers(0, 4, 40_000).astype(np.uint8)
    x = pam4_waveform(sym, 16, delay_ui=0.4, ppm=ppm)
    cdr = Cdr(detector, samples_per_ui=16)
    res = cdr.process(x)
    assert cdr.locked and cdr.lock_time is not None
    assert abs(cdr.frequency_ppm - ppm) < 5
    start = cdr.lock_time + 2000
    n = np.arange(start, 30_000)
    # Output n carries symbol n + d, d fixed by where the loop first locked.
    errs = {d: int(np.sum(res.symbols[n] != sym[n + d])) for d in range(-3, 4)}
    d = min(errs, key=errs.get)
    assert errs[d] == 0, errs
    # Residual phase error: sampled at n + phase, symbol k = n + d centred at k + τ_k.
    k = n + d
    tau = 0.4 + k * (1.0 / (1.0 + ppm * 1e-6) - 1.0)
    assert np.sqrt(np.mean(((n + res.phase_ui[n]) - (k + tau)) ** 2)) < 0.02
    assert res.samples.dtype == np.float32 and res.phase_ui.dtype == np.float64


def test_streaming_is_chunk_invariant():
    rng = np.random.default_rng(2)
    sym = rng.integers(0, 4, 5000).astype(np.uint8)
    x = pam4_waveform(sym, 8, delay_ui=0.2, ppm=200, sj_amplitude_ui=0.2, sj_frequency_per_ui=1e-3)
    whole = Cdr("bang_bang", samples_per_ui=8).process(x)
    cdr = Cdr("bang_bang", samples_per_ui=8)
    cuts = np.sort(rng.integers(0, len(x), 9))
    parts = [cdr.process(c) for c in np.split(x, cuts)]
    for i, field in enumerate(whole):
        np.testing.assert_array_equal(np.concatenate([p[i] for p in parts]), field)


def test_jitter_transfer_tracks_the_design():
    cdr = Cdr("mm", samples_per_ui=8, baud_hz=10e9, bandwidth_hz=10e6, damping=1.0)
    f = np.geomspace(1e6, 1e8, 9)
    freqs, h = jitter_transfer(cdr, f)
    assert np.array_equal(freqs, f) and h.shape == f.shape
    np.testing.assert_allclose(h, cdr.theoretical_transfer(f), atol=0.06)
    # The design is a type II loop: |H| at its bandwidth is 1/√2 (closed form).
    assert abs(cdr.theoretical_transfer([10e6])[0] - 2 ** -0.5) < 1e-9


def test_jitter_tolerance_falls_then_flattens():
    cdr = Cdr("mm", samples_per_ui=8, baud_hz=10e9, bandwidth_hz=10e6, damping=2.0)
    f, tol = jitter_tolerance(cdr, [1.25e6, 5e6, 8e7], min_symbols=8000)
    assert tol[0] > tol[1] > tol[2] > 0.1


def test_bad_input_names_the_argument():
    with pytest.raises(SerdesDspError, match="samples_per_ui"):
        Cdr(samples_per_ui=1)
    with pytest.raises(SerdesDspError, match="bandwidth_hz"):
        Cdr(bandwidth_hz=-1e6)
    with pytest.raises(SerdesDspError, match="detector"):
        Cdr("pll")
    cdr = Cdr(samples_per_ui=4)
    x = np.zeros(100, dtype=np.float32)
    x[10] = np.nan
    with pytest.raises(SerdesDspError, match="waveform"):
        cdr.process(x)
    with pytest.raises(ValueError):
        pam4_waveform([0, 4], 8)
