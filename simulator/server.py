"""Run the simulator under uvicorn on loopback, in a background thread or in the foreground."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from simulator import connections
from simulator.app import SimulatorApp
from simulator.core import Simulator


class TrackedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, registering each connection so a fault can drop it."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        connections.register(self.client, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        connections.unregister(self.client)
        super().connection_lost(exc)


def uvicorn_config(sim: Simulator, *, log_level: str = "warning") -> uvicorn.Config:
    """The uvicorn configuration every way of serving the simulator uses."""
    return uvicorn.Config(
        SimulatorApp(sim),
        http=TrackedH11Protocol,
        lifespan="off",
        access_log=False,
        log_config=None,
        log_level=log_level,
        timeout_graceful_shutdown=2,
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; port 0 picks a free one."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    return sock


class ServerThread:
    """uvicorn serving a Simulator from a daemon thread; `start` returns once it accepts calls."""

    def __init__(self, sim: Simulator, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._sock = bind(host, port)
        self.host = host
        self.port: int = self._sock.getsockname()[1]
        self._server = uvicorn.Server(uvicorn_config(sim))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the simulator did not start")
            time.sleep(0.005)

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._sock.close()
