"""dy-verifier's engine: Douyin client, ledger, service, local HTTP API, sync and sandbox.

Nothing in this package imports Qt: it runs headless on a server too.
"""

from gateway_core.version import __version__

__all__ = ["__version__"]
