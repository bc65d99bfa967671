#!/usr/bin/env bash
# Every test: formatting, clippy (warnings are errors), rustdoc (warnings are errors),
# cargo tests (unit, integration, doc), the Python tests, and a bounded run of each
# fuzz target. FUZZ_SECONDS sets the time per fuzz target (default 20).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FUZZ_SECONDS="${FUZZ_SECONDS:-20}"

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings
(cd fuzz && cargo clippy --all-targets -- -D warnings)
echo "== rustdoc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --workspace --quiet
echo "== cargo test"
cargo test --release

source "$ROOT/scripts/venv.sh" "$ROOT/python/requirements-test.txt"

echo "== fuzz targets, ${FUZZ_SECONDS}s each"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked --quiet
fi
for target in $(cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz list); do
    echo "-- $target"
    (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" --release -- \
        -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=4096 2>&1 | tail -n 30)
done

echo "== pytest"
"$ROOT/.venv/bin/python" -m pytest -q python/tests
