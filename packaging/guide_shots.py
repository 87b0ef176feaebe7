"""Helpers of packaging/guide_screenshots.sh: extra shots, then scaled copies of the shots the guide uses.

    python packaging/guide_shots.py extra --db DEMO.db SHOTS_DIR   # pages the main window does not show yet
    python packaging/guide_shots.py copy SHOTS_DIR OUT_DIR            # scale to GUIDE_WIDTH px, keep the used ones

`main.py --smoke all --screenshots DIR` names its files NN-<page>[-tabN].png (see ui/screenshots.py); the
number depends on how many tabs come before, so shots are found by the part after the number.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GUIDE_WIDTH = 1000
# Image of the guide → the screenshot names it is made from, best first ("extra-" ones come from `extra`).
SHOTS: dict[str, tuple[str, ...]] = {
    "first-start.png": ("first-start",),
    "home.png": ("home",),
    "staff.png": ("school-tab2",),
    "staff-form-errors.png": ("form-staff-errors",),
    "risk-profile.png": ("programs-tab1",),
    "programs.png": ("programs-tab2",),
    "roadmap.png": ("programs-tab3",),
    "indicators.png": ("programs-tab4",),
    "databank.png": ("databank-tab1",),
    "pupils.png": ("databank-tab2",),
    "assessments.png": ("extra-assessments", "databank-tab3"),
    "routes.png": ("extra-routes", "routes-tab1", "routes"),
    "meetings.png": ("extra-meetings", "meetings-tab1", "meetings"),
    "reports.png": ("extra-reports", "reports"),
    "reference.png": ("reference",),
    "settings.png": ("settings",),
}
SIZE = (1366, 768)


def find_shot(folder: Path, names: tuple[str, ...]) -> Path | None:
    files = sorted(folder.glob("*.png"))
    # a page that has grown tabs since is shot as <page>-tab1, -tab2…: its first tab stands for the page
    names = tuple(n for name in names for n in ((name,) if "tab" in name else (name, f"{name}-tab1")))
    for name in names:
        for path in files:
            if path.stem == name or re.fullmatch(rf"\d+-{re.escape(name)}", path.stem):
                return path
    return None


def copy(shots: Path, out: Path) -> int:
    from PIL import Image

    out.mkdir(parents=True, exist_ok=True)
    missing = []
    for target, names in SHOTS.items():
        source = find_shot(shots, names)
        if source is None:
            missing.append(target)
            continue
        image = Image.open(source).convert("RGB")
        if image.width > GUIDE_WIDTH:
            height = round(image.height * GUIDE_WIDTH / image.width)
            image = image.resize((GUIDE_WIDTH, height), Image.Resampling.LANCZOS)
        # A screen has few colours: a 256-colour palette keeps the text sharp at a third of the size.
        image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        image.save(out / target, optimize=True)
        print(f"{out / target} ← {source.name}")
    total = sum(p.stat().st_size for p in out.glob("*.png"))
    print(f"{len(SHOTS) - len(missing)} images, {total / 1024 / 1024:.2f} MB in {out}")
    if missing:
        print("missing: " + ", ".join(missing), file=sys.stderr)
        return 1
    return 0


def _real_pages():
    """Pages that the main window may still show as "planned": key → a maker of the real page."""
    def routes(window):
        from ui.pages.routes import RoutesPage

        return RoutesPage(window.db)

    def meetings(window):
        from ui.pages.meetings import MeetingsPage

        return MeetingsPage(window.db)

    def reports(window):
        from ui.pages.reports import ReportsPage

        return ReportsPage(window.db, window.db_path)

    return {"routes": routes, "meetings": meetings, "reports": reports}


def _fill_demo(db) -> None:
    """Routes and meetings of the demo school, when the demo command does not make them yet."""
    import datetime as dt
    import random

    from models.db import transaction

    for table, module, function in (("route", "models.demo_routes", "build_routes"),
                                    ("meeting", "models.demo_meetings", "build_meetings")):
        try:
            if table in db.table_names() and db.table(table).count:
                continue
            builder = getattr(__import__(module, fromlist=[function]), function)
            with transaction(db):
                builder(db, random.Random(3), dt.date.today())
        except Exception as exc:  # a demo part in the making: the shot simply shows less
            print(f"demo {table}: not added ({type(exc).__name__}: {exc})", file=sys.stderr)


def _build_report_preview(page, app, seconds: float = 20) -> None:
    """Type the notes a deputy director would and make the report, so the shot shows the preview."""
    import time

    if not hasattr(page, "build_preview"):
        return
    page.problems.setPlainText("Не проведены два мероприятия по работе с родителями: карантин в ноябре.")
    page.actions.setPlainText("Перенести родительский лекторий на январь; отв. Смирнова Д. А.")
    finished: list[bool] = []
    try:
        page.build_preview(lambda: finished.append(True))
    except Exception as exc:
        print(f"reports: no preview ({type(exc).__name__}: {exc})", file=sys.stderr)
        return
    deadline = time.monotonic() + seconds
    while not finished and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)


def extra(db_path: Path, shots: Path) -> int:
    """Shoot the real routes, meetings and reports pages inside the main window where it shows a placeholder."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from models import i18n
    from models.db import open_database

    i18n.set_language("ru")
    from PySide6.QtWidgets import QApplication, QTabWidget

    from ui.app import create_application
    from ui.main_window import MainWindow
    try:
        from ui.pages.common import PlannedPage
    except ImportError:  # every page is real now
        PlannedPage = ()  # noqa: N806 (isinstance against an empty tuple is always false)

    app = create_application("ru")
    db = open_database(db_path)
    _fill_demo(db)
    window = MainWindow(db, str(db_path))
    window.resize(*SIZE)
    window.show()
    shots.mkdir(parents=True, exist_ok=True)
    for key, make in _real_pages().items():
        page = window.page(key)
        if isinstance(page, PlannedPage):
            try:
                real = make(window)
            except Exception as exc:
                print(f"{key}: the real page cannot be made ({type(exc).__name__}: {exc})", file=sys.stderr)
                continue
            window.stack.removeWidget(page)
            page.deleteLater()
            window.pages[key] = real
            window.stack.addWidget(real)
        shown = window.show_page(key)
        if key == "reports":
            _build_report_preview(shown, app)
        app.processEvents()
        window.grab().save(str(shots / f"extra-{key}.png"))
    page = window.show_page("databank")
    tabs = page.findChild(QTabWidget)
    if tabs is not None and tabs.count() >= 3 and type(tabs.widget(2)).__name__ == "QWidget":
        try:
            from ui.pages.assessments import AssessmentsPanel

            tabs.removeTab(2)
            tabs.insertTab(2, AssessmentsPanel(db), i18n._("Assessments and analytics"))
        except Exception as exc:
            print(f"assessments: the real tab cannot be made ({type(exc).__name__}: {exc})", file=sys.stderr)
    if tabs is not None and tabs.count() >= 3:
        tabs.setCurrentIndex(2)
        app.processEvents()
        window.grab().save(str(shots / "extra-assessments.png"))
    window.close()
    db.conn.close()
    QApplication.processEvents()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("extra")
    p.add_argument("--db", required=True, type=Path)
    p.add_argument("shots", type=Path)
    p = sub.add_parser("copy")
    p.add_argument("shots", type=Path)
    p.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.what == "extra":
        return extra(args.db, args.shots)
    return copy(args.shots, args.out)


if __name__ == "__main__":
    sys.exit(main())
