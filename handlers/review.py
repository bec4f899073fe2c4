"""Coordinator's review: read a submitted report, accept it or return it with a comment;
and assign a substitute to fill an enterprise's report."""

from __future__ import annotations

import logging

import aiosqlite
from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.calendar import WorkCalendar
from core.clock import Clock
from core.models import Actor, Enterprise, Report, ReportState, Round
from core.questionnaire import applicable
from core.registry import record_number
from handlers.access import coordinator_only
from handlers.own_report import send_own_report
from reports.requisites import Requisites
from services import notify
from services.notices import notify_fillers
from storage import plans, registry, report_versions, reporting
from storage import rounds as round_rows
from storage.database import Database
from templates import render
from templates.chunks import split_html
from ui.callbacks import Review, ReviewAction
from ui.keyboards import as_payload, open_report
from ui.replies import edit_or_answer

log = logging.getLogger(__name__)


class ReviewForm(StatesGroup):
    comment = State()


async def _context(
    conn: aiosqlite.Connection, report_id: int
) -> tuple[Report, Round, Enterprise] | None:
    report = await reporting.get_report(conn, report_id)
    if report is None:
        return None
    round_ = await round_rows.get_round(conn, report.round_id)
    enterprise = await registry.get_enterprise(conn, report.enterprise_id)
    if round_ is None or enterprise is None:
        return None
    return report, round_, enterprise


async def render_report(
    db: Database, report_id: int, calendar: WorkCalendar
) -> tuple[Report, list[str]] | None:
    """The report and its pages of HTML that each fit one message."""
    async with db.reading() as conn:
        found = await _context(conn, report_id)
        if found is None:
            return None
        report, round_, enterprise = found
        measures = applicable(await plans.measures(conn, round_.plan_id), enterprise.kind)
        # A handed-in report is shown as submitted, whatever the person is changing meanwhile.
        version = await report_versions.submitted(conn, report)
        if report.handed_in and version is not None:
            answers, files, values = version.answers, version.attachments, version.indicators
        else:
            answers = await reporting.answers_of(conn, report.id)
            files = await reporting.attachments_of(conn, report.id)
            values = await reporting.indicator_values(conn, report.id)
        attachments: dict[int, list[str]] = {}
        for attachment in files:
            attachments.setdefault(attachment.measure_id, []).append(attachment.file_name)
        indicators = await plans.indicators(conn, round_.plan_id)
    text = render(
        "review/report.html",
        report=report,
        enterprise=enterprise,
        period=round_.period,
        submitted_at=report.submitted_at.astimezone(calendar.tz) if report.submitted_at else None,
        measures=measures,
        answers=answers,
        attachments=attachments,
        indicators=indicators,
        values=values,
    )
    return report, split_html(text, 3800)


def _review_keyboard(report: Report, page: int, pages: int) -> InlineKeyboardMarkup:
    """Pages, then «Прийняти» and «Повернути» only where they can act, and the document."""
    report_id = report.id
    builder = InlineKeyboardBuilder()
    sizes = []
    if page > 0:
        builder.button(
            text=render("review/buttons.txt", name="prev"),
            callback_data=Review(action=ReviewAction.PAGE, report_id=report_id, page=page - 1),
        )
    if page < pages - 1:
        builder.button(
            text=render("review/buttons.txt", name="next"),
            callback_data=Review(action=ReviewAction.PAGE, report_id=report_id, page=page + 1),
        )
    if pages > 1:
        sizes.append(2 if 0 < page < pages - 1 else 1)
    decisions = [(ReviewAction.ACCEPT, "accept"), (ReviewAction.RETURN, "return")]
    actions = decisions if report.state is ReportState.SUBMITTED else []
    if report.handed_in:
        actions.append((ReviewAction.DOCUMENT, "document"))
    actions.append((ReviewAction.HISTORY, "history"))
    for action, name in actions:
        builder.button(
            text=render("review/buttons.txt", name=name),
            callback_data=Review(action=action, report_id=report_id),
        )
    builder.adjust(*sizes, 2 if report.state is ReportState.SUBMITTED else 1)
    return builder.as_markup()


async def view_report(
    query: CallbackQuery, callback_data: Review, db: Database, calendar: WorkCalendar
) -> None:
    """Open a report as a new message (VIEW), or turn its pages in place (PAGE)."""
    found = await render_report(db, callback_data.report_id, calendar)
    if found is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    report, pages = found
    page = min(max(callback_data.page, 0), len(pages) - 1)
    markup = _review_keyboard(report, page, len(pages))
    await query.answer()
    if callback_data.action is ReviewAction.PAGE:
        await edit_or_answer(query, pages[page], markup)
    elif isinstance(query.message, Message):
        await query.message.answer(pages[page], reply_markup=markup)


async def send_report_document(
    query: CallbackQuery,
    callback_data: Review,
    db: Database,
    clock: Clock,
    requisites: Requisites,
) -> None:
    """«📄 Звіт організації (DOCX)»: the organisation's own report, as the person received it."""
    if query.bot is None or query.from_user is None:
        return
    await query.answer()
    sent = await send_own_report(
        query.bot, query.from_user.id, db, clock, requisites, callback_data.report_id
    )
    if not sent:
        await query.bot.send_message(query.from_user.id, render("review/no_document.html"))


async def accept_report(
    query: CallbackQuery,
    callback_data: Review,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
) -> None:
    """Accept a submitted report; its person is told."""
    now = clock.now()
    async with db.transaction() as conn:
        found = await _context(conn, callback_data.report_id)
        if found is None or found[0].state is not ReportState.SUBMITTED:
            accepted = None
        else:
            report, round_, enterprise = found
            if report.editing:
                # The submitted version is what was accepted; changes not submitted end here.
                await report_versions.restore_working_copy(conn, report, now)
            accepted = await reporting.set_state(
                conn, report, ReportState.ACCEPTED, actor_id=actor.telegram_id, now=now
            )
            text = render(
                "review/person_accepted.html",
                enterprise=enterprise,
                period=round_.period,
                was_editing=report.editing,
            )
            key = f"accepted:{report.id}:{report.version}"
            await notify_fillers(conn, accepted, text, key, calendar, now)
    if accepted is None:
        await query.answer(render("review/not_reviewable.txt"), show_alert=True)
        return
    await query.answer(render("review/accepted.txt"))
    await edit_or_answer(
        query, render("review/done.html", state="accepted", enterprise=found[2] if found else None)
    )


async def ask_return_comment(
    query: CallbackQuery, callback_data: Review, db: Database, state: FSMContext
) -> None:
    """Returning needs a comment: ask for it and remember which report it is for."""
    async with db.reading() as conn:
        found = await _context(conn, callback_data.report_id)
    if found is None or found[0].state is not ReportState.SUBMITTED:
        await query.answer(render("review/not_reviewable.txt"), show_alert=True)
        return
    await state.set_state(ReviewForm.comment)
    await state.update_data(report_id=callback_data.report_id)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(render("review/ask_comment.html", enterprise=found[2]))


async def return_with_comment(
    message: Message,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    state: FSMContext,
) -> None:
    """The coordinator's comment: the report goes back to its person with it."""
    data = await state.get_data()
    await state.clear()
    comment = (message.text or "").strip()[:1500]
    now = clock.now()
    async with db.transaction() as conn:
        found = await _context(conn, int(data.get("report_id", 0)))
        if found is None or found[0].state is not ReportState.SUBMITTED or not comment:
            returned = None
        else:
            report, round_, enterprise = found
            returned = await reporting.set_state(
                conn,
                report,
                ReportState.RETURNED,
                actor_id=actor.telegram_id,
                now=now,
                comment=comment,
            )
            text = render(
                "review/person_returned.html",
                enterprise=enterprise,
                period=round_.period,
                comment=comment,
                deadline=round_.deadline,
                was_editing=report.editing,
            )
            key = f"returned:{report.id}:{report.version}"
            await notify_fillers(
                conn, returned, text, key, calendar, now, as_payload(open_report(report.id, "fix"))
            )
    if returned is None or found is None:
        await message.answer(render("review/not_reviewable.txt"))
        return
    await message.answer(
        render("review/done.html", state="returned", enterprise=found[2], comment=comment)
    )


async def assign_substitute(
    message: Message,
    command: CommandObject,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
) -> None:
    """/assign ЄДРПОУ N: person N may also fill that enterprise's report in the open round."""
    parts = (command.args or "").split()
    if len(parts) != 2 or not (record_number(parts[1]) is not None or parts[1] == "-"):
        await message.answer(render("review/assign_usage.html"))
        return
    code, who = parts
    now = clock.now()
    reason = ""
    async with db.transaction() as conn:
        rounds = await round_rows.open_rounds(conn)
        enterprise = await registry.enterprise_by_edrpou(conn, code)
        number = record_number(who)
        person = None if number is None else await registry.get_person(conn, number)
        report = None
        if not rounds:
            reason = "no_round"
        elif enterprise is None:
            reason = "no_enterprise"
        elif who != "-" and (person is None or not (person.fills_reports and person.reachable)):
            reason = "no_person"
        else:
            assert enterprise is not None
            for report in await reporting.reports_of_round(conn, rounds[0].id):
                if report.enterprise_id == enterprise.id:
                    break
            else:
                report = None
            if report is None:
                reason = "no_enterprise"
            else:
                report = await reporting.assign(
                    conn,
                    report,
                    person.id if person else None,
                    actor_id=actor.telegram_id,
                    now=now,
                )
                if person is not None and person.telegram_id is not None:
                    text = render(
                        "review/substitute_invitation.html",
                        enterprise=enterprise,
                        period=rounds[0].period,
                        deadline=rounds[0].deadline,
                    )
                    await notify.send(
                        conn,
                        key=notify.assigned_key(report.id, person.id),
                        kind=notify.Kind.NOTICE,
                        chat_id=person.telegram_id,
                        person_id=person.id,
                        letter=notify.Letter(text, as_payload(open_report(report.id))),
                        calendar=calendar,
                        now=now,
                    )
    if reason:
        await message.answer(render("review/assign_failed.html", reason=reason))
        return
    await message.answer(
        render(
            "review/assigned.html",
            enterprise=enterprise,
            person=person,
            period=rounds[0].period,
        )
    )


def create_router() -> Router:
    """The review use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="review")
    router.message.filter(coordinator_only)
    router.callback_query.filter(coordinator_only)
    router.callback_query.register(
        view_report, Review.filter(F.action.in_({ReviewAction.VIEW, ReviewAction.PAGE}))
    )
    router.callback_query.register(accept_report, Review.filter(F.action == ReviewAction.ACCEPT))
    router.callback_query.register(
        send_report_document, Review.filter(F.action == ReviewAction.DOCUMENT)
    )
    router.callback_query.register(
        ask_return_comment, Review.filter(F.action == ReviewAction.RETURN)
    )
    router.message.register(
        return_with_comment, StateFilter(ReviewForm.comment), F.text & ~F.text.startswith("/")
    )
    router.message.register(assign_substitute, Command("assign"))
    return router
