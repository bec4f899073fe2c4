"""The authorized person's questionnaire: one measure at a time, every answer committed first."""

from __future__ import annotations

import logging
import secrets

import aiosqlite
from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.calendar import WorkCalendar
from core.clock import Clock
from core.deadlines import is_late
from core.models import (
    Actor,
    Attachment,
    MeasureStatus,
    RoundState,
    is_meaningful,
)
from core.questionnaire import (
    MAX_EVIDENCE_BYTES,
    MAX_NARRATIVE,
    OVERVIEW,
    ReportContext,
    Step,
    can_reopen,
    first_step,
    is_editable,
    narrative_excess,
    parse_whole_number,
    status_counts,
    step_after,
    step_before,
)
from handlers.access import person_only
from handlers.onboarding import person_help
from handlers.own_report import send_own_report
from reports.requisites import Requisites
from services import notify
from services.questionnaire import load_context, refresh_context
from storage import positions, promotions, report_versions, reporting
from storage.database import Database
from templates import render
from ui.callbacks import LegacyQ, Q, QAction, Review, ReviewAction
from ui.keyboards import as_payload, open_report
from ui.questionnaire import button, screen
from ui.replies import edit_or_answer

log = logging.getLogger(__name__)

# Window tokens are drawn from 1..WINDOW_TOKENS: at most 7 digits in every button's data.
WINDOW_TOKENS = 999_999


# --- Shared plumbing --------------------------------------------------------------------------


async def _session_for(db: Database, report_id: int, actor: Actor) -> ReportContext | None:
    if actor.person is None:
        return None
    async with db.reading() as conn:
        return await load_context(conn, report_id, actor.person)


def _new_window(place: positions.Position | None) -> int:
    """A token for a new live window, never the one it replaces."""
    while (token := secrets.randbelow(WINDOW_TOKENS) + 1) == (place.screen if place else 0):
        pass
    return token


async def _show(
    db: Database,
    clock: Clock,
    query: CallbackQuery,
    session: ReportContext,
    step: Step,
    window: int | None = None,
) -> None:
    """Edit the pressed message into the given step; it becomes (or stays) the live window.

    `window` is the live window's token when the button was pressed on it; a message that
    becomes the questionnaire (an invitation, a receipt) gets a new one. The step and token
    are stored before the edit, so a crash in between leaves buttons that still work.
    """
    message_id = query.message.message_id if isinstance(query.message, Message) else None
    async with db.transaction() as conn:
        window, _ = await _place_window(conn, clock, session, step, window, message_id)
    text, markup = screen(session, step, window)
    await edit_or_answer(query, text, markup)


async def _open_window(
    db: Database, clock: Clock, session: ReportContext, step: Step
) -> tuple[int, int | None]:
    """Store `step` in a new window before it is sent: (its token, the old window's message)."""
    async with db.transaction() as conn:
        window, place = await _place_window(conn, clock, session, step, None, None)
    return window, place.message_id if place is not None else None


async def _place_window(
    conn: aiosqlite.Connection,
    clock: Clock,
    session: ReportContext,
    step: Step,
    window: int | None,
    message_id: int | None,
) -> tuple[int, positions.Position | None]:
    """Store the step in `window` (a new one if None); return it and the place it replaced."""
    place = await positions.position(conn, session.person.id)
    if window is None:
        window = _new_window(place)
    await positions.set_position(
        conn,
        session.person.id,
        session.report.id,
        str(step),
        screen=window,
        message_id=message_id,
        now=clock.now(),
    )
    return window, place


async def _window_sent(
    db: Database, session: ReportContext, window: int, message: Message
) -> None:
    async with db.transaction() as conn:
        await positions.window_sent(conn, session.person.id, window, message.message_id)


async def _send_live(
    db: Database, clock: Clock, bot: Bot, chat_id: int, session: ReportContext, step: Step
) -> None:
    """Send a fresh questionnaire window after typed input; the old one loses its buttons.

    The new step and window token are stored before anything is sent: a crash after the person
    saw the next screen never brings them back to the previous one, and the buttons they see
    work whether or not the message id was stored after the send.
    """
    window, old_message = await _open_window(db, clock, session, step)
    if old_message is not None:
        try:
            await bot.edit_message_reply_markup(chat_id=chat_id, message_id=old_message)
        except TelegramBadRequest:
            pass  # already gone or without buttons: nothing to tidy
    text, markup = screen(session, step, window)
    sent = await bot.send_message(chat_id, text, reply_markup=markup)
    await _window_sent(db, session, window, sent)


def _live_step(session: ReportContext, place: positions.Position | None, data: Q) -> Step | None:
    """The step of the live window, if the button is one of its buttons; otherwise None."""
    if place is None or place.screen == 0:
        return None
    if place.report_id != session.report.id or data.screen != place.screen:
        return None
    return Step.parse(place.step)


async def _refuse(query: CallbackQuery, template: str = "access/stale.txt") -> None:
    await query.answer(render(template), show_alert=True)


async def _refuse_not_editable(query: CallbackQuery, session: ReportContext) -> None:
    """A button of a report that can't change now: say why (accepted, submitted, closed)."""
    state = session.report.state if session.round.state is RoundState.OPEN else "closed"
    text = render("questionnaire/not_editable_alert.txt", state=state)
    await query.answer(text, show_alert=True)


# --- Entering the questionnaire ---------------------------------------------------------------


async def start_report(
    message: Message, actor: Actor, db: Database, clock: Clock, calendar: WorkCalendar
) -> None:
    """/report: open the person's report where they left off."""
    assert actor.person is not None
    async with db.reading() as conn:
        reports = await reporting.reports_for_person(
            conn, actor.person.id, actor.person.enterprise_id
        )
        sessions = [
            s for r in reports if (s := await load_context(conn, r.id, actor.person)) is not None
        ]
        place = await positions.position(conn, actor.person.id)
    if not sessions:
        await message.answer(render("questionnaire/no_round.html"))
        return
    editable = [s for s in sessions if is_editable(s.report, s.round)]
    if len(editable) > 1:
        builder = InlineKeyboardBuilder()
        for s in editable:
            builder.button(
                text=render("questionnaire/buttons.txt", name="report", session=s),
                callback_data=Q(action=QAction.START, report_id=s.report.id),
            )
        builder.adjust(1)
        await message.answer(
            render(
                "questionnaire/choose_report.html",
                items=[{"enterprise": s.enterprise, "period": s.period} for s in editable],
            ),
            reply_markup=builder.as_markup(),
        )
        return
    session = editable[0] if editable else sessions[0]
    if not editable:
        await _explain_not_editable(message, session, clock, calendar)
        return
    step = _resume_step(session, place)
    window, _ = await _open_window(db, clock, session, step)
    text, markup = screen(session, step, window)
    await _window_sent(db, session, window, await message.answer(text, reply_markup=markup))


def _resume_step(session: ReportContext, place: positions.Position | None) -> Step:
    if place is not None and place.report_id == session.report.id:
        return Step.parse(place.step)
    return first_step(session.measures, session.answers)


async def _explain_not_editable(
    message: Message, session: ReportContext, clock: Clock, calendar: WorkCalendar
) -> None:
    reopen = can_reopen(session.report, session.round, clock.now(), calendar)
    await message.answer(
        render(
            "questionnaire/not_editable.html",
            report=session.report,
            enterprise=session.enterprise,
            period=session.period,
            reopen=reopen,
        ),
        reply_markup=open_report(session.report.id, "reopen") if reopen else None,
    )


async def open_from_button(
    query: CallbackQuery, callback_data: Q, actor: Actor, db: Database, clock: Clock
) -> None:
    """«Почати» or «Продовжити» from any message: that message becomes the questionnaire."""
    session = await _session_for(db, callback_data.report_id, actor)
    if session is None:
        await _refuse(query, "access/denied_alert.txt")
        return
    if not is_editable(session.report, session.round):
        await _refuse_not_editable(query, session)
        return
    async with db.reading() as conn:
        place = await positions.position(conn, session.person.id)
    await _show(db, clock, query, session, _resume_step(session, place))
    await query.answer()


# --- Answering --------------------------------------------------------------------------------


# Buttons whose `ref` names what the live screen shows (a measure, or an indicator's index).
# Buttons bound to what their screen shows, with the screens (step kinds) that show it: a
# measure's buttons on its status or narrative screen, «Пропустити» on its indicator's.
_SCREEN_BOUND = {
    QAction.STATUS: ("m", "n"),
    QAction.COPY: ("m", "n"),
    QAction.KEEP: ("m", "n"),
    QAction.CHANGE: ("m", "n"),
    QAction.SKIP: ("i",),
}


async def _editable_session(
    query: CallbackQuery, callback_data: Q, actor: Actor, db: Database
) -> tuple[ReportContext, Step] | None:
    """The session behind a questionnaire button, or None after refusing a stale/forged one."""
    session, place = None, None
    if actor.person is not None:
        async with db.reading() as conn:  # one read: the session and where the person is
            session = await load_context(conn, callback_data.report_id, actor.person)
            place = await positions.position(conn, actor.person.id)
    if session is None:
        await _refuse(query, "access/denied_alert.txt")
        return None
    if not is_editable(session.report, session.round):
        await _refuse_not_editable(query, session)
        return None
    live = _live_step(session, place, callback_data)
    if live is None:
        await _refuse(query)
        return None
    kinds = _SCREEN_BOUND.get(callback_data.action)
    if kinds is not None and (live.kind not in kinds or live.ref != callback_data.ref):
        # A button may change only what its screen shows: a forged one for another measure
        # of the same report, on the live message, is refused too.
        await _refuse(query)
        return None
    return session, live


async def choose_status(
    query: CallbackQuery, callback_data: Q, actor: Actor, db: Database, clock: Clock
) -> None:
    """Save the chosen status at once; then ask what was done (unless not applicable)."""
    found = await _editable_session(query, callback_data, actor, db)
    if found is None:
        return
    session, _ = found
    measure = session.measure(callback_data.ref)
    if measure is None or callback_data.status is None:
        await _refuse(query)
        return
    async with db.transaction() as conn:
        await reporting.save_status(
            conn,
            session.report,
            measure.id,
            callback_data.status,
            person_id=session.person.id,
            now=clock.now(),
        )
        session = await refresh_context(conn, session)
    answer = session.answers[measure.id]
    if callback_data.status is MeasureStatus.NOT_APPLICABLE:
        step = step_after(Step("m", measure.id), session.measures, session.indicators)
    elif not answer.narrative:
        step = Step("n", measure.id)
    else:
        step = Step("m", measure.id)
    await _show(db, clock, query, session, step, callback_data.screen)
    await query.answer()


async def copy_previous(
    query: CallbackQuery, callback_data: Q, actor: Actor, db: Database, clock: Clock
) -> None:
    """«Як минулого разу»: last round's status and text, ready to edit."""
    found = await _editable_session(query, callback_data, actor, db)
    if found is None:
        return
    session, _ = found
    measure = session.measure(callback_data.ref)
    previous = session.previous.get(measure.number) if measure else None
    if measure is None or previous is None:
        await _refuse(query)
        return
    async with db.transaction() as conn:
        await reporting.copy_answer(
            conn,
            session.report,
            measure.id,
            previous,
            person_id=session.person.id,
            now=clock.now(),
        )
        session = await refresh_context(conn, session)
    await _show(db, clock, query, session, Step("m", measure.id), callback_data.screen)
    await query.answer()


async def navigate(
    query: CallbackQuery, callback_data: Q, actor: Actor, db: Database, clock: Clock
) -> None:
    """Back, next, overview, jump, indicators, keep text, change status."""
    found = await _editable_session(query, callback_data, actor, db)
    if found is None:
        return
    session, live = found
    action = callback_data.action
    if action is QAction.NEXT:
        step = step_after(live, session.measures, session.indicators)
    elif action is QAction.BACK:
        step = step_before(live, session.measures, session.indicators)
    elif action is QAction.OVERVIEW:
        step = OVERVIEW
    elif action is QAction.INDICATORS:
        step = Step("i", 0) if session.indicators else OVERVIEW
    elif action is QAction.KEEP:
        step = step_after(Step("m", callback_data.ref), session.measures, session.indicators)
    elif session.measure(callback_data.ref) is not None:  # JUMP and CHANGE
        step = Step("m", callback_data.ref)
    else:
        await _refuse(query)
        return
    await _show(db, clock, query, session, step, callback_data.screen)
    await query.answer()


async def skip_indicator(
    query: CallbackQuery, callback_data: Q, actor: Actor, db: Database, clock: Clock
) -> None:
    """Leave an indicator empty on purpose and move on."""
    found = await _editable_session(query, callback_data, actor, db)
    if found is None:
        return
    session, live = found
    if live.kind != "i" or live.ref >= len(session.indicators):
        await _refuse(query)
        return
    code = session.indicators[live.ref].code
    async with db.transaction() as conn:
        await reporting.save_indicator(conn, session.report, code, None, now=clock.now())
        session = await refresh_context(conn, session)
    following = step_after(live, session.measures, session.indicators)
    await _show(db, clock, query, session, following, callback_data.screen)
    await query.answer()


async def save_and_exit(
    query: CallbackQuery, callback_data: Q, actor: Actor, db: Database, clock: Clock
) -> None:
    """Everything is already saved; close the form and say how to come back."""
    found = await _editable_session(query, callback_data, actor, db)
    if found is None:
        return
    session, live = found
    async with db.transaction() as conn:
        await positions.set_position(
            conn,
            session.person.id,
            session.report.id,
            str(live),
            screen=0,
            message_id=None,
            now=clock.now(),
        )
    await edit_or_answer(
        query, render("questionnaire/saved_exit.html", deadline=session.round.deadline)
    )
    await query.answer()


# --- Typed input and files --------------------------------------------------------------------


async def _current(db: Database, actor: Actor) -> tuple[ReportContext, Step] | None:
    if actor.person is None:
        return None
    async with db.reading() as conn:
        place = await positions.position(conn, actor.person.id)
        # No live window: the person pressed «Зберегти й вийти»; input waits for /report.
        if place is None or place.screen == 0:
            return None
        session = await load_context(conn, place.report_id, actor.person)
    if session is None or not is_editable(session.report, session.round):
        return None
    return session, Step.parse(place.step)


async def receive_text(
    message: Message, actor: Actor, bot: Bot, db: Database, clock: Clock
) -> None:
    """A narrative for the current measure, or a number for the current indicator."""
    current = await _current(db, actor)
    text = (message.text or "").strip()
    if current is None:
        await message.answer(await person_help(db, actor))
        return
    session, step = current
    if step.kind in ("m", "n"):
        measure = session.measure(step.ref)
        answer = session.answers.get(step.ref)
        if measure is None or answer is None or answer.status is None:
            await message.answer(render("questionnaire/choose_status_first.html"))
            return
        if excess := narrative_excess(text):
            await message.answer(
                render(
                    "questionnaire/too_long.html",
                    length=len(text),
                    limit=MAX_NARRATIVE,
                    excess=excess,
                )
            )
            return
        if not text:
            await message.answer(render("questionnaire/wrong_input.html", step=step.kind))
            return
        if not is_meaningful(text):
            await message.answer(render("questionnaire/narrative_too_thin.html", text=text))
            return
        async with db.transaction() as conn:
            await reporting.save_narrative(
                conn,
                session.report,
                measure.id,
                text,
                person_id=session.person.id,
                now=clock.now(),
            )
            session = await refresh_context(conn, session)
        following = step_after(Step("m", measure.id), session.measures, session.indicators)
        await _send_live(db, clock, bot, message.chat.id, session, following)
        return
    if step.kind == "i" and step.ref < len(session.indicators):
        value = parse_whole_number(text)
        if value is None:
            await message.answer(render("questionnaire/not_a_number.html", text=text))
            return
        async with db.transaction() as conn:
            await reporting.save_indicator(
                conn, session.report, session.indicators[step.ref].code, value, now=clock.now()
            )
            session = await refresh_context(conn, session)
        following = step_after(step, session.measures, session.indicators)
        await _send_live(db, clock, bot, message.chat.id, session, following)
        return
    await message.answer(render("questionnaire/wrong_input.html", step=step.kind))


async def receive_evidence(
    message: Message, actor: Actor, bot: Bot, db: Database, clock: Clock
) -> None:
    """A document or photo while on a measure: kept as that measure's evidence."""
    current = await _current(db, actor)
    if current is None or current[1].kind not in ("m", "n"):
        await message.answer(render("questionnaire/evidence_not_now.html"))
        return
    session, step = current
    measure = session.measure(step.ref)
    if measure is None:
        await message.answer(render("questionnaire/evidence_not_now.html"))
        return
    if message.document is not None:
        file_id = message.document.file_id
        name = message.document.file_name or "документ"
        size = message.document.file_size or 0
        media = "document"
    elif message.photo:
        largest = message.photo[-1]
        file_id, size, media = largest.file_id, largest.file_size or 0, "photo"
        name = f"photo-{largest.file_unique_id}.jpg"
    else:
        return
    if size > MAX_EVIDENCE_BYTES:
        await message.answer(
            render("questionnaire/evidence_too_large.html", limit_mb=MAX_EVIDENCE_BYTES >> 20)
        )
        return
    attachment = Attachment(measure.id, file_id, name[:200], size, media)
    async with db.transaction() as conn:
        await reporting.add_attachment(conn, session.report, attachment, now=clock.now())
        session = await refresh_context(conn, session)
    await message.answer(render("questionnaire/evidence_saved.html", name=name, measure=measure))
    await _send_live(db, clock, bot, message.chat.id, session, step)


async def reject_other_input(message: Message, actor: Actor, db: Database) -> None:
    """Stickers, voice, locations and the like: say what the current step expects."""
    current = await _current(db, actor)
    step = current[1].kind if current else ""
    await message.answer(render("questionnaire/wrong_input.html", step=step))


# --- Submission -------------------------------------------------------------------------------


def _review_keyboard(report_id: int) -> dict[str, object]:
    builder = InlineKeyboardBuilder()
    for action, name in (
        (ReviewAction.VIEW, "view"),
        (ReviewAction.ACCEPT, "accept"),
        (ReviewAction.RETURN, "return"),
    ):
        builder.button(
            text=render("review/buttons.txt", name=name),
            callback_data=Review(action=action, report_id=report_id),
        )
    builder.adjust(1, 2)
    return as_payload(builder.as_markup())


async def submit_report(
    query: CallbackQuery,
    callback_data: Q,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    coordinator_ids: frozenset[int],
    requisites: Requisites,
) -> None:
    """Freeze the report as a version, give a receipt and its document, tell the coordinators."""
    found = await _editable_session(query, callback_data, actor, db)
    if found is None:
        return
    session, _ = found
    missing = session.missing_numbers()
    if missing:
        await query.answer(render("questionnaire/missing.txt", missing=missing), show_alert=True)
        await _show(db, clock, query, session, OVERVIEW, callback_data.screen)
        return
    now = clock.now()
    counts = status_counts(session.answers, [m.id for m in session.measures])
    async with db.transaction() as conn:
        report = await reporting.submit(
            conn,
            session.report,
            late=is_late(now, session.round.deadline, calendar),
            person_id=session.person.id,
            now=now,
        )
        await positions.clear_position(conn, session.person.id)
        notice = render(
            "questionnaire/submitted_notice.html",
            enterprise=session.enterprise,
            period=session.period,
            report=report,
            counts=counts,
        )
        for chat_id in await promotions.notified_coordinators(conn, coordinator_ids):
            await notify.alert(
                conn,
                key=notify.submitted_key(report.id, report.version, chat_id),
                chat_id=chat_id,
                letter=notify.Letter(notice, _review_keyboard(report.id)),
                now=now,
            )
    log.info("report %s submitted as version %s", report.id, report.version)
    receipt = render(
        "questionnaire/receipt.html",
        enterprise=session.enterprise,
        period=session.period,
        report=report,
        counts=counts,
        submitted_at=now.astimezone(calendar.tz),
        editable_until=session.round.deadline if not report.late else None,
    )
    markup = (
        open_report(report.id, "reopen")
        if can_reopen(report, session.round, now, calendar)
        else None
    )
    await edit_or_answer(query, receipt, markup)
    await query.answer()
    if query.bot is not None:
        try:
            await send_own_report(query.bot, query.from_user.id, db, clock, requisites, report.id)
        except Exception:
            # The submission is committed and acknowledged; the document is a copy for signing.
            log.exception("could not send the own report of report %s", report.id)


async def reopen_report(
    query: CallbackQuery,
    callback_data: Q,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
) -> None:
    """Before the deadline, a submitted report can be changed: asked first (ref 0), then done
    (ref 1) or left as submitted (ref 2). The submitted version counts until a newer one is."""
    session = await _session_for(db, callback_data.report_id, actor)
    if session is None:
        await _refuse(query, "access/denied_alert.txt")
        return
    now = clock.now()
    if not can_reopen(session.report, session.round, now, calendar):
        await _refuse(query)
        return
    if callback_data.ref in (0, 2) and not session.report.editing:
        if callback_data.ref == 0:
            text, markup = render("questionnaire/reopen_question.html"), _reopen_question(session)
        else:
            text = render(
                "questionnaire/not_editable.html",
                report=session.report,
                enterprise=session.enterprise,
                period=session.period,
                reopen=True,
            )
            markup = open_report(session.report.id, "reopen")
        await edit_or_answer(query, text, markup)
        await query.answer()
        return
    async with db.transaction() as conn:
        report = session.report
        if not report.editing:
            report = await report_versions.start_editing(
                conn, report, actor_id=actor.telegram_id, now=now
            )
        session = await load_context(conn, report.id, session.person) or session
    await _show(db, clock, query, session, OVERVIEW)
    await query.answer()


def _reopen_question(session: ReportContext) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    button(builder, "reopen_yes", Q(action=QAction.REOPEN, report_id=session.report.id, ref=1))
    button(builder, "reopen_no", Q(action=QAction.REOPEN, report_id=session.report.id, ref=2))
    return builder.as_markup()


async def open_from_old_button(
    query: CallbackQuery, callback_data: LegacyQ, actor: Actor, db: Database, clock: Clock
) -> None:
    """«Почати» on a message sent before the upgrade that gave windows their tokens."""
    await open_from_button(query, callback_data.current(), actor, db, clock)


async def reopen_from_old_button(
    query: CallbackQuery,
    callback_data: LegacyQ,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
) -> None:
    """«Внести зміни» on a receipt sent before the upgrade that gave windows their tokens."""
    await reopen_report(query, callback_data.current(), actor, db, clock, calendar)


def create_router() -> Router:
    """The questionnaire as a fresh Router (one per Dispatcher)."""
    router = Router(name="questionnaire")
    router.message.filter(person_only)
    router.callback_query.filter(person_only)
    router.message.register(start_report, Command("report"))
    router.callback_query.register(open_from_button, Q.filter(F.action == QAction.START))
    router.callback_query.register(open_from_old_button, LegacyQ.filter(F.action == QAction.START))
    router.callback_query.register(
        reopen_from_old_button, LegacyQ.filter(F.action == QAction.REOPEN)
    )
    router.callback_query.register(choose_status, Q.filter(F.action == QAction.STATUS))
    router.callback_query.register(copy_previous, Q.filter(F.action == QAction.COPY))
    router.callback_query.register(skip_indicator, Q.filter(F.action == QAction.SKIP))
    router.callback_query.register(save_and_exit, Q.filter(F.action == QAction.EXIT))
    router.callback_query.register(submit_report, Q.filter(F.action == QAction.SUBMIT))
    router.callback_query.register(reopen_report, Q.filter(F.action == QAction.REOPEN))
    router.callback_query.register(navigate, Q.filter())
    router.message.register(receive_text, F.text & ~F.text.startswith("/"))
    router.message.register(receive_evidence, F.document | F.photo)
    router.message.register(
        reject_other_input,
        F.sticker
        | F.voice
        | F.location
        | F.video
        | F.video_note
        | F.audio
        | F.contact
        | F.animation,
    )
    return router
