"""The user's guide: a non-modal window with the HTML guide from resources/guide/<lang>/index.html.

No browser and no internet: the guide is plain HTML shown by QTextBrowser; links inside it move within the
guide, links to web sites are never opened (the window only says where they point).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QImage, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from models import i18n, paths
from models.i18n import _

FALLBACK_LANGUAGE = "ru"
# A page of the main window (its key in ui.main_window.PAGES) → the anchor of its section in the guide.
PAGE_ANCHORS = {
    "home": "home",
    "school": "school",
    "programs": "programs",
    "databank": "databank",
    "routes": "routes",
    "meetings": "meetings",
    "reports": "reports",
    "reference": "reference",
    "settings": "settings",
}
EXTERNAL_SCHEMES = ("http", "https", "ftp", "mailto")
ANCHOR_ROLE = Qt.ItemDataRole.UserRole
IMAGE_WIDTH = 760  # screenshots wider than this are scaled down smoothly (QTextDocument itself would not)
_H2 = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.IGNORECASE | re.DOTALL)
_ANCHOR = re.compile(r"""<a\s+[^>]*name=["']([\w-]+)["']""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def guide_path(lang: str | None = None) -> Path:
    """The guide's HTML for the language (the interface language by default), or the Russian one."""
    folder = paths.resources_dir() / "guide"
    path = folder / (lang or i18n.language()) / "index.html"
    return path if path.is_file() else folder / FALLBACK_LANGUAGE / "index.html"


def table_of_contents(text: str) -> list[tuple[str, str]]:
    """(anchor, heading) of every h2 of the guide that carries an anchor, in order."""
    entries = []
    for match in _H2.finditer(text):
        anchor = _ANCHOR.search(match.group(1))
        title = html.unescape(_TAG.sub("", match.group(1))).strip()
        if anchor and title:
            entries.append((anchor.group(1), " ".join(title.split())))
    return entries


def anchor_for(section: str | None) -> str | None:
    """The anchor for a page key ("databank") or an anchor given as it is ("roadmap-import")."""
    if not section:
        return None
    return PAGE_ANCHORS.get(section, section)


class GuideBrowser(QTextBrowser):
    """QTextBrowser that follows links inside the guide only and reports the others instead of opening them."""

    external_link = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self.follow)

    def follow(self, url: QUrl) -> None:
        if url.scheme().lower() in EXTERNAL_SCHEMES:
            self.external_link.emit(url.toString())
            return
        target = self.source().resolved(url) if url.isRelative() else url
        if target.isLocalFile() and not Path(target.toLocalFile()).is_file():
            self.external_link.emit(url.toString())
            return
        self.setSource(target)

    def loadResource(self, kind: int, url: QUrl):
        if kind in (QTextDocument.ResourceType.ImageResource, QTextDocument.ResourceType.ImageResource.value):
            target = self.source().resolved(url) if url.isRelative() else url
            image = QImage(target.toLocalFile()) if target.isLocalFile() else QImage()
            if not image.isNull():
                if image.width() > IMAGE_WIDTH:
                    image = image.scaledToWidth(IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)
                return image
        return super().loadResource(kind, url)


class GuideWindow(QDialog):
    """The guide: contents on the left, the text on the right, search and back/forward above."""

    def __init__(self, parent=None, lang: str | None = None):
        super().__init__(parent)
        self.setObjectName("guide_window")
        self.setModal(False)
        self.setWindowTitle(_("User's guide — Antirisk"))
        self.path = guide_path(lang)

        self.back_button = QPushButton(_("◀ Back"), self)
        self.forward_button = QPushButton(_("Forward ▶"), self)
        self.contents_button = QPushButton(_("Beginning"), self)
        self.search = QLineEdit(self)
        self.search.setObjectName("guide_search")
        self.search.setPlaceholderText(_("Find in the guide…"))
        self.search.setClearButtonEnabled(True)
        self.find_button = QPushButton(_("Find next"), self)
        self.message = QLabel(self)
        self.message.setObjectName("guide_message")

        self.browser = GuideBrowser(self)
        self.browser.setObjectName("guide_browser")
        self.contents = QListWidget(self)
        self.contents.setObjectName("guide_contents")
        self.contents.setMinimumWidth(190)
        self.contents.setMaximumWidth(360)
        self.contents.setWordWrap(True)  # a long section title goes on a second line, never cut off

        bar = QHBoxLayout()
        for button in (self.back_button, self.forward_button, self.contents_button):
            button.setAutoDefault(False)
            bar.addWidget(button)
        bar.addSpacing(12)
        bar.addWidget(self.search, 1)
        self.find_button.setAutoDefault(False)
        bar.addWidget(self.find_button)
        splitter = QSplitter(self)
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([300, 800])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

        self.back_button.clicked.connect(self.browser.backward)
        self.forward_button.clicked.connect(self.browser.forward)
        self.contents_button.clicked.connect(lambda: self.open_section(None))
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.browser.external_link.connect(self._external)
        self.browser.sourceChanged.connect(lambda _url: self.message.clear())
        self.search.returnPressed.connect(self.find_next)
        self.find_button.clicked.connect(self.find_next)
        self.contents.itemActivated.connect(self._contents_chosen)
        self.contents.itemClicked.connect(self._contents_chosen)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, activated=self._focus_search)
        QShortcut(QKeySequence(QKeySequence.StandardKey.FindNext), self, activated=self.find_next)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self, activated=self.browser.backward)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Forward), self, activated=self.browser.forward)
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)
        self._load()
        self.resize(1100, 760)

    # ---- content --------------------------------------------------------------------------------------------

    def _load(self) -> None:
        if not self.path.is_file():
            self.browser.setPlainText(_("The user's guide is not found: {path}").format(path=self.path))
            self.contents.setEnabled(False)
            return
        self.browser.setSearchPaths([str(self.path.parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(self.path)))
        self.browser.clearHistory()
        text = self.path.read_text(encoding="utf-8")
        self.sections = table_of_contents(text)
        for anchor, title in self.sections:
            item = QListWidgetItem(title, self.contents)
            item.setData(ANCHOR_ROLE, anchor)

    def anchors(self) -> list[str]:
        return [anchor for anchor, _title in getattr(self, "sections", [])]

    def open_section(self, section: str | None) -> None:
        """Show the guide at the section of a page key or an anchor (the beginning when None or unknown)."""
        anchor = anchor_for(section)
        url = QUrl.fromLocalFile(str(self.path))
        if anchor and anchor in self.anchors():
            url.setFragment(anchor)
        if self.browser.source() != url:
            self.browser.setSource(url)
        if anchor and anchor in self.anchors():
            self.browser.scrollToAnchor(anchor)
            self._select_contents(anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)
            self.contents.setCurrentRow(-1)

    def current_anchor(self) -> str:
        return self.browser.source().fragment()

    def _select_contents(self, anchor: str) -> None:
        for row in range(self.contents.count()):
            if self.contents.item(row).data(ANCHOR_ROLE) == anchor:
                self.contents.setCurrentRow(row)
                return

    def _contents_chosen(self, item: QListWidgetItem) -> None:
        self.open_section(item.data(ANCHOR_ROLE))

    # ---- search ---------------------------------------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def find_next(self) -> bool:
        """Find the search text after the cursor, then from the beginning; say so when it is nowhere."""
        text = self.search.text().strip()
        if not text:
            self.message.clear()
            return False
        if self.browser.find(text):
            self.message.clear()
            return True
        cursor = self.browser.textCursor()
        cursor.movePosition(cursor.MoveOperation.Start)
        self.browser.setTextCursor(cursor)
        if self.browser.find(text):
            self.message.setText(_("Searched from the beginning again."))
            return True
        self.message.setText(_("“{text}” is not found in the guide.").format(text=text))
        return False

    def _external(self, url: str) -> None:
        self.message.setText(
            _("The program does not open web pages. The link points to: {url}").format(url=url)
        )


_window: GuideWindow | None = None


def show_guide(parent: QWidget | None = None, section: str | None = None) -> QDialog:
    """Open (or bring forward) the guide window at the section of a page key or an anchor; return it."""
    global _window
    window = _window
    try:
        reusable = window is not None and window.parent() is parent and window.path == guide_path()
    except RuntimeError:  # the C++ object is gone (its parent was closed)
        reusable = False
    if reusable:
        window.open_section(section)
    else:
        window = GuideWindow(parent)
        _window = window
        window.open_section(section)
        window.browser.clearHistory()  # "Back" starts from the section it opened at
    window.show()
    window.raise_()
    window.activateWindow()
    return window

