"""One TLS context per process for the outbound HTTPS clients (Douyin, the reporting API)."""

from __future__ import annotations

import ssl
import threading

_lock = threading.Lock()
_context: ssl.SSLContext | None = None


def default_tls_context() -> ssl.SSLContext:
    """httpx's default verification (SSL_CERT_FILE or SSL_CERT_DIR when set, else certifi's CA
    bundle), made once per process and shared.

    Each httpx client given `verify=True` loads the CA bundle again: 40-60 ms on the test machine,
    and most of it runs without the GIL, so the desktop calls this on its start-up thread while
    Qt starts (measured: a busy main thread lost 19 ms to a 43 ms load running beside it).
    """
    global _context
    with _lock:
        if _context is None:
            import httpx

            _context = httpx.create_ssl_context()
        return _context
