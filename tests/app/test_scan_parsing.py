"""What a scanner or a cashier types, made into a short link or a coupon code."""

from __future__ import annotations

import pytest

from app.cashier.duplicates import RecentScans
from app.cashier.scan_input import ScanInput, UnreadableInput, parse_scan
from app.cashier.scanner import KeystrokeTimer


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("123456789012", "code", "123456789012"),
        ("1234 5678 9012", "code", "123456789012"),
        ("1234-5678-9012\r\n", "code", "123456789012"),
        ("\x02123456789012\x03", "code", "123456789012"),  # STX/ETX framing of some scanners
        ("１２３４５６７８９０１２", "code", "123456789012"),  # full-width digits from a Chinese IME
        ("https://v.douyin.com/iRNBgJ2x/", "short_link", "https://v.douyin.com/iRNBgJ2x/"),
        ("HTTPS://V.DOUYIN.COM/ABC/", "short_link", "HTTPS://V.DOUYIN.COM/ABC/"),
        ("v.douyin.com/iRNBgJ2x/", "short_link", "https://v.douyin.com/iRNBgJ2x/"),
        ("]Q1https://v.douyin.com/x-y_z/", "short_link", "https://v.douyin.com/x-y_z/"),
        (
            "7.43 复制打开抖音,看看【老街坊的团购】 https://v.douyin.com/iAbCd/ 02/19 abc:/",
            "short_link",
            "https://v.douyin.com/iAbCd/",
        ),
    ],
)
def test_parse_scan(raw: str, kind: str, value: str) -> None:
    assert parse_scan(raw) == ScanInput(kind, value)  # type: ignore[arg-type]


def test_long_link_is_never_cut() -> None:
    link = "https://v.douyin.com/" + "a" * 3000 + "/"
    assert parse_scan(link).value == link


@pytest.mark.parametrize("raw", ["", "   ", "\r\n", "hello", "12345", "抖音"])
def test_unreadable(raw: str) -> None:
    with pytest.raises(UnreadableInput):
        parse_scan(raw)


def test_masked_code_shows_only_the_tail() -> None:
    assert ScanInput("code", "123456789012").masked() == "…9012"
    assert (
        ScanInput("short_link", "https://v.douyin.com/a/").key == ScanInput("short_link", "https://V.douyin.com/a").key
    )


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_scanner_timing() -> None:
    clock = FakeClock()
    timer = KeystrokeTimer(clock)
    for _ in range(12):
        timer.key()
        clock.now += 0.004
    assert timer.is_scan()
    timer.reset()
    for _ in range(12):
        timer.key()
        clock.now += 0.15
    assert not timer.is_scan()
    timer.reset()
    for _ in range(3):  # too short to tell
        timer.key()
        clock.now += 0.001
    assert not timer.is_scan()


def test_one_hiccup_in_a_long_burst_is_still_a_scan() -> None:
    clock = FakeClock()
    timer = KeystrokeTimer(clock)
    for i in range(20):
        timer.key()
        clock.now += 0.12 if i == 10 else 0.005
    assert timer.is_scan()


def test_recent_scans_window() -> None:
    clock = FakeClock()
    scans = RecentScans(window=8, clock=clock)
    scans.remember("code:1", "ok")
    clock.now += 3
    assert scans.check("code:1") == (3, "ok")
    clock.now += 6
    assert scans.check("code:1") is None
    scans.remember("code:2")
    scans.forget("code:2")
    assert scans.check("code:2") is None
