"""The counter screen driven like a cashier does, against the real service and the sandbox Douyin."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gateway_core.sandbox import SANDBOX_POIS, Fault

WAIT = 10_000


def scan(desk: Any, text: str, delay_ms: int = -1) -> None:
    """Type `text` into the focused scan box and press Enter, as a scanner would."""
    box = desk.counter.scan_box
    assert box.hasFocus(), "the scan box must have the focus"
    QTest.keyClicks(box, text, Qt.KeyboardModifier.NoModifier, delay_ms)
    QTest.keyClick(box, Qt.Key.Key_Return)


def press(desk: Any, key: Qt.Key) -> None:
    QTest.keyClick(desk.counter.scan_box, key)


def wait_phase(qtbot: Any, desk: Any, *phases: str) -> None:
    qtbot.waitUntil(lambda: desk.controller.phase in phases, timeout=WAIT)


def wait_result(qtbot: Any, desk: Any, kind: str, timeout: int = WAIT) -> Any:
    qtbot.waitUntil(lambda: desk.controller.result is not None and desk.controller.result.kind == kind, timeout=timeout)
    return desk.controller.result


def coupon(runtime: Any, **filters: Any) -> Any:
    return runtime.sandbox.state.coupon(**filters)


def rows(run: Any, runtime: Any) -> list[dict[str, Any]]:
    from gateway_core.ledger import VerificationFilter

    views, _total = run(runtime.reports.list_verifications(VerificationFilter(), 1, 100))
    return views


def test_scan_card_and_redeem(qtbot, desktop, runtime, run, poi_id) -> None:
    c = coupon(runtime, tag="single", state="usable", poi_id=poi_id)
    scan(desktop, c.code)
    wait_phase(qtbot, desktop, "card")
    card = desktop.counter.card
    assert card.title.text() == c.title
    assert card.type_badge.text() == "团餐券"
    assert card.paid.text().startswith("¥")
    assert "本单可用 1 张" in card.usable.text()
    assert desktop.counter.stage.currentWidget() is card
    press(desktop, Qt.Key.Key_Return)
    result = wait_result(qtbot, desktop, "success")
    assert result.count == 1
    banner = desktop.counter.banner
    assert banner.kind == "success"
    assert "核销成功" in banner.headline.text() and "¥" in banner.headline.text()
    assert desktop.sounds.played[-1] == "success"
    [row] = rows(run, runtime)
    assert row["verify_status"] == "success"
    assert row["operator"] == "测试店长"
    assert row["app_id"] == runtime.counter_app.id
    assert runtime.sandbox.state.coupon(tag="single", poi_id=poi_id).state == "used"
    qtbot.waitUntil(lambda: desktop.counter.recent.list.count() == 1, timeout=WAIT)  # just after the answer
    assert desktop.counter.scan_box.hasFocus()


def test_three_of_a_table_of_four(qtbot, desktop, runtime, run) -> None:
    c = coupon(runtime, tag="party-of-4", state="usable")
    scan(desktop, c.short_link)
    wait_phase(qtbot, desktop, "card")
    assert desktop.controller.prepared.usable_count == 4
    press(desktop, Qt.Key.Key_Plus)
    press(desktop, Qt.Key.Key_Plus)
    press(desktop, Qt.Key.Key_Plus)
    press(desktop, Qt.Key.Key_Minus)
    assert desktop.controller.count == 3
    assert desktop.counter.card.count.text() == "3"
    press(desktop, Qt.Key.Key_Enter)
    result = wait_result(qtbot, desktop, "success")
    assert result.count == 3
    assert "3 张" in desktop.counter.banner.reason.text()
    states = [v.state for v in runtime.sandbox.state.coupons(tag="party-of-4") if v.order_id == c.order_id]
    assert sorted(states) == ["usable", "used", "used", "used"]
    assert sum(1 for r in rows(run, runtime) if r["verify_status"] == "success") == 3


def test_count_stays_within_the_order(qtbot, desktop, runtime) -> None:
    c = coupon(runtime, tag="voucher-pair", state="usable")
    scan(desktop, c.short_link)
    wait_phase(qtbot, desktop, "card")
    for _ in range(5):
        press(desktop, Qt.Key.Key_Up)
    assert desktop.controller.count == 2
    for _ in range(5):
        press(desktop, Qt.Key.Key_Down)
    assert desktop.controller.count == 1


def test_escape_cancels_the_card_and_nothing_is_sent(qtbot, desktop, runtime) -> None:
    c = coupon(runtime, tag="single", state="usable")
    scan(desktop, c.code)
    wait_phase(qtbot, desktop, "card")
    press(desktop, Qt.Key.Key_Escape)
    assert desktop.controller.phase == "idle"
    assert runtime.sandbox.state.counters["verify"] == 0
    # cancelled on purpose: scanning it again is a fresh start, not a "double scan"
    scan(desktop, c.code)
    wait_phase(qtbot, desktop, "card")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"tag": "used"}, "券已使用过"),
        ({"tag": "expired"}, "券已过期"),
    ],
)
def test_refusals_in_plain_chinese(qtbot, desktop, runtime, filters, expected) -> None:
    c = coupon(runtime, **filters)
    scan(desktop, c.code)
    result = wait_result(qtbot, desktop, "failure")
    assert expected in result.reason
    assert desktop.counter.banner.kind == "failure"
    assert expected in desktop.counter.banner.reason.text()
    assert desktop.sounds.played[-1] == "failure"
    assert runtime.sandbox.state.counters["verify"] == 0


def test_wrong_store(qtbot, desktop, runtime, poi_id) -> None:
    other = next(v for v in runtime.sandbox.state.coupons(tag="single-poi", state="usable") if poi_id not in v.poi_ids)
    scan(desktop, other.code)
    wait_phase(qtbot, desktop, "card", "result")
    if desktop.controller.phase == "card":  # Douyin refuses the store at verify, not at prepare
        press(desktop, Qt.Key.Key_Return)
    result = wait_result(qtbot, desktop, "failure")
    assert "本店不能核销" in result.reason
    assert runtime.sandbox.state.coupon(tag="single-poi", poi_id=other.poi_ids[0]).state == "usable"


def test_unknown_code(qtbot, desktop) -> None:
    scan(desktop, "999999999999999")
    result = wait_result(qtbot, desktop, "failure")
    assert "查不到此券" in result.reason


def test_gibberish_is_not_sent(qtbot, desktop, runtime) -> None:
    scan(desktop, "hello")
    result = wait_result(qtbot, desktop, "failure")
    assert result.headline == "无法识别"
    assert runtime.sandbox.state.counters["prepare"] == 0


def test_second_scan_within_seconds_is_caught(qtbot, desktop, runtime, run) -> None:
    c = coupon(runtime, tag="single", state="usable")
    scan(desktop, c.code)
    wait_phase(qtbot, desktop, "card")
    press(desktop, Qt.Key.Key_Return)
    wait_result(qtbot, desktop, "success")
    prepares = runtime.sandbox.state.counters["prepare"]
    scan(desktop, c.code)
    result = wait_result(qtbot, desktop, "duplicate")
    assert "重复扫码" in result.headline
    assert "核销成功" in result.reason
    assert runtime.sandbox.state.counters["prepare"] == prepares  # not sent again
    assert len(rows(run, runtime)) == 1


def test_a_card_replaced_by_another_scan_was_never_sent_so_it_is_no_repeat(qtbot, desktop, runtime, poi_id) -> None:
    a = coupon(runtime, tag="single", state="usable", poi_id=poi_id)
    b = runtime.sandbox.state.mint_order(poi_id=poi_id, count=1, product="lunch").certificates[0]

    def card_of(certificate_id: str) -> bool:
        prepared = desktop.controller.prepared
        return prepared is not None and prepared.cards[0].certificate_id == certificate_id

    scan(desktop, a.code)
    qtbot.waitUntil(lambda: card_of(a.certificate_id), timeout=WAIT)
    scan(desktop, b.code)  # the customer hands over another coupon instead
    qtbot.waitUntil(lambda: card_of(b.certificate_id), timeout=WAIT)
    scan(desktop, a.code)  # and then the first one after all
    qtbot.waitUntil(lambda: card_of(a.certificate_id), timeout=WAIT)
    assert desktop.controller.phase == "card"


def test_released_desktop_no_longer_watches_the_applications_keys(qtbot, desktop) -> None:
    """App-wide key filters outlived their window before (and a later test's events went through a
    half-collected one)."""
    seen: list[str] = []
    router, view = desktop.router, desktop.counter
    router.eventFilter = lambda *_a: seen.append("router") or False
    view.eventFilter = lambda *_a: seen.append("counter") or False
    desktop.release()
    QTest.keyClick(desktop.window.nav, Qt.Key.Key_A)
    assert seen == []


def test_key_filters_start_after_the_first_frame_and_a_scan_before_them_still_lands(
    qtbot, runtime, session, data_dir, monkeypatch
) -> None:
    """Installed while the window was built, the app-wide filters saw every event of the build
    (70-100 ms of the start). Now they start once the first frame is drawn; the scan box has the
    focus from the start, so a scan typed before that is not lost."""
    from app.cashier.counter_view import CounterView
    from app.cashier.scan_router import ScanRouter
    from app.common.prefs import Prefs
    from app.desktop import DesktopApp
    from app.sound.player import SoundPlayer

    seen: list[str] = []
    for cls, name in ((CounterView, "counter"), (ScanRouter, "router")):
        original = cls.eventFilter
        monkeypatch.setattr(
            cls, "eventFilter", lambda self, w, e, _o=original, _n=name: seen.append(_n) or _o(self, w, e)
        )
    desk = DesktopApp(runtime, Prefs(), data_dir, sounds=SoundPlayer(enabled=False, backend=None), session=session)
    c = coupon(runtime, tag="single", state="usable")
    at_first_frame: list[tuple[int, bool]] = []

    def drawn() -> None:
        at_first_frame.append((len(seen), desk.keyboard_watched))
        scan(desk, c.code)  # asserts the scan box has the focus, then types into it

    desk.on_screen.connect(drawn)
    try:
        desk.show()
        qtbot.waitUntil(lambda: desk.keyboard_watched, timeout=5000)
        assert at_first_frame == [(0, False)]
        wait_phase(qtbot, desk, "card")
        press(desk, Qt.Key.Key_Escape)
        wait_phase(qtbot, desk, "idle")
        QTest.keyClicks(desk.window.nav, c.code)  # now a stray key is routed
        QTest.keyClick(desk.window.nav, Qt.Key.Key_Return)
        wait_phase(qtbot, desk, "card")
        assert "counter" in seen and "router" in seen
    finally:
        desk.release()
        desk.window.allow_close()
        desk.window.close()
        desk.window.deleteLater()


def test_scanning_the_card_on_screen_again_keeps_it(qtbot, desktop, runtime) -> None:
    c = coupon(runtime, tag="single", state="usable")
    scan(desktop, c.code)
    wait_phase(qtbot, desktop, "card")
    prepares = runtime.sandbox.state.counters["prepare"]
    scan(desktop, c.code)
    assert desktop.controller.phase == "card"
    assert "回车确认" in desktop.counter.hint.text()
    assert "已在下方显示" in desktop.counter.hint.text()  # not the card's own hint, which also says 回车确认
    assert runtime.sandbox.state.counters["prepare"] == prepares  # nothing asked again


def test_douyin_down_is_red_and_a_retry_goes_out(qtbot, desktop, runtime, run) -> None:
    c = coupon(runtime, tag="single", state="usable")
    runtime.sandbox.state.faults.add(Fault(endpoint="*", kind="drop", times=None))
    scan(desktop, c.code)
    result = wait_result(qtbot, desktop, "failure")
    assert "抖音" in result.reason
    assert rows(run, runtime) == []
    runtime.sandbox.state.faults.clear()
    scan(desktop, c.code)  # nothing was redeemed: the retry is not blocked as a double scan
    wait_phase(qtbot, desktop, "card")
    press(desktop, Qt.Key.Key_Return)
    wait_result(qtbot, desktop, "success")


def test_lost_verify_answer_is_never_shown_as_redeemed(qtbot, desktop, runtime, run) -> None:
    c = coupon(runtime, tag="single", state="usable")
    scan(desktop, c.code)
    wait_phase(qtbot, desktop, "card")
    runtime.sandbox.state.faults.add(Fault(endpoint="verify", kind="drop"))
    press(desktop, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.controller.phase == "result", timeout=WAIT)
    assert desktop.controller.result.kind in {"pending", "failure"}
    assert "核销成功" not in desktop.counter.banner.headline.text()
    result = wait_result(qtbot, desktop, "failure")  # Douyin never applied it: settles as failed
    assert result.kind == "failure"
    assert all(r["verify_status"] != "success" for r in rows(run, runtime))


def test_pending_then_settled_turns_green(qtbot, desktop, runtime, run) -> None:
    c = coupon(runtime, tag="single", state="usable")
    scan(desktop, c.code)
    wait_phase(qtbot, desktop, "card")
    faults = runtime.sandbox.state.faults
    faults.add(Fault(endpoint="verify", kind="apply_then_drop"))
    # the immediate certificate/get fails too, so the answer stays unknown until the reconciler
    faults.add(Fault(endpoint="get", kind="http_500", times=3))
    faults.add(Fault(endpoint="query", kind="http_500", times=3))
    press(desktop, Qt.Key.Key_Return)
    pending = wait_result(qtbot, desktop, "pending")
    assert desktop.counter.banner.kind == "pending"
    assert "确认中" in desktop.counter.banner.headline.text()
    assert desktop.sounds.played[-1] == "pending"
    # the reconciler retries certificate/get after its back-off (about 10 s) and settles the row
    settled = wait_result(qtbot, desktop, "success", timeout=40_000)
    assert settled.count == 1 and pending is not settled
    assert desktop.counter.banner.kind == "success"
    assert desktop.sounds.played[-1] == "success"
    assert [r["verify_status"] for r in rows(run, runtime)] == ["success"]
    entry = desktop.controller.recent[0]
    assert entry.result.kind == "success"


def test_input_is_locked_while_a_call_is_in_flight(qtbot, desktop, runtime) -> None:
    c = coupon(runtime, tag="single", state="usable")
    runtime.sandbox.state.faults.add(Fault(endpoint="prepare", kind="latency", latency_ms=600))
    scan(desktop, c.code)
    assert desktop.controller.phase == "preparing"
    box = desktop.counter.scan_box
    assert box.locked and box.isReadOnly()
    QTest.keyClicks(box, "123456789")
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert box.text() == ""
    # Douyin is slow: after a moment the banner says so (a quick answer never flashes it)
    qtbot.waitUntil(lambda: desktop.counter.banner.kind == "busy", timeout=500)
    assert "正在查询" in desktop.counter.banner.headline.text() and "正在向抖音查询" in desktop.counter.hint.text()
    wait_phase(qtbot, desktop, "card")
    assert runtime.sandbox.state.counters["prepare"] == 1
    assert not box.locked


def test_a_quick_answer_never_flashes_the_busy_banner(qtbot, desktop, runtime, poi_id) -> None:
    kinds: list[str] = []
    banner = desktop.counter.banner
    original = banner._set

    def spy(kind: str, *args: Any) -> None:
        kinds.append(kind)
        original(kind, *args)

    banner._set = spy
    desktop.counter._busy_timer.setInterval(3000)  # "quick" even on a loaded CI machine
    c = coupon(runtime, tag="single", state="usable", poi_id=poi_id)
    scan(desktop, c.code)
    assert desktop.counter.scan_box.locked  # locked at once, before anything is painted
    wait_phase(qtbot, desktop, "card")
    press(desktop, Qt.Key.Key_Return)
    wait_result(qtbot, desktop, "success")
    qtbot.wait(3200)  # past the busy delay: nothing late may paint over the answer
    assert "busy" not in kinds and kinds[-1] == "success"
    assert banner.kind == "success"


def test_scanner_burst_and_typing_are_told_apart(qtbot, desktop, runtime) -> None:
    c = coupon(runtime, tag="single", state="usable")
    scan(desktop, c.code)  # no delay between keys: a scanner
    assert desktop.counter.scan_box.last_was_scan
    wait_phase(qtbot, desktop, "card")
    press(desktop, Qt.Key.Key_Escape)
    scan(desktop, c.code, delay_ms=45)  # a person typing
    assert not desktop.counter.scan_box.last_was_scan
    wait_phase(qtbot, desktop, "card")


def test_scanner_without_enter_is_submitted_after_a_pause(qtbot, desktop, runtime) -> None:
    c = coupon(runtime, tag="single", state="usable")
    QTest.keyClicks(desktop.counter.scan_box, c.code)
    wait_phase(qtbot, desktop, "card")


def test_slow_typing_without_enter_waits_for_enter(qtbot, desktop, runtime) -> None:
    c = coupon(runtime, tag="single", state="usable")
    QTest.keyClicks(desktop.counter.scan_box, c.code, Qt.KeyboardModifier.NoModifier, 40)
    qtbot.wait(400)
    assert desktop.controller.phase == "idle"
    assert desktop.counter.scan_box.text() == c.code


def test_focus_always_returns_to_the_scan_box(qtbot, desktop, runtime) -> None:
    counter = desktop.counter
    c = coupon(runtime, tag="voucher-pair", state="usable")
    scan(desktop, c.short_link)
    wait_phase(qtbot, desktop, "card")
    qtbot.mouseClick(counter.card.plus, Qt.MouseButton.LeftButton)
    assert desktop.controller.count == 2
    assert counter.scan_box.hasFocus()
    # something grabbed the focus (a click on the list, a stray widget): it comes straight back
    counter.recent.list.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    counter.recent.list.setFocus()
    qtbot.waitUntil(counter.scan_box.hasFocus, timeout=2000)
    qtbot.mouseClick(counter.card.confirm, Qt.MouseButton.LeftButton)
    wait_result(qtbot, desktop, "success")
    assert counter.scan_box.hasFocus()


def test_keys_sent_to_another_widget_land_in_the_scan_box(qtbot, desktop, runtime) -> None:
    c = coupon(runtime, tag="single", state="usable")
    stray = desktop.window.nav  # the sidebar: keys aimed at it belong to the scan box
    QTest.keyClicks(stray, c.code)
    QTest.keyClick(stray, Qt.Key.Key_Return)
    wait_phase(qtbot, desktop, "card")
    assert desktop.window.current_page() == 0


def test_practice_coupons_fill_the_box(qtbot, desktop, runtime, poi_id) -> None:
    practice = desktop.counter.practice
    assert practice is not None and practice.tree.topLevelItemCount() >= 8
    first = practice.tree.topLevelItem(0).child(0)
    practice.tree.itemClicked.emit(first, 0)
    text = desktop.counter.scan_box.text()
    assert text and text in {v.code for v in runtime.sandbox.state.coupons()} | {
        v.short_link for v in runtime.sandbox.state.coupons()
    }
    press(desktop, Qt.Key.Key_Return)
    wait_phase(qtbot, desktop, "card", "result")


def test_demo_banner_is_shown(desktop) -> None:
    banner = desktop.window.demo_banner
    assert banner is not None and banner.isVisible()
    assert "训练模式" in banner.text() and "不会核销真实团购券" in banner.text()
    assert SANDBOX_POIS[0].poi_name in desktop.window.store_label.text()


def test_scan_while_another_screen_is_open_goes_to_the_counter(qtbot, desktop, runtime) -> None:
    desktop.window.show_page(3)  # settings, the Douyin account form
    field = desktop.window.page_widget(3).douyin.account_id
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=2000)
    c = coupon(runtime, tag="single", state="usable")
    QTest.keyClicks(field, c.code)  # a scanner's speed
    QTest.keyClick(field, Qt.Key.Key_Return)
    wait_phase(qtbot, desktop, "card")
    assert desktop.window.current_page() == 0
    assert field.text() == ""  # nothing of the scan landed in the form


def test_typing_in_another_screen_stays_there(qtbot, desktop) -> None:
    desktop.window.show_page(3)
    field = desktop.window.page_widget(3).douyin.account_id
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=2000)
    QTest.keyClicks(field, "70001234", Qt.KeyboardModifier.NoModifier, 60)  # a person's pace
    qtbot.wait(100)
    assert field.text() == "70001234"
    assert desktop.window.current_page() == 3
    assert desktop.controller.phase == "idle"


def test_no_store_chosen_means_nothing_is_sent(qtbot, desktop, runtime) -> None:
    desktop.controller._poi_id = lambda: ""
    scan(desktop, coupon(runtime, tag="single", state="usable").code)
    result = wait_result(qtbot, desktop, "failure")
    assert result.headline == "未设置门店"
    assert runtime.sandbox.state.counters["prepare"] == 0


def test_live_mode_has_no_training_banner_and_uses_the_saved_store(qtbot, run, tmp_path) -> None:
    """Live mode against a Douyin at a configured URL (a separately started sandbox stands in)."""
    from app.common.prefs import Prefs
    from app.desktop import DesktopApp
    from app.settings import keystore
    from app.sound.player import SoundPlayer
    from gateway_core.runtime import Runtime
    from gateway_core.sandbox import SANDBOX_ACCOUNT_ID, SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, SandboxServer
    from gateway_core.settings import Settings

    douyin = SandboxServer()
    url = run(douyin.start())
    poi = SANDBOX_POIS[1].poi_id
    keystore.save({keystore.POI_ID: poi})
    settings = Settings(
        data_dir=tmp_path / "live",
        douyin_base_url=url,
        douyin_client_key=SANDBOX_CLIENT_KEY,
        douyin_client_secret=SANDBOX_CLIENT_SECRET,
        douyin_account_id=SANDBOX_ACCOUNT_ID,
    )
    rt = Runtime(settings)
    run(rt.start())
    try:
        assert not rt.demo and rt.sandbox is None
        desk = DesktopApp(rt, Prefs(), settings.data_dir, sounds=SoundPlayer(enabled=False, backend=None))
        desk.show()
        qtbot.waitExposed(desk.window)
        qtbot.waitUntil(desk.counter.scan_box.hasFocus, timeout=5000)
        qtbot.waitUntil(lambda: desk.keyboard_watched, timeout=5000)
        assert desk.window.demo_banner is None and desk.counter.practice is None
        assert desk.poi_id() == poi
        c = douyin.state.coupon(tag="single", state="usable", poi_id=poi)
        scan(desk, c.code)
        wait_phase(qtbot, desk, "card")
        press(desk, Qt.Key.Key_Return)
        wait_result(qtbot, desk, "success")
        assert douyin.state.counters["verify"] == 1
        desk.release()
        desk.window.allow_close()
        desk.window.close()
    finally:
        run(rt.stop())
        run(douyin.stop())
