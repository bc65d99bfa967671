"""RS(544,514) "KP4": serdes-dsp against galois and reedsolo on the same data, in one run.

    python benches/peers_fec.py            # needs numpy, galois, reedsolo and serdes_dsp built

Prints payload throughput (k * 10 bits per codeword) and the ratio peer time /
serdes-dsp time for encoding and for decoding at pre-FEC BER 2.4e-4 (independent
bit errors, about 1.3 symbol errors per codeword). The peers are slow, so they get
fewer codewords; throughputs are per codeword and comparable. The machines are
shared and noisy: quote the ratios. reedsolo's parity is first checked against
galois (same code: GF(2^10) with x^10+x^3+1, generator 2, first root alpha^0).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

import galois
from reedsolo import RSCodec

from serdes_dsp.fec import ReedSolomon

N, K = 544, 514
BER = 2.4e-4


def median_time(f, repeats: int = 5) -> float:
    f()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def channel(cw: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    flips = rng.random(cw.shape + (10,)) < BER
    err = (flips * (1 << np.arange(10))).sum(axis=-1).astype(np.uint16)
    return cw ^ err


def row(what: str, ours_cps: float, name: str, peer_cps: float) -> None:
    gbps = lambda cps: cps * K * 10 / 1e9  # noqa: E731
    print(
        f"{what:<10} serdes-dsp {gbps(ours_cps):9.3f} Gbit/s   {name:<9} {gbps(peer_cps) * 1e3:9.3f} Mbit/s"
        f"   ratio {ours_cps / peer_cps:9.0f}x"
    )


def main() -> None:
    rng = np.random.default_rng(1)
    rs = ReedSolomon.kp4()
    print(f"serdes-dsp backend: {rs.backend}")
    GF = galois.GF(2**10, irreducible_poly=0b10000001001)
    gal = galois.ReedSolomon(1023, 1023 - 30, field=GF, alpha=GF(2), c=0, systematic=True)
    rso = RSCodec(nsym=30, nsize=1023, fcr=0, prim=0x409, generator=2, c_exp=10)

    n_ours, n_gal, n_rso = 20_000, 200, 10
    msg = rng.integers(0, 1024, (n_ours, K), dtype=np.uint16)
    cw = rs.encode(msg)
    rx = channel(cw, rng)

    # Parity check of the peers against each other and against us.
    g_cw = np.asarray(gal.encode(GF(msg[:n_gal].astype(np.int64))), dtype=np.uint16)
    assert (g_cw == cw[:n_gal]).all(), "galois disagrees"
    for i in range(3):
        r_cw = np.asarray(rso.encode(list(map(int, msg[i]))), dtype=np.uint16)
        assert (r_cw == cw[i]).all(), "reedsolo disagrees with galois/serdes-dsp"
    print("parity: serdes-dsp == galois == reedsolo")

    t_ours_enc = median_time(lambda: rs.encode(msg))
    t_ours_dec = median_time(lambda: rs.decode(rx))
    ours_enc, ours_dec = n_ours / t_ours_enc, n_ours / t_ours_dec

    gmsg = GF(msg[:n_gal].astype(np.int64))
    grx = GF(rx[:n_gal].astype(np.int64))
    gal_enc = n_gal / median_time(lambda: gal.encode(gmsg), 3)
    gal_dec = n_gal / median_time(lambda: gal.decode(grx), 3)

    rmsgs = [list(map(int, m)) for m in msg[:n_rso]]
    rrx = [list(map(int, r)) for r in rx[:n_rso]]

    def rso_dec():
        for r in rrx:
            try:
                rso.decode(r)
            except Exception:  # noqa: BLE001 - reedsolo raises on uncorrectable words
                pass

    rso_enc = n_rso / median_time(lambda: [rso.encode(m) for m in rmsgs], 3)
    rso_dec_cps = n_rso / median_time(rso_dec, 3)

    res = rs.decode(rx)
    print(f"decode check: {int(res.corrected.sum())} symbols corrected in {n_ours} codewords, "
          f"{int(res.failed.sum())} failed; equal to sent: {bool((res.data == msg).all())}")
    row("encode", ours_enc, "galois", gal_enc)
    row("encode", ours_enc, "reedsolo", rso_enc)
    row("decode", ours_dec, "galois", gal_dec)
    row("decode", ours_dec, "reedsolo", rso_dec_cps)


if __name__ == "__main__":
    main()
