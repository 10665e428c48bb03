"""GET /openapi.json: an OpenAPI 3.1 description of the local API.

Field lists come from the same tuples the code renders (reports.VIEW_FIELDS, SUMMARY_FIELDS), and
the test suite runs schemathesis against the live server with this document, so it cannot drift
from what the server really answers.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from gateway_core.ledger.views import APP_KEYS
from gateway_core.service.apps import STATUSES as APP_STATUSES
from gateway_core.service.reports import GROUP_KEYS, STATUSES, SUMMARY_FIELDS, VIEW_FIELDS
from gateway_core.service.requests import MAX_COUNT, REQUEST_ID_MAX
from gateway_core.version import __version__

STR = {"type": "string"}
NSTR = {"type": ["string", "null"]}
INT = {"type": "integer"}
NINT = {"type": ["integer", "null"]}
TIME = {"type": "string", "format": "date-time"}
NTIME = {"type": ["string", "null"], "format": "date-time"}

_VIEW_TYPES: dict[str, dict[str, Any]] = {
    "id": INT,
    "app_id": INT,
    "app_name": NSTR,
    "poi_id": STR,
    "verify_status": {"type": "string", "enum": list(STATUSES)},
    "error_code": NINT,
    "error_description": NSTR,
    "certificate_id": NSTR,
    "encrypted_code": NSTR,
    "origin_code": NSTR,
    "coupon_status": {
        "type": ["string", "null"],
        "enum": ["unused", "verified", "cancelled", "refunded", "expired", "unknown", None],
    },
    "product_id": NSTR,
    "product_name": NSTR,
    "sku_id": NSTR,
    "sku_name": NSTR,
    "verify_records_count": NINT,
    "verify_id": NSTR,
    "order_id": NSTR,
    "source_order_id": NSTR,
    "ext_order_id": NSTR,
    "order_status": NINT,
    "pay_amount": NINT,
    "receipt_amount": NINT,
    "discount_amount": NINT,
    "enrichment_status": {"type": "string", "enum": ["pending", "enriched", "failed", "skipped"]},
    "store_id": NSTR,
    "operator": NSTR,
    "mode": {"type": ["string", "null"], "enum": ["short_link", "code", "encrypted_code", None]},
    "request_id": NSTR,
    "created_at": TIME,
    "updated_at": TIME,
    "verified_at": NTIME,
    "cancelled_at": NTIME,
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    text = {
        400: "invalid request",
        401: "not authenticated",
        403: "forbidden",
        404: "not found",
        409: "conflict",
        413: "body over 64 KiB",
        415: "not JSON",
        422: "refused by Douyin",
        429: "rate limited",
        502: "Douyin error or unreachable",
        504: "Douyin timeout",
    }
    return {str(s): _json(_ref("Error"), text[s]) for s in statuses}


def _schemas() -> dict[str, Any]:
    view = {
        "type": "object",
        "required": list(VIEW_FIELDS),
        "properties": {name: _VIEW_TYPES[name] for name in VIEW_FIELDS},
    }
    summary_row = {
        "type": "object",
        "properties": {
            "day": {"type": "string", "format": "date"},
            "hour": STR,
            "poi_id": NSTR,
            "app_id": NINT,
            "app_name": NSTR,
            "store_id": NSTR,
            "operator": NSTR,
            **{name: INT for name in SUMMARY_FIELDS},
        },
        "required": list(SUMMARY_FIELDS),
    }
    app = {
        "type": "object",
        "required": list(APP_KEYS),
        "properties": {
            "id": INT,
            "created_at": TIME,
            "updated_at": TIME,
            "name": STR,
            "code": STR,
            "description": NSTR,
            "client_key": STR,
            "status": {"type": "string", "enum": list(APP_STATUSES)},
            "allow_token_read": {"type": "boolean"},
            "last_used_at": NTIME,
        },
    }
    error = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "trace_id"],
                "properties": {
                    "code": STR,
                    "message": STR,
                    "trace_id": STR,
                    "reason_zh": STR,
                    "fields": {"type": "object", "additionalProperties": STR},
                },
            },
            "upstream": {"type": "object"},
            "data": {"oneOf": [_ref("VerificationView"), {"type": "null"}]},
            "items": {"type": "array", "items": _ref("VerificationView")},
        },
    }
    code_or_link = {"type": "string", "minLength": 1, "maxLength": 4096}
    coupon_code = {
        "type": "string",
        "minLength": 1,
        "maxLength": 256,
        "description": "at most 64 printable ASCII characters once the spaces and dashes people type are removed",
    }
    return {
        "VerificationView": view,
        "VerificationSummaryRow": summary_row,
        "VerifierApp": app,
        "Error": error,
        "PrepareCouponRequest": {
            "type": "object",
            "required": ["poi_id"],
            "properties": {
                "poi_id": {"type": "string", "minLength": 1},
                "short_link": code_or_link,
                "code": coupon_code,
            },
            "oneOf": [{"required": ["short_link"]}, {"required": ["code"]}],
        },
        "VerifyCouponRequest": {
            "type": "object",
            "required": ["poi_id"],
            "properties": {
                "poi_id": {"type": "string", "minLength": 1},
                "short_link": code_or_link,
                "code": coupon_code,
                "encrypted_code": code_or_link,
                "verify_token": {"type": "string", "minLength": 1},
                "count": {"type": "integer", "minimum": 1, "maximum": MAX_COUNT, "default": 1},
                "request_id": {"type": "string", "minLength": 1, "maxLength": REQUEST_ID_MAX},
            },
            "oneOf": [
                {"required": ["short_link"]},
                {"required": ["code"]},
                {"required": ["encrypted_code", "verify_token"]},
            ],
        },
        "VerificationResponse": {
            "type": "object",
            "required": ["data", "items"],
            "properties": {
                "data": _ref("VerificationView"),
                "items": {"type": "array", "items": _ref("VerificationView")},
            },
        },
        "CreateAppRequest": {
            "type": "object",
            "required": ["name", "code"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 100},
                "code": {"type": "string", "pattern": "^[a-z0-9_-]{2,32}$"},
                "description": {"type": "string", "maxLength": 1000},
                "client_key": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
                "secret": {"type": "string", "minLength": 16, "maxLength": 256},
                "status": {"type": "string", "enum": list(APP_STATUSES), "default": "active"},
                "allow_token_read": {"type": "boolean", "default": False},
            },
            "additionalProperties": False,
        },
        "AppWithSecret": {
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {
                    "type": "object",
                    "required": ["app", "secret"],
                    "properties": {"app": _ref("VerifierApp"), "secret": STR},
                }
            },
        },
    }


def _signed() -> list[dict[str, list[str]]]:
    return [{"clientKey": [], "timestamp": [], "nonce": [], "signature": []}]


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _report_filters() -> list[dict[str, Any]]:
    when = {"type": "string", "format": "date-time"}
    return [
        _query("start_time", when, "ISO 8601 date-time or YYYY-MM-DD (that whole day), inclusive"),
        _query("end_time", when, "ISO 8601 date-time or YYYY-MM-DD (that whole day), inclusive"),
        _query("poi_id", STR),
        _query("app_id", INT),
    ]


def _id_param() -> dict[str, Any]:
    return {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}


def _paths() -> dict[str, Any]:
    verify_responses = {
        "200": _json(_ref("VerificationResponse"), "at least one coupon redeemed"),
        **_errors(400, 401, 403, 409, 413, 415, 422, 429, 502, 504),
    }
    raw_douyin = {"type": "object", "description": "Douyin's JSON, unchanged"}
    return {
        "/health": {
            "get": {
                "operationId": "health",
                "security": [],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["status", "version", "checks"],
                            "properties": {
                                "status": {"type": "string", "enum": ["ok", "degraded"]},
                                "version": STR,
                                "checks": {
                                    "type": "object",
                                    "properties": {
                                        "database": STR,
                                        "douyin_token": {
                                            "type": "string",
                                            "enum": ["valid", "expired", "missing", "error"],
                                        },
                                        "sync_backlog": INT,
                                    },
                                },
                            },
                        },
                        "health",
                    )
                },
            }
        },
        "/v1/open/coupons/prepare": {
            "post": {
                "operationId": "prepareCoupon",
                "security": _signed(),
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("PrepareCouponRequest")}},
                },
                "responses": {
                    "200": _json(raw_douyin, "Douyin's prepare answer"),
                    **_errors(400, 401, 403, 409, 413, 415, 422, 429, 502, 504),
                },
            }
        },
        "/v1/open/coupons/verify": {
            "post": {
                "operationId": "verifyCoupon",
                "security": _signed(),
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("VerifyCouponRequest")}},
                },
                "responses": verify_responses,
            }
        },
        "/v1/open/coupons/{id}/cancel": {
            "post": {
                "operationId": "cancelVerification",
                "security": _signed(),
                "parameters": [_id_param()],
                "requestBody": {
                    "required": False,
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"reason": {"type": "string", "maxLength": 500}}}
                        }
                    },
                },
                "responses": {
                    "200": _json(
                        {"type": "object", "required": ["data"], "properties": {"data": _ref("VerificationView")}},
                        "cancelled",
                    ),
                    **_errors(400, 401, 403, 404, 409, 413, 415, 422, 429, 502, 504),
                },
            }
        },
        "/v1/open/douyin/access-token": {
            "get": {
                "operationId": "readAccessToken",
                "security": _signed(),
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["data"],
                            "properties": {
                                "data": {
                                    "type": "object",
                                    "required": ["access_token", "expires_at", "expires_in"],
                                    "properties": {"access_token": STR, "expires_at": TIME, "expires_in": INT},
                                }
                            },
                        },
                        "token",
                    ),
                    **_errors(401, 403, 429, 502, 504),
                },
            }
        },
        "/v1/open/shops": {
            "get": {
                "operationId": "queryShops",
                "security": _signed(),
                "parameters": [
                    _query("page", {"type": "integer", "minimum": 1, "default": 1}),
                    _query("size", {"type": "integer", "minimum": 1, "maximum": 50, "default": 20}),
                    _query("poi_id", STR),
                ],
                "responses": {
                    "200": _json(raw_douyin, "Douyin's shop answer"),
                    **_errors(400, 401, 403, 429, 502, 504),
                },
            }
        },
        "/v1/internal/reports/verifications": {
            "get": {
                "operationId": "listVerifications",
                "security": [{"operatorKey": []}],
                "parameters": [
                    *_report_filters(),
                    _query("status", {"type": "string", "enum": list(STATUSES)}),
                    _query("certificate_id", STR),
                    _query("order_id", STR),
                    _query("page", {"type": "integer", "minimum": 1, "default": 1}),
                    _query("page_size", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}),
                    _query("export", {"type": "string", "enum": ["csv"]}),
                ],
                "responses": {
                    "200": {
                        "description": "a page, or the whole range as CSV",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["data", "page", "page_size", "total"],
                                    "properties": {
                                        "data": {"type": "array", "items": _ref("VerificationView")},
                                        "page": INT,
                                        "page_size": INT,
                                        "total": INT,
                                    },
                                }
                            },
                            "text/csv": {"schema": STR},
                        },
                    },
                    **_errors(400, 401),
                },
            }
        },
        "/v1/internal/reports/verifications/summary": {
            "get": {
                "operationId": "verificationSummary",
                "security": [{"operatorKey": []}],
                "parameters": [
                    *_report_filters(),
                    _query(
                        "group_by",
                        {
                            "type": "string",
                            "pattern": "^(" + "|".join(GROUP_KEYS) + ")(,(" + "|".join(GROUP_KEYS) + "))*$",
                            "default": "day",
                        },
                    ),
                    _query("export", {"type": "string", "enum": ["csv"]}),
                ],
                "responses": {
                    "200": {
                        "description": "summary",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["data", "totals"],
                                    "properties": {
                                        "data": {"type": "array", "items": _ref("VerificationSummaryRow")},
                                        "totals": _ref("VerificationSummaryRow"),
                                    },
                                }
                            },
                            "text/csv": {"schema": STR},
                        },
                    },
                    **_errors(400, 401),
                },
            }
        },
        "/v1/internal/apps": {
            "post": {
                "operationId": "createApp",
                "security": [{"operatorKey": []}],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("CreateAppRequest")}},
                },
                "responses": {
                    "201": _json(_ref("AppWithSecret"), "created; the secret is shown this once"),
                    **_errors(400, 401, 409, 413, 415),
                },
            },
            "get": {
                "operationId": "listApps",
                "security": [{"operatorKey": []}],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["data"],
                            "properties": {"data": {"type": "array", "items": _ref("VerifierApp")}},
                        },
                        "apps",
                    ),
                    **_errors(401),
                },
            },
        },
        "/v1/internal/apps/{id}/token-access": {
            "patch": {
                "operationId": "updateTokenAccess",
                "security": [{"operatorKey": []}],
                "parameters": [_id_param()],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["allow_token_read"],
                                "properties": {"allow_token_read": {"type": "boolean"}},
                            }
                        }
                    },
                },
                "responses": {
                    "200": _json(
                        {"type": "object", "required": ["message"], "properties": {"message": STR}}, "updated"
                    ),
                    **_errors(400, 401, 404, 413, 415),
                },
            }
        },
        "/v1/internal/apps/{id}": {
            "patch": {
                "operationId": "updateApp",
                "security": [{"operatorKey": []}],
                "parameters": [_id_param()],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "additionalProperties": False,
                                "properties": {
                                    "name": {"type": "string", "minLength": 1, "maxLength": 100},
                                    "description": {"type": "string", "maxLength": 1000},
                                    "status": {"type": "string", "enum": list(APP_STATUSES)},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": _json(
                        {"type": "object", "required": ["data"], "properties": {"data": _ref("VerifierApp")}}, "updated"
                    ),
                    **_errors(400, 401, 404, 409, 413, 415),
                },
            }
        },
        "/v1/internal/apps/{id}/rotate-secret": {
            "post": {
                "operationId": "rotateSecret",
                "security": [{"operatorKey": []}],
                "parameters": [_id_param()],
                "responses": {"200": _json(_ref("AppWithSecret"), "new secret, shown this once"), **_errors(401, 404)},
            }
        },
        "/v1/internal/sync/verifications": {
            "post": {
                "operationId": "ingestVerifications",
                "security": [{"operatorKey": []}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["store_id", "records"],
                                "properties": {
                                    "store_id": {"type": "string", "minLength": 1},
                                    "records": {"type": "array", "items": _ref("VerificationView")},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["data"],
                            "properties": {
                                "data": {
                                    "type": "object",
                                    "required": ["accepted", "stale"],
                                    "properties": {"accepted": INT, "stale": INT},
                                }
                            },
                        },
                        "ingested",
                    ),
                    **_errors(400, 401, 404, 413, 415),
                },
            }
        },
    }


@cache
def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "dy-verifier local API",
            "version": __version__,
            "description": "Signed local HTTP API of dy-verifier (see contract.md).",
        },
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {
                "clientKey": {"type": "apiKey", "in": "header", "name": "X-Client-Key"},
                "timestamp": {"type": "apiKey", "in": "header", "name": "X-Timestamp"},
                "nonce": {"type": "apiKey", "in": "header", "name": "X-Nonce"},
                "signature": {"type": "apiKey", "in": "header", "name": "X-Signature"},
                "operatorKey": {"type": "apiKey", "in": "header", "name": "X-XTJ-UID"},
            },
        },
    }
