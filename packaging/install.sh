#!/bin/sh
# Install Antirisk for the current user, without root and without Python:
#   ./install.sh             the program into ~/.local/share/antirisk, a menu entry (Office), the command
#                            ~/.local/bin/antirisk
#   ./install.sh --uninstall removes the program and the menu entry; the data (~/.local/share/Antirisk:
#                            the database, its backups, the log) is never touched.
# Run it again from a newer version's folder to upgrade: the database is upgraded at the first start, after a
# copy of it is saved beside it.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
APP=$DATA/antirisk
APPS=$DATA/applications
ICONS=$DATA/icons/hicolor
BIN=$HOME/.local/bin

refresh_menu() {
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$APPS" >/dev/null 2>&1 || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$ICONS" >/dev/null 2>&1 || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$APP"
    rm -f "$APPS/antirisk.desktop" "$ICONS/256x256/apps/antirisk.png" "$ICONS/scalable/apps/antirisk.svg"
    [ -L "$BIN/antirisk" ] && rm -f "$BIN/antirisk"
    refresh_menu
    echo "Антириск удалён. Данные остались в $DATA/Antirisk"
    exit 0
fi

[ -x "$HERE/antirisk/antirisk" ] || { echo "Нет папки antirisk рядом с install.sh: распакуйте архив целиком." >&2; exit 1; }
mkdir -p "$DATA" "$APPS" "$ICONS/256x256/apps" "$ICONS/scalable/apps" "$BIN"
# A new copy beside the old one, then swap: a failed copy leaves the installed version as it was.
rm -rf "$APP.new"
cp -R "$HERE/antirisk" "$APP.new"
cp "$HERE/antirisk.png" "$APP.new/antirisk.png"
cp "$HERE/antirisk.svg" "$APP.new/antirisk.svg"
rm -rf "$APP.old"
[ -d "$APP" ] && mv "$APP" "$APP.old"
mv "$APP.new" "$APP"
rm -rf "$APP.old"
cp "$HERE/antirisk.png" "$ICONS/256x256/apps/antirisk.png"
cp "$HERE/antirisk.svg" "$ICONS/scalable/apps/antirisk.svg"
# Desktop files do not expand ~ or $HOME: write the absolute paths of this user.
sed -e "s|^Exec=.*|Exec=\"$APP/antirisk\"|" -e "s|^Icon=.*|Icon=$APP/antirisk.png|" \
    "$HERE/antirisk.desktop" > "$APPS/antirisk.desktop"
chmod 644 "$APPS/antirisk.desktop"
ln -sf "$APP/antirisk" "$BIN/antirisk"
refresh_menu
echo "Антириск установлен: $APP"
echo "Запуск: меню «Офис» → «Антириск», или команда $BIN/antirisk"
