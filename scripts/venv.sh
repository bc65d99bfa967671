# Sourced by the README commands: makes .venv (once), installs the Python packages of
# $1 (a requirements file) and builds the native extension in release mode into it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating $VENV"
    python3 -m venv "$VENV"
fi
echo "== installing Python packages from $1"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$1"
echo "== building the native extension (release)"
(cd "$ROOT/python" && VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" maturin develop --release --quiet)
