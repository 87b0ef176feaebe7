#!/usr/bin/env bash
# Build Antirisk for Linux without Python on the target: a one-folder PyInstaller build and its tarball.
#
#   packaging/build_linux.sh              # a clean venv in build/venv with the project's dependencies
#   ANTIRISK_BUILD_VENV=0 packaging/build_linux.sh   # use $PYTHON as it is (it must have them and PyInstaller)
#
# Results: dist/antirisk/ (the program: dist/antirisk/antirisk) and
#          dist/antirisk-<version>-linux-x86_64.tar.gz (that folder, antirisk.desktop, the icon, install.sh).
# Build on the oldest distribution you target: the bundle needs a glibc at least as new as the build machine's
# (and PySide6 6.11 wheels need glibc 2.34 or newer anyway).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PYTHON=${PYTHON:-python3}
PYINSTALLER_SPEC="pyinstaller>=6.10,<7"

if [ "${ANTIRISK_BUILD_VENV:-1}" = 1 ]; then
    VENV=build/venv
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    PY=$VENV/bin/python
    "$PY" -m pip install -q --upgrade pip
    # The project's dependencies from pyproject.toml (not the project itself: PyInstaller reads the sources here).
    mapfile -t DEPS < <("$PY" - <<'PYEOF'
import re, sys
text = open("pyproject.toml", encoding="utf-8").read()
try:
    import tomllib
    deps = tomllib.loads(text)["project"]["dependencies"]
except ImportError:  # Python 3.10: the dependencies array, one quoted requirement a line
    block = re.search(r"^dependencies\s*=\s*\[(.*?)^\]", text, re.S | re.M).group(1)
    deps = re.findall(r'^\s*"([^"]+)"', block, re.M)
print("\n".join(deps))
PYEOF
)
    "$PY" -m pip install -q "${DEPS[@]}" "$PYINSTALLER_SPEC"
else
    PY=$PYTHON
fi

VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' models/__init__.py)
ARCH=$(uname -m)
NAME=antirisk-$VERSION-linux-$ARCH
echo "== Antirisk $VERSION: building with $("$PY" --version) and PyInstaller $("$PY" -m PyInstaller --version)"
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/antirisk.spec
echo "== built dist/antirisk in $(( $(date +%s) - start )) s"

STAGE=build/stage/$NAME
rm -rf build/stage
mkdir -p "$STAGE"
cp -al dist/antirisk "$STAGE/antirisk" 2>/dev/null || cp -a dist/antirisk "$STAGE/antirisk"
cp packaging/antirisk.desktop packaging/install.sh "$STAGE/"
cp resources/icons/antirisk-256.png "$STAGE/antirisk.png"
cp resources/icons/antirisk.svg "$STAGE/antirisk.svg"
chmod 755 "$STAGE/install.sh" "$STAGE/antirisk/antirisk"
cat > "$STAGE/ПРОЧТИТЕ.txt" <<TXT
Антириск $VERSION для Linux (x86_64). Python и интернет не нужны.

Установка для себя (без прав администратора):  ./install.sh
Затем: меню «Офис» → «Антириск» (или команда ~/.local/bin/antirisk).
Без установки: ./antirisk/antirisk
Обновление: распакуйте новую версию и снова запустите ./install.sh — база данных обновится при первом запуске,
а её копия сохранится рядом с ней. Удаление: ./install.sh --uninstall (данные не удаляются).
Руководство пользователя: в программе — «Справка» или клавиша F1.
TXT
TARBALL=dist/$NAME.tar.gz
tar -C build/stage -czf "$TARBALL" "$NAME"
rm -rf build/stage

echo "== sizes"
du -sh dist/antirisk "$TARBALL"
echo "== what takes the space (unpacked)"
du -ah dist/antirisk | sort -rh | awk 'NR>1 && NR<=22'
