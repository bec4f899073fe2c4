"""Generate the docxtpl templates of the documents under templates/summary/.

Run: .venv/bin/python scripts/make_templates.py. The council may then edit the files in Word;
keep the {{ … }} and {%tr … %} / {%p … %} tags, each tag row or paragraph on its own.
"""

from __future__ import annotations

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm
from docx_parts import (
    keep_with_next,
    paragraph,
    plan_table,
    save,
    signature,
    style_document,
)

CENTER, JUSTIFY, RIGHT = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
    WD_ALIGN_PARAGRAPH.RIGHT,
)


def _heading(body: object, first: str) -> None:
    paragraph(body, first, bold=True, align=CENTER)
    paragraph(body, "{{ title_line }}", bold=True, align=CENTER)
    paragraph(body, "станом на {{ as_of }}", align=CENTER)
    paragraph(body)


def _lines(body: object, loop: str, line: str) -> None:
    """A paragraph per item of ``loop``, justified with the first-line indent."""
    paragraph(body, f"{{%p for line in {loop} %}}")
    paragraph(body, line, indent=True, align=JUSTIFY)
    paragraph(body, "{%p endfor %}")


def _closing(body: object, left: str, right: str) -> None:
    """The signature kept with the lines above it, then the date the document was made."""
    keep_with_next(paragraph(body))
    keep_with_next(paragraph(body))
    signature(body, left, right, (Mm(150), Mm(107)))
    paragraph(body)
    paragraph(body, "{{ made_on }}")


def _table_report() -> DocxDocument:
    """The table in the plan's shape, then the indicators: the start of both reports."""
    body = Document()
    style_document(body)
    _heading(body, "ЗВІТ")
    plan_table(body, "{{ m.state }}")
    paragraph(body)
    paragraph(body, "{%p if indicator_lines %}")
    paragraph(body, "{{ indicators_intro }}", indent=True, align=JUSTIFY)
    _lines(body, "indicator_lines", "– {{ line }}{{ ';' if not loop.last else '.' }}")
    paragraph(body, "{%p endif %}")
    return body


def report() -> None:
    """zvit.docx: the table in the plan's shape with one consolidated text per measure."""
    body = _table_report()
    _lines(body, "submission_lines", "{{ line }}")
    keep_with_next(paragraph(body, "{{ annex_note }}", indent=True, align=JUSTIFY))
    _closing(body, "{{ signer_position }}", "{{ signer_name }}")
    print(save(body, "Зведений звіт про виконання плану заходів", "zvit.docx"))


def annex() -> None:
    """dodatok.docx: every organisation's own answer, grouped by measure."""
    body = Document()
    style_document(body, landscape=False)
    _heading(body, "ДОДАТОК ДО ЗВІТУ")
    paragraph(body, "{%p for section in sections %}")
    paragraph(body, "{{ section.heading }}", bold=True, align=CENTER)
    paragraph(body, "{%p for m in section.measures %}")
    keep_with_next(paragraph(body, "{{ m.heading }}", bold=True, align=JUSTIFY))
    keep_with_next(paragraph(body, "{{ m.status_line }}", italic=True, align=JUSTIFY))
    paragraph(body, "{%p for a in m.answers %}")
    answer = paragraph(body, align=JUSTIFY, indent=True)
    answer.add_run("{{ a.heading }}").bold = True  # type: ignore[attr-defined]
    answer.add_run(" {{ a.text }}")  # type: ignore[attr-defined]
    paragraph(body, "{%p endfor %}")
    paragraph(body, "{%p if m.missing_line %}")
    paragraph(body, "{{ m.missing_line }}", italic=True, indent=True, align=JUSTIFY)
    paragraph(body, "{%p endif %}")
    paragraph(body)
    paragraph(body, "{%p endfor %}")
    paragraph(body, "{%p endfor %}")
    paragraph(body, "{{ made_on }}")
    print(save(body, "Додаток до зведеного звіту", "dodatok.docx"))


def letter() -> None:
    """lyst.docx: the covering letter to the mayor, Times New Roman 14."""
    body = Document()
    style_document(body, landscape=False, size=14)
    addressee = paragraph(body, "{{ addressee_position }}")
    addressee.paragraph_format.left_indent = Cm(9.5)  # type: ignore[attr-defined]
    name = paragraph(body, "{{ addressee_name }}", bold=True)
    name.paragraph_format.left_indent = Cm(9.5)  # type: ignore[attr-defined]
    paragraph(body)
    paragraph(body, "{{ made_on_digits }} №\u00a0{{ outgoing_number }}")
    paragraph(body)
    subject = paragraph(body, "{{ subject }}", bold=True)
    subject.paragraph_format.right_indent = Cm(8)  # type: ignore[attr-defined]
    paragraph(body)
    _lines(body, "paragraphs", "{{ line }}")
    paragraph(body)
    keep_with_next(paragraph(body, "{{ annex_note }}", align=JUSTIFY))
    keep_with_next(paragraph(body))
    keep_with_next(paragraph(body))
    signature(body, "{{ signer_position }}", "{{ signer_name }}", (Mm(110), Mm(60)))
    print(save(body, "Лист про виконання плану заходів", "lyst.docx"))


def own_report() -> None:
    """zvit_org.docx: one organisation's report in the councils' table form, for its head."""
    body = _table_report()
    keep_with_next(paragraph(body))
    keep_with_next(paragraph(body))
    signature(body, "Керівник", "____________  ______________________", (Mm(150), Mm(107)))
    paragraph(body, "(підпис)          (ім'я ПРІЗВИЩЕ)", align=RIGHT)
    paragraph(body)
    signature(body, "Уповноважена особа", "____________  {{ person_name }}", (Mm(150), Mm(107)))
    paragraph(body)
    paragraph(body, "{{ made_on }}")
    print(save(body, "Звіт організації про виконання плану заходів", "zvit_org.docx"))


if __name__ == "__main__":
    report()
    annex()
    letter()
    own_report()
