"""The circular rules in core, without a database: what a new message changes in a draft, the
caption limit, an audience still to fill in, and when the automatic reminder is due."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.calendar import WorkCalendar
from core.circulars import (
    CAPTION_LIMIT,
    Audience,
    Circular,
    CircularState,
    Content,
    FileKind,
    last_day_due,
)


def _draft(**changes: object) -> Circular:
    fields: dict[str, object] = dict(
        id=1, state=CircularState.DRAFT, author_id=1, text_html="Старий текст",
        file_kind=FileKind.DOCUMENT, file_id="doc-1", file_name="наказ.pdf",
        audience=Audience.ALL, kinds=(), enterprise_ids=(),
        created_at=datetime(2026, 3, 2, tzinfo=UTC), sent_at=None,
    )  # fmt: skip
    fields.update(changes)
    return Circular(**fields)  # type: ignore[arg-type]


def test_a_new_text_keeps_the_drafts_file_and_a_new_file_keeps_its_text() -> None:
    text_only = Content("Новий <b>текст</b>", None, None, "").over(_draft())
    assert (text_only.text_html, text_only.file_id, text_only.file_name) == (
        "Новий <b>текст</b>", "doc-1", "наказ.pdf",
    )  # fmt: skip
    photo = Content("", FileKind.PHOTO, "photo-1", "").over(_draft())
    assert (photo.text_html, photo.file_kind, photo.file_id, photo.file_name) == (
        "Старий текст", FileKind.PHOTO, "photo-1", "",
    )  # fmt: skip


def test_only_a_text_under_a_file_is_bound_by_the_caption_limit_counted_without_tags() -> None:
    long_text = "<b>" + "я" * CAPTION_LIMIT + "</b>"
    assert Content(long_text, FileKind.DOCUMENT, "doc", "").fits
    assert not Content(long_text + "!", FileKind.DOCUMENT, "doc", "").fits
    assert Content(long_text + "!", None, None, "").fits


def test_kinds_or_organisations_with_nothing_ticked_are_still_to_choose() -> None:
    assert _draft(audience=Audience.KINDS).unchosen is Audience.KINDS
    assert _draft(audience=Audience.ENTERPRISES).unchosen is Audience.ENTERPRISES
    assert _draft(audience=Audience.ENTERPRISES, enterprise_ids=(3,)).unchosen is None
    assert _draft().unchosen is None


def test_the_reminder_is_due_for_circulars_sent_three_working_days_ago() -> None:
    calendar = WorkCalendar()
    # Thursday 5 March 2026: Monday's circular has had three working days (Tue, Wed, Thu).
    assert last_day_due(date(2026, 3, 5), 3, calendar) == date(2026, 3, 2)
    # Monday 9 March: the weekend does not count, so Wednesday's circular is due.
    assert last_day_due(date(2026, 3, 9), 3, calendar) == date(2026, 3, 4)
