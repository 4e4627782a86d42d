"""Removes secrets from everything the store keeps, so the database can be read by reviewers.

AFAS logs no request bodies (W17), so the audit trail keeps them; it must never keep the token
that authorised them. Three nets, widest last:

1. by name: the values of fields and headers called `Authorization`, `access_token`,
   `client_secret`, `password`, `token`, ... are replaced, whatever they hold;
2. by shape: `AfasToken <base64>`, `Bearer <token>`, an AFAS XML token, and `name=value` pairs for
   the secret names inside free text (an error message quoting a form body);
3. by value: the live secrets the server holds (`register()`), wherever they appear, also in their
   Base64 form, because that is how an AFAS token travels in the header.
"""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic_core import to_jsonable_python

REDACTED = "[REDACTED]"

# Compared after lower-casing and dropping "-", "_" and spaces, so `Client-Secret` counts.
_SECRET_NAMES = frozenset(
    {
        "authorization",
        "proxyauthorization",
        "cookie",
        "setcookie",
        "accesstoken",
        "refreshtoken",
        "idtoken",
        "clientsecret",
        "afastoken",
        "token",
        "password",
        "secret",
        "apikey",
    }
)

# A credential after its scheme is at least 16 token characters: "Bearer bonds" stays readable.
_SCHEME_VALUE = re.compile(r"(?i)\b(AfasToken|Bearer|Basic)(\s+)[A-Za-z0-9+/=._~-]{16,}")
_HEADER_LINE = re.compile(r"""(?i)\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)[^"'\n,}]+""")
_NAMED_VALUE = re.compile(
    r"""(?i)\b(access_token|refresh_token|id_token|client_secret|password)"""
    r"""(["']?\s*[:=]\s*["']?)[^"'&\s,}]+"""
)
_XML_TOKEN = re.compile(r"(?is)<token>.*?</token>")
_XML_DATA = re.compile(r"(?is)<data>(.*?)</data>")

MIN_SECRET_LENGTH = 8


def _is_secret_name(name: str) -> bool:
    return re.sub(r"[-_ ]", "", name.lower()) in _SECRET_NAMES


class Scrubber:
    """Replaces secrets in JSON-able data and text; thread-safe; secrets can be added live.

    Args:
        secrets: live secret values to replace wherever they appear (see `register`).
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._values: tuple[str, ...] = ()
        self.register(*secrets)

    def register(self, *secrets: str) -> None:
        """Add live secret values (the AFAS token, the OAuth client secret, ...).

        Each is also matched in Base64, and an AFAS XML token's `<data>` part on its own.

        Raises:
            ValueError: a secret shorter than 8 characters; replacing it everywhere would
                mangle ordinary data, so it is refused rather than weakly matched.
        """
        variants: set[str] = set()
        for secret in secrets:
            if len(secret) < MIN_SECRET_LENGTH:
                raise ValueError(
                    f"a registered secret must have at least {MIN_SECRET_LENGTH} characters"
                )
            forms = [secret, *(m.group(1) for m in _XML_DATA.finditer(secret))]
            for form in forms:
                if len(form) < MIN_SECRET_LENGTH:
                    continue
                raw = form.encode("utf-8")
                variants.update(
                    {
                        form,
                        base64.b64encode(raw).decode("ascii"),
                        base64.urlsafe_b64encode(raw).decode("ascii"),
                        base64.b64encode(raw).decode("ascii").rstrip("="),
                    }
                )
        with self._lock:
            # Longest first, so a secret that contains another is replaced whole.
            merged = set(self._values) | variants
            self._values = tuple(sorted(merged, key=len, reverse=True))

    def scrub_text(self, text: str) -> str:
        """The text with every secret it contains replaced by `[REDACTED]`."""
        for value in self._values:
            if value in text:
                text = text.replace(value, REDACTED)
        text = _XML_TOKEN.sub(REDACTED, text)
        text = _SCHEME_VALUE.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
        text = _HEADER_LINE.sub(lambda m: f"{m.group(1)}{REDACTED}", text)
        return _NAMED_VALUE.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)

    def scrub(self, value: object) -> Any:
        """A JSON-able copy of `value` with every secret replaced.

        Mappings, sequences, text and bytes are walked; anything else is first made JSON-able
        (dataclasses, pydantic models, dates, decimals), so nothing escapes the walk.
        """
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, str):
            return self.scrub_text(value)
        if isinstance(value, bytes | bytearray):
            return self.scrub_text(bytes(value).decode("utf-8", errors="replace"))
        if isinstance(value, Mapping):
            out: dict[str, Any] = {}
            for key, item in value.items():
                name = self.scrub_text(str(key))
                secret_name = _is_secret_name(str(key))
                out[name] = REDACTED if secret_name and item not in (None, "") else self.scrub(item)
            return out
        if isinstance(value, list | tuple | set | frozenset):
            return [self.scrub(item) for item in value]
        return self.scrub(to_jsonable_python(value, fallback=str))

    def find_secret(self, value: object, *, path: str = "$") -> str | None:
        """The path of the first secret in `value`, or None: for refusing, not repairing, data."""
        if isinstance(value, str):
            return path if self.scrub_text(value) != value else None
        if isinstance(value, Mapping):
            for key, item in value.items():
                here = f"{path}.{key}"
                if self.scrub_text(str(key)) != str(key):
                    return here
                if _is_secret_name(str(key)) and item not in (None, ""):
                    return here
                found = self.find_secret(item, path=here)
                if found is not None:
                    return found
            return None
        if isinstance(value, list | tuple):
            for index, item in enumerate(value):
                found = self.find_secret(item, path=f"{path}[{index}]")
                if found is not None:
                    return found
            return None
        return None
