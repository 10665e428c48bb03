"""Rows -> the contract's dicts (VerificationView, VerifierApp, cashier), keys in contract order."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

# Contract section 5, seed fields first; the order is the JSON order clients see.
VIEW_KEYS: tuple[str, ...] = (
    "id",
    "app_id",
    "app_name",
    "poi_id",
    "verify_status",
    "error_code",
    "error_description",
    "certificate_id",
    "encrypted_code",
    "origin_code",
    "coupon_status",
    "product_id",
    "product_name",
    "sku_id",
    "sku_name",
    "verify_records_count",
    "verify_id",
    "order_id",
    "source_order_id",
    "ext_order_id",
    "order_status",
    "pay_amount",
    "receipt_amount",
    "discount_amount",
    "enrichment_status",
    "store_id",
    "operator",
    "mode",
    "request_id",
    "created_at",
    "updated_at",
    "verified_at",
    "cancelled_at",
)
INT_KEYS = frozenset(
    {
        "id",
        "app_id",
        "error_code",
        "verify_records_count",
        "order_status",
        "pay_amount",
        "receipt_amount",
        "discount_amount",
    }
)
TIME_KEYS = frozenset({"created_at", "updated_at", "verified_at", "cancelled_at"})
# Stored as NOT NULL with these defaults; every other view key may be null.
VIEW_DEFAULTS: dict[str, Any] = {
    "app_name": "",
    "error_code": 0,
    "error_description": "",
    "coupon_status": "unknown",
    "verify_records_count": 0,
    "order_status": 0,
    "pay_amount": 0,
    "receipt_amount": 0,
    "discount_amount": 0,
    "enrichment_status": "pending",
}

# A head office shows a synced row under the id its own store gave it.
VIEW_SELECT = ", ".join("COALESCE(v.remote_id, v.id) AS id" if k == "id" else f"v.{k}" for k in VIEW_KEYS)

INTERNAL_KEYS: tuple[str, ...] = (
    "local_id",
    "remote_id",
    "coupon_key",
    "details_json",
    "reconcile_attempts",
    "next_reconcile_at",
    "enrich_attempts",
    "next_enrich_at",
    "last_error",
    "multi_use",
    "outcome_unknown_at",
)
INTERNAL_SELECT = VIEW_SELECT + ", v.id AS local_id, " + ", ".join(f"v.{k}" for k in INTERNAL_KEYS[1:])


def verification_view(row: Sequence[Any]) -> dict[str, Any]:
    """A row selected with VIEW_SELECT, as the contract's VerificationView."""
    return dict(zip(VIEW_KEYS, row, strict=False))


def verification_internal(row: Sequence[Any]) -> dict[str, Any]:
    """A row selected with INTERNAL_SELECT: the view plus the bookkeeping the service needs.

    `details` is the parsed coupon card; `local_id` is this database's id (differs from `id` only
    on rows synced in from another store).
    """
    n = len(VIEW_KEYS)
    record = verification_view(row[:n])
    internal = dict(zip(INTERNAL_KEYS, row[n:], strict=True))
    details = internal.pop("details_json")
    internal["details"] = json.loads(details) if details else {}
    record.update(internal)
    return record


APP_KEYS: tuple[str, ...] = (
    "id",
    "created_at",
    "updated_at",
    "name",
    "code",
    "description",
    "client_key",
    "status",
    "allow_token_read",
    "last_used_at",
)
APP_SELECT = ", ".join(APP_KEYS) + ", builtin"


def app_view(row: Sequence[Any]) -> dict[str, Any]:
    """VerifierApp (seed fields) plus `builtin`; never the secret."""
    view = dict(zip(APP_KEYS, row, strict=False))
    view["allow_token_read"] = bool(view["allow_token_read"])
    view["builtin"] = bool(row[len(APP_KEYS)])
    return view


CASHIER_KEYS: tuple[str, ...] = ("id", "name", "role", "active", "created_at")
CASHIER_SELECT = ", ".join(CASHIER_KEYS)


def cashier_view(row: Sequence[Any]) -> dict[str, Any]:
    view = dict(zip(CASHIER_KEYS, row, strict=True))
    view["active"] = bool(view["active"])
    return view
