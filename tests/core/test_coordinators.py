"""Who coordinates: one rule for the middleware, the notices and /promote's menu."""

from core.coordinators import is_coordinator, may_change_roles
from core.models import Person, PersonRole, PersonStatus

SETTINGS = frozenset({100})


def person(status: PersonStatus, role: PersonRole, telegram_id: int = 5001) -> Person:
    return Person(1, 1, "Олена Гнатюк", telegram_id=telegram_id, status=status, role=role)


def test_an_account_named_in_settings_coordinates_whoever_it_is_bound_to() -> None:
    assert is_coordinator(100, None, SETTINGS)
    dismissed = person(PersonStatus.DISMISSED, PersonRole.AUTHORIZED, telegram_id=100)
    assert is_coordinator(100, dismissed, SETTINGS)


def test_a_promoted_person_coordinates_only_while_active() -> None:
    assert is_coordinator(5001, person(PersonStatus.ACTIVE, PersonRole.COORDINATOR), SETTINGS)
    for status in (PersonStatus.ON_LEAVE, PersonStatus.IDLE, PersonStatus.DISMISSED):
        assert not is_coordinator(5001, person(status, PersonRole.COORDINATOR), SETTINGS)


def test_a_person_who_fills_reports_does_not_coordinate() -> None:
    assert not is_coordinator(5001, person(PersonStatus.ACTIVE, PersonRole.AUTHORIZED), SETTINGS)
    assert not is_coordinator(5001, None, SETTINGS)


def test_only_the_coordinators_in_settings_may_change_roles() -> None:
    assert may_change_roles(100, SETTINGS)
    assert not may_change_roles(5001, SETTINGS)
