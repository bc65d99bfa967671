#!/usr/bin/env bash
# The main job: the default link (PAM4, lossy line, CTLE, CDR, FFE+DFE, KP4) over an SNR sweep, pre- and post-FEC BER.
# Prints a table and writes ber_curve.csv and ber_curve.png in the current directory.
# Extra arguments go to `python -m serdes_dsp` (try --help).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/venv.sh" "$ROOT/python/requirements.txt"
exec "$ROOT/.venv/bin/python" -m serdes_dsp "$@"
