"""Normalise a classic AFAS token to the exact `Authorization` header value AFAS expects (W6).

Profit hands out the token as XML, `<token><version>1</version><data>…</data></token>`, and wants
the Base64 of that whole XML after `AfasToken `. People paste the XML, only its 64-character data
part, or an already encoded value; each is accepted and turned into the same header. Anything
else is refused, because AFAS answers a wrongly encoded token in confusing ways (a 401, a 500, or
an empty result on filtered reads).

Messages never repeat the input: it is a secret.
"""

from __future__ import annotations

import base64
import binascii
import re

__all__ = ["TokenFormatError", "token_header"]

_XML = re.compile(
    r"<token>\s*<version>(?P<version>\d+)</version>\s*<data>(?P<data>[0-9A-Za-z]{64})</data>\s*</token>"
)
_HEX = re.compile(r"[0-9A-Fa-f]{64}")
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_EXPECTED = (
    "expected the token XML (<token><version>1</version><data>…</data></token>), "
    "its 64-character data part, or the Base64 of the whole XML"
)


class TokenFormatError(ValueError):
    """The value is not a classic AFAS token in any accepted form; says why, never what."""


def token_header(raw: str) -> str:
    """Return `AfasToken <base64 of the XML>` for a token given as XML, data part or Base64.

    Args:
        raw: the token as pasted; surrounding whitespace, the CRLF AFAS's OTP answer carries, and
            a leading `AfasToken ` are ignored.

    Raises:
        TokenFormatError: the value is none of the accepted forms.
    """
    value = raw.strip()
    if value.startswith("AfasToken "):
        value = value.removeprefix("AfasToken ").strip()
    if not value:
        raise TokenFormatError(f"the token is empty; {_EXPECTED}")
    if _HEX.fullmatch(value):
        return _encode(_xml("1", value))
    if value.startswith("<"):
        return _encode(_parse_xml(value, "the XML"))
    if _BASE64.fullmatch(value) and len(value) % 4 == 0:
        return _encode(_parse_xml(_decode(value), "the Base64 value"))
    raise TokenFormatError(f"the token is not in a form AFAS accepts; {_EXPECTED}")


def _xml(version: str, data: str) -> str:
    return f"<token><version>{version}</version><data>{data}</data></token>"


def _encode(xml: str) -> str:
    return "AfasToken " + base64.b64encode(xml.encode("ascii")).decode("ascii")


def _decode(value: str) -> str:
    try:
        decoded = base64.b64decode(value, validate=True)
        return decoded.decode("ascii").strip()
    except (binascii.Error, UnicodeDecodeError):
        raise TokenFormatError(f"the value is not Base64 of a token; {_EXPECTED}") from None


def _parse_xml(xml: str, what: str) -> str:
    match = _XML.fullmatch(xml.strip())
    if match:
        # Rebuilt rather than passed on, so stray whitespace between the tags cannot change the
        # bytes AFAS decodes.
        return _xml(match["version"], match["data"])
    if "</versioN>" in xml:
        raise TokenFormatError(
            f"{what} holds the misspelt `</versioN>` tag found in some AFAS documentation "
            f"examples; copy the token from Profit itself. {_EXPECTED}"
        )
    if _HEX.fullmatch(xml):
        raise TokenFormatError(
            f"{what} is the Base64 of the data part alone; AFAS needs the Base64 of the whole "
            f"XML, so give the data part or the XML instead. {_EXPECTED}"
        )
    raise TokenFormatError(f"{what} is not a token; {_EXPECTED}")
