"""A substitute fills an organisation's report in the open round (/assign), and is invited."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.models import Enterprise, Person
from core.periods import Period
from core.registry import record_number
from services import notify
from services.deps import Deps
from storage import registry, reporting
from storage import rounds as round_rows
from templates import render
from ui.keyboards import as_payload, open_report

# `who` that takes the substitute off the report instead of naming one.
NOBODY = "-"


class NotAssigned(StrEnum):
    """Why nothing was assigned (the wording is templates/review/assign_failed.html)."""

    NO_ROUND = "no_round"
    NO_ENTERPRISE = "no_enterprise"
    NO_PERSON = "no_person"


@dataclass(frozen=True, slots=True)
class Assigned:
    enterprise: Enterprise
    person: Person | None  # None: the substitute was taken off
    period: Period


async def assign_substitute(
    deps: Deps, actor_id: int, edrpou: str, who: str
) -> Assigned | NotAssigned:
    """Person number `who` (or NOBODY) may also fill the organisation's report in the open
    round; a person who fills reports and can be written to is invited at once."""
    now = deps.now()
    async with deps.db.transaction() as conn:
        rounds = await round_rows.open_rounds(conn)
        enterprise = await registry.enterprise_by_edrpou(conn, edrpou)
        number = record_number(who)
        person = None if number is None else await registry.get_person(conn, number)
        if not rounds:
            return NotAssigned.NO_ROUND
        if enterprise is None:
            return NotAssigned.NO_ENTERPRISE
        if who != NOBODY and (person is None or not (person.fills_reports and person.reachable)):
            return NotAssigned.NO_PERSON
        round_ = rounds[0]
        report = await reporting.report_of(conn, round_.id, enterprise.id)
        if report is None:
            return NotAssigned.NO_ENTERPRISE
        report = await reporting.assign(
            conn, report, person.id if person else None, actor_id=actor_id, now=now
        )
        if person is not None and person.telegram_id is not None:
            text = render(
                "review/substitute_invitation.html",
                enterprise=enterprise,
                period=round_.period,
                deadline=round_.deadline,
            )
            await notify.send(
                conn,
                key=notify.assigned_key(report.id, person.id),
                kind=notify.Kind.NOTICE,
                chat_id=person.telegram_id,
                person_id=person.id,
                letter=notify.Letter(text, as_payload(open_report(report.id))),
                calendar=deps.calendar,
                now=now,
            )
    return Assigned(enterprise, person, round_.period)
