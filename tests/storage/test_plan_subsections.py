"""A three-level plan keeps its subsections through the preview's stash and the save."""

from datetime import UTC, datetime

from core.models import MeasureDraft, PlanDraft, SectionDraft
from storage import plan_uploads, plans
from storage.database import Database

NOW = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
DRAFT = PlanDraft(
    "План заходів на 2026 рік",
    (
        SectionDraft(
            "1",
            "Організаційні заходи",
            (
                MeasureDraft("1.1.1", "Ознайомити нових працівників", "Постійно", "Кадри",
                             subsection_number="1.1", subsection_title="Кадрова робота"),
                MeasureDraft("1.2.1", "Провести навчання", "ІІ квартал", "Відділ",
                             subsection_number="1.2", subsection_title="Навчання"),
            ),
        ),
        SectionDraft("2", "Прозорість", (MeasureDraft("2.1", "Оприлюднити звіт", "І", "В"),)),
    ),
    generated=("2.1",),
)  # fmt: skip


async def test_subsections_and_generated_numbers_survive_the_stash_and_the_save(
    db: Database,
) -> None:
    """Plan import, fault 3: the hierarchy is stored, not only previewed."""
    async with db.transaction() as conn:
        upload = await plan_uploads.stash_upload(conn, 1, "plan.docx", DRAFT, (), NOW)
        stashed = await plan_uploads.pending_upload(conn, upload)
        assert stashed is not None and stashed.draft == DRAFT
        plan = await plans.save_plan(
            conn, DRAFT, years=(2026, 2026), indicators=(), source_name="plan.docx",
            actor_id=1, now=NOW,
        )  # fmt: skip
        measures = await plans.measures(conn, plan.id)

    assert [
        (m.section_number, m.subsection_number, m.subsection_title, m.number) for m in measures
    ] == [
        ("1", "1.1", "Кадрова робота", "1.1.1"),
        ("1", "1.2", "Навчання", "1.2.1"),
        ("2", "", "", "2.1"),
    ]
