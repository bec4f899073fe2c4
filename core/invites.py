"""Invite codes: random, single-use, expiring, and only ever stored as a hash."""

from __future__ import annotations

import hashlib
import re
import secrets
from enum import StrEnum

# 16 random bytes = 128 bits; token_urlsafe keeps to [A-Za-z0-9_-], which deep links allow.
_CODE_BYTES = 16
_CODE_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class InviteOutcome(StrEnum):
    BOUND = "bound"
    ALREADY_BOUND = "already_bound"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    PERSON_INACTIVE = "person_inactive"
    RATE_LIMITED = "rate_limited"
    # The account is another person's: asked before it moves (nothing used or changed yet).
    MOVE_ASKED = "move_asked"


def new_code() -> str:
    return secrets.token_urlsafe(_CODE_BYTES)


def hash_code(code: str) -> str:
    """A plain SHA-256 suffices: the code has 128 bits of entropy, so there is nothing to guess."""
    return hashlib.sha256(code.encode("ascii", "replace")).hexdigest()


def looks_like_code(text: str) -> bool:
    return bool(_CODE_SHAPE.match(text))
