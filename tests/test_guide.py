"""The user's guide window and the About dialog."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from models import __version__, backup, paths
from ui import about, guide

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "resources" / "guide" / "ru" / "index.html"
PAGE_KEYS = ("home", "school", "programs", "databank", "routes", "meetings", "reports", "reference", "settings")
TOPICS = ("year", "first-start", "roadmap-import", "roadmap", "indicators", "students-import", "assessments",
          "backups", "files")


@pytest.fixture
def window(qtbot):
    made = []

    def open_at(section=None):
        dialog = guide.show_guide(None, section)
        qtbot.addWidget(dialog)
        made.append(dialog)
        return dialog

    yield open_at
    guide._window = None


def test_every_page_of_the_main_window_has_its_section():
    from ui.main_window import PAGES

    anchors = [a for a, _t in guide.table_of_contents(GUIDE.read_text(encoding="utf-8"))]
    assert {spec.key for spec in PAGES} <= set(guide.PAGE_ANCHORS)
    for key in PAGE_KEYS:
        assert guide.PAGE_ANCHORS[key] in anchors
    assert set(TOPICS) <= set(anchors)
    assert len(anchors) == len(set(anchors))


def test_every_image_the_guide_shows_exists_and_they_stay_small():
    text = GUIDE.read_text(encoding="utf-8")
    images = re.findall(r"""<img\s[^>]*src=["']([^"']+)["']""", text)
    assert len(images) >= 12
    for src in images:
        assert (GUIDE.parent / src).is_file(), src
    total = sum(p.stat().st_size for p in (GUIDE.parent / "img").glob("*"))
    assert total < 3 * 1024 * 1024


def test_every_link_inside_the_guide_leads_to_an_anchor():
    text = GUIDE.read_text(encoding="utf-8")
    anchors = set(re.findall(r"""<a\s+name=["']([\w-]+)["']""", text))
    for target in re.findall(r"""href=["']#([\w-]+)["']""", text):
        assert target in anchors, target


def test_the_guide_opens_at_the_section_of_a_page(window):
    dialog = window("databank")
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog.current_anchor() == "databank"
    assert dialog.contents.currentItem().text() == "Банк данных обучающихся"
    assert dialog.browser.verticalScrollBar().value() > 0
    assert "Банк данных" in dialog.browser.toPlainText()


def test_the_same_window_moves_to_another_section_and_back(window):
    first = window("school")
    second = window("reports")
    assert second is first and second.current_anchor() == "reports"
    assert second.back_button.isEnabled()
    second.browser.backward()
    assert second.current_anchor() == "school"
    assert second.forward_button.isEnabled()


def test_the_contents_list_every_h2_and_open_it(window, qtbot):
    dialog = window()
    assert dialog.contents.count() == len(dialog.anchors()) >= 15
    row = dialog.anchors().index("meetings")
    dialog._contents_chosen(dialog.contents.item(row))
    assert dialog.current_anchor() == "meetings"


def test_search_finds_the_next_match_and_says_when_there_is_none(window):
    dialog = window()
    dialog.search.setText("СОУ")
    assert dialog.find_next()
    assert dialog.browser.textCursor().selectedText() == "СОУ"
    dialog.search.setText("абракадабра")
    assert not dialog.find_next()
    assert "абракадабра" in dialog.message.text()


def test_web_links_are_never_opened(window):
    dialog = window("files")
    before = dialog.browser.source()
    dialog.browser.follow(QUrl("https://example.org/"))
    assert dialog.browser.source() == before
    assert "https://example.org/" in dialog.message.text()


def test_images_are_loaded_and_scaled_to_fit(window):
    dialog = window()
    image = dialog.browser.loadResource(2, QUrl("img/home.png"))  # QTextDocument.ImageResource
    assert not image.isNull() and image.width() <= guide.IMAGE_WIDTH


def test_a_missing_guide_says_where_it_was_looked_for(qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "resources_dir", lambda: tmp_path)
    dialog = guide.GuideWindow()
    qtbot.addWidget(dialog)
    assert str(tmp_path) in dialog.browser.toPlainText()


def test_english_falls_back_to_the_russian_guide():
    assert guide.guide_path("en") == GUIDE


def test_the_about_dialog_shows_the_version_and_where_the_files_are(qtbot, tmp_path):
    db_path = tmp_path / "school.db"
    dialog = about.AboutDialog(str(db_path))
    qtbot.addWidget(dialog)
    assert __version__ in dialog.title.text()
    assert dialog.path_labels["database"].text() == str(db_path)
    assert dialog.path_labels["backups"].text() == str(backup.backups_folder(db_path))
    assert dialog.path_labels["log"].text() == str(paths.log_path())


def test_the_about_dialog_shows_every_licence(qtbot, tmp_path):
    dialog = about.AboutDialog(str(tmp_path / "school.db"))
    qtbot.addWidget(dialog)
    assert dialog.components.count() == len(about.LICENSES) + len(about.FULL_TEXTS)
    assert "MIT" in dialog.license_view.toPlainText()
    for row in range(dialog.components.count()):
        dialog.components.setCurrentRow(row)
        text = dialog.license_view.toPlainText()
        assert len(text) > 200 and "missing" not in text and "нет файла" not in text
    names = " ".join(name for name, _licence, _file in about.LICENSES)
    for component in ("PySide6", "openpyxl", "ReportLab", "Babel", "platformdirs", "defusedxml",
                      "Source Sans Pro", "Python"):
        assert component in names
    qt = about.license_text("qt-pyside6.txt")
    assert "LGPL" in qt and "download.qt.io" in qt
