"""Command line: `python -m bot run`, imports, and offline tasks; `--help` lists them."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot import logs, report_cli
from bot.settings import SettingsError, load_settings, load_storage_settings
from core.indicator_offer import choose, chosen_indicators, offer
from core.periods import Period
from core.plans import plan_years
from reports import registry_reader
from reports.indicator_reader import default_indicators
from reports.plan_json import plan_to_json
from reports.plan_reader import read_plan
from reports.tabular import MAX_UPLOAD_BYTES, DocumentError, DocumentProblem
from storage import plans, registry
from storage.backup import BackupRefused, make_backup, restore
from storage.database import Database, DatabaseInUse
from templates import render


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Zvitbot: quarterly anti-corruption reports in Telegram.",
    )
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--log-json", action="store_true", help="log JSON lines")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="run the bot (MODE=polling or webhook, from settings)")
    commands.add_parser("migrate", help="apply database migrations and print the schema version")

    registry_cmd = commands.add_parser("registry", help="the registry of enterprises and persons")
    registry_sub = registry_cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    registry_import = registry_sub.add_parser("import", help="import a CSV or XLSX registry sheet")
    registry_import.add_argument("file", type=Path)

    plan_cmd = commands.add_parser("plan", help="plans of measures")
    plan_sub = plan_cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    plan_import = plan_sub.add_parser("import", help="import a DOCX, XLSX or CSV plan")
    plan_import.add_argument("file", type=Path)
    plan_import.add_argument("--dry-run", action="store_true", help="read and show, save nothing")
    plan_import.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan_import.add_argument(
        "--indicators",
        metavar="CODE,CODE",
        help="the numeric indicators the plan asks, each attached to its proposed measure"
        " ('' for none; default: those of the version it replaces, none for a first plan)",
    )

    report_cli.add_parser(commands)

    commands.add_parser("backup", help="make a backup of the database now and print its path")
    restore_cmd = commands.add_parser(
        "restore", help="verify a backup and put it in place of the database (bot stopped)"
    )
    restore_cmd.add_argument("file", type=Path)
    commands.add_parser("doctor", help="check settings, database, Bot API and webhook")

    audit_cmd = commands.add_parser(
        "audit", help="print an organisation's report history: who did what and when"
    )
    audit_cmd.add_argument("--enterprise", required=True, help="the organisation's ЄДРПОУ")
    audit_cmd.add_argument("--period", help="2026Q1 etc. (default: every round)")

    summary_cmd = commands.add_parser(
        "summary",
        help="write the consolidated report (report, letter, annex, XLSX, PNG); print the paths",
    )
    summary_cmd.add_argument(
        "--period", help="2026Q1, 2026H1 or 2026 (default: the latest round's period)"
    )
    summary_cmd.add_argument(
        "--out", type=Path, default=Path("."), help="folder for the files (default: here)"
    )
    return parser


def read_upload(path: Path) -> bytes:
    """Read a file for import, refusing an oversized one before reading it."""
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        raise DocumentError(DocumentProblem.TOO_LARGE)
    return path.read_bytes()


async def _migrate() -> int:
    settings = load_storage_settings()
    db = await Database.open(settings.database_path)
    try:
        print(f"schema version {await db.schema_version()}")
    finally:
        await db.close()
    return 0


async def _import_registry(path: Path) -> int:
    settings = load_storage_settings()
    try:
        sheet = registry_reader.read_registry(path.name, read_upload(path))
    except DocumentError as error:
        _document_problem(path, error, "registry")
        return 1
    db = await Database.open(settings.database_path)
    try:
        async with db.transaction() as conn:
            outcome = await registry.import_sheet(
                conn, sheet, actor_id=None, now=datetime.now(UTC)
            )
    finally:
        await db.close()
    print(render("cli/registry_import.txt", outcome=outcome))
    return 0


def _document_problem(path: Path, error: DocumentError, expected: str) -> None:
    print(
        render("cli/document_problem.txt", filename=path.name, **error.context(expected)),
        file=sys.stderr,
    )


def _codes(text: str | None) -> list[str] | None:
    return None if text is None else [c.strip() for c in text.split(",") if c.strip()]


async def _import_plan(
    path: Path, *, dry_run: bool, as_json: bool, codes: list[str] | None = None
) -> int:
    try:
        draft = read_plan(
            path.name, read_upload(path), default_title=render("plan/default_title.txt")
        )
    except DocumentError as error:
        _document_problem(path, error, "plan")
        return 1
    if as_json:
        print(json.dumps(plan_to_json(draft), ensure_ascii=False, indent=2))
    out = sys.stderr if as_json else sys.stdout
    if dry_run:
        offered = offer(default_indicators(), draft)
        chosen = choose(offered, codes) if codes is not None else offered
        if isinstance(chosen, str):
            print(render("cli/plan_unknown_indicator.txt", code=chosen), file=sys.stderr)
            return 1
        print(render("cli/plan_summary.txt", draft=draft, saved=None, offered=chosen), file=out)
        return 0
    settings = load_storage_settings()
    now = datetime.now(UTC)
    years = plan_years(draft.title, now.astimezone(settings.tz).year)
    db = await Database.open(settings.database_path)
    try:
        async with db.transaction() as conn:
            offered = offer(
                default_indicators(), draft, await plans.replaced_indicators(conn, years)
            )
            chosen = choose(offered, codes) if codes is not None else offered
            if isinstance(chosen, str):
                print(render("cli/plan_unknown_indicator.txt", code=chosen), file=sys.stderr)
                return 1
            plan = await plans.save_plan(
                conn,
                draft,
                years=years,
                indicators=chosen_indicators(chosen),
                source_name=path.name,
                actor_id=None,
                now=now,
            )
    finally:
        await db.close()
    print(render("cli/plan_summary.txt", draft=draft, saved=plan, offered=chosen), file=out)
    return 0


async def _run(log_level: str) -> int:
    # Imported late: aiogram start-up is not needed for imports.
    from bot.app import run_polling, run_webhook
    from bot.settings import Mode

    settings = load_settings()
    if settings.log_json:
        logs.configure(log_level, json_lines=True)
    logs.redact(
        settings.bot_token.get_secret_value(),
        settings.webhook_secret.get_secret_value() if settings.webhook_secret else "",
    )
    if settings.mode is Mode.WEBHOOK:
        await run_webhook(settings)
    else:
        await run_polling(settings)
    return 0


async def _backup() -> int:
    from bot.app import backup_policy

    settings = load_storage_settings()
    path = await make_backup(settings.database_path, backup_policy(settings), datetime.now(UTC))
    print(path)
    return 0


def _restore(file: Path) -> int:
    settings = load_storage_settings()
    try:
        outcome = restore(file, settings.database_path, datetime.now(settings.tz))
    except BackupRefused as refused:
        print(render("cli/restore.txt", check=refused.check, outcome=None), file=sys.stderr)
        return 1
    except DatabaseInUse:
        print(render("cli/restore_in_use.txt", path=settings.database_path), file=sys.stderr)
        return 1
    print(render("cli/restore.txt", check=outcome.check, outcome=outcome))
    return 0


async def _summary(code: str | None, out: Path) -> int:
    # Imported late: matplotlib and docxtpl are slow to load and only this command needs them.
    from reports.summary_job import summary_files
    from services.summary import NoRounds, load_summary

    settings = load_storage_settings()
    period = None
    if code:
        try:
            period = Period.parse(code)
        except ValueError:
            print(render("cli/summary.txt", problem="period", code=code), file=sys.stderr)
            return 2
    db = await Database.open(settings.database_path)
    try:
        loaded = await load_summary(db, period, datetime.now(UTC))
    finally:
        await db.close()
    if isinstance(loaded, NoRounds):
        print(render("cli/summary.txt", problem="", period=loaded.period), file=sys.stderr)
        return 1
    result = await summary_files(loaded, settings.requisites)
    for path in await asyncio.to_thread(_write_files, out, result.by_name()):
        print(path)
    return 0


async def _audit(edrpou: str, code: str | None) -> int:
    """Every report of the organisation (or the period's), oldest entry first within each."""
    from reports.summary_digest import period_label
    from storage import history

    settings = load_storage_settings()
    try:
        period = Period.parse(code) if code else None
    except ValueError:
        print(render("cli/summary.txt", problem="period", code=code), file=sys.stderr)
        return 2
    db = await Database.open(settings.database_path)
    try:
        async with db.reading() as conn:
            enterprise = await registry.enterprise_by_edrpou(conn, edrpou.strip())
            reports = await history.enterprise_reports(conn, enterprise.id) if enterprise else []
            texts = []
            for report, report_code in reports:
                if period is not None and report_code != period.code:
                    continue
                items = await history.report_history(conn, report)
                texts.append(
                    render(
                        "history/report.txt",
                        items=items,
                        name=enterprise.short_name if enterprise else "",
                        period_label=period_label(Period.parse(report_code)),
                        zone=settings.tz,
                        limit=10_000,
                    )
                )
    finally:
        await db.close()
    if enterprise is None:
        print(render("cli/audit_unknown.txt", edrpou=edrpou), file=sys.stderr)
        return 1
    print("\n\n".join(texts) if texts else render("cli/audit_empty.txt"))
    return 0


def _write_files(out: Path, files: dict[str, bytes]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


async def _doctor() -> int:
    from bot.doctor import run_doctor

    return await run_doctor()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logs.configure(args.log_level, json_lines=args.log_json)
    try:
        if args.command == "run":
            return asyncio.run(_run(args.log_level))
        if args.command == "backup":
            return asyncio.run(_backup())
        if args.command == "restore":
            return _restore(args.file)
        if args.command == "doctor":
            return asyncio.run(_doctor())
        if args.command == "summary":
            return asyncio.run(_summary(args.period, args.out))
        if args.command == "audit":
            return asyncio.run(_audit(args.enterprise, args.period))
        if args.command == "migrate":
            return asyncio.run(_migrate())
        if args.command == "registry":
            return asyncio.run(_import_registry(args.file))
        if args.command == "plan":
            return asyncio.run(
                _import_plan(
                    args.file,
                    dry_run=args.dry_run,
                    as_json=args.json,
                    codes=_codes(args.indicators),
                )
            )
        if args.command == "report":
            return asyncio.run(report_cli.import_report(args, read_upload, _document_problem))
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"file not found: {error.filename}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
