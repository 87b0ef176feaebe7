"""Render resources/icons/antirisk.svg to the PNG (256 px) and the Windows ICO the build uses.

Run after changing the SVG: `QT_QPA_PLATFORM=offscreen python packaging/render_icon.py`. Uses Qt's own SVG
renderer (QtSvg is part of PySide6-Essentials) and Pillow (a dependency of reportlab) for the ICO.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(size: int, target: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICONS / "antirisk.svg"))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {ICONS / 'antirisk.svg'}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target)):
        raise SystemExit(f"cannot write {target}")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (QImage needs the app)
    png = ICONS / "antirisk-256.png"
    render(256, png)
    from PIL import Image

    Image.open(png).save(ICONS / "antirisk.ico", sizes=[(s, s) for s in ICO_SIZES])
    print(f"written: {png}, {ICONS / 'antirisk.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
