"""storage.report_context.read_report: the report with its context in one statement reads what
the per-table reads do; the plans' measures cached per connection follow every change."""

from datetime import UTC, date, datetime
from pathlib import Path

import aiosqlite

from bench.fictional import plan_draft
from core.models import Attachment, EnterpriseKind, MeasureStatus, Report, Round
from core.periods import Period
from demo.registry_data import registry_csv
from reports.indicator_reader import default_indicators
from reports.registry_reader import read_registry
from storage import (
    answers,
    plans,
    positions,
    registry,
    report_context,
    report_versions,
    reporting,
    rounds,
)
from storage.database import Database, fetch_one

NOW = datetime(2026, 7, 2, 8, 0, tzinfo=UTC)


async def _quarter(
    conn: aiosqlite.Connection, plan_id: int, number: int, enterprise_id: int
) -> tuple[Round, Report]:
    enterprise_ids = [e.id for e in await registry.list_enterprises(conn, active_only=True)]
    round_ = await rounds.open_round(
        conn,
        plan_id=plan_id,
        period=Period.quarter(2026, number),
        deadline=date(2026, 3 * number + 1, 10),
        enterprise_ids=enterprise_ids,
        actor_id=None,
        now=NOW,
    )
    assert round_ is not None
    report = await reporting.report_of(conn, round_.id, enterprise_id)
    assert report is not None
    return round_, report


async def test_one_statement_reads_what_the_per_table_reads_do(db: Database) -> None:
    async with db.transaction() as conn:
        await registry.import_sheet(
            conn, read_registry("r.csv", registry_csv()), actor_id=None, now=NOW
        )
        plan = await plans.save_plan(
            conn, plan_draft(), years=(2026, 2026), indicators=default_indicators()[:3],
            source_name="t", actor_id=None, now=NOW,
        )  # fmt: skip
        person = (await registry.list_persons(conn))[0]
        assert person.enterprise_id is not None
        measures = await plans.measures(conn, plan.id)
        codes = [i.code for i in await plans.indicators(conn, plan.id)]
        # Q1: answered, with a value and evidence, and handed in.
        _, q1 = await _quarter(conn, plan.id, 1, person.enterprise_id)
        await answers.save_status(
            conn, q1, measures[0].id, MeasureStatus.DONE, person_id=person.id, now=NOW
        )
        await answers.save_indicator(conn, q1, codes[0], 4, now=NOW)
        await reporting.submit(conn, q1, late=False, person_id=person.id, now=NOW)
        # Q2: the working copy under way.
        q2_round, q2 = await _quarter(conn, plan.id, 2, person.enterprise_id)
        saved = await answers.save_narrative(
            conn, q2, measures[1].id, "Зроблено <усе>", person_id=person.id, now=NOW
        )
        await answers.save_status(
            conn, saved.report, measures[1].id, MeasureStatus.IN_PROGRESS,
            person_id=person.id, now=NOW,
        )  # fmt: skip
        await answers.save_indicator(conn, q2, codes[0], None, now=NOW)
        await answers.save_indicator(conn, q2, codes[1], 12, now=NOW)
        for name in ("наказ.pdf", "акт.docx"):
            evidence = Attachment(measures[1].id, f"id-{name}", name, 100, "document")
            await answers.add_attachment(conn, q2, evidence, now=NOW)
        await positions.set_position(
            conn, person.id, q2.id, f"m:{measures[1].id}", screen=7, message_id=3, now=NOW
        )

    async with db.reading() as conn:
        rows = await report_context.read_report(conn, person.id, q2.id)
        by_position = await report_context.read_report(conn, person.id, None)
        nothing = await report_context.read_report(conn, person.id, 10_000)
        stranger = await report_context.read_report(conn, 10_000, None)
        report = await reporting.get_report(conn, q2.id)
        assert report is not None
        expected = report_context.ReportRows(
            report=report,
            round=q2_round,
            enterprise=await registry.get_enterprise(conn, person.enterprise_id),  # type: ignore[arg-type]
            answers=await answers.answers_of(conn, q2.id),
            values=await answers.indicator_values(conn, q2.id),
            attachments=await answers.attachments_of(conn, q2.id),
            previous=await report_versions.previous_answers(conn, q2_round, person.enterprise_id),
            previous_values={codes[0]: 4},  # Q1's, as handed in
            position=await positions.position(conn, person.id),
            data_version=rows.data_version if rows else 0,
        )
    assert rows == expected and by_position == expected
    assert nothing is None and stranger is None
    # What the read found, spelled out: the per-table reads could be wrong the same way.
    assert rows.answers[measures[1].id].narrative == "Зроблено <усе>"
    assert rows.values == {codes[0]: None, codes[1]: 12}
    assert [a.file_name for a in rows.attachments] == ["наказ.pdf", "акт.docx"]
    assert rows.previous[measures[0].number].status is MeasureStatus.DONE
    assert rows.previous_values == {codes[0]: 4}
    assert rows.position == positions.Position(q2.id, f"m:{measures[1].id}", 7, 3)


async def test_an_answer_save_returns_the_row_as_stored_and_the_report_as_a_draft(
    db: Database,
) -> None:
    async with db.transaction() as conn:
        await registry.import_sheet(
            conn, read_registry("r.csv", registry_csv()), actor_id=None, now=NOW
        )
        plan = await plans.save_plan(
            conn, plan_draft(), years=(2026, 2026), indicators=(), source_name="t",
            actor_id=None, now=NOW,
        )  # fmt: skip
        person = (await registry.list_persons(conn))[0]
        assert person.enterprise_id is not None
        measure = (await plans.measures(conn, plan.id))[0]
        _, report = await _quarter(conn, plan.id, 1, person.enterprise_id)
        saved = await answers.save_status(
            conn, report, measure.id, MeasureStatus.NOT_DONE, person_id=person.id, now=NOW
        )
        stored = await reporting.get_report(conn, report.id)
        stored_answer = (await answers.answers_of(conn, report.id))[measure.id]
    assert saved.report == stored and saved.report.state is not report.state
    assert saved.answer == stored_answer and saved.answer.status is MeasureStatus.NOT_DONE


async def _kinds(db: Database, plan_id: int, measure_id: int) -> tuple[EnterpriseKind, ...]:
    async with db.reading() as conn:
        found = [m for m in await plans.measures(conn, plan_id) if m.id == measure_id]
    return found[0].kinds


async def test_cached_measures_follow_a_local_edit_a_rollback_and_another_process(
    db: Database, tmp_path: Path
) -> None:
    async with db.transaction() as conn:
        plan = await plans.save_plan(
            conn, plan_draft(), years=(2026, 2026), indicators=(), source_name="t",
            actor_id=None, now=NOW,
        )  # fmt: skip
        measure = (await plans.measures(conn, plan.id))[0]
    school = (EnterpriseKind.EDUCATION,)
    assert await _kinds(db, plan.id, measure.id) == measure.kinds  # now cached

    async with db.transaction() as conn:  # this connection's own writer
        await plans.set_measure_kinds(conn, measure, school, actor_id=None, now=NOW)
    assert await _kinds(db, plan.id, measure.id) == school

    try:  # a change rolled back is not kept in the cache either
        async with db.transaction() as conn:
            await plans.set_measure_kinds(conn, measure, (), actor_id=None, now=NOW)
            assert (await plans.measures(conn, plan.id))[0].kinds == ()
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert await _kinds(db, plan.id, measure.id) == school

    other = await Database.open(db.path)  # another process, as the CLI is
    try:
        async with other.transaction() as conn:
            await conn.execute("UPDATE measures SET kinds = '' WHERE id = ?", (measure.id,))
    finally:
        await other.close()
    assert await _kinds(db, plan.id, measure.id) == ()
    async with db.reading() as conn:
        row = await fetch_one(conn, "SELECT kinds FROM measures WHERE id = ?", (measure.id,))
    assert row is not None and row["kinds"] == ""
