#!/usr/bin/env bash
# Prove a built bundle runs without Python: packaging/check_bundle.sh DIST_FOLDER (e.g. dist/antirisk)
#
# Every run is `env -i HOME=<temp> QT_QPA_PLATFORM=offscreen <bundle>/antirisk ...` from another working folder:
# no PATH, no PYTHONPATH, no virtualenv. Checks: demo, smoke all, check, report (XLSX+PDF, Cyrillic in the PDF),
# print program, the PDF font fallback bundled, Qt's Russian catalog found, a newer database refused, and the
# start time of the bundle against `python main.py` (target: at most 1.5 times; MAX_RATIO to change it).
# Exit code: 0 when every check passed.
set -uo pipefail
[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: $0 DIST_FOLDER" >&2; exit 2; }
BUNDLE=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EXE=$BUNDLE/antirisk
[ -x "$EXE" ] || EXE=$BUNDLE/antirisk-cli.exe
MAX_RATIO=${MAX_RATIO:-1.5}
T=$(mktemp -d "${TMPDIR:-/tmp}/antirisk-check.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T"  # another working directory than the bundle's and the repository's
FAILED=0
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; FAILED=1; }
run() { env -i HOME="$T/home" QT_QPA_PLATFORM=offscreen "$EXE" "$@"; }
mkdir -p "$T/home"
YEAR=$(date +%Y); QUARTER=$(( ($(date +%-m) - 1) / 3 + 1 )); PERIOD=$YEAR-Q$QUARTER

expect_ok() {  # NAME, then the command's arguments
    local name=$1; shift
    if run "$@" >"$T/$name.out" 2>"$T/$name.err"; then pass "$name (exit 0)"; else
        fail "$name (exit $?): $(tail -3 "$T/$name.err")"; fi
}

echo "== bundle: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1)), working folder $T, period $PERIOD"
expect_ok demo demo --db "$T/d.db"
expect_ok smoke --db "$T/d.db" --smoke all
grep -q '"ok": true' "$T/smoke.out" && pass "smoke: every page shown" || fail "smoke output: $(cat "$T/smoke.out")"
expect_ok check check --db "$T/d.db"
grep -q '"integrity": "ok"' "$T/check.out" && pass "check: integrity ok, $(grep -o '"schema_version": [0-9]*' "$T/check.out")" \
    || fail "check: $(head -c 300 "$T/check.out")"
expect_ok report report --db "$T/d.db" --period "$PERIOD" --xlsx "$T/r.xlsx" --pdf "$T/r.pdf"
[ -s "$T/r.xlsx" ] && pass "report XLSX written ($(stat -c %s "$T/r.xlsx") bytes)" || fail "no report XLSX"
expect_ok print print program --db "$T/d.db" --id 1 --pdf "$T/p.pdf"
if command -v pdftotext >/dev/null; then
    for pdf in r p; do
        # UTF-8 Cyrillic letters start with the byte D0 or D1; counted bytewise, whatever the locale
        text=$(pdftotext -enc UTF-8 "$T/$pdf.pdf" - 2>/dev/null)
        if LC_ALL=C grep -q $'[\xd0\xd1]' <<<"$text"; then
            pass "$pdf.pdf has Cyrillic text: $(grep -m1 -v '^[[:space:]]*$' <<<"$text" | cut -c1-60)"
        else fail "$pdf.pdf: no Cyrillic text"; fi
    done
else
    echo "SKIP  pdftotext not installed (apt-get install poppler-utils): Cyrillic not checked"
fi
FONTS=$(find "$BUNDLE" -type d -path '*font_source_sans_pro/files' | head -1)
if [ -n "$FONTS" ] && env -i HOME="$T/home" ANTIRISK_PDF_FONT_DIR="$FONTS" "$EXE" print program --db "$T/d.db" --id 1 \
        --pdf "$T/f.pdf" >/dev/null 2>"$T/f.err"; then
    if command -v pdffonts >/dev/null && ! pdffonts "$T/f.pdf" | grep -q SourceSansPro; then
        fail "the bundled fallback font was not used"; else pass "PDF with the bundled fallback font only"; fi
else
    fail "PDF with the bundled fallback font: $(cat "$T/f.err" 2>/dev/null)"
fi
LOG=$(find "$T/home" -name antirisk.log | head -1)
if [ -n "$LOG" ] && grep -q "catalog for" "$LOG"; then fail "Qt's Russian catalog not found: $(grep 'catalog for' "$LOG")"
else pass "Qt's Russian catalog (qtbase_ru.qm) loaded"; fi

# a database from a newer version is refused, untouched
cp "$T/d.db" "$T/newer.db"
if command -v sqlite3 >/dev/null; then sqlite3 "$T/newer.db" "PRAGMA user_version = 999"
else "${PYTHON:-python3}" -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version = 999'); c.commit()" "$T/newer.db"; fi
before=$(sha1sum "$T/newer.db" | cut -c1-40)
if run --db "$T/newer.db" --smoke start >"$T/newer.out" 2>"$T/newer.err"; then fail "a newer database was opened"
elif [ "$(sha1sum "$T/newer.db" | cut -c1-40)" != "$before" ]; then fail "the newer database was changed"
else pass "a newer database is refused: $(grep -v propagateSizeHints "$T/newer.err" | tail -1)"; fi

# start time: the bundle against python main.py, median of 5 runs each
median_ms() {  # command...
    local times=() i s
    for i in 1 2 3 4 5; do
        s=$(date +%s%N); "$@" >/dev/null 2>&1; times+=($(( ($(date +%s%N) - s) / 1000000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}
PY_BIN=$("${PYTHON:-python3}" -c 'import sys; print(sys.executable)' 2>/dev/null || true)
bundle_ms=$(median_ms env -i HOME="$T/home" QT_QPA_PLATFORM=offscreen "$EXE" --db "$T/d.db" --smoke start)
if [ -n "$PY_BIN" ] && "$PY_BIN" -c "import PySide6" 2>/dev/null; then
    python_ms=$(cd "$ROOT" && median_ms env -i HOME="$T/home" QT_QPA_PLATFORM=offscreen "$PY_BIN" main.py --db "$T/d.db" --smoke start)
    ratio=$(awk -v b="$bundle_ms" -v p="$python_ms" 'BEGIN { printf "%.2f", b / p }')
    line="start (--smoke start, median of 5): bundle $bundle_ms ms, python main.py $python_ms ms, ratio $ratio"
    if awk -v r="$ratio" -v m="$MAX_RATIO" 'BEGIN { exit !(r <= m) }'; then pass "$line"; else fail "$line (> $MAX_RATIO)"; fi
else
    echo "INFO  start (--smoke start, median of 5): bundle $bundle_ms ms (no Python with PySide6 to compare)"
fi

[ $FAILED = 0 ] && echo "== all checks passed" || echo "== SOME CHECKS FAILED"
exit $FAILED
