#!/usr/bin/env bash
# The main job: the BER curve of PAM4 through AWGN against theory over an SNR sweep.
# Prints a table and writes ber_curve.csv and ber_curve.png in the current directory.
# Extra arguments go to `python -m serdes_dsp` (try --help).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/venv.sh" "$ROOT/python/requirements.txt"
exec "$ROOT/.venv/bin/python" -m serdes_dsp ber-curve "$@"
