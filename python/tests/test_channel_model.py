"""serdes_dsp.channel.Channel and Crosstalk: the lossy line's loss at Nyquist, the RC
low-pass against its closed form, pulse responses of scikit-rf networks against an
independent numpy route (np.fft.irfft of the interpolated S21), SDD21 of a 4-port in
both port orderings, streaming against scipy.signal.lfilter, crosstalk, bad input."""

import numpy as np
import pytest
import scipy.signal
import skrf as rf
from hypothesis import given, settings
from hypothesis import strategies as st

from serdes_dsp import SerdesDspError
from serdes_dsp.channel import Channel, Crosstalk

BAUD = 53.125e9


def numpy_impulse(f, h, sps, baud, n_ui, roll_off=0.1):
    """The documented route, written independently with numpy: DC point (|h0|, phase
    0 with the 2π multiple from the first slope), np.interp of |h| and the unwrapped
    phase, zero above the data, raised-cosine roll-off, np.fft.irfft."""
    f = np.asarray(f, dtype=np.float64)
    mag = np.abs(h)
    ph = np.unwrap(np.angle(h))
    if f[0] > 0:
        slope = (ph[1] - ph[0]) / (f[1] - f[0])
        ph = ph + 2 * np.pi * np.round((slope * f[0] - ph[0]) / (2 * np.pi))
        f, mag, ph = np.r_[0.0, f], np.r_[mag[0], mag], np.r_[0.0, ph]
    n = sps * n_ui
    fs = sps * baud
    grid = np.arange(n // 2 + 1) * fs / n
    H = np.interp(grid, f, mag) * np.exp(1j * np.interp(grid, f, ph))
    H[grid > f[-1]] = 0
    edge = min(f[-1], fs / 2)
    start = edge * (1 - roll_off)
    w = np.where(grid <= start, 1.0, np.where(grid >= edge, 0.0, 0.5 * (1 + np.cos(np.pi * (grid - start) / (edge - start)))))
    return np.fft.irfft(H * w, n)


def lossy_network(npts=2001, fmax=400e9, length_m=0.1):
    """A 2-port lossy line built by scikit-rf: skin + dielectric attenuation, 50 Ω."""
    freq = rf.Frequency(10e6, fmax, npts, unit="Hz")
    f = freq.f
    alpha = 1.5 * np.sqrt(f / 1e9) + 0.75 * (f / 1e9)  # Np/m: 12.8 dB at 12.5 GHz over 0.1 m
    beta = 2 * np.pi * f / 1.5e8
    media = rf.media.DefinedGammaZ0(frequency=freq, gamma=alpha + 1j * beta)
    return media.line(length_m, "m")


def test_lossy_line_loss_at_nyquist():
    ch = Channel.lossy_line(loss_db=28.0, baud_hz=BAUD)
    assert ch.insertion_loss_db(BAUD / 2) == pytest.approx(28.0, abs=1e-9)
    ir = ch.impulse_response(16, BAUD, n_ui=256)
    n = np.arange(ir.samples.size)
    H = np.sum(ir.samples.astype(np.float64) * np.exp(-2j * np.pi * (BAUD / 2) * n / ir.sample_rate_hz))
    assert -20 * np.log10(abs(H)) == pytest.approx(28.0, abs=0.1)
    assert ch.insertion_loss_db(np.array([0.0, BAUD / 2])).shape == (2,)


def test_rc_step_response_closed_form():
    f3, baud, sps = 5e9, 25e9, 64
    ir = Channel.low_pass(1, f3).impulse_response(sps, baud, n_ui=64)
    tau = 1 / (2 * np.pi * f3)
    t = (np.arange(1500) + 0.5) / (sps * baud)
    step = np.cumsum(ir.samples.astype(np.float64))[:1500]
    assert np.max(np.abs(step - (1 - np.exp(-t / tau)))) < 5e-3


def test_pulse_response_of_a_skrf_network_matches_numpy():
    net = lossy_network()
    ch = Channel.from_network(net)
    sps, n_ui = 16, 64
    ir = ch.impulse_response(sps, 25e9, n_ui)
    want = numpy_impulse(net.f, net.s[:, 1, 0], sps, 25e9, n_ui)
    peak = np.max(np.abs(want))
    # Both are the same maths in f64 rounded to f32: agreement to 1e-5 of the peak.
    assert np.max(np.abs(ir.samples - want)) < 1e-5 * peak
    pulse = ch.pulse_response(sps, 25e9, n_ui)
    want_pulse = scipy.signal.lfilter(np.ones(sps), 1, want)
    assert np.max(np.abs(pulse.samples - want_pulse)) < 1e-5 * np.max(np.abs(want_pulse))
    # The line's delay (0.1 m at 1.5e8 m/s = 667 ps) is found.
    assert ir.delay_s == pytest.approx(0.1 / 1.5e8, abs=20e-12)
    c = pulse.cursors(2, 4)
    assert c.size == 7 and c[2] == pulse.main_cursor and c[2] > c[1] and c[2] > c[3]


def test_pulse_response_of_a_skrf_sample_file():
    # A measured sample file shipped with scikit-rf: any 2-port will do for the route.
    net = rf.data.ring_slot
    ch = Channel.from_network(net)
    baud = 80e9
    ir = ch.impulse_response(8, baud, 128)
    want = numpy_impulse(net.f, net.s[:, 1, 0], 8, baud, 128)
    assert np.max(np.abs(ir.samples - want)) < 1e-5 * np.max(np.abs(want)) + 1e-7


def four_port(s21, s11):
    """Two uncoupled single-ended lines 1→2 and 3→4."""
    n = s21.size
    s = np.zeros((n, 4, 4), dtype=complex)
    for a, b in [(0, 1), (2, 3)]:
        s[:, a, b] = s[:, b, a] = s21
        s[:, a, a] = s[:, b, b] = s11
    return s


def test_sdd21_of_a_4_port_in_both_orderings():
    two = lossy_network(npts=801)
    s21, s11 = two.s[:, 1, 0], two.s[:, 0, 0]
    # Lines 1→2 and 3→4: the pairs (1,3) in and (2,4) out.
    net = rf.Network(frequency=two.frequency, s=four_port(s21, s11))
    a = Channel.from_network(net, ports="1-3/2-4").impulse_response(8, 25e9, 64)
    b = Channel.from_network(two).impulse_response(8, 25e9, 64)
    assert np.max(np.abs(a.samples - b.samples)) < 1e-6
    # The same device numbered 1-2 in, 3-4 out: swap single-ended ports 2 and 3.
    s = four_port(s21, s11)[:, [0, 2, 1, 3]][:, :, [0, 2, 1, 3]]
    net2 = rf.Network(frequency=two.frequency, s=s)
    c = Channel.from_network(net2, ports="1-2/3-4").impulse_response(8, 25e9, 64)
    assert np.max(np.abs(c.samples - b.samples)) < 1e-6
    with pytest.raises(SerdesDspError, match="ports"):
        Channel.from_network(net, ports="1-4/2-3")


def test_process_streams_like_lfilter():
    ch = Channel.lossy_line(loss_db=20.0, baud_hz=BAUD)
    ir = ch.impulse_response(8, BAUD, 64)
    rng = np.random.default_rng(5)
    x = np.repeat(rng.choice([-1.0, -1 / 3, 1 / 3, 1.0], 1000), 8).astype(np.float32)
    y = np.concatenate([ch.process(x[:1001], 8, BAUD, 64), ch.process(x[1001:], 8, BAUD, 64)])
    want = scipy.signal.lfilter(ir.samples.astype(np.float64), 1, x.astype(np.float64))
    assert np.max(np.abs(y - want)) < 1e-5 * np.sum(np.abs(ir.samples))
    ch.reset()
    again = ch.process(x[:100], 8, BAUD, 64)
    assert np.max(np.abs(again - y[:100])) < 1e-5 * np.sum(np.abs(ir.samples))


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(0, 3000), max_size=5))
def test_crosstalk_is_chunk_invariant(cuts):
    def make():
        x = Crosstalk(samples_per_ui=4)
        x.add_aggressor([0.05, 0.1, 0.05], seed=11, kind="fext", amplitude=0.2)
        x.add_channel(Channel.low_pass(1, 10e9), 25e9, seed=12, kind="next", amplitude=0.1, n_ui=16)
        return x

    victim = np.sin(np.arange(3000) * 0.01).astype(np.float32)
    whole = make().process(victim)
    x = make()
    bounds = [0, *sorted(cuts), 3000]
    parts = [x.process(victim[a:b]) for a, b in zip(bounds, bounds[1:])]
    assert np.allclose(np.concatenate(parts), whole, atol=1e-6)


def test_crosstalk_equals_pattern_through_response():
    from serdes_dsp.signal import prbs31q

    h = np.array([0.2, -0.1, 0.3], dtype=np.float32)
    x = Crosstalk(samples_per_ui=2)
    x.add_aggressor(h, seed=77, kind="next", amplitude=0.5)
    got = x.crosstalk(400)
    levels = np.array([-0.5, -0.5 / 3, 0.5 / 3, 0.5])
    wave = np.repeat(levels[prbs31q(200, seed=77)], 2)
    assert np.max(np.abs(got - np.convolve(wave, h)[:400])) < 1e-6
    assert x.kinds == ["next"] and len(x) == 1


def test_bad_input_names_the_argument():
    with pytest.raises(SerdesDspError, match="loss_db"):
        Channel.lossy_line(loss_db=float("nan"), baud_hz=BAUD)
    with pytest.raises(SerdesDspError, match="loss_db"):
        Channel.lossy_line(loss_db=-1.0, baud_hz=BAUD)
    with pytest.raises(SerdesDspError, match="freqs_hz"):
        Channel.from_frequency_response([], [])
    with pytest.raises(SerdesDspError, match="increasing"):
        Channel.from_frequency_response([0.0, 2.0, 1.0], [1, 1, 1])
    with pytest.raises(SerdesDspError, match="order"):
        Channel.low_pass(3, 1e9)
    with pytest.raises(SerdesDspError, match="samples_per_ui"):
        Channel.lossy_line(loss_db=10, baud_hz=BAUD).impulse_response(0, BAUD)
    with pytest.raises(SerdesDspError, match="x"):
        Channel.lossy_line(loss_db=10, baud_hz=BAUD).process(np.array([np.nan], dtype=np.float32), 8, BAUD)
    with pytest.raises(SerdesDspError, match="seed"):
        Crosstalk(4).add_aggressor([1.0], seed=0)
    with pytest.raises(SerdesDspError, match="kind"):
        Crosstalk(4).add_aggressor([1.0], seed=1, kind="sideways")


def test_process_continues_with_the_previous_sampling():
    # `ch.process(x)` as in the issue: the sampling of the first call (and a lossy
    # line's own symbol rate) carries over; the stream equals one call on the whole
    # (a changed sampling would restart it and break the equality).
    rng = np.random.default_rng(3)
    x = rng.standard_normal(3000).astype(np.float32)
    whole = Channel.lossy_line(loss_db=12, baud_hz=BAUD).process(x, 8, BAUD, 128)
    ch = Channel.lossy_line(loss_db=12, baud_hz=BAUD)
    parts = np.concatenate([ch.process(x[:700], 8), ch.process(x[700:2100]), ch.process(x[2100:])])
    # 1024 taps: the FFT path, chunk-invariant to its rounding (FFT_TOLERANCE).
    scale = np.sum(np.abs(ch.impulse_response(8, BAUD, 128).samples)) * np.max(np.abs(x))
    assert np.max(np.abs(parts - whole)) <= 1e-5 * scale
    assert ch._inner.method in ("direct", "ffa", "fft")
    tab = Channel.from_frequency_response([0.0, 1e9, 1e11], [1.0, 0.9, 0.1])
    with pytest.raises(ValueError, match="samples_per_ui"):
        tab.process(x)
    with pytest.raises(ValueError, match="baud_hz"):
        tab.process(x, 8)
