"""Who coordinates, and who may change that: the one rule the middleware, the notices and
/promote share."""

from __future__ import annotations

from collections.abc import Collection

from core.models import Person


def is_coordinator(telegram_id: int, person: Person | None, configured: Collection[int]) -> bool:
    """The account is named in settings (COORDINATOR_IDS), or bound to a person promoted with
    /promote who is active (`Person.coordinates`). `person` is the one bound to the account."""
    return telegram_id in configured or (person is not None and person.coordinates)


def may_change_roles(telegram_id: int, configured: Collection[int]) -> bool:
    """Only the coordinators named in settings promote and demote: a promoted coordinator can
    neither hand the role on nor demote the one who promoted them."""
    return telegram_id in configured
