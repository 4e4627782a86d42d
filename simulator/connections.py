"""Open client connections by peer address, so a fault can drop one without answering.

ASGI offers no way to close a connection before a response starts: an app that raises gets a
500 sent for it. The server's protocol registers each transport here; `abort` closes it hard,
and the client sees a connection error with no bytes of a response.
"""

from __future__ import annotations

import asyncio
import threading

_lock = threading.Lock()
_transports: dict[tuple[str, int], asyncio.BaseTransport] = {}


def register(peer: tuple[str, int] | None, transport: asyncio.BaseTransport) -> None:
    """Track a new connection."""
    if peer is not None:
        with _lock:
            _transports[peer] = transport


def unregister(peer: tuple[str, int] | None) -> None:
    """Forget a closed connection."""
    if peer is not None:
        with _lock:
            _transports.pop(peer, None)


def abort(peer: tuple[str, int] | None) -> bool:
    """Close the connection to `peer` at once; False when it is not a tracked connection."""
    if peer is None:
        return False
    with _lock:
        transport = _transports.get((peer[0], peer[1]))
    if transport is None:
        return False
    if isinstance(transport, asyncio.Transport):
        transport.abort()
    else:
        transport.close()
    return True
