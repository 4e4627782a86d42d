"""The review web page: a Starlette app of server-rendered HTML, and `afas-mcp review serve`.

Routes (all under `/review`; `/` redirects there):

    GET  /review                          the queue (`?status=drift`, repeatable, filters it)
    GET  /review/writes/{id}              one write, with the decision forms
    POST /review/writes/{id}/approve      form: csrf, digest (the payload the approver saw; the
                                          approval is bound to it)
    POST /review/writes/{id}/reject       form: csrf, reason
    POST /review/writes/{id}/resolve      form: csrf, resolution, note
    GET  /review/login   POST /review/login   POST /review/logout
    GET  /review/static/review.css

Every page but the login form and the stylesheet needs a signed-in approver; every POST needs the
session's CSRF token, a form body, and no foreign `Origin`. The approver is the session's user,
never a form field. Decisions go through `ReviewActions`; what they lead to, or why they were
refused, comes back as a one-time message on the write's page (post/redirect/get).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.afas.errors import AfasError
from server.config import ReviewSettings
from server.review import pages
from server.review.actions import ReviewActions, ReviewActionsUnavailable
from server.review.item import QueueSource, load_item, queue
from server.review.markup import Safe
from server.review.messages import refusal_message, result_level, result_message
from server.review.passwords import burn_time, verify_secret
from server.review.session import COOKIE, COOKIE_PATH, LoginThrottle, Session, SessionCodec
from server.review.style import CSS
from server.store import StoreError, WriteNotFound, WriteStatus

if TYPE_CHECKING:
    from server.review.actions import ReviewResult

log = logging.getLogger("server.review.web")

ROOT = pages.ROOT
MAX_FORM_BYTES = 32 * 1024
_HEADERS = {
    # No script, no inline style, no framing, forms only to this origin: markup that slipped
    # past escaping still could not run, restyle the page or post elsewhere.
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    # Same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on POSTs,
    # and the origin check needs the real one. Other sites still get no referrer.
    "referrer-policy": "same-origin",
    "cache-control": "no-store",  # pages hold personal data (names, salaries)
}


class FormRejected(Exception):
    """A POST that is not a same-origin form of this session; answered 400/403, nothing done."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class ReviewWeb:
    """The routes' state: store, settings, session codec, throttle and the actions provider."""

    def __init__(
        self,
        *,
        store: QueueSource,
        settings: ReviewSettings,
        actions: Callable[[], ReviewActions],
        session_secret: str,
        clock: Callable[[], datetime],
        throttle: LoginThrottle,
    ) -> None:
        self.store = store
        self.settings = settings
        self.codec = SessionCodec(session_secret, clock=lambda: clock().timestamp())
        self.clock = clock
        self.throttle = throttle
        self._provide = actions
        self._actions: ReviewActions | None = None

    # -- pages ---------------------------------------------------------------------------

    async def queue(self, request: Request) -> Response:
        session = self._signed_in(request)
        if session is None or session.user is None:
            return self._to_login(request)
        wanted = request.query_params.getlist("status")
        statuses = [WriteStatus(s) for s in wanted if s in {st.value for st in WriteStatus}]
        records = await run_in_threadpool(queue, self.store, statuses=statuses, limit=100)
        body = pages.queue_page(records, statuses=statuses, now=self.clock())
        return self._page("Review queue", body, session)

    async def write(self, request: Request) -> Response:
        session = self._signed_in(request)
        if session is None or session.user is None:
            return self._to_login(request)
        write_id = request.path_params["write_id"]
        try:
            item = await run_in_threadpool(load_item, self.store, write_id, now=self.clock())
        except WriteNotFound as exc:
            body = pages.error_page("No such write", refusal_message(exc))
            return self._page("Not found", body, session, status=404)
        body = pages.item_page(item, csrf=session.csrf, user=session.user)
        return self._page(item.summary.headline, body, session)

    async def login_form(self, request: Request) -> Response:
        session = self._session(request) or self.codec.anonymous()
        next_url = _safe_next(request.query_params.get("next"))
        body = pages.login_page(csrf=session.csrf, next_url=next_url)
        return self._page("Sign in", body, session)

    async def login(self, request: Request) -> Response:
        session = self._session(request) or self.codec.anonymous()
        form = await self._form(request, session)
        name, secret = form.get("name", "").strip(), form.get("secret", "")
        next_url = _safe_next(form.get("next"))
        approver = self.settings.approver(name)
        if self.throttle.blocked(name):
            error = "Too many failed sign-ins for this name; wait a quarter of an hour."
        elif approver is None:
            await run_in_threadpool(burn_time)  # as slow as a wrong secret: names stay private
            error = "That name and secret do not match a configured approver."
        elif not await run_in_threadpool(verify_secret, secret, approver.secret_hash):
            error = "That name and secret do not match a configured approver."
        else:
            self.throttle.succeeded(name)
            fresh = self.codec.signed_in(
                approver.name, ttl=self.settings.session_ttl.total_seconds()
            )
            log.info("review: %s signed in", approver.name)
            return self._redirect(next_url, fresh)
        self.throttle.failed(name)
        body = pages.login_page(csrf=session.csrf, next_url=next_url, name=name, error=error)
        return self._page("Sign in", body, session, status=401)

    async def logout(self, request: Request) -> Response:
        session = self._session(request)
        if session is not None:
            await self._form(request, session)
        return self._redirect(f"{ROOT}/login", self.codec.anonymous())

    async def stylesheet(self, request: Request) -> Response:
        return Response(CSS, media_type="text/css")

    async def home(self, request: Request) -> Response:
        return RedirectResponse(ROOT, status_code=303)

    # -- decisions -----------------------------------------------------------------------

    async def decide(self, request: Request) -> Response:
        session = self._signed_in(request)
        if session is None or session.user is None:
            return self._to_login(request)
        form = await self._form(request, session)
        write_id, action, user = (
            request.path_params["write_id"],
            request.path_params["action"],
            session.user,
        )
        page = f"{ROOT}/writes/{quote(write_id, safe='')}"
        try:
            result = await self._carry_out(action, write_id, user, form)
        except (StoreError, ReviewActionsUnavailable, AfasError, ValueError) as exc:
            log.info("review: %s's %s of %s refused: %s", user, action, write_id, exc)
            return self._redirect(page, session.with_flash("error", refusal_message(exc)))
        except Exception:  # the pipeline's bug: logged in full, shown without internals
            log.exception("review: %s of %s by %s failed", action, write_id, user)
            message = (
                f"The {action} failed unexpectedly and may not have been carried out; the "
                "server log has the details. Look at the write's status before trying again."
            )
            return self._redirect(page, session.with_flash("error", message))
        log.info("review: %s %s %s -> %s", user, action, write_id, result.status.value)
        level = result_level(result)
        return self._redirect(page, session.with_flash(level, result_message(result)))

    async def _carry_out(
        self, action: str, write_id: str, user: str, form: dict[str, str]
    ) -> ReviewResult:
        if action == "approve":
            # The digest of the payload the page showed; the approval is bound to it.
            digest = form.get("digest", "")
            record = await run_in_threadpool(self.store.get, write_id)
            if digest != record.digest:
                raise ValueError(
                    "Refused: the payload held under this id is not the one on the page you "
                    "approved from. Nothing was sent; look at the write again."
                )
            return await self._get_actions().approve(write_id, approver=user, digest=digest)
        if action == "reject":
            reason = form.get("reason", "").strip()
            if not reason:
                raise ValueError("A rejection needs a reason the agent can act on.")
            return await self._get_actions().reject(write_id, approver=user, reason=reason)
        resolution, note = form.get("resolution", ""), form.get("note", "").strip()
        if resolution not in {"acknowledged", "corrected"}:
            raise ValueError("Choose how the drift was settled: acknowledged or corrected.")
        if not note:
            raise ValueError("A resolution needs a note saying what you checked or changed.")
        return await self._get_actions().resolve_drift(
            write_id, resolver=user, resolution=resolution, note=note
        )

    def _get_actions(self) -> ReviewActions:
        if self._actions is None:
            self._actions = self._provide()
        return self._actions

    # -- sessions, forms, responses ------------------------------------------------------

    def _session(self, request: Request) -> Session | None:
        return self.codec.decode(request.cookies.get(COOKIE))

    def _signed_in(self, request: Request) -> Session | None:
        """The session if its user is (still) a configured approver."""
        session = self._session(request)
        if session is None or session.user is None:
            return None
        return session if self.settings.approver(session.user) is not None else None

    async def _form(self, request: Request, session: Session) -> dict[str, str]:
        """The POSTed form, after the same-origin and CSRF checks."""
        # Browsers say where a request comes from; believe only "this origin". `same-site`
        # is refused too: another service on 127.0.0.1 at another port is same-site.
        site = request.headers.get("sec-fetch-site")
        origin = request.headers.get("origin")
        foreign = site is not None and site not in {"same-origin", "none"}
        if origin == "null":  # an opaque origin: only acceptable with the browser's own word
            foreign = foreign or site != "same-origin"
        elif origin is not None and origin not in self._origins(request):
            foreign = True
        if foreign:
            raise FormRejected(403, "This form was sent from another site; nothing was done.")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/x-www-form-urlencoded":
            raise FormRejected(400, "Expected a form.")
        raw = bytearray()
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > MAX_FORM_BYTES:
                raise FormRejected(400, "The form is too large.")
        try:
            parsed = parse_qs(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
        except (UnicodeDecodeError, ValueError):
            raise FormRejected(400, "The form could not be read.") from None
        form = {key: values[0] for key, values in parsed.items()}
        if not session.csrf_matches(form.get("csrf")):
            raise FormRejected(
                403, "This form has expired or did not come from this page. Reload and try again."
            )
        return form

    def _origins(self, request: Request) -> set[str]:
        own = f"{request.url.scheme}://{request.url.netloc}"
        base = urlsplit(self.settings.base_url)
        return {own, f"{base.scheme}://{base.netloc}"}

    def _page(self, title: str, body: Safe, session: Session, *, status: int = 200) -> Response:
        html = pages.layout(title, body, user=session.user, csrf=session.csrf, flash=session.flash)
        response = HTMLResponse(html, status_code=status)
        self._set_cookie(response, session.without_flash())
        return response

    def _redirect(self, url: str, session: Session) -> Response:
        response = RedirectResponse(url, status_code=303)
        self._set_cookie(response, session)
        return response

    def _to_login(self, request: Request) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        response = RedirectResponse(f"{ROOT}/login?next={quote(target, safe='')}", status_code=303)
        return response

    def _set_cookie(self, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE,
            self.codec.encode(session),
            path=COOKIE_PATH,
            httponly=True,
            samesite="strict",
            secure=self.settings.secure_cookies,
        )


def create_app(
    *,
    store: QueueSource,
    settings: ReviewSettings,
    actions: Callable[[], ReviewActions],
    session_secret: str,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    throttle: LoginThrottle | None = None,
    extra_hosts: Sequence[str] = (),
) -> Starlette:
    """The review page as an ASGI app.

    Args:
        store: where the writes are read (a `WriteStore`).
        settings: approvers, base URL, session lifetime.
        actions: builds the pipeline's `ReviewActions`; called once, on the first decision.
        session_secret: signs the session cookies.
        clock: the current time (for expiry and sessions); tests move it.
        throttle: failed-login limits; one per process by default.
        extra_hosts: further `Host` names to accept besides loopback, the bind address and the
            base URL's host (DNS-rebinding protection refuses the rest).
    """
    web = ReviewWeb(
        store=store,
        settings=settings,
        actions=actions,
        session_secret=session_secret,
        clock=clock,
        throttle=throttle or LoginThrottle(),
    )
    routes = [
        Route("/", web.home, methods=["GET"]),
        Route(ROOT, web.queue, methods=["GET"]),
        Route(f"{ROOT}/login", web.login_form, methods=["GET"]),
        Route(f"{ROOT}/login", web.login, methods=["POST"]),
        Route(f"{ROOT}/logout", web.logout, methods=["POST"]),
        Route(f"{ROOT}/static/review.css", web.stylesheet, methods=["GET"]),
        Route(f"{ROOT}/writes/{{write_id}}", web.write, methods=["GET"]),
        Route(
            f"{ROOT}/writes/{{write_id}}/{{action:str}}",
            _only_actions(web.decide),
            methods=["POST"],
        ),
    ]
    hosts = {"127.0.0.1", "localhost", settings.host, *extra_hosts}
    hosts.add(urlsplit(settings.base_url).hostname or "127.0.0.1")
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(TrustedHostMiddleware, allowed_hosts=sorted(hosts)),
        ],
        exception_handlers={FormRejected: _form_rejected},
    )


def _only_actions(
    endpoint: Callable[[Request], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    async def guarded(request: Request) -> Response:
        if request.path_params["action"] not in {"approve", "reject", "resolve"}:
            return HTMLResponse("Not found", status_code=404)
        return await endpoint(request)

    return guarded


async def _form_rejected(request: Request, exc: Exception) -> Response:
    status = exc.status if isinstance(exc, FormRejected) else 400
    body = pages.error_page("Not done", str(exc))
    html = pages.layout("Not done", body, user=None, csrf="")
    return HTMLResponse(html, status_code=status)


class SecurityHeaders:
    """Adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _safe_next(value: str | None) -> str:
    """A local path under /review to return to after signing in; anything else goes home."""
    if not value or not value.startswith(ROOT) or value.startswith("//") or "\\" in value:
        return ROOT
    return value
