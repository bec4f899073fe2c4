"""The acknowledgement sheet and the delivery payloads, without Telegram."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from core.circulars import Audience, Circular, CircularState, FileKind
from reports.acknowledgements_xlsx import AcknowledgementRow, render_acknowledgements_xlsx
from services.circulars import delivery
from services.notify import Method


def test_a_name_that_looks_like_a_formula_stays_text_and_times_are_local() -> None:
    rows = [
        AcknowledgementRow(
            enterprise='=HYPERLINK("http://evil.example","x")',
            edrpou="04102318",
            person="@SUM(A1)",
            delivered_at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
            acknowledged_at=None,
        )
    ]
    book = load_workbook(io.BytesIO(render_acknowledgements_xlsx(rows)))
    ws = book.active
    assert ws is not None
    enterprise, code, person, delivered, acknowledged = (c for c in ws[2])
    assert enterprise.data_type == "s" and enterprise.value.startswith("=HYPERLINK")
    assert code.value == "04102318" and person.data_type == "s"
    assert delivered.value == datetime(2026, 3, 2, 10, 0) and acknowledged.value is None


def test_a_photo_circular_goes_by_file_id_with_its_caption_and_the_button() -> None:
    circular = Circular(
        id=7, state=CircularState.SENT, author_id=1, text_html="<b>Графік</b> навчань",
        file_kind=FileKind.PHOTO, file_id="photo-file-id", file_name="", audience=Audience.ALL,
        kinds=(), enterprise_ids=(), created_at=datetime(2026, 3, 2, tzinfo=UTC), sent_at=None,
    )  # fmt: skip
    method, payload = delivery(circular, 42)
    assert method is Method.SEND_PHOTO
    assert payload["photo"] == "photo-file-id" and payload["caption"] == "<b>Графік</b> навчань"
    markup = payload["reply_markup"]
    assert isinstance(markup, dict)
    assert markup["inline_keyboard"][0][0]["callback_data"] == "ca1:7:42"
