"""What the cashier scanned or typed, made into a short link or a coupon code.

A scanner is a keyboard: it may prefix symbology identifiers, add control characters, or deliver a
whole Douyin share text ("复制打开抖音… https://v.douyin.com/xxxx/ …"). We keep what matters and never
limit the length of a link.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

_URL = re.compile(r"https?://[^\s\"'<>，。、；]+", re.IGNORECASE)
_BARE_LINK = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}/\S*$", re.IGNORECASE)
_CODE_SEPARATORS = re.compile(r"[\s\-_.]+")
MIN_CODE_DIGITS = 6


@dataclass(frozen=True)
class ScanInput:
    kind: Literal["short_link", "code"]
    value: str

    @property
    def key(self) -> str:
        """What two scans of the same coupon share (case and trailing slash of a link ignored)."""
        return f"{self.kind}:{self.value.rstrip('/').lower()}"

    def masked(self) -> str:
        """Shown on screen and in logs: enough to recognise, not enough to reuse."""
        tail = self.value.rstrip("/")[-4:]
        if self.kind == "code":
            return f"…{tail}"
        host = self.value.split("://", 1)[-1].split("/", 1)[0]
        return f"{host}/…{tail}"


class UnreadableInput(ValueError):
    """Neither a link nor a numeric code."""


def strip_controls(text: str) -> str:
    # NFKC turns full-width digits and letters from a Chinese IME into ASCII.
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf"} or ch == " ")


def parse_scan(raw: str) -> ScanInput:
    text = strip_controls(raw).strip()
    if not text:
        raise UnreadableInput("empty")
    match = _URL.search(text)
    if match:
        return ScanInput("short_link", match.group(0).rstrip(".,;)）】"))
    if _BARE_LINK.match(text):
        return ScanInput("short_link", "https://" + text)
    code = _CODE_SEPARATORS.sub("", text)
    if code.isdigit() and len(code) >= MIN_CODE_DIGITS:
        return ScanInput("code", code)
    raise UnreadableInput(text)
