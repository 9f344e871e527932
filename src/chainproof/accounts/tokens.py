"""API token format: ``cp_<prefix>_<secret>``; stored as SHA-256, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

TOKEN_PREFIX = "cp"  # noqa: S105 (a label, not a secret)


@dataclass(frozen=True)
class IssuedToken:
    prefix: str
    plaintext: str
    key_hash: str


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def issue_token() -> IssuedToken:
    prefix = secrets.token_hex(6)
    plaintext = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    return IssuedToken(prefix=prefix, plaintext=plaintext, key_hash=hash_token(plaintext))


def split_token(plaintext: str) -> str | None:
    """Return the lookup prefix of a well-formed token, or None."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 12:
        return None
    return parts[1]


def token_matches(plaintext: str, key_hash: str) -> bool:
    return hmac.compare_digest(hash_token(plaintext), key_hash)
