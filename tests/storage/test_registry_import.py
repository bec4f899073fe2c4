from datetime import UTC, datetime

from core.models import EnterpriseKind
from core.registry import RowProblem
from demo.registry_data import registry_csv, registry_rows
from reports.registry_reader import read_registry
from storage import audit, registry
from storage.database import Database

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def test_import_creates_enterprises_and_persons_in_file_order(db: Database) -> None:
    sheet = read_registry("registry.csv", registry_csv())
    async with db.transaction() as conn:
        outcome = await registry.import_sheet(conn, sheet, actor_id=1, now=NOW)
    assert (outcome.created, outcome.updated, outcome.persons_created) == (14, 0, 14)
    async with db.reading() as conn:
        enterprises = await registry.list_enterprises(conn)
        persons = await registry.list_persons(conn, search="ліцей")
    assert enterprises[0].short_name == "КП «Міськводоканал»"
    assert enterprises[3].kind is EnterpriseKind.EDUCATION
    assert [p.full_name for p in persons] == [
        "Наталія Василівна Коваль",
        "Оксана Романівна Мельник",
    ]


async def test_reimporting_the_same_file_changes_nothing(db: Database) -> None:
    sheet = read_registry("registry.csv", registry_csv())
    async with db.transaction() as conn:
        await registry.import_sheet(conn, sheet, actor_id=1, now=NOW)
    async with db.transaction() as conn:
        outcome = await registry.import_sheet(conn, sheet, actor_id=1, now=NOW)
        entries = await audit.entries(conn, entity="enterprise")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 14)
    assert (outcome.persons_created, outcome.persons_updated) == (0, 0)
    assert len(entries) == 14  # only the creations were audited


async def test_changed_row_is_updated_and_audited_with_before_and_after(db: Database) -> None:
    async with db.transaction() as conn:
        sheet = read_registry("r.csv", registry_csv())
        await registry.import_sheet(conn, sheet, actor_id=1, now=NOW)
    rows = registry_rows()
    rows[1][2] = "КП «Водоканал»"
    async with db.transaction() as conn:
        outcome = await registry.import_sheet(
            conn, read_registry("r.csv", registry_csv(rows)), actor_id=7, now=NOW
        )
        updates = [e for e in await audit.entries(conn) if e.action == "enterprise.update"]
    assert (outcome.updated, outcome.unchanged) == (1, 13)
    assert updates[0].actor_id == 7
    assert updates[0].before is not None and updates[0].after is not None
    assert updates[0].before["short_name"] == "КП «Міськводоканал»"
    assert updates[0].after["short_name"] == "КП «Водоканал»"


async def test_bad_rows_are_rejected_with_reasons_and_good_rows_kept(db: Database) -> None:
    rows = registry_rows()
    rows[2][0] = "44103420"  # wrong check digit
    rows[3][0] = "4410"  # too short even after restoring leading zeros
    rows[4][1] = ""  # no name
    rows[5][3] = "космодром"  # unknown kind
    rows.append([*rows[6][:6], "", "", "", ""])  # a code again, with no person: nothing new
    sheet = read_registry("registry.csv", registry_csv(rows))
    async with db.transaction() as conn:
        outcome = await registry.import_sheet(conn, sheet, actor_id=1, now=NOW)
    assert outcome.created == 10
    assert [(r.line, r.problem) for r in outcome.rejected] == [
        (3, RowProblem.BAD_EDRPOU),
        (4, RowProblem.BAD_EDRPOU),
        (5, RowProblem.MISSING_NAME),
        (6, RowProblem.UNKNOWN_KIND),
        (16, RowProblem.DUPLICATE_EDRPOU),
    ]


async def test_one_file_holds_several_persons_of_one_organisation(db: Database) -> None:
    """Quarter's edges, case 8: the second person's row was refused as a duplicate ЄДРПОУ."""
    rows = registry_rows()
    second = list(rows[1])
    second[rows[0].index("ПІБ")] = "Ігор Петрович Савчук"
    rows.insert(2, second)
    rows.append(list(rows[1]))  # the first person's row once more: no second copy of her
    sheet = read_registry("registry.csv", registry_csv(rows))
    async with db.transaction() as conn:
        outcome = await registry.import_sheet(conn, sheet, actor_id=1, now=NOW)
        enterprise = await registry.enterprise_by_edrpou(conn, rows[1][0])
        assert enterprise is not None
        names = [p.full_name for p in await registry.persons_of(conn, enterprise.id)]
    assert outcome.rejected == [] and outcome.created == 14
    assert (outcome.persons_created, outcome.unchanged, outcome.updated) == (15, 0, 0)
    assert names == ["Олена Петрівна Гнатюк", "Ігор Петрович Савчук"]


async def test_leading_zeros_lost_by_a_spreadsheet_are_restored(db: Database) -> None:
    rows = registry_rows()[:1] + [["32129", "Тестова установа", "", "інше", "", "так"]]
    sheet = read_registry("registry.csv", registry_csv(rows))
    assert sheet.rows[0].enterprise.edrpou == "00032129"
