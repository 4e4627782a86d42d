"""Scrub recorded AFAS traffic before it is written: secrets, the environment, personal data.

Shared by `afas-mcp record` (a user's own test environment) and the scenario fixture (the
simulator). Always scrubbed:

- credentials: the `Authorization` header is dropped, the OAuth token call (client secret,
  access token) is never kept, and any token form (XML, 64-hex data part, Base64) left in a URL
  or body is replaced;
- the environment number, everywhere (host, `/metainfo` `envid` and `group`, bodies, queries),
  by a fake of the same length; ephemeral loopback ports are dropped.

With `personal=True` (recordings of real tenants) also every personal value, in URLs, queries
(`filtervalues`, `filterjson`), request and response bodies:

- by field (see `server.cassette_fields`): names, BSN, IBAN, addresses, e-mail, phone, birth
  dates, person/employee/debtor/creditor codes, free text;
- by pattern, wherever it appears: 9-digit numbers passing the 11-check, IBANs with valid check
  digits, e-mail addresses;
- and every value learned from a field (`learn()`), wherever else it appears, so a surname
  repeated in a free-text field or an error message goes too.

Replacements come from `server.cassette_fakes.Faker` and are deterministic for a salt, so the
same employee code is the same fake in every call and every cassette: joins still work on replay.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

from server.cassette_fakes import Faker
from server.cassette_fields import Kind, kind_of

__all__ = ["Scrubber"]

Interaction = dict[str, Any]

_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
_TOKEN_PATTERNS = (
    re.compile(r"<token>\s*<version>.*?</token>", re.DOTALL),
    re.compile(r"PHRva2VuPjx2ZXJzaW9u[A-Za-z0-9+/=]*"),  # Base64 of "<token><version"
    re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{64}(?![0-9A-Fa-f])"),  # the token's data part
)
# Personal data recognised wherever it appears: IBANs (checked), e-mail addresses, and
# nine-digit numbers that pass the 11-check (BSNs; an RSIN passes too and goes as well).
_PATTERNS = re.compile(
    r"(?P<iban>\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b)"
    r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})"
    r"|(?P<bsn>(?<!\d)\d{9}(?!\d))"
)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_FILTER_LISTS = ("filterfieldids", "filtervalues", "operatortypes")
_STRUCTURE = frozenset({"skip", "take", "orderbyfieldids"})
_NO_VALUE = ("8", "9")  # "is empty" and "is not empty" carry a placeholder, not a value
_MIN_LEARNED = 4  # shorter values (a house number, "Jan") are replaced only in their own field
SECRET = "[scrubbed secret]"  # noqa: S105  # what a credential is replaced with, not one


def _eleven_check(digits: str) -> bool:
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def _iban_valid(text: str) -> bool:
    compact = text.replace(" ", "")
    try:
        return int("".join(str(int(ch, 36)) for ch in compact[4:] + compact[:4])) % 97 == 1
    except ValueError:
        return False


class Scrubber:
    """Scrubs vcrpy interaction dicts (`{"request": {...}, "response": {...}}`).

    Args:
        salt: the secret behind the fakes; keep it out of the cassette.
        environment_id: the real environment number to hide.
        secrets: every credential in every form it could appear in (`Settings.secret_values()`).
        personal: also replace personal data (False for the simulator's synthetic tenant).
    """

    def __init__(
        self,
        *,
        salt: bytes,
        environment_id: str,
        secrets: Iterable[str] = (),
        personal: bool = True,
    ) -> None:
        self.faker = Faker(salt)
        self.personal = personal
        self._env_id = environment_id
        self.fake_environment_id = self._fake_environment(environment_id)
        self._env = re.compile(rf"(?<!\d){re.escape(environment_id)}(?!\d)")
        self._secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)
        self._labels: dict[str, dict[str, str]] = {}
        self._learned: dict[str, str] = {}
        self._personal_pattern = _PATTERNS
        self.kept: set[tuple[str, str]] = set()  # (connector, field) holding text left as it was

    def _compile(self) -> None:
        # One pass over learned values and patterns, so a fake is never replaced a second time
        # (a fake employee code of nine digits may pass the 11-check, for one).
        originals = sorted(self._learned, key=len, reverse=True)
        if originals:
            learned = "|".join(re.escape(o) for o in originals)
            self._personal_pattern = re.compile(
                rf"(?P<learned>(?<!\w)(?i:{learned})(?!\w))|{_PATTERNS.pattern}"
            )

    def _fake_environment(self, real: str) -> str:
        if not real.isdigit():
            raise ValueError(f"the environment number must be digits, not {real!r}")
        fake = self.faker.identifier("environment", real)
        return fake if fake != real else str(int(real) + 1).zfill(len(real))

    # --- the whole recording -----------------------------------------------------------------

    def learn(self, interactions: Sequence[Interaction]) -> None:
        """Read labels from metainfo and every personal value, before scrubbing anything.

        Values found in a classified field are then replaced wherever else they appear, also in
        interactions scrubbed before the one they were found in.
        """
        for item in interactions:
            path = urlsplit(item["request"]["uri"]).path
            connector = _connector_of(path)
            body = _json(item["response"].get("body", {}).get("string"))
            if "/metainfo/get/" in path.lower() and isinstance(body, dict) and connector:
                fields = body.get("fields") or []
                self._labels[connector] = {
                    str(f.get("id")): str(f.get("label") or "")
                    for f in fields
                    if isinstance(f, dict)
                }
        if not self.personal:
            return
        for item in interactions:
            request, response = item["request"], item["response"]
            connector = _connector_of(urlsplit(request["uri"]).path)
            data_call = _data(request)
            for raw in (request.get("body"), response.get("body", {}).get("string")):
                parsed = _json(raw)
                if parsed is not None:
                    self._walk(parsed, connector, field=None, collect=True, data_call=data_call)
            self._query_values(request["uri"], connector, collect=True)
        self._compile()

    def interaction(self, item: Interaction) -> Interaction | None:
        """A scrubbed copy of one interaction; None for one that must never be kept (OAuth)."""
        request = self.request(item["request"])
        if request is None:
            return None
        scrubbed = {k: v for k, v in item.items() if k not in ("request", "response")}
        scrubbed["request"] = request
        scrubbed["response"] = self.response(item["response"], uri=item["request"]["uri"])
        return scrubbed

    # --- requests and responses --------------------------------------------------------------

    def request(self, request: Mapping[str, Any]) -> dict[str, Any] | None:
        """A scrubbed copy of a request dict; None for the OAuth token call."""
        if urlsplit(request["uri"]).path.lower().rstrip("/").endswith("/oauth/token"):
            return None
        connector = _connector_of(urlsplit(request["uri"]).path)
        headers = {
            k: v
            for k, v in (request.get("headers") or {}).items()
            if k.lower() not in ("authorization", "cookie", "dpop")
        }
        return {
            **request,
            "uri": self.uri(request["uri"]),
            "headers": headers,
            "body": self._body(request.get("body"), connector, data_call=_data(request)),
        }

    def response(self, response: Mapping[str, Any], *, uri: str | None = None) -> dict[str, Any]:
        """A scrubbed copy of a response dict (vcrpy's form: body under `body.string`)."""
        connector = _connector_of(urlsplit(uri).path) if uri else None
        scrubbed = copy.deepcopy(dict(response))
        headers = scrubbed.get("headers") or {}
        scrubbed["headers"] = {
            name: [self.text(str(v)) for v in (values if isinstance(values, list) else [values])]
            for name, values in headers.items()
            if name.lower() not in ("set-cookie", "authorization")
        }
        body = scrubbed.get("body") or {}
        data_call = uri is not None and _data({"uri": uri})
        scrubbed["body"] = {
            **body,
            "string": self._body(body.get("string"), connector, data_call=data_call),
        }
        return scrubbed

    def uri(self, uri: str) -> str:
        """The URI with the environment number, loopback port and personal values replaced."""
        parts = urlsplit(uri)
        host = parts.hostname or ""
        netloc = host if host in _LOOPBACK else parts.netloc
        netloc = self._env.sub(self.fake_environment_id, netloc)
        connector = _connector_of(parts.path)
        path = "/".join(self._path_segments(parts.path.split("/"), connector))
        query = self._query(parts.query, connector)
        return urlunsplit((parts.scheme, netloc, path, query, parts.fragment))

    # --- text -------------------------------------------------------------------------------

    def text(self, value: str) -> str:
        """Secrets, the environment number and (when personal) known and patterned values."""
        for secret in self._secrets:
            value = value.replace(secret, SECRET)
        for pattern in _TOKEN_PATTERNS:
            value = pattern.sub(SECRET, value)
        value = self._env.sub(self.fake_environment_id, value)
        if not self.personal:
            return value
        return self._personal_pattern.sub(self._personal_match, value)

    def _personal_match(self, match: re.Match[str]) -> str:
        found = match.group()
        kind = match.lastgroup
        if kind == "learned":
            fake = self._learned.get(found.lower(), found)
            return fake.upper() if found.isupper() and not found.isdigit() else fake
        if kind == "iban":
            return self.faker.iban(found) if _iban_valid(found) else found
        if kind == "email":
            return self.faker.email(found)
        return self.faker.bsn(found) if _eleven_check(found) else found

    # --- values by kind ---------------------------------------------------------------------

    def _fake(self, kind: Kind, value: str) -> str:
        faker = self.faker
        makers: dict[str, Callable[[str], str]] = {
            "bsn": lambda v: faker.bsn(v) if v.strip().isdigit() else faker.identifier("bsn", v),
            "iban": faker.iban,
            "first_name": faker.first_name,
            "last_name": faker.last_name,
            "prefix": faker.prefix,
            "initials": faker.initials,
            "name": faker.full_name,
            "search_name": faker.search_name,
            "street": faker.street,
            "house_number": lambda v: faker.identifier("house_number", v),
            "postcode": faker.postcode,
            "city": faker.city,
            "address_line": faker.address_line,
            "email": lambda v: faker.email(v) if "@" in v else v,
            "phone": faker.phone,
            "birth_date": faker.birth_date,
            "identifier": lambda v: faker.identifier("identifier", v),
            "registration": lambda v: faker.digits("registration", v) if _long(v) else v,
            "free_text": faker.free_text,
        }
        return makers[kind](value)

    def _value(self, value: object, kind: Kind, *, collect: bool) -> object:
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int) and kind in ("house_number", "identifier"):
            if value <= 0:
                return value
            number = int(self.faker.identifier(kind, str(value)))
            if collect and kind == "identifier" and len(str(value)) >= _MIN_LEARNED:
                self._learned.setdefault(str(value), str(number))
            return number
        if not isinstance(value, str) or not value.strip():
            return value
        fake = self._fake(kind, value)
        if collect and fake != value and len(value) >= _MIN_LEARNED:
            self._learned.setdefault(value.lower(), fake)
        return fake

    def _walk(
        self,
        value: Any,
        connector: str | None,
        *,
        field: str | None,
        collect: bool,
        data_call: bool,
    ) -> Any:
        if isinstance(value, dict):
            return {
                key: self._walk(inner, connector, field=key, collect=collect, data_call=data_call)
                for key, inner in value.items()
            }
        if isinstance(value, list):
            return [
                self._walk(inner, connector, field=field, collect=collect, data_call=data_call)
                for inner in value
            ]
        # Only data calls (/connectors/...) are classified: metainfo holds field names and labels,
        # never personal values, so its "name" or "id" must not be read as a person's.
        kind = self._kind(field, connector) if field is not None and data_call else None
        if kind is not None:
            return self._value(value, kind, collect=collect)
        if collect:
            return value
        if field == "group" and isinstance(value, str):  # metainfo's "Group (12345.USER)"
            value = re.sub(r"\.([^.)\s]+)\)", lambda m: f".{self._user(m.group(1))})", value)
        if isinstance(value, str):
            if data_call and field and self.personal and _wordy(value):
                self.kept.add((connector or "?", field))
            return self.text(value)
        if isinstance(value, int) and not isinstance(value, bool) and str(value) == self._env_id:
            return int(self.fake_environment_id)
        return value

    def _user(self, user: str) -> str:
        return self.faker.identifier("identifier", user) if self.personal else user

    def _body(self, raw: object, connector: str | None, *, data_call: bool) -> Any:
        if raw is None:
            return None
        parsed = _json(raw)
        if parsed is not None:
            scrubbed = self._walk(parsed, connector, field=None, collect=False, data_call=data_call)
            text = json.dumps(scrubbed, ensure_ascii=False, separators=(",", ":"))
            return text.encode() if isinstance(raw, bytes) else text
        if isinstance(raw, bytes):
            try:
                return self.text(raw.decode("utf-8")).encode("utf-8")
            except UnicodeDecodeError:
                return raw
        return self.text(str(raw))

    # --- URLs -------------------------------------------------------------------------------

    def _path_segments(self, segments: list[str], connector: str | None) -> list[str]:
        raw = [unquote(segment) for segment in segments]
        out = [self.text(segment) for segment in raw]
        # DELETE /connectors/{c}/{object}/@K1,@K2/v1,v2: values are scrubbed by their key.
        for index in range(1, len(raw)):
            keys, values = raw[index - 1].split(","), raw[index].split(",")
            if len(keys) != len(values) or not all(k.startswith("@") for k in keys):
                continue
            scrubbed = []
            for key, value in zip(keys, values, strict=True):
                kind = self._kind(key, connector)
                scrubbed.append(
                    str(self._value(value, kind, collect=False)) if kind else out[index]
                )
            out[index] = ",".join(scrubbed) if len(keys) > 1 or scrubbed else out[index]
        return [quote(segment, safe="@,") for segment in out]

    def _kind(self, field: str, connector: str | None) -> Kind | None:
        if not self.personal:
            return None
        return kind_of(field, connector=connector, labels=self._labels.get(connector or ""))

    def _query(self, query: str, connector: str | None) -> str:
        pairs = parse_qsl(query, keep_blank_values=True)
        params = dict(pairs)
        lists = self._filter_lists(params, connector, collect=False)
        out = []
        for name, value in pairs:
            lowered = name.lower()
            if lowered in _STRUCTURE:
                pass  # counts and field ids: never personal, and the client must send them again
            elif lowered in _FILTER_LISTS and lists is not None:
                value = lists[lowered]
            elif lowered == "filterjson":
                value = self._filterjson(value, connector, collect=False)
            else:
                value = self.text(value)
            out.append(f"{name}={quote(value, safe='')}")
        return "&".join(out)

    def _query_values(self, uri: str, connector: str | None, *, collect: bool) -> None:
        params = dict(parse_qsl(urlsplit(uri).query, keep_blank_values=True))
        self._filter_lists(params, connector, collect=collect)
        for name, value in params.items():
            if name.lower() == "filterjson":
                self._filterjson(value, connector, collect=collect)

    def _filter_lists(
        self, params: Mapping[str, str], connector: str | None, *, collect: bool
    ) -> dict[str, str] | None:
        lowered = {k.lower(): v for k, v in params.items()}
        if "filterfieldids" not in lowered or "filtervalues" not in lowered:
            return None
        fields = [g.split(",") for g in lowered["filterfieldids"].split(";")]
        values = [g.split(",") for g in lowered["filtervalues"].split(";")]
        operators = [g.split(",") for g in lowered.get("operatortypes", "").split(";")]
        if [len(g) for g in fields] != [len(g) for g in values]:
            return None  # a malformed filter is AFAS's to refuse; kept as text below
        if [len(g) for g in operators] != [len(g) for g in fields]:
            operators = [[""] * len(g) for g in fields]  # no operators: every one is "equal"
        scrubbed = []
        for group in zip(fields, values, operators, strict=True):
            items = [
                self._filter_value(field, value, operator, connector, collect=collect)
                for field, value, operator in zip(*group, strict=True)
            ]
            scrubbed.append(",".join(items))
        return {
            "filterfieldids": lowered["filterfieldids"],
            "filtervalues": ";".join(scrubbed),
            "operatortypes": lowered.get("operatortypes", ""),
        }

    def _filter_value(
        self, field: str, value: str, operator: str, connector: str | None, *, collect: bool
    ) -> str:
        if operator.strip() in _NO_VALUE:
            return value  # "[is leeg]": a placeholder AFAS ignores, and the client sends as is
        kind = self._kind(field, connector)
        if kind is not None:
            return str(self._value(value, kind, collect=collect))
        return value if collect else self.text(value)

    def _filterjson(self, value: str, connector: str | None, *, collect: bool) -> str:
        try:
            document = json.loads(value)
        except ValueError:
            return self.text(value)
        root = document.get("Filters") if isinstance(document, dict) else None
        filters = root.get("Filter", []) if isinstance(root, dict) else []
        for group in filters if isinstance(filters, list) else [filters]:
            fields = group.get("Field", []) if isinstance(group, dict) else []
            for item in fields if isinstance(fields, list) else [fields]:
                if not isinstance(item, dict) or not isinstance(item.get("#text"), str):
                    continue
                item["#text"] = self._filter_value(
                    str(item.get("@FieldId", "")),
                    item["#text"],
                    str(item.get("@OperatorType", "")),
                    connector,
                    collect=collect,
                )
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _data(request: Mapping[str, Any]) -> bool:
    """Whether a call reads or writes data (`/connectors/...`), as opposed to metainfo."""
    return "/connectors/" in urlsplit(request["uri"]).path.lower()


def _wordy(value: str) -> bool:
    """Text worth a reviewer's look: letters in it, and not a date."""
    return any(ch.isalpha() for ch in value) and not _ISO_DAY.match(value)


def _long(value: str) -> bool:
    return sum(ch.isdigit() for ch in value) >= 8


def _json(raw: object) -> Any:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not isinstance(raw, str) or raw.strip()[:1] not in ("{", "["):
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _connector_of(path: str) -> str | None:
    """The connector a path is about (`/connectors/X`, `/metainfo/get/X`, `/metainfo/update/X`)."""
    parts = [unquote(p) for p in path.split("/") if p]
    lowered = [p.lower() for p in parts]
    for marker in ("connectors", "get", "update"):
        if marker in lowered:
            index = lowered.index(marker)
            if index + 1 < len(parts) and (marker == "connectors" or "metainfo" in lowered):
                return parts[index + 1]
    return None
