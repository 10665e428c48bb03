"""Settings, login and the shell, against the real runtime and an in-memory OS keyring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from app.common import ops
from app.main_window import SETTINGS, LockedPage
from app.settings import keystore, secret_dialog
from gateway_core.sandbox import SANDBOX_ACCOUNT_ID, SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, SANDBOX_POIS

WAIT = 10_000


def open_settings(desk: Any) -> Any:
    desk.window.show_page(SETTINGS)
    view = desk.window.page_widget(SETTINGS)
    assert view is not None and view.isVisible()
    return view


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def saved(qtbot: Any, status: Any) -> None:
    """A save button was clicked: wait for the keyring work (on a worker thread) to be done."""
    qtbot.waitUntil(lambda: "已保存" in status.text() or "无法保存" in status.text(), timeout=WAIT)


def test_douyin_credentials_go_to_the_keyring_only(qtbot, desktop, keyring_memory, data_dir: Path) -> None:
    view = open_settings(desktop)
    section = view.douyin
    assert "密钥保存在系统密钥库" in section.backend.text()
    section.client_key.setText("awx_live_key")
    section.client_secret.setText("very-secret-value-123")
    section.account_id.setText("7000000000000000001")
    click(qtbot, section.save_button)
    saved(qtbot, section.status)
    assert keyring_memory.store[("dy-verifier", "douyin_client_secret")] == "very-secret-value-123"
    assert keyring_memory.store[("dy-verifier", "douyin_client_key")] == "awx_live_key"
    assert section.client_secret.text() == ""  # not left on screen
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert b"very-secret-value-123" not in path.read_bytes(), path
    # leaving the secret field empty keeps the stored one
    section.client_key.setText("awx_live_key2")
    click(qtbot, section.save_button)
    saved(qtbot, section.status)
    assert keystore.load()[keystore.CLIENT_SECRET] == "very-secret-value-123"


def test_no_keyring_means_no_saving(qtbot, runtime, session, data_dir: Path) -> None:
    from app.common.prefs import Prefs
    from app.settings.context import SettingsContext
    from app.settings.douyin_section import DouyinSection
    from app.sound.player import SoundPlayer

    keyring.set_keyring(fail.Keyring())
    ctx = SettingsContext(runtime, session, Prefs(), data_dir, SoundPlayer(enabled=False, backend=None))
    section = DouyinSection(ctx)
    qtbot.addWidget(section)
    assert not section.save_button.isEnabled()
    assert "没有可用的系统密钥库" in section.backend.text()
    assert section.backend.objectName() == "warningText"
    section.client_secret.setText("s3cret-value")
    section.save()
    qtbot.waitUntil(lambda: "无法保存" in section.status.text(), timeout=WAIT)
    assert "无法保存" in section.status.text()
    assert not section.save_button.isEnabled()  # still: nowhere safe to save to
    assert not any(b"s3cret-value" in p.read_bytes() for p in data_dir.rglob("*") if p.is_file())


def test_connection_test_lists_the_stores(qtbot, desktop, runtime, monkeypatch) -> None:
    section = open_settings(desktop).douyin
    monkeypatch.setattr(section, "base_url", lambda: runtime.sandbox.base_url)
    section.client_key.setText(SANDBOX_CLIENT_KEY)
    section.client_secret.setText(SANDBOX_CLIENT_SECRET)
    section.account_id.setText(SANDBOX_ACCOUNT_ID)
    click(qtbot, section.test_button)
    qtbot.waitUntil(lambda: "连接成功" in section.status.text(), timeout=WAIT)
    ids = [section.poi.itemData(i) for i in range(section.poi.count())]
    assert set(ids) == {p.poi_id for p in SANDBOX_POIS}
    section.poi.setCurrentIndex(ids.index(SANDBOX_POIS[1].poi_id))
    click(qtbot, section.save_button)
    saved(qtbot, section.status)
    assert keystore.load()[keystore.POI_ID] == SANDBOX_POIS[1].poi_id
    assert desktop.prefs.poi_name == SANDBOX_POIS[1].poi_name


def test_connection_test_with_a_wrong_secret_says_so(qtbot, desktop, runtime, monkeypatch) -> None:
    section = open_settings(desktop).douyin
    monkeypatch.setattr(section, "base_url", lambda: runtime.sandbox.base_url)
    section.client_key.setText(SANDBOX_CLIENT_KEY)
    section.client_secret.setText("wrong")
    section.account_id.setText(SANDBOX_ACCOUNT_ID)
    click(qtbot, section.test_button)
    qtbot.waitUntil(lambda: "连接失败" in section.status.text(), timeout=WAIT)
    assert section.test_button.isEnabled()


def test_cashiers_login_and_manager_pages(qtbot, desktop, runtime, run) -> None:
    section = open_settings(desktop).cashiers
    section.name.setText("小王")
    section.pin.setText("2468")
    section.role.setCurrentIndex(0)  # cashier
    click(qtbot, section.add_button)
    qtbot.waitUntil(lambda: any(c["name"] == "小王" for c in section.cashiers), timeout=WAIT)
    section.pin.setText("12")  # too short: refused with a reason
    section.name.setText("小李")
    click(qtbot, section.add_button)
    qtbot.waitUntil(lambda: section.status.objectName() == "warningText", timeout=WAIT)

    desktop.open_login(initial=False)
    qtbot.waitUntil(lambda: desktop.login is not None and desktop.login.isVisible(), timeout=WAIT)
    dialog = desktop.login
    dialog.who.setCurrentIndex(dialog.who.findData("小王"))
    dialog.pin.setText("0000")
    click(qtbot, dialog.login_button)
    qtbot.waitUntil(lambda: "PIN 不正确" in dialog.status.text(), timeout=WAIT)
    dialog.pin.setText("2468")
    click(qtbot, dialog.login_button)
    qtbot.waitUntil(lambda: desktop.session.cashier_name == "小王", timeout=WAIT)
    assert not desktop.session.is_manager
    # a cashier sees the counter; manager pages are locked
    assert desktop.window.current_page() == 0
    desktop.window.show_page(SETTINGS)
    slot = desktop.window.pages.currentWidget()
    assert isinstance(slot.currentWidget(), LockedPage)
    assert "小王" in desktop.window.cashier_label.text()
    for _ in range(3):  # every visit of a locked page: one LockedPage, not one more each time
        desktop.window.show_page(0)
        desktop.window.show_page(SETTINGS)
    qtbot.waitUntil(lambda: len(slot.findChildren(LockedPage)) == 1, timeout=WAIT)


def test_apps_admin_shows_each_secret_once(qtbot, desktop, runtime, run) -> None:
    section = open_settings(desktop).apps
    qtbot.waitUntil(lambda: any(a["code"] == "counter" for a in section.apps), timeout=WAIT)
    click(qtbot, section.create_button)
    dialog = section._dialog
    assert dialog.isVisible()
    dialog.name.setText("自助机")
    dialog.code.setText("kiosk-1")
    dialog.accept()
    qtbot.waitUntil(lambda: any(a["code"] == "kiosk-1" for a in section.apps), timeout=WAIT)
    shown = [d for d in secret_dialog._open if d.isVisible()]
    assert len(shown) == 1
    first_secret = shown[0].secret.text()
    assert len(first_secret) >= 40
    click(qtbot, shown[0].copy)
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == first_secret
    shown[0].accept()
    apps = run(runtime.apps.list_apps())
    kiosk = next(a for a in apps if a["code"] == "kiosk-1")
    assert "secret" not in kiosk

    row = next(i for i, a in enumerate(section.apps) if a["code"] == "kiosk-1")
    section.table.selectRow(row)
    click(qtbot, section.toggle_button)
    qtbot.waitUntil(
        lambda: next(a for a in section.apps if a["code"] == "kiosk-1")["status"] == "disabled", timeout=WAIT
    )
    click(qtbot, section.token_button)
    qtbot.waitUntil(lambda: next(a for a in section.apps if a["code"] == "kiosk-1")["allow_token_read"], timeout=WAIT)
    click(qtbot, section.rotate_button)
    box = next(b for b in ops._boxes if b.isVisible())
    click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    qtbot.waitUntil(lambda: any(d.isVisible() for d in secret_dialog._open), timeout=WAIT)
    rotated = next(d for d in secret_dialog._open if d.isVisible())
    assert rotated.secret.text() != first_secret
    rotated.accept()


def test_counter_app_cannot_be_disabled_from_the_screen(qtbot, desktop) -> None:
    section = open_settings(desktop).apps
    qtbot.waitUntil(lambda: bool(section.apps), timeout=WAIT)
    row = next(i for i, a in enumerate(section.apps) if a["code"] == "counter")
    section.table.selectRow(row)
    assert not section.toggle_button.isEnabled()
    assert not section.rotate_button.isEnabled()


def test_local_endpoint_starts_from_settings(qtbot, desktop, runtime, data_dir: Path) -> None:
    from app.common.prefs import Prefs

    section = open_settings(desktop).endpoint
    assert "接口未启动" in section.state.text()
    section.enabled.setChecked(True)
    section.host.setText("127.0.0.1")
    section.port.setValue(0)  # any free port
    click(qtbot, section.apply_button)
    qtbot.waitUntil(lambda: "接口运行中" in section.state.text(), timeout=WAIT)
    assert runtime.http_url.startswith("http://127.0.0.1:")
    assert Prefs.load(data_dir).serve_http is True


@pytest.mark.parametrize("from_env", [(), ("op_set-by-the-deployment-0001",)], ids=["generated", "with-env-keys"])
def test_a_new_internal_key_says_truly_which_keys_stop(qtbot, desktop, runtime, from_env) -> None:
    """Keys from DYGW_INTERNAL_API_KEYS stay valid after a rotation: the dialog said otherwise."""
    from dataclasses import replace

    runtime.settings = replace(runtime.settings, internal_api_keys=from_env)
    section = open_settings(desktop).endpoint
    click(qtbot, section.new_key)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in secret_dialog._open), timeout=WAIT)
    dialog = next(d for d in secret_dialog._open if d.isVisible())
    assert runtime.operator_keys.accepts(dialog.secret.text())
    for key in from_env:
        assert runtime.operator_keys.accepts(key)
    intro = dialog.intro.text()
    if from_env:
        assert "DYGW_INTERNAL_API_KEYS" in intro and "仍然有效" in intro
    else:
        assert "旧密钥已失效" in intro
    dialog.accept()


def test_exposed_bind_address_is_warned(qtbot, desktop) -> None:
    section = open_settings(desktop).endpoint
    section.host.setText("0.0.0.0")
    assert "局域网" in section.exposed.text()
    section.host.setText("127.0.0.1")
    assert section.exposed.text() == ""


def test_language_switch_loads_english(qtbot, desktop, data_dir: Path) -> None:
    from app.cashier.counter_view import CounterView
    from app.common.prefs import Prefs
    from app.i18n import install_language

    general = open_settings(desktop).general
    general.language.setCurrentIndex(general.language.findData("en"))
    assert Prefs.load(data_dir).language == "en"
    assert "restart" in general.language_note.text()
    try:
        assert install_language("en") == "en"
        view = CounterView(desktop.controller)
        qtbot.addWidget(view)
        assert view.scan_box.placeholderText() == "Scan or type a coupon code, then Enter"
        assert view.banner.headline.text() == "Ready to scan"
    finally:
        install_language("zh_CN")


def test_sound_toggle(qtbot, desktop, data_dir: Path) -> None:
    from app.common.prefs import Prefs

    general = open_settings(desktop).general
    general.sound.setChecked(False)
    assert not desktop.sounds.enabled
    assert Prefs.load(data_dir).sound is False


def test_practice_store_choice(qtbot, desktop) -> None:
    general = open_settings(desktop).general
    assert general.practice_poi is not None
    general.practice_poi.setCurrentIndex(general.practice_poi.findData(SANDBOX_POIS[3].poi_id))
    assert desktop.poi_id() == SANDBOX_POIS[3].poi_id
    assert SANDBOX_POIS[3].poi_name in desktop.window.store_label.text()


def test_login_at_start_cannot_be_escaped(qtbot, desktop, runtime, run) -> None:
    from app.common.cashiers import cashiers_of

    run(cashiers_of(runtime).add_cashier("王店长", "13579", "manager", by="test"))
    desktop.open_login(initial=True)
    qtbot.waitUntil(lambda: desktop.login is not None and desktop.login.isVisible(), timeout=WAIT)
    dialog = desktop.login
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    # demo mode: practising without a PIN is allowed
    skip = next(b for b in dialog.findChildren(type(dialog.login_button)) if "练习" in b.text())
    click(qtbot, skip)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert desktop.session.cashier_name == "练习收银员"


def test_login_from_the_switch_button_can_be_escaped(qtbot, desktop, runtime, run) -> None:
    from app.common.cashiers import cashiers_of

    run(cashiers_of(runtime).add_cashier("王店长", "13579", "manager", by="test"))
    desktop.open_login(initial=False)
    qtbot.waitUntil(lambda: desktop.login is not None and desktop.login.isVisible(), timeout=WAIT)
    dialog = desktop.login
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # someone else is still on duty: nothing changes
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert desktop.session.cashier_name == "测试店长"


def test_keyring_work_stays_off_the_gui_thread(qtbot, desktop, keyring_memory, monkeypatch, data_dir: Path) -> None:
    """On Secret Service every keyring call is a D-Bus round trip, and a locked collection prompts:
    saving credentials or the reporting key must not freeze the counter meanwhile."""
    import threading

    from app.common.prefs import Prefs

    view = open_settings(desktop)
    on_gui_thread: list[tuple[str, bool]] = []
    for name in ("get_password", "set_password", "delete_password"):
        real = getattr(keyring_memory, name)

        def spy(*args: Any, _real: Any = real, _name: str = name) -> Any:
            on_gui_thread.append((_name, threading.current_thread() is threading.main_thread()))
            return _real(*args)

        monkeypatch.setattr(keyring_memory, name, spy)

    douyin = view.douyin
    douyin.client_key.setText("awx_live_key")
    douyin.client_secret.setText("very-secret-value-123")
    click(qtbot, douyin.save_button)
    assert douyin.status.text() == "正在保存…"  # the keyring answers later
    saved(qtbot, douyin.status)
    assert "已保存到系统密钥库" in douyin.status.text()
    assert douyin.save_button.isEnabled()

    sync = view.sync
    sync.url.setText("https://hq.example.com")
    sync.key.setText("reporting-key-1")
    click(qtbot, sync.save_button)
    saved(qtbot, sync.saved)
    assert sync.key.text() == ""
    assert Prefs.load(data_dir).reporting_url == "https://hq.example.com"

    assert keystore.load()[keystore.REPORTING_KEY] == "reporting-key-1"  # cached: read back off the GUI thread
    assert keystore.load()[keystore.CLIENT_SECRET] == "very-secret-value-123"
    assert {name for name, _gui in on_gui_thread} >= {"get_password", "set_password"}
    assert [name for name, gui in on_gui_thread if gui] == []


def test_a_reporting_key_that_cannot_be_saved_is_told(qtbot, desktop, monkeypatch) -> None:
    sync = open_settings(desktop).sync

    def refuse(_values: Any) -> None:
        raise keystore.KeystoreUnavailable("the collection is locked")

    monkeypatch.setattr(keystore, "save", refuse)
    sync.key.setText("reporting-key-1")
    click(qtbot, sync.save_button)
    qtbot.waitUntil(lambda: "密钥无法保存" in sync.saved.text(), timeout=WAIT)
    assert "the collection is locked" in sync.saved.text()
    assert sync.key.text() == "reporting-key-1"  # kept, to try again
    assert sync.save_button.isEnabled()
