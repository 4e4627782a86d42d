"""`AfasClient`: the one way the product talks to AFAS Profit's App Connector.

On first use the client checks that AFAS reports the pinned environment (R10); a mismatch stops
this and every later call. Reads are validated against metainfo before sending and checked after
(see `_stream`); writes go out once and are never retried (W16).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import quote

import httpx

from server import __version__
from server.afas._auth import AfasTokenAuth, OAuthClientCredentials
from server.afas._http import RetryPolicy, Session
from server.afas._pages import fetch_page
from server.afas._plan import Plan, check_required, make_plan
from server.afas._reader import Reader
from server.afas._stream import RowStream
from server.afas.drift import MetaDiff, diff_meta
from server.afas.envelope import delete_path, dumps, parse_results
from server.afas.errors import (
    AfasEnvironmentMismatch,
    AfasRequestRefused,
    AfasUnexpectedResponse,
)
from server.afas.filters import FilterSpec
from server.afas.models import (
    ConnectorMeta,
    EnvironmentInfo,
    MetaInfo,
    Page,
    UpdateConnectorMeta,
    UpdateResult,
)

if TYPE_CHECKING:
    from server.config import AfasSettings

__all__ = ["AfasClient"]

Sleep = Callable[[float], Awaitable[None]]


class AfasClient:
    """Async client for one AFAS environment and one credential.

    Args:
        settings: the `AfasSettings` from `server.config.load_settings()`.
        transport: an httpx transport (tests; None for the network).
        sleep: awaited for backoff, `retry_after` and rate limiting; tests pass a fake.
        clock: monotonic seconds, for the rate limiter, caches and token expiry.
        meta_ttl: seconds metainfo stays cached.
        retry: how reads are retried (writes never are).

    Use it as an async context manager; one instance per credential per process, so its
    per-connector locks and rate limit cover every call made with that credential (R9, W11).
    """

    def __init__(
        self,
        settings: AfasSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        meta_ttl: float = 300.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._meta_ttl = meta_ttl
        base_url = settings.base_url.rstrip("/")
        self._oauth: OAuthClientCredentials | None = None
        auth: httpx.Auth
        if settings.oauth_client_id and settings.oauth_client_secret:
            auth = self._oauth = OAuthClientCredentials(
                token_url=f"{base_url}/oauth/token",
                client_id=settings.oauth_client_id,
                client_secret=settings.oauth_client_secret,
                clock=clock,
            )
        elif settings.token is not None:
            auth = AfasTokenAuth(settings.token)
        else:
            raise ValueError("AfasSettings has neither a token nor OAuth client credentials")
        headers = {"Accept": "application/json", "User-Agent": f"afas-mcp/{__version__}"}
        if settings.language:
            headers["Accept-Language"] = settings.language
        if settings.integration_id:
            headers["IntegrationId"] = settings.integration_id  # on every call (W21)
        self.session = Session(
            base_url=base_url + "/",
            auth=auth,
            headers=headers,
            timeout=settings.timeout_seconds,
            rate_per_minute=settings.rate_limit_per_minute,
            max_parallel=settings.max_parallel,
            transport=transport,
            sleep=sleep,
            clock=clock,
            retry=retry or RetryPolicy(),
        )
        self._reader = Reader(self)
        self._metainfo: tuple[float, MetaInfo] | None = None
        self._get_meta: dict[str, tuple[float, ConnectorMeta]] = {}
        self._update_meta: dict[str, tuple[float, UpdateConnectorMeta]] = {}
        self._required: dict[str, frozenset[str]] = {}
        self._verified = False
        self._mismatch: AfasEnvironmentMismatch | None = None
        self._verify_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"AfasClient(base_url={self.base_url!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self.session.aclose()

    @property
    def base_url(self) -> str:
        """The App Connector base URL in use (never holds a secret)."""
        return self._settings.base_url

    @property
    def oauth_expires_in(self) -> float | None:
        """Lifetime in seconds of the current OAuth access token, as AFAS reported it."""
        return self._oauth.expires_in if self._oauth else None

    # --- environment pin (R10) --------------------------------------------------------------

    async def verify_environment(self) -> EnvironmentInfo:
        """Check that AFAS reports the pinned environment and return what it reports.

        Raises:
            AfasEnvironmentMismatch: another environment, or none reported. The client then
                refuses every later call.
        """
        if self._mismatch is not None:
            raise self._mismatch
        info = (await self._fetch_metainfo()).info
        expected_id = self._settings.environment_id
        expected_type = self._settings.environment_type
        expected = f"{expected_id} ({expected_type})"
        reported_id, reported_type = info.environment_id, info.environment_type
        problem = None
        if reported_id is None:
            problem = (
                "AFAS did not report its environment (info.envid), so the pin cannot be checked"
            )
        elif reported_id != expected_id:
            problem = f"AFAS reports environment {info.envid}, but {expected_id} is pinned"
        elif reported_type is not None and reported_type != expected_type:
            problem = (
                f"AFAS reports a {reported_type} environment ({info.envid}), not {expected_type}"
            )
        if problem:
            self._mismatch = AfasEnvironmentMismatch(
                f"{problem}. Every call is refused: the token may be reading another company. "
                "Check AFAS_ENVIRONMENT_ID, AFAS_ENVIRONMENT_TYPE and AFAS_BASE_URL (R10)",
                expected=expected,
                reported=info.envid,
            )
            raise self._mismatch
        self._verified = True
        return info

    async def _ready(self) -> None:
        if self._mismatch is not None:
            raise self._mismatch
        if self._verified:
            return
        async with self._verify_lock:
            if not self._verified:
                await self.verify_environment()

    # --- metainfo --------------------------------------------------------------------------

    async def _get_json(self, path: str, *, connector: str | None = None) -> Any:
        response = await self.session.send("GET", path, connector=connector)
        try:
            return response.json()
        except ValueError:
            raise AfasUnexpectedResponse("the answer is not JSON", connector=connector) from None

    def _fresh(self, stamped: tuple[float, Any] | None) -> bool:
        return stamped is not None and self._clock() - stamped[0] < self._meta_ttl

    async def _fetch_metainfo(self) -> MetaInfo:
        body = await self._get_json("/metainfo")
        if not isinstance(body, dict):
            raise AfasUnexpectedResponse("/metainfo did not answer with an object")
        parsed = MetaInfo.model_validate(body)
        self._metainfo = (self._clock(), parsed)
        return parsed

    async def metainfo(self, *, refresh: bool = False) -> MetaInfo:
        """The connectors linked to the token's App Connector and the environment info."""
        await self._ready()
        if refresh or self._metainfo is None or not self._fresh(self._metainfo):
            return await self._fetch_metainfo()
        return self._metainfo[1]

    async def get_connector_meta(
        self, connector_id: str, *, refresh: bool = False
    ) -> ConnectorMeta:
        """A GetConnector's fields and types (cached for `meta_ttl` seconds).

        Raises:
            AfasConnectorDrift: a field declared required is missing (R6).
        """
        await self._ready()
        cached = self._get_meta.get(connector_id)
        if not refresh and cached is not None and self._fresh(cached):
            return cached[1]
        path = f"/metainfo/get/{quote(connector_id, safe='')}"
        body = await self._get_json(path, connector=connector_id)
        if not isinstance(body, dict) or not isinstance(body.get("fields"), list):
            raise AfasUnexpectedResponse("metainfo has no list of fields", connector=connector_id)
        body.setdefault("name", connector_id)
        meta = ConnectorMeta.model_validate(body)
        check_required(meta, connector_id, self._required.get(connector_id, ()))
        self._get_meta[connector_id] = (self._clock(), meta)
        return meta

    async def update_connector_meta(
        self, connector_id: str, *, refresh: bool = False
    ) -> UpdateConnectorMeta:
        """An UpdateConnector's objects and fields (cached); `name` is the payload's root."""
        await self._ready()
        cached = self._update_meta.get(connector_id)
        if not refresh and cached is not None and self._fresh(cached):
            return cached[1]
        path = f"/metainfo/update/{quote(connector_id, safe='')}"
        body = await self._get_json(path, connector=connector_id)
        if not isinstance(body, dict):
            raise AfasUnexpectedResponse("metainfo is not an object", connector=connector_id)
        data = {"name": connector_id, **body, "raw": body}
        meta = UpdateConnectorMeta.model_validate(data)
        self._update_meta[connector_id] = (self._clock(), meta)
        return meta

    def forget_meta(self, connector_id: str) -> None:
        """Drop cached metainfo for a connector, so the next use fetches it again."""
        self._get_meta.pop(connector_id, None)
        self._update_meta.pop(connector_id, None)

    def declare_required_fields(self, connector_id: str, fields: Iterable[str]) -> None:
        """Declare fields a GetConnector must keep; each metainfo fetch and read checks them."""
        known = self._required.get(connector_id, frozenset())
        self._required[connector_id] = known | frozenset(fields)

    async def check_drift(
        self, connector_id: str, *, snapshot: Mapping[str, Any] | None = None
    ) -> MetaDiff:
        """Fetch fresh metainfo and diff it against a stored snapshot (R6).

        Raises:
            AfasConnectorDrift: a declared required field is missing or changed type.
        """
        meta = await self.get_connector_meta(connector_id, refresh=True)
        if snapshot is None:
            return MetaDiff(connector=connector_id)
        diff = diff_meta(snapshot, meta, connector=connector_id)
        diff.raise_for(self._required.get(connector_id, ()))
        return diff

    # --- reads ------------------------------------------------------------------------------

    def rows(
        self,
        connector_id: str,
        *,
        key: Sequence[str],
        filters: FilterSpec = None,
        order_by: Sequence[str] = (),
        page_size: int | None = None,
        limit: int | None = None,
        required_fields: Iterable[str] = (),
        min_rows: int | None = None,
    ) -> RowStream:
        """Read every row matching `filters`, page by page, none lost and none twice.

        Args:
            connector_id: the GetConnector.
            key: the field(s) that identify a row; the order always ends with them (R15) and
                rows are de-duplicated by them (R12).
            filters: a `Filter`, a `FilterGroup`, a list of Filters (AND) or of groups (OR).
            order_by: field ids to sort by first; `-Field` sorts descending.
            page_size: rows per call; default from AFAS's columns x rows guideline, at most 999.
                A larger size asked for is lowered to 999 with a `page_size_clamped` warning.
            limit: stop after this many rows.
            required_fields: fields the rows must carry (R6), on top of declared ones. A key,
                sort or filter field listed here (or declared) that metainfo lacks raises
                `AfasConnectorDrift`; one nobody required raises `AfasUnknownField`.
            min_rows: a floor: fewer rows raises `AfasTooFewRows` (R2).

        Returns:
            An async iterator of `Row`; its `warnings` say what was noticed and handled.
        """
        required = frozenset(required_fields)

        async def prepare() -> Plan:
            meta = await self.get_connector_meta(connector_id)
            return make_plan(
                meta,
                connector=connector_id,
                key=key,
                filters=filters,
                order_by=order_by,
                required=required | self._required.get(connector_id, frozenset()),
                page_size=page_size,
            )

        return RowStream(
            self._reader, prepare, connector=connector_id, limit=limit, min_rows=min_rows
        )

    async def fetch_page(
        self,
        connector_id: str,
        *,
        key: Sequence[str],
        filters: FilterSpec = None,
        order_by: Sequence[str] = (),
        take: int,
        after: str | None = None,
        required_fields: Iterable[str] = (),
    ) -> Page:
        """One page of at most `take` rows after the cursor `after`; see `Page.next_cursor`.

        Order by the key alone (the default) for a keyset cursor, which survives rows being
        added or removed between pages; only then can an OR-filter too long for one query
        string be split over several calls (R16). `required_fields` works as in `rows()`.
        """
        meta = await self.get_connector_meta(connector_id)
        plan = make_plan(
            meta,
            connector=connector_id,
            key=key,
            filters=filters,
            order_by=order_by,
            required=frozenset(required_fields) | self._required.get(connector_id, frozenset()),
            page_size=take,
        )
        return await fetch_page(self._reader, plan, take=take, after=after)

    # --- writes (never retried, W16) --------------------------------------------------------

    async def _write(
        self, method: str, connector_id: str, path: str, body: Mapping[str, Any] | None
    ) -> UpdateResult:
        await self._ready()
        root = None
        content = None
        if body is not None:
            if len(body) != 1:
                raise AfasRequestRefused(
                    "an UpdateConnector body has exactly one root object", connector=connector_id
                )
            (root,) = body
            content = dumps(body)
        response = await self.session.send(
            method, path, content=content, connector=connector_id, lock=connector_id
        )
        return parse_results(
            response.content, connector=connector_id, status_code=response.status_code, root=root
        )

    async def insert(
        self, connector_id: str, body: Mapping[str, Any], *, sub_object: str | None = None
    ) -> UpdateResult:
        """POST an insert (to `/connectors/{id}` or `/connectors/{id}/{sub_object}`).

        Never retried. A lost answer raises `AfasWriteOutcomeUnknown`: look the record up.
        """
        path = f"/connectors/{quote(connector_id, safe='')}"
        if sub_object:
            path += f"/{quote(sub_object, safe='')}"
        return await self._write("POST", connector_id, path, body)

    async def update(self, connector_id: str, body: Mapping[str, Any]) -> UpdateResult:
        """PUT an update; only the fields present change. Never retried."""
        return await self._write(
            "PUT", connector_id, f"/connectors/{quote(connector_id, safe='')}", body
        )

    async def delete(
        self, connector_id: str, object_name: str, keys: Mapping[str, str]
    ) -> UpdateResult:
        """DELETE `/connectors/{id}/{object}/@Key1,@Key2/value1,value2`. Never retried."""
        return await self._write(
            "DELETE", connector_id, delete_path(connector_id, object_name, keys), None
        )
