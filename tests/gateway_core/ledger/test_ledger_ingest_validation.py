"""The head office's quick check of synced records agrees with the careful one it shortcuts.

`_quick_row` exists only for speed; if it ever accepted a record the careful path refuses, or
stored a value differently, the head office would keep what the contract says it must refuse.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from test_ledger_sync import _remote

from gateway_core.ledger import ingest
from gateway_core.ledger.views import VIEW_KEYS

ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, -1, 1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 10**30]),
    st.integers(),
    st.floats(allow_nan=False),
    st.sampled_from(
        [
            "",
            " ",
            "success",
            "processing",
            "verified",
            "code",
            "pending",
            "2026-03-01T02:00:00.000Z",
            "2026-03-01T02:00:00Z",
            "2026-02-30T02:00:00.000Z",
            "2026-03-01T24:00:00.000Z",
            "2026-03-01 02:00:00.000Z",
            "2026-03-01T02:00:00.000+08:00",
            "x" * 4096,
            "x" * 4097,
            "store-b",
            "store-x",
        ]
    ),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(max_examples=600, deadline=None)
@given(
    changes=st.dictionaries(st.sampled_from(VIEW_KEYS), ODD_VALUES, max_size=4),
    drop=st.sets(st.sampled_from(VIEW_KEYS), max_size=2),
)
def test_the_quick_path_accepts_only_what_the_careful_path_accepts_and_stores_it_alike(
    changes: dict[str, Any], drop: set[str]
) -> None:
    record = {**_remote(1, "2026-03-01T02:00:01.000Z"), **changes}
    for key in drop:
        del record[key]
    errors: dict[str, str] = {}
    careful = ingest._checked_row("store-b", record, "records[0].", errors)
    quick = ingest._quick_row("store-b", record)
    if quick is not None:
        assert errors == {} and quick == careful


def test_well_formed_records_take_the_quick_path() -> None:
    """Else the shortcut would silently stop paying off (what a store sends must pass it)."""
    plain = _remote(1, "2026-03-01T02:00:01.000Z")
    without_optional = {k: v for k, v in plain.items() if v is not None and k != "store_id"}
    by_code = _remote(2, "2026-03-01T02:00:01.000Z", encrypted_code="e", certificate_id=None)
    for record in (plain, without_optional, by_code):
        row = ingest._quick_row("store-b", record)
        assert row is not None and len(row) == len(VIEW_KEYS) and row[VIEW_KEYS.index("store_id")] == "store-b"
