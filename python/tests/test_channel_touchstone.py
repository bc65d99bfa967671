"""Channel.from_touchstone (the Rust parser) against Channel.from_network (scikit-rf's
parser and se2gmm): the same pulse response from the same file."""

from __future__ import annotations

import os

import numpy as np
import pytest

skrf = pytest.importorskip("skrf")

from serdes_dsp.channel import Channel  # noqa: E402

DATA = os.path.join(os.path.dirname(skrf.__file__), "data")


def _pulse(ch: Channel) -> np.ndarray:
    return np.asarray(ch.pulse_response(8, 10e9, n_ui=64).samples, dtype=float)


def test_two_port_file_matches_scikit_rf_network():
    path = os.path.join(DATA, "ring slot.s2p")
    a = _pulse(Channel.from_touchstone(path))
    b = _pulse(Channel.from_network(skrf.Network(path)))
    assert np.max(np.abs(a - b)) <= 1e-6 * np.max(np.abs(b)) + 1e-9


@pytest.mark.parametrize("ports", ["1-3/2-4", "1-2/3-4"])
def test_four_port_sdd21_matches_scikit_rf_se2gmm(tmp_path, ports):
    # A 4-port of two coupled lines written by scikit-rf itself.
    rng = np.random.default_rng(5)
    f = skrf.Frequency(0.01, 40, 201, "GHz")
    s = np.zeros((201, 4, 4), dtype=complex)
    fn = f.f / 40e9
    thru = np.exp(-(1.5 * np.sqrt(fn) + 2.0 * fn)) * np.exp(-2j * np.pi * f.f * 150e-12)
    xt = 0.05 * fn * np.exp(-2j * np.pi * f.f * 150e-12)
    # lines 1→2 and 3→4 (the 1-3/2-4 layout): S21 = S43 = thru, S41 = S23 = xt
    for (i, j) in [(1, 0), (0, 1), (3, 2), (2, 3)]:
        s[:, i, j] = thru
    for (i, j) in [(3, 0), (0, 3), (1, 2), (2, 1)]:
        s[:, i, j] = xt
    s += 1e-3 * (rng.standard_normal(s.shape) + 1j * rng.standard_normal(s.shape))
    net = skrf.Network(frequency=f, s=s, z0=50)
    net.write_touchstone(str(tmp_path / "pair"))
    path = str(tmp_path / "pair.s4p")
    a = _pulse(Channel.from_touchstone(path, ports=ports))
    b = _pulse(Channel.from_network(net, ports=ports))
    assert np.max(np.abs(a - b)) <= 1e-5 * np.max(np.abs(b)) + 1e-9
    if ports == "1-3/2-4":  # the through path of this layout: a real pulse
        assert a.max() > 0.3


def test_bad_files_are_errors_naming_what(tmp_path):
    with pytest.raises(ValueError, match="missing.s4p"):
        Channel.from_touchstone(str(tmp_path / "missing.s4p"))
    bad = tmp_path / "bad.s2p"
    bad.write_text("# GHz S RI R 50\n1.0 0.1 0.0 0.5 oops 0.5 0.0 0.1 0.0\n")
    with pytest.raises(ValueError, match="line 2"):
        Channel.from_touchstone(str(bad))
    three = tmp_path / "t.s3p"
    three.write_text(open(os.path.join(DATA, "tee.s3p")).read())
    with pytest.raises(ValueError, match="nports"):
        Channel.from_touchstone(str(three))
    with pytest.raises(ValueError, match="ordering"):
        Channel.from_touchstone(os.path.join(DATA, "ring slot.s2p"), ports="2-1")
