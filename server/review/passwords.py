"""Approver secrets stored as scrypt hashes, and the constant-time check of a typed secret.

The configuration holds only hashes (`afas-mcp review hash-secret` makes one), so a leaked
config file or environment does not let anyone approve. The encoded form carries its own
parameters, so stronger settings later do not invalidate existing hashes:

    scrypt$<log2 n>$<r>$<p>$<salt, base64url>$<hash, base64url>
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "scrypt"
_LOG_N = 15  # n = 32768: about 30-60 ms per check, and 32 MiB of memory
_R = 8
_P = 1
_DKLEN = 32
# Below this an offline guess is cheap; above it one login could exhaust memory (a bad config).
_MIN_LOG_N, _MAX_LOG_N = 14, 18
_MAXMEM = 512 * 1024 * 1024


class BadSecretHash(ValueError):
    """A configured hash is not in the `scrypt$...` form this module writes."""


def hash_secret(secret: str) -> str:
    """The encoded scrypt hash of `secret`, with a fresh random salt."""
    if len(secret) < 12:
        raise ValueError("an approver secret needs at least 12 characters")
    salt = secrets.token_bytes(16)
    digest = _scrypt(secret, salt, _LOG_N, _R, _P)
    return "$".join([PREFIX, str(_LOG_N), str(_R), str(_P), _b64(salt), _b64(digest)])


def check_hash_format(encoded: str) -> None:
    """Raise `BadSecretHash` unless `encoded` is a hash this module can verify against."""
    _parse(encoded)


def verify_secret(secret: str, encoded: str) -> bool:
    """Whether `secret` is the one `encoded` was made from; constant time in the comparison."""
    log_n, r, p, salt, expected = _parse(encoded)
    actual = _scrypt(secret, salt, log_n, r, p, dklen=len(expected))
    return hmac.compare_digest(actual, expected)


def burn_time() -> None:
    """Spend what one verification costs, so an unknown name answers as slowly as a known one."""
    _scrypt("not-a-secret", b"\x00" * 16, _LOG_N, _R, _P)


def _parse(encoded: str) -> tuple[int, int, int, bytes, bytes]:
    parts = encoded.strip().split("$")
    if len(parts) != 6 or parts[0] != PREFIX:
        raise BadSecretHash("must be a hash made by `afas-mcp review hash-secret` (scrypt$...)")
    try:
        log_n, r, p = (int(part) for part in parts[1:4])
        salt, digest = _unb64(parts[4]), _unb64(parts[5])
    except ValueError:
        raise BadSecretHash("the scrypt hash is damaged; make a new one") from None
    if not _MIN_LOG_N <= log_n <= _MAX_LOG_N or not 1 <= r <= 16 or not 1 <= p <= 4:
        raise BadSecretHash(
            f"scrypt parameters out of range (log2 n {_MIN_LOG_N}-{_MAX_LOG_N}, r 1-16, p 1-4)"
        )
    if len(salt) < 16 or len(digest) < 16:
        raise BadSecretHash("the scrypt hash is too short; make a new one")
    return log_n, r, p, salt, digest


def _scrypt(secret: str, salt: bytes, log_n: int, r: int, p: int, dklen: int = _DKLEN) -> bytes:
    return hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=1 << log_n, r=r, p=p, maxmem=_MAXMEM, dklen=dklen
    )


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    if not text or any(ch not in _B64_CHARS for ch in text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_B64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
