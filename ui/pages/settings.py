"""Настройки: the interface language and where the program keeps its files."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from models import backup, i18n, paths, settings
from models.i18n import _
from ui.pages.common import heading


class SettingsPage(QWidget):
    def __init__(self, db_path: str, parent=None):
        super().__init__(parent)
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        self.language.addItem("Русский", "ru")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.language())))
        self.language.currentIndexChanged.connect(self._language_changed)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.backup_count = QSpinBox(self)
        self.backup_count.setObjectName("backup_count")
        self.backup_count.setRange(0, 100)
        self.backup_count.setValue(int(settings.load().get("backup_count", 10)))
        self.backup_count.setSuffix(_(" copies"))
        self.backup_count.valueChanged.connect(lambda n: settings.save({"backup_count": n}))
        form = QFormLayout()
        form.addRow(_("Interface language"), self.language)
        form.addRow("", self.hint)
        form.addRow(_("Automatic backups (at start and on exit) to keep"), self.backup_count)
        for label, value in (
            (_("Database file"), db_path),
            (_("Data folder"), str(paths.data_dir())),
            (_("Log file"), str(paths.log_path())),
            (_("Automatic backups"), str(backup.backups_folder(db_path))),
        ):
            text = QLabel(value, self)
            text.setWordWrap(True)
            text.setTextInteractionFlags(
                text.textInteractionFlags() | text.textInteractionFlags().TextSelectableByMouse
            )
            form.addRow(label, text)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Settings"), self))
        layout.addLayout(form)
        layout.addStretch(1)

    def _language_changed(self) -> None:
        settings.save({"language": self.language.currentData()})
        self.hint.setText(_("The language changes the next time the program starts."))
