"""One HTTP call as the handlers see it: request parts, the resolved environment and token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.datastructures import Headers, QueryParams
from starlette.types import Receive, Scope

if TYPE_CHECKING:
    from simulator.auth import Credential
    from simulator.environment import Environment


@dataclass
class Call:
    """A request in flight.

    `route_path` is the path below `/ProfitRestServices` (`/connectors/Profit_Debtor`), with the
    case the client sent; `segments` is the same split on `/`. `notes` collects what quirks and
    faults did to the call, for the request log. `unanswered` holds what must be recorded before
    the call is left without an answer (see `leave_unanswered`).
    """

    scope: Scope
    receive: Receive
    method: str
    path: str
    query: str
    headers: Headers
    body: bytes
    route_path: str = ""
    segments: list[str] = field(default_factory=list)
    environment_prefix: str | None = None
    environment: Environment | None = None
    credential: Credential | None = None
    hex_only_token: bool = False
    notes: list[str] = field(default_factory=list)
    unanswered: list[Callable[[], None]] = field(default_factory=list)

    def leave_unanswered(self) -> None:
        """Record the call as unanswered now, before its connection is dropped or it hangs.

        A client whose connection was closed has its outcome at once; the logs must already
        show the call by then, so a test can read them as soon as the client has failed.
        """
        callbacks, self.unanswered = self.unanswered, []
        for callback in callbacks:
            callback()

    @property
    def env(self) -> Environment:
        """The environment the call addresses (set by the dispatcher before any handler runs)."""
        if self.environment is None:
            raise RuntimeError("the call has no environment yet")
        return self.environment

    @property
    def token(self) -> Credential:
        """The authenticated token (set by the dispatcher before any handler runs)."""
        if self.credential is None:
            raise RuntimeError("the call is not authenticated")
        return self.credential

    @property
    def params(self) -> QueryParams:
        return QueryParams(self.query)

    @property
    def client(self) -> tuple[str, int] | None:
        client = self.scope.get("client")
        return (client[0], client[1]) if client else None

    @property
    def integration_id(self) -> str | None:
        return self.headers.get("integrationid")

    @property
    def accept_language(self) -> str | None:
        return self.headers.get("accept-language")
