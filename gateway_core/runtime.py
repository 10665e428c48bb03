"""Builds and wires everything once; `start()` / `stop()`. Both the desktop and `serve` use it."""

from __future__ import annotations

import asyncio
import importlib
import logging
import secrets
import ssl
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiohttp import web

from gateway_core.clock import utc_now
from gateway_core.douyin import DouyinClient, Token
from gateway_core.events import EventBus
from gateway_core.ledger import Ledger
from gateway_core.operator_keys import OperatorKeys, hash_operator_key
from gateway_core.secretbox import SecretBox
from gateway_core.service.apps import COUNTER_APP_CODE, AppsService
from gateway_core.service.cashiers import CashiersService
from gateway_core.service.enrichment import Enricher
from gateway_core.service.gateway import GatewayService
from gateway_core.service.models import AppIdentity
from gateway_core.service.reports import ReportsService
from gateway_core.service.verification import VerificationService
from gateway_core.settings import Settings
from gateway_core.sync import SyncPusher, SyncStatus, ingest_batch, ledger_sync_status
from gateway_core.tls import default_tls_context
from gateway_core.version import __version__
from gateway_core.workers import BackgroundLoop

log = logging.getLogger(__name__)

STORE_ID_SETTING = "store_id"
OPERATOR_KEYS_SETTING = "internal_key_digests"


class Runtime:
    def __init__(
        self,
        settings: Settings,
        *,
        demo: bool | None = None,
        prefer_keyring: bool = False,
        reconcile_interval: float = 5.0,
        enrich_interval: float = 30.0,
        sync_interval: float = 1.0,
        unknown_outcome_grace: timedelta = timedelta(seconds=30),
        serve_sandbox_later: bool = False,
    ) -> None:
        """`serve_sandbox_later` (training mode): `start()` only binds the sandbox's socket and
        `serve_sandbox()` serves it, so a window can be up before aiohttp is even imported.
        Douyin calls made in between wait for it (the kernel queues their connections)."""
        self.settings = settings
        self._serve_sandbox_later = serve_sandbox_later
        self.demo = bool(settings.sandbox or not settings.has_douyin_credentials) if demo is None else demo
        self._prefer_keyring = prefer_keyring
        self._reconcile_interval = reconcile_interval
        self._enrich_interval = enrich_interval
        self._sync_interval = sync_interval
        self._unknown_outcome_grace = unknown_outcome_grace
        self.events = EventBus()
        self.sandbox: Any = None
        self.generated_internal_key: str | None = None
        self.http_url: str | None = None
        self._http_runner: Any = None  # aiohttp's AppRunner once the local endpoint is up
        self._loops: list[BackgroundLoop] = []
        self.pusher: SyncPusher | None = None
        self._started = False

    # ------------------------------------------------------------------ start / stop
    async def start(self) -> None:
        settings = self.settings
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.box = SecretBox.from_settings(settings, prefer_keyring=self._prefer_keyring)
        self.ledger = await Ledger.open(settings.database_path, self.box)
        try:
            await self._wire()
        except BaseException:
            await self.ledger.close()
            raise
        self._started = True

    async def _wire(self) -> None:
        settings = self.settings
        self.store_id = settings.store_id or await self._generated_setting(
            STORE_ID_SETTING, lambda: "store-" + secrets.token_hex(4)
        )
        self.ledger.store_id = self.store_id
        self.operator_keys = OperatorKeys(await self._operator_key_digests())
        counter = await self.ledger.ensure_builtin_app(code=COUNTER_APP_CODE, name="收银台")
        self.counter_app = AppIdentity(id=counter["id"], name=counter["name"])
        self.douyin = await self._douyin_client()
        account_id = self._account_id()
        self.service = VerificationService(
            ledger=self.ledger,
            douyin=self.douyin,
            store_id=self.store_id,
            events=self.events,
            unknown_outcome_grace=self._unknown_outcome_grace,
        )
        self.enricher = Enricher(ledger=self.ledger, douyin=self.douyin, events=self.events, account_id=account_id)
        self.reports = ReportsService(self.ledger, settings.timezone)
        self.apps = AppsService(self.ledger)
        self.cashiers = CashiersService(self.ledger)
        self.gateway = GatewayService(self.douyin, account_id=account_id)
        # Every server can take other stores' batches: that is what makes it a head office.
        self.ingest = lambda body: ingest_batch(self.ledger, body, own_store_id=self.store_id)
        self._loops = [
            BackgroundLoop(
                "reconciler",
                self.service.reconcile_due,
                interval=self._reconcile_interval,
                wakeup=self.service.reconcile_wakeup,
            ),
            BackgroundLoop(
                "enricher",
                self.enricher.enrich_due,
                interval=self._enrich_interval,
                wakeup=self.service.enrich_wakeup,
            ),
        ]
        if settings.reporting_url:
            self.pusher = SyncPusher(self.ledger, settings.reporting_url, settings.reporting_key, self.store_id)
            self.events.subscribe(self.pusher.poke)
            self._loops.append(
                BackgroundLoop("sync", self.pusher.run_step, interval=self._sync_interval, wakeup=self.pusher.wakeup)
            )
        for loop in self._loops:
            # The first pass settles rows a crash left `processing` (start-up reconciliation).
            loop.start()

    async def stop(self) -> None:
        if self._http_runner is not None:
            await self._http_runner.cleanup()
            self._http_runner = None
        for loop in self._loops:
            await loop.stop()
        self._loops = []
        if self.pusher is not None:
            await self.pusher.aclose()
            self.pusher = None
        if hasattr(self, "douyin"):
            await self.douyin.aclose()
        if self.sandbox is not None:
            await self.sandbox.stop()
            self.sandbox = None
        if hasattr(self, "ledger"):
            await self.ledger.close()
        self._started = False

    async def __aenter__(self) -> Runtime:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ pieces
    async def _generated_setting(self, key: str, make: Any) -> str:
        value = await self.ledger.get_setting(key)
        if not value:
            value = make()
            await self.ledger.set_setting(key, value)
        return str(value)

    async def _operator_key_digests(self) -> list[str]:
        if self.settings.internal_api_keys:
            return [hash_operator_key(k) for k in self.settings.internal_api_keys]
        digests = await self.ledger.get_setting(OPERATOR_KEYS_SETTING)
        if not digests:
            # Generated at first start and shown once; only its digest is kept.
            key = "op_" + secrets.token_urlsafe(24)
            self.generated_internal_key = key
            digests = [hash_operator_key(key)]
            await self.ledger.set_setting(OPERATOR_KEYS_SETTING, digests)
        return list(digests)

    async def new_operator_key(self) -> str:
        """Replaces the generated operator key (the desktop's 'show a new key once').

        The accepted keys change in place, so a running HTTP endpoint takes the new key and refuses
        the previous generated one from the next request on. Keys from DYGW_INTERNAL_API_KEYS
        (settings.internal_api_keys) are not ours to revoke: they stay valid alongside the new key.
        The new key's digest is stored, but while that variable is set start-up reads only its
        keys, so then the new key lasts until this process stops.
        """
        key = "op_" + secrets.token_urlsafe(24)
        digest = hash_operator_key(key)
        await self.ledger.set_setting(OPERATOR_KEYS_SETTING, [digest])
        from_env = [hash_operator_key(k) for k in self.settings.internal_api_keys]
        if from_env:
            log.warning(
                "new operator key: the %d key(s) of DYGW_INTERNAL_API_KEYS stay valid; while that "
                "variable is set, the next start accepts only its keys, not the new one",
                len(from_env),
            )
        self.operator_keys.replace([*from_env, digest])
        return key

    def _account_id(self) -> str | None:
        if self.demo:
            from gateway_core.sandbox import SANDBOX_ACCOUNT_ID

            return SANDBOX_ACCOUNT_ID
        return self.settings.douyin_account_id

    async def _douyin_client(self) -> DouyinClient:
        settings = self.settings
        if self.demo:
            from gateway_core.sandbox import SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, SandboxServer

            self.sandbox = SandboxServer()
            if self._serve_sandbox_later:
                base_url = self.sandbox.bind("127.0.0.1", 0)
            else:
                base_url = await self.sandbox.start(host="127.0.0.1", port=0)
            return DouyinClient(
                base_url,
                SANDBOX_CLIENT_KEY,
                SANDBOX_CLIENT_SECRET,
                account_id=self._account_id(),
                token_store=self.ledger.token_store(Token),
                short_link_hosts=settings.short_link_hosts,
                host_map=self.sandbox.short_link_host_map,
                timeout=settings.douyin_timeout,
                # Plain HTTP to the in-process sandbox only: loading the CA bundle cost 40-100 ms
                # of the desktop's start for nothing. A context with no CA certificates still
                # verifies, so anything that ever tried TLS in demo mode would fail, not trust.
                verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT),
            )
        # Without credentials (a head office that only ingests) every Douyin call fails as auth.
        return DouyinClient(
            settings.douyin_base_url,
            settings.douyin_client_key or "",
            settings.douyin_client_secret or "",
            account_id=settings.douyin_account_id,
            token_store=self.ledger.token_store(Token),
            short_link_hosts=settings.short_link_hosts,
            timeout=settings.douyin_timeout,
            verify=default_tls_context(),
        )

    async def serve_sandbox(self) -> None:
        """Training mode with `serve_sandbox_later`: serve the sandbox bound by `start()`.

        aiohttp's modules are imported on a worker thread first, so the event loop (and the
        window painting on it) is not held up by them.
        """
        sandbox = self.sandbox
        if sandbox is None or sandbox.running:
            return
        await asyncio.to_thread(importlib.import_module, "gateway_core.sandbox.app")
        if self.sandbox is sandbox:  # not stopped meanwhile
            await sandbox.start()

    # ------------------------------------------------------------------ sync (contract section 6)
    async def sync_status(self) -> SyncStatus:
        if self.pusher is None:
            return await ledger_sync_status(self.ledger, enabled=False)
        return await self.pusher.status()

    async def sync_now(self) -> SyncStatus:
        """Push one batch now (the desktop's "sync now"), let the loop drain the rest; the status after."""
        if self.pusher is not None:
            await self.pusher.push_now()
        return await self.sync_status()

    # ------------------------------------------------------------------ HTTP door
    def http_app(self) -> web.Application:
        # Imported here: aiohttp.web costs ~0.3 s of start-up, and a counter in live mode with
        # the local endpoint off never needs it.
        from gateway_core.server import create_http_app
        from gateway_core.server.routes import Deps

        deps = Deps(
            verification=self.service,
            gateway=self.gateway,
            reports=self.reports,
            apps=self.apps,
            health=self.health,
            ingest=self.ingest,
        )
        return create_http_app(deps, self.ledger, self.operator_keys)

    async def start_http(self, host: str | None = None, port: int | None = None) -> str:
        # aiohttp's import (~0.3 s) on a worker thread: a desktop keeps painting meanwhile.
        await asyncio.to_thread(importlib.import_module, "gateway_core.server")
        from aiohttp import web

        runner = web.AppRunner(self.http_app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, host or self.settings.host, self.settings.port if port is None else port)
        try:
            await site.start()
        except BaseException:
            # Port in use, bad address: free the runner, so the desktop can try again cleanly.
            await runner.cleanup()
            raise
        self._http_runner = runner
        sockets = site._server.sockets if site._server else []  # type: ignore[union-attr]
        bound_host, bound_port = sockets[0].getsockname()[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host  # an IPv6 address in a URL
        self.http_url = f"http://{shown}:{bound_port}"
        return self.http_url

    async def health(self) -> dict[str, Any]:
        checks: dict[str, Any] = {}
        try:
            await self.ledger.ping()
            checks["database"] = "ok"
        except Exception:
            log.exception("health: database check failed")
            checks["database"] = "error"
        try:
            token = await self.ledger.load_token(self.douyin.client_key)
            if token is None:
                checks["douyin_token"] = "missing"
            else:
                checks["douyin_token"] = "valid" if token.expires_at > utc_now() else "expired"
        except Exception:
            checks["douyin_token"] = "error"
        try:
            checks["sync_backlog"] = await self.ledger.outbox_backlog()
        except Exception:
            checks["sync_backlog"] = -1
        degraded = checks["database"] != "ok" or checks["douyin_token"] == "error"
        return {"status": "degraded" if degraded else "ok", "version": __version__, "checks": checks}
