"""A fictional organisation's own quarterly report, as the Word (or Excel) table it e-mails:
the plan's columns plus one narrative column, under a title that names it."""

from __future__ import annotations

from demo.plan_data import DIRECTIONS
from demo.plan_documents import Table, docx_bytes, xlsx_bytes

# The three names councils give the narrative column.
PROGRESS_HEADERS = ("Стан виконання", "Відмітка про виконання", "Про проведений захід")
TITLE = (
    "ЗВІТ про виконання плану заходів з запобігання корупції Ліцею № 7 Вербівської міської "
    "ради за I квартал 2026 року"
)
# The measure the report leaves out, and its one row that is no measure of the plan.
LEFT_OUT = "4.2"
NOT_IN_PLAN = "Провести конкурс дитячих малюнків «Скажи корупції ні»"
# Each measure's narrative (the status it implies in the comment), by the plan's number.
NARRATIVES = {
    "1.1": "Перелік актуалізовано 05.03.2026 та надіслано до відділу листом № 41.",  # done
    "1.2": "Не проведено: нараду перенесено на квітень.",  # not done
    "1.3": "Постійно здійснюється оновлення сторінки закладу.",  # in progress
    "2.1": "Проведено навчання для 34 працівників, складено протокол № 2.",  # done
    "2.2": "Ознайомлено під підпис 3 новопризначених працівників.",  # done
    "2.3": "Надано 14 консультацій щодо заповнення декларацій.",  # done
    "3.1": "Повідомлень про конфлікт інтересів не надходило, журнал ведеться.",  # done
    "3.2": "Не застосовується: тендерного комітету в закладі немає.",  # not applicable
    "4.1": "Усі 52 працівники подали щорічні декларації.",  # done
    "5.1": "Робота каналів триває, скринька довіри перевіряється щотижня.",  # in progress
    "5.2": "Повідомлень викривачів не надходило.",  # done
    "5.3": "Підстав для службових розслідувань не було.",  # done
}
EXPECTED = {"done": 8, "in_progress": 2, "not_done": 1, "na": 1}


def report_rows(progress_header: str) -> list[list[str]]:
    """Header, then each direction as a section row and its measures; the lyceum numbers the
    measures of the last direction straight through (1, 2…), as organisations sometimes do."""
    rows = [["№ з/п", "Найменування заходу", "Строк виконання", "Відповідальні", progress_header]]
    for d, (direction, measures) in enumerate(DIRECTIONS, start=1):
        rows.append([f"{d}. {direction}", "", "", "", ""])
        for m, (text, term, responsible, _) in enumerate(measures, start=1):
            number = f"{d}.{m}"
            if number == LEFT_OUT:
                continue
            shown = str(m) if d == len(DIRECTIONS) else number
            rows.append([shown, text, term, responsible, NARRATIVES[number]])
        if d == 2:
            rows.append(["2.4", NOT_IN_PLAN, "Березень", "Педагог-організатор", "Проведено."])
    return rows


def report_docx(progress_header: str = PROGRESS_HEADERS[0], *, title: str = TITLE) -> bytes:
    rows = report_rows(progress_header)
    merges = [((r, 0), (r, 4)) for r, row in enumerate(rows) if row[0] and not row[1]]
    return docx_bytes(title, Table(rows=rows, merges=merges), "Директор ліцею  (підпис)")


def report_xlsx(progress_header: str = PROGRESS_HEADERS[0]) -> bytes:
    rows = report_rows(progress_header)
    merges = [f"A{r + 2}:E{r + 2}" for r, row in enumerate(rows) if row[0] and not row[1]]
    return xlsx_bytes([[TITLE, "", "", "", ""], *rows], merges)
