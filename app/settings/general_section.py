"""通用: language, sound, and the practice store in training mode."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.common.widgets import label, set_status
from app.i18n import LANGUAGES
from app.settings.context import SettingsContext


class GeneralSection(QWidget):
    def __init__(self, ctx: SettingsContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(ctx.prefs.language)))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.language_note = label(wrap=True)

        self.sound = QCheckBox(self.tr("核销结果播放提示音"))
        self.sound.setChecked(ctx.prefs.sound)
        self.sound.toggled.connect(self._sound_toggled)
        self.test_sound = QPushButton(self.tr("试听"))
        self.test_sound.clicked.connect(lambda: ctx.sounds.play("success"))
        player = (
            self.tr("播放器:系统自带")
            if ctx.sounds.available
            else self.tr("没有找到声音播放器(winsound / afplay / paplay / aplay),提示音不会响")
        )

        form = QFormLayout()
        form.addRow(self.tr("界面语言 / Language"), self.language)
        form.addRow("", self.language_note)
        form.addRow(self.tr("提示音"), self.sound)
        row = QHBoxLayout()
        row.addWidget(self.test_sound)
        row.addStretch(1)
        form.addRow("", row)
        form.addRow("", label(player, name="mutedText", wrap=True))

        self.practice_poi: QComboBox | None = None
        if ctx.runtime.demo:
            from gateway_core.sandbox import SANDBOX_POIS

            self.practice_poi = QComboBox()
            for poi in SANDBOX_POIS:
                self.practice_poi.addItem(f"{poi.poi_name}  ({poi.poi_id})", poi.poi_id)
            chosen = self.practice_poi.findData(ctx.prefs.demo_poi_id)
            self.practice_poi.setCurrentIndex(max(0, chosen))
            self.practice_poi.currentIndexChanged.connect(self._practice_poi_chosen)
            form.addRow(self.tr("练习门店"), self.practice_poi)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)

    def _language_chosen(self) -> None:
        self.ctx.prefs.language = str(self.language.currentData())
        self.ctx.save_prefs()
        set_status(self.language_note, self.tr("已保存,重启程序后生效。 / Saved: restart the program to apply."), "ok")

    def _sound_toggled(self, on: bool) -> None:
        self.ctx.prefs.sound = on
        self.ctx.sounds.enabled = on
        self.ctx.save_prefs()

    def _practice_poi_chosen(self) -> None:
        assert self.practice_poi is not None
        self.ctx.prefs.demo_poi_id = str(self.practice_poi.currentData())
        self.ctx.save_prefs()
