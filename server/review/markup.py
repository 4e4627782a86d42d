"""A tiny HTML template helper: every value is escaped unless it is already `Safe` markup.

Everything the review page shows was written by an agent, AFAS or a reviewer, so escaping is the
default and opting out is explicit: only markup built by `render` (or `Safe` around a literal) is
trusted. There is no Jinja2 in the dependencies and the page needs little more than this.
"""

from __future__ import annotations

import html
import string
import unicodedata
from collections.abc import Iterable


class Safe(str):
    """Text that is already HTML: built by `render` or `join`, never from outside data."""

    __slots__ = ()


def esc(value: object) -> Safe:
    """`value` as HTML text: escaped (quotes too, so it is safe in attributes) unless `Safe`."""
    if isinstance(value, Safe):
        return value
    text = "" if value is None else str(value)
    return Safe(html.escape(visible(text), quote=True))


def visible(text: str) -> str:
    """`text` with control and format characters shown as escapes (`u+001b`) instead of acting.

    Agent-supplied text could carry terminal escape sequences (rewriting what the CLI shows) or
    bidirectional overrides (reordering what a person reads, "Trojan Source"); an approver must
    see the characters that are there. Newlines and tabs stay.
    """
    if text.isprintable():
        return text
    return "".join(
        ch
        if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"}
        else f"\\u{ord(ch):04x}"
        for ch in text
    )


def render(template: str, /, **values: object) -> Safe:
    """Fill `$name` placeholders in `template` with escaped values.

    Raises:
        KeyError: a placeholder has no value (a template bug, found by the tests).
    """
    return Safe(string.Template(template).substitute({k: esc(v) for k, v in values.items()}))


def join(parts: Iterable[object], separator: str = "") -> Safe:
    """Concatenate markup; plain parts are escaped like any value."""
    return Safe(separator.join(esc(part) for part in parts))


def attrs_selected(condition: bool) -> Safe:
    """The ` selected` attribute of an `<option>` when `condition` holds."""
    return Safe(" selected" if condition else "")
