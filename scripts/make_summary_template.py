"""Generate templates/summary/zvit.docx, the docxtpl template of the consolidated report.

Run: .venv/bin/python scripts/make_summary_template.py. The council may then edit the file in Word;
keep the {{ … }} and {%tr … %} / {%p … %} tags, each tag row or paragraph on its own.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

TARGET = Path(__file__).resolve().parent.parent / "templates" / "summary" / "zvit.docx"
FONT = "Times New Roman"
FIXED_DATE = datetime(2026, 1, 1)

# A4 landscape; margins by ДСТУ 4163:2020 (left 30, right 10, top and bottom 20 mm).
PAGE_WIDTH, PAGE_HEIGHT = Mm(297), Mm(210)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = Mm(30), Mm(10), Mm(20), Mm(20)
# The five columns fill the 257 mm between the margins.
COLUMN_WIDTHS = (Mm(12), Mm(68), Mm(30), Mm(42), Mm(105))
HEADERS = ("№ з/п", "Найменування заходу", "Строк виконання", "Відповідальні", "Стан виконання")


def _set_fonts(element: object) -> None:
    """Times New Roman for every script, so Cyrillic does not fall back to a theme font."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "uk-UA")
    rpr.append(lang)


def _style_document(document: DocxDocument) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    _set_fonts(normal.element)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.header_distance = Mm(10)
    # Page numbers from the second page, centred at the top, as official letters do.
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _paragraph(container: object, text: str = "", *, bold: bool = False, italic: bool = False,
               align: int | None = None, indent: bool = False) -> object:  # fmt: skip
    paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        run.italic = italic
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.25)
    return paragraph


def _keep_with_next(paragraph: object) -> None:
    paragraph.paragraph_format.keep_with_next = True  # type: ignore[attr-defined]


def _cell_text(cell: object, text: str, *, bold: bool = False, italic: bool = False,
               align: int | None = None) -> None:  # fmt: skip
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    if align is not None:
        paragraph.alignment = align


def _merged_row(table: object, text: str, *, bold: bool = False, align: int | None = None) -> None:
    row = table.add_row()  # type: ignore[attr-defined]
    cell = row.cells[0].merge(row.cells[-1])
    _cell_text(cell, text, bold=bold, align=align)


def _mark_header_row(row: object) -> None:
    """Repeat the header row on every page."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _remove_borders(table: object) -> None:
    tbl_pr = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _fix_widths(table: object, widths: tuple[int, ...]) -> None:
    table.autofit = False  # type: ignore[attr-defined]
    for column, width in zip(table.columns, widths, strict=True):  # type: ignore[attr-defined]
        column.width = width
    for row in table.rows:  # type: ignore[attr-defined]
        cells = row._tr.tc_lst
        if len(cells) == len(widths):
            for tc, width in zip(cells, widths, strict=True):
                tc.get_or_add_tcPr().get_or_add_tcW().width = width


def build() -> DocxDocument:
    document = Document()
    _style_document(document)
    body = document
    _paragraph(body, "ЗВІТ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(body, "{{ title_line }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(body)

    table = body.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _mark_header_row(header)
    for cell, title in zip(header.cells, HEADERS, strict=True):
        _cell_text(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    _merged_row(table, "{%tr for section in sections %}")
    # "1. Організаційне забезпечення" whether the plan numbered its section "1" or "1.".
    _merged_row(
        table,
        "{% if section.number %}{{ section.number.rstrip('.') }}. {% endif %}{{ section.title }}",
        bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
    )  # fmt: skip
    _merged_row(table, "{%tr for m in section.measures %}")
    row = table.add_row()
    number, text, term, responsible, state = row.cells
    _cell_text(number, "{{ m.number }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(text, "{{ m.text }}")
    _cell_text(term, "{{ m.term }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(responsible, "{{ m.responsible }}")
    _cell_text(state, "{{ m.status_line }}", italic=True)
    state.add_paragraph("{%p for n in m.narratives %}")
    narrative = state.add_paragraph()
    narrative.add_run("{{ n.heading }}").bold = True
    narrative.add_run(" {{ n.text }}")
    state.add_paragraph("{%p endfor %}")
    _merged_row(table, "{%tr endfor %}")
    _merged_row(table, "{%tr endfor %}")
    _fix_widths(table, COLUMN_WIDTHS)

    _paragraph(body)
    _paragraph(body, "{%p if indicator_lines %}")
    _paragraph(body, "{{ indicators_intro }}", indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(body, "{%p for line in indicator_lines %}")
    _paragraph(
        body, "– {{ line }}{{ ';' if not loop.last else '.' }}", indent=True,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    )  # fmt: skip
    _paragraph(body, "{%p endfor %}")
    _paragraph(body, "{%p endif %}")
    _paragraph(body, "{%p for line in submission_lines %}")
    # Keep-with-next from the last lines down to the signature: a signature alone on the
    # last page is not accepted as signing the report.
    _keep_with_next(_paragraph(body, "{{ line }}", indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY))
    _paragraph(body, "{%p endfor %}")
    _keep_with_next(_paragraph(body))
    _keep_with_next(_paragraph(body))

    signature = body.add_table(rows=1, cols=2)
    _remove_borders(signature)
    position, name = signature.rows[0].cells
    _cell_text(position, "{{ signer_position }}")
    _cell_text(name, "{{ signer_name }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    name.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    _fix_widths(signature, (Mm(150), Mm(107)))
    signature.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))

    document.core_properties.title = "Зведений звіт про виконання плану заходів"
    document.core_properties.language = "uk-UA"
    document.core_properties.author = "Zvitbot"
    # Fixed dates keep the generated file byte-identical between runs.
    document.core_properties.created = FIXED_DATE
    document.core_properties.modified = FIXED_DATE
    document.core_properties.last_modified_by = "Zvitbot"
    document.core_properties.revision = 1
    return document


def _normalised_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps: the same script gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def main() -> None:
    buffer = io.BytesIO()
    build().save(buffer)
    TARGET.write_bytes(_normalised_zip(buffer.getvalue()))
    print(TARGET)


if __name__ == "__main__":
    main()
