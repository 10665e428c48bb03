"""SandboxServer: the sandbox on a real loopback socket, started and stopped from async code."""

from __future__ import annotations

import socket
from types import TracebackType
from typing import TYPE_CHECKING

from gateway_core.sandbox.data import SHORT_LINK_HOST
from gateway_core.sandbox.state import DEFAULT_CANCEL_WINDOW, Clock, SandboxState

if TYPE_CHECKING:
    from aiohttp import web

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
        self._socket: socket.socket | None = None  # bound by bind(), served by start()

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("the sandbox is not running: await start() first")
        return self._base_url

    @property
    def running(self) -> bool:
        return self._runner is not None

    @property
    def short_link_host_map(self) -> dict[str, str]:
        """Where a Douyin client should dial for the short links the sandbox's coupons carry."""
        return {SHORT_LINK_HOST: self.base_url}

    def bind(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen now, serve later: the address is known at once (clients can be built with it),
        and whoever connects before `start()` waits in the kernel's queue, not in an error.

        The desktop binds while it starts and serves once its window is up, so aiohttp's import
        is no longer between the cashier and the counter.
        """
        if self._socket is not None or self._runner is not None:
            raise RuntimeError("the sandbox is already bound")
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.create_server((host, port), family=family, backlog=128)
        bound_host, bound_port = self._socket.getsockname()[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        self._base_url = f"http://{shown}:{bound_port}"
        return self._base_url

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on the socket `bind()` made, or bind `host`:`port` now."""
        from aiohttp import web

        from gateway_core.sandbox.app import create_sandbox_app

        if self._runner is not None:
            raise RuntimeError("the sandbox is already running")
        if self._socket is None:
            self.bind(host, port)
        assert self._socket is not None
        # A fresh application per start: aiohttp freezes one once it has served.
        self.app = create_sandbox_app(self.state)
        runner = web.AppRunner(self.app, access_log=None, handle_signals=False,
                               shutdown_timeout=SHUTDOWN_TIMEOUT_S)
        await runner.setup()
        try:
            await web.SockSite(runner, self._socket).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        return self.base_url

    async def stop(self) -> None:
        sock, self._socket = self._socket, None
        if self._runner is None:
            if sock is not None:  # bound, never served
                sock.close()
                self._base_url = None
            return
        from gateway_core.sandbox.acting import STOPPING

        if self.app is not None:
            self.app[STOPPING].set()
        runner, self._runner, self._base_url = self._runner, None, None
        await runner.cleanup()  # closes the socket with the site

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.stop()
