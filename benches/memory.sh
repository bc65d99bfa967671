#!/usr/bin/env bash
# Memory does not grow with run length: peak RSS of the default link (lossy line,
# CTLE, CDR, FFE, DFE, KP4) over 10^7 and over 10^9 symbols, by /usr/bin/time -v.
# Issue 7 asks for the second within 20 % of the first. Takes about a minute per
# 10^9 symbols at 20 Msymbols/s. Usage: benches/memory.sh [long_symbols]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LONG="${1:-1000000000}"
cd "$ROOT"
cargo build --release --quiet --example link_run
BIN="$ROOT/target/release/examples/link_run"
rss() { /usr/bin/time -v "$BIN" "$1" 2>&1 | tee /dev/stderr | awk '/Maximum resident set size/ {print $6}'; }
SHORT_KB=$(rss 10000000)
LONG_KB=$(rss "$LONG")
RATIO=$(awk -v a="$LONG_KB" -v b="$SHORT_KB" 'BEGIN {printf "%.3f", a / b}')
echo "peak RSS: 1e7 symbols ${SHORT_KB} KiB, ${LONG} symbols ${LONG_KB} KiB, ratio ${RATIO}"
awk -v r="$RATIO" 'BEGIN {exit !(r <= 1.2)}' || { echo "FAIL: memory grew by more than 20 %"; exit 1; }
echo "OK: within 20 %"
