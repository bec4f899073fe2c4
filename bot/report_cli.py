"""`python -m bot report import FILE --enterprise ЄДРПОУ [--period P]`: an organisation's own
report document saved as its submitted report, as «Зберегти» under the chat preview does.

There is no Telegram file here, so no attachment is made: the report's version records the
file's name and SHA-256 (report_imports, the audit trail); keep the file itself.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bot.settings import load_storage_settings
from core.calendar import WorkCalendar
from core.deadlines import is_late
from core.periods import Period
from reports.report_document import read_report
from reports.tabular import DocumentError
from storage import registry, report_imports
from storage import rounds as round_rows
from storage.database import Database
from storage.report_imports import PendingImport, Prepared, Refusal
from templates import render

ReadUpload = Callable[[Path], bytes]
DocumentProblem = Callable[[Path, DocumentError, str], None]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report_cmd = commands.add_parser("report", help="organisations' reports")
    report_sub = report_cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    report_import = report_sub.add_parser(
        "import", help="save an organisation's DOCX/XLSX/CSV report as its submitted report"
    )
    report_import.add_argument("file", type=Path)
    report_import.add_argument("--enterprise", required=True, help="the organisation's ЄДРПОУ")
    report_import.add_argument("--period", help="2026Q1 etc. (default: the latest round's)")
    report_import.add_argument(
        "--dry-run", action="store_true", help="read and show, save nothing"
    )
    report_import.add_argument("--json", action="store_true", help="print the matching as JSON")


async def import_report(
    args: argparse.Namespace, read_upload: ReadUpload, document_problem: DocumentProblem
) -> int:
    path: Path = args.file
    try:
        period = Period.parse(args.period) if args.period else None
    except ValueError:
        print(render("cli/summary.txt", problem="period", code=args.period), file=sys.stderr)
        return 2
    try:
        data = read_upload(path)
        document = read_report(path.name, data)
    except DocumentError as error:
        document_problem(path, error, "report")
        return 1
    settings = load_storage_settings()
    now = datetime.now(UTC)
    db = await Database.open(settings.database_path)
    try:
        async with db.transaction() as conn:
            round_ = await (
                round_rows.round_for(conn, period) if period else round_rows.latest_round(conn)
            )
            enterprise = await registry.enterprise_by_edrpou(conn, args.enterprise.strip())
            saved = None
            if round_ is None or enterprise is None:
                prepared: Prepared | Refusal | str = (
                    "no_round" if round_ is None else "unknown_enterprise"
                )
            else:
                pending = PendingImport(
                    id=0,
                    filename=path.name,
                    file_id="",
                    file_size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    round_id=round_.id,
                    enterprise_id=enterprise.id,
                    rows=document.rows,
                )
                prepared = await report_imports.match_pending(conn, pending)
            if isinstance(prepared, Prepared) and not args.dry_run:
                stashed = prepared.pending
                import_id = await report_imports.stash(conn, stashed, telegram_id=None, now=now)
                prepared = replace(prepared, pending=replace(stashed, id=import_id))
                saved = await report_imports.save(
                    conn,
                    prepared,
                    late=is_late(now, prepared.round.deadline, WorkCalendar(tz=settings.tz)),
                    person_id=None,
                    actor_id=None,
                    now=now,
                )
    finally:
        await db.close()
    if not isinstance(prepared, Prepared):
        text = render(
            "cli/report_import_refused.txt",
            problem=str(prepared),
            edrpou=args.enterprise,
            period=period,
        )
        print(text, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(match_json(prepared), ensure_ascii=False, indent=2))
    text = render(
        "cli/report_import.txt",
        prepared=prepared,
        period=prepared.round.period,
        saved=saved,
    )
    print(text, file=sys.stderr if args.json else sys.stdout)
    return 0


def match_json(prepared: Prepared) -> dict[str, object]:
    """The matching as data: what would be (or was) saved, and what was left out."""
    match = prepared.match
    return {
        "enterprise": prepared.enterprise.edrpou,
        "period": prepared.round.period.code,
        "matched": [
            {
                "measure": m.measure.number,
                "row_number": m.row.number,
                "by_number": m.by_number,
                "status": m.status.value,
                "narrative": m.row.progress,
            }
            for m in match.matched
        ],
        "unmatched": [{"number": r.number, "text": r.text} for r in match.unmatched],
        "missing": [m.number for m in match.missing],
    }
