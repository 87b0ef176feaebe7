#!/usr/bin/env bash
# The screenshots of the user's guide, made from the demo school:
#   packaging/guide_screenshots.sh [OUT_DIR]        (default: resources/guide/ru/img)
# Runs `main.py demo` and `main.py --smoke all --screenshots` in a throw-away folder (the user's own data,
# settings and window geometry are not touched), adds the pages the main window may not show yet, then keeps
# the shots the guide uses, scaled to 1000 px wide. PYTHON chooses the interpreter (default: python3).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-python3}
OUT=${1:-$ROOT/resources/guide/ru/img}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/antirisk-shots.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export QT_QPA_PLATFORM=offscreen XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config"
cd "$ROOT"
"$PY" main.py demo --db "$WORK/demo.db" --lang ru >/dev/null
"$PY" main.py --db "$WORK/demo.db" --lang ru --smoke all --screenshots "$WORK/shots" >/dev/null 2>"$WORK/smoke.log" || {
    cat "$WORK/smoke.log" >&2; exit 1; }
"$PY" packaging/guide_shots.py extra --db "$WORK/demo.db" "$WORK/shots" 2>&1 | grep -v propagateSizeHints || true
"$PY" packaging/guide_shots.py copy "$WORK/shots" "$OUT"
