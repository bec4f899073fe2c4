"""An organisation's Word or Excel report saved as its submitted report, in a real database."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, datetime

import pytest

from core.models import ReportState
from core.periods import Period
from core.summary import Summary
from demo.plan_data import plan_docx
from demo.registry_data import ENTERPRISES, registry_csv
from demo.report_data import (
    EXPECTED,
    LEFT_OUT,
    NOT_IN_PLAN,
    PROGRESS_HEADERS,
    report_docx,
    report_xlsx,
)
from reports.indicator_reader import default_indicators
from reports.plan_reader import read_plan
from reports.registry_reader import read_registry
from reports.report_document import read_report
from services.summary import load_summary
from storage import answers as answer_rows
from storage import audit, plans, registry, report_imports, reporting
from storage import rounds as round_rows
from storage.database import Database, fetch_one

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
Q1 = Period.quarter(2026, 1)
LYCEUM = next(e for e in ENTERPRISES if e.short_name == "Ліцей № 7")


async def seed_round(db: Database, now: datetime) -> None:
    """The registry, the plan and the first quarter's round, open."""
    draft = read_plan("plan.docx", plan_docx(), default_title="План")
    async with db.transaction() as conn:
        await registry.import_sheet(
            conn, read_registry("r.csv", registry_csv()), actor_id=None, now=now
        )
        plan = await plans.save_plan(
            conn,
            draft,
            years=(2026, 2027),
            indicators=default_indicators()[:3],
            source_name="plan.docx",
            actor_id=None,
            now=now,
        )
        enterprises = await registry.list_enterprises(conn, active_only=True)
        await round_rows.open_round(
            conn,
            plan_id=plan.id,
            period=Q1,
            deadline=Q1.end,
            enterprise_ids=[e.id for e in enterprises],
            actor_id=None,
            now=now,
        )


@pytest.fixture
async def round_db(db: Database) -> Database:
    await seed_round(db, NOW)
    return db


async def import_file(db: Database, filename: str, data: bytes) -> report_imports.Prepared:
    document = read_report(filename, data)
    async with db.transaction() as conn:
        round_ = await round_rows.round_for(conn, Q1)
        lyceum = await registry.enterprise_by_edrpou(conn, LYCEUM.edrpou)
        assert round_ is not None and lyceum is not None
        pending = report_imports.PendingImport(
            id=0,
            filename=filename,
            file_id="BQACAgIAAx0",
            file_size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            round_id=round_.id,
            enterprise_id=lyceum.id,
            rows=document.rows,
        )
        import_id = await report_imports.stash(conn, pending, telegram_id=900001, now=NOW)
        prepared = await report_imports.prepare(conn, import_id)
        assert isinstance(prepared, report_imports.Prepared)
        await report_imports.save(
            conn, prepared, late=False, person_id=None, actor_id=900001, now=NOW
        )
    return prepared


VARIANTS = [
    ("zvit.docx", report_docx(PROGRESS_HEADERS[0])),
    ("zvit.xlsx", report_xlsx(PROGRESS_HEADERS[1])),
    ("zvit.docx", report_docx(PROGRESS_HEADERS[2])),
]


@pytest.mark.parametrize(("filename", "data"), VARIANTS, ids=PROGRESS_HEADERS)
async def test_a_report_document_becomes_the_organisations_submitted_report(
    round_db: Database, filename: str, data: bytes
) -> None:
    prepared = await import_file(round_db, filename, data)

    match = prepared.match
    assert [r.text for r in match.unmatched] == [NOT_IN_PLAN]
    assert [m.number for m in match.missing] == [LEFT_OUT]
    assert Counter(m.status.value for m in match.matched) == EXPECTED
    # The last direction is numbered 1, 2, 3 in the document: matched by text, not number.
    assert {m.measure.number for m in match.matched if not m.by_number} == {"5.1", "5.2", "5.3"}
    summary = await load_summary(round_db, Q1, NOW)
    assert isinstance(summary, Summary)
    assert [e.short_name for e in summary.submission.on_time] == ["Ліцей № 7"]
    records = [a for a in summary.answers if a.enterprise.short_name == "Ліцей № 7"]
    assert Counter(a.status.value for a in records if a.status) == EXPECTED
    async with round_db.reading() as conn:
        report = await reporting.get_report(conn, prepared.report.id)
        files = await answer_rows.attachments_of(conn, prepared.report.id)
        entries = await audit.entries(conn, entity="report", entity_id=prepared.report.id)
    assert report is not None and report.state is ReportState.SUBMITTED and report.version == 1
    assert {f.file_name for f in files} == {filename} and len(files) == len(match.matched)
    assert [e.action for e in entries] == ["report.submit", "report.import"]
    assert entries[1].actor_id == 900001
    assert entries[1].after is not None and entries[1].after["source"] == filename


async def test_importing_again_makes_a_new_version_of_the_same_report(round_db: Database) -> None:
    first = await import_file(round_db, "zvit.docx", report_docx())
    second = await import_file(round_db, "zvit-2.xlsx", report_xlsx())
    assert second.report.id == first.report.id
    async with round_db.reading() as conn:
        report = await reporting.get_report(conn, first.report.id)
        counted = await fetch_one(conn, "SELECT COUNT(*) FROM reports WHERE enterprise_id = ?",
                                  (first.report.enterprise_id,))  # fmt: skip
        files = await answer_rows.attachments_of(conn, first.report.id)
    assert report is not None and report.version == 2 and counted is not None and counted[0] == 1
    assert {f.file_name for f in files} == {"zvit-2.xlsx"}  # the old document's evidence went


async def test_an_accepted_report_is_not_replaced(round_db: Database) -> None:
    first = await import_file(round_db, "zvit.docx", report_docx())
    async with round_db.transaction() as conn:
        report = await reporting.get_report(conn, first.report.id)
        assert report is not None
        await reporting.set_state(conn, report, ReportState.ACCEPTED, actor_id=1, now=NOW)
        again = await report_imports.match_pending(conn, first.pending)
    assert again is report_imports.Refusal.ACCEPTED
