"""SandboxServer: the sandbox on a real loopback socket, started and stopped from async code."""

from __future__ import annotations

from types import TracebackType

from aiohttp import web

from gateway_core.sandbox.acting import STOPPING
from gateway_core.sandbox.app import create_sandbox_app
from gateway_core.sandbox.data import SHORT_LINK_HOST
from gateway_core.sandbox.state import DEFAULT_CANCEL_WINDOW, Clock, SandboxState

# In-flight requests get this long to finish on stop; hanging faults notice the stop at once.
SHUTDOWN_TIMEOUT_S = 2.0


class SandboxServer:
    """`base_url = await sb.start()`, then point a Douyin client at `base_url` and
    `short_link_host_map`; `await sb.stop()` (or `async with SandboxServer() as sb`)."""

    def __init__(self, state: SandboxState | None = None, *, clock: Clock | None = None,
                 cancel_window: float = DEFAULT_CANCEL_WINDOW) -> None:
        if state is not None and clock is not None:
            raise ValueError("give the clock to the SandboxState you pass, not to the server")
        self.state = state if state is not None else SandboxState(clock, cancel_window=cancel_window)
        self.app: web.Application | None = None
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("the sandbox is not running: await start() first")
        return self._base_url

    @property
    def short_link_host_map(self) -> dict[str, str]:
        """Where a Douyin client should dial for the short links the sandbox's coupons carry."""
        return {SHORT_LINK_HOST: self.base_url}

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        if self._runner is not None:
            raise RuntimeError("the sandbox is already running")
        # A fresh application per start: aiohttp freezes one once it has served.
        self.app = create_sandbox_app(self.state)
        runner = web.AppRunner(self.app, access_log=None, handle_signals=False,
                               shutdown_timeout=SHUTDOWN_TIMEOUT_S)
        await runner.setup()
        try:
            site = web.TCPSite(runner, host, port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        bound_host, bound_port = runner.addresses[0][:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        self._base_url = f"http://{shown}:{bound_port}"
        return self._base_url

    async def stop(self) -> None:
        if self._runner is None:
            return
        if self.app is not None:
            self.app[STOPPING].set()
        runner, self._runner, self._base_url = self._runner, None, None
        await runner.cleanup()

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.stop()
