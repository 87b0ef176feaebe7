"""About Antirisk: the version, where the database, its automatic backups and the log are, and the licences."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QFontDatabase, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from models import __version__, backup, paths
from models.i18n import N_, _

# (component, licence, file in resources/licenses); the program itself first.
LICENSES: tuple[tuple[str, str, str], ...] = (
    (N_("Antirisk"), "MIT", "antirisk.txt"),
    ("Python", "PSF-2.0", "python.txt"),
    ("Qt 6, PySide6, Shiboken6", "LGPL-3.0", "qt-pyside6.txt"),
    ("openpyxl, et_xmlfile", "MIT", "openpyxl.txt"),
    ("ReportLab", "BSD-3-Clause", "reportlab.txt"),
    ("Pillow", "MIT-CMU", "pillow.txt"),
    ("Babel", "BSD-3-Clause", "babel.txt"),
    ("platformdirs", "MIT", "platformdirs.txt"),
    ("defusedxml", "PSF-2.0", "defusedxml.txt"),
    ("Source Sans Pro", "OFL-1.1", "source-sans-pro.txt"),
    ("rl_accel, charset-normalizer", "BSD, MIT", "other-python.txt"),
    (N_("SQLite, ICU and the system libraries"), N_("various"), "system-libraries.txt"),
)
FULL_TEXTS = ("LGPL-3.0.txt", "GPL-3.0.txt")


def licenses_dir() -> Path:
    return paths.resources_dir() / "licenses"


def license_text(file_name: str) -> str:
    path = licenses_dir() / file_name
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return _("The licence file is missing: {path}").format(path=path)


def _open_folder(folder: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class AboutDialog(QDialog):
    def __init__(self, db_path: str, parent=None):
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(_("About Antirisk"))
        self.db_path = str(db_path)
        self.backups = backup.backups_folder(db_path)

        icon = QLabel(self)
        pixmap = QPixmap(str(paths.resources_dir() / "icons" / "antirisk-256.png"))
        if not pixmap.isNull():
            icon.setPixmap(pixmap.scaled(72, 72, Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation))
        self.title = QLabel(_("Antirisk {version}").format(version=__version__), self)
        self.title.setObjectName("about_title")
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        blurb = QLabel(_(
            "The working group's program for a school with low educational results: the risk profile and "
            "antirisk programs, the databank of pupils with learning difficulties, learning routes, curator "
            "meetings and the quarterly report. It works without the internet and sends nothing anywhere."), self)
        blurb.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(blurb)
        head.addLayout(text, 1)

        places = QGroupBox(_("Where your data is"), self)
        grid = QGridLayout(places)
        self.path_labels: dict[str, QLabel] = {}
        rows = (
            ("database", _("Database file"), Path(self.db_path), Path(self.db_path).parent),
            ("backups", _("Automatic backups (at start and on exit)"), self.backups, self.backups),
            ("log", _("Log file"), paths.log_path(), paths.log_path().parent),
        )
        for row, (key, caption, path, folder) in enumerate(rows):
            grid.addWidget(QLabel(caption, places), row, 0)
            label = QLabel(str(path), places)
            label.setObjectName(f"about_{key}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            self.path_labels[key] = label
            grid.addWidget(label, row, 1)
            button = QPushButton(_("Open the folder"), places)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, f=folder: _open_folder(f))
            grid.addWidget(button, row, 2)
        grid.setColumnStretch(1, 1)

        licences = QGroupBox(_("Licences"), self)
        intro = QLabel(_(
            "Antirisk is free software under the MIT licence. It carries these components, each under its own "
            "licence; choose one to read its notice. The texts are also in the folder {path}").format(
                path=licenses_dir()), licences)
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.components = QListWidget(licences)
        self.components.setObjectName("about_components")
        for name, licence, file_name in LICENSES:
            item = QListWidgetItem(_(name) + " — " + _(licence), self.components)
            item.setData(Qt.ItemDataRole.UserRole, file_name)
        for file_name in FULL_TEXTS:
            item = QListWidgetItem(_("Full text: {name}").format(name=file_name.removesuffix(".txt")),
                                   self.components)
            item.setData(Qt.ItemDataRole.UserRole, file_name)
        self.license_view = QPlainTextEdit(licences)
        self.license_view.setObjectName("about_license_text")
        self.license_view.setReadOnly(True)
        self.license_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # the notices keep their own lines
        self.license_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.components.currentItemChanged.connect(self._show_license)
        splitter = QSplitter(licences)
        splitter.addWidget(self.components)
        splitter.addWidget(self.license_view)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 640])
        box = QVBoxLayout(licences)
        box.addWidget(intro)
        box.addWidget(splitter, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(places)
        layout.addWidget(licences, 1)
        layout.addWidget(buttons)
        self.components.setCurrentRow(0)
        self.resize(980, 660)

    def _show_license(self, item: QListWidgetItem | None, _previous=None) -> None:
        self.license_view.setPlainText(license_text(item.data(Qt.ItemDataRole.UserRole)) if item else "")
