"""The local HTTP API (contract.md): a thin aiohttp door onto the service."""

from gateway_core.server.app import create_http_app

__all__ = ["create_http_app"]
