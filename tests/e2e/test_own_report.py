"""After submitting, a person gets the own report to sign; the department can get it too."""

from __future__ import annotations

import io

import docx

from emulator.client import BotMessage, SimUser
from tests.e2e.harness import World
from tests.e2e.test_questionnaire import OLENA, ready, submit_everything


async def document_text(user: SimUser, message: BotMessage) -> tuple[str, str]:
    assert message.document is not None and message.document.file_name is not None
    data = await user.client.download(message.document.file_id)
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for c in t._cells]
    return message.document.file_name, "\n".join([p.text for p in document.paragraphs] + cells)


async def test_the_person_receives_the_organisations_report_in_the_table_form(zvit: World) -> None:
    [olena] = await ready(zvit, OLENA)
    await submit_everything(olena)
    sent = [m for m in await olena.messages() if m.document is not None]

    name, text = await document_text(olena, sent[-1])

    assert name == "zvit_44102318_2026Q1.docx"
    assert "Комунальне підприємство «Міськводоканал» Вербівської міської ради за I квартал" in text
    assert "Виконано. Зроблено за заходом 0" in text
    assert "надано консультацій з питань запобігання корупції — 2\u00a0од." in text
    assert "Керівник" in text and "Олена Петрівна Гнатюк" in text
    assert "станом на 31.03.2026" in text and "2 березня 2026 року" in text


async def test_the_coordinator_gets_it_from_the_review_card(zvit: World) -> None:
    [olena] = await ready(zvit, OLENA)
    coordinator = await zvit.coordinator()
    await submit_everything(olena)
    notice = await coordinator.next_message()

    await coordinator.press("Переглянути", notice)
    card = await coordinator.next_message()
    await coordinator.press("📄 Звіт організації (DOCX)", card)
    name, text = await document_text(coordinator, await coordinator.next_message(timeout=15))

    assert name == "zvit_44102318_2026Q1.docx" and "Зроблено за заходом 12" in text
