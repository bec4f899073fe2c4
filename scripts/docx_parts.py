"""The python-docx pieces the document templates are built from (see make_templates.py)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "summary"
FONT = "Times New Roman"
FIXED_DATE = datetime(2026, 1, 1)

# A4 landscape; margins by ДСТУ 4163:2020 (left 30, right 10, top and bottom 20 mm).
PAGE_WIDTH, PAGE_HEIGHT = Mm(297), Mm(210)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = Mm(30), Mm(10), Mm(20), Mm(20)
# The five columns fill the 257 mm between the margins.
COLUMN_WIDTHS = (Mm(12), Mm(58), Mm(30), Mm(37), Mm(120))
HEADERS = ("№ з/п", "Найменування заходу", "Строк виконання", "Відповідальні", "Стан виконання")


def set_fonts(element: object) -> None:
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


def style_document(document: DocxDocument, *, landscape: bool = True, size: int = 12) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(size)
    set_fonts(normal.element)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0

    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
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


def paragraph(container: object, text: str = "", *, bold: bool = False, italic: bool = False,
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


def keep_with_next(paragraph: object) -> None:
    paragraph.paragraph_format.keep_with_next = True  # type: ignore[attr-defined]


def cell_text(cell: object, text: str, *, bold: bool = False, italic: bool = False,
               align: int | None = None) -> None:  # fmt: skip
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    if align is not None:
        paragraph.alignment = align


def merged_row(table: object, text: str, *, bold: bool = False, align: int | None = None) -> None:
    row = table.add_row()  # type: ignore[attr-defined]
    cell = row.cells[0].merge(row.cells[-1])
    cell_text(cell, text, bold=bold, align=align)


def mark_header_row(row: object) -> None:
    """Repeat the header row on every page."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def remove_borders(table: object) -> None:
    tbl_pr = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def fix_widths(table: object, widths: tuple[int, ...]) -> None:
    table.autofit = False  # type: ignore[attr-defined]
    for column, width in zip(table.columns, widths, strict=True):  # type: ignore[attr-defined]
        column.width = width
    for row in table.rows:  # type: ignore[attr-defined]
        cells = row._tr.tc_lst
        if len(cells) == len(widths):
            for tc, width in zip(cells, widths, strict=True):
                tc.get_or_add_tcPr().get_or_add_tcW().width = width


def normalised_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps: the same script gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def signature(body: object, left: str, right: str, widths: tuple[int, int]) -> None:
    """A borderless two-cell row: the position on the left, the name at the right margin."""
    table = body.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    remove_borders(table)
    position, name = table.rows[0].cells
    cell_text(position, left)
    cell_text(name, right, align=WD_ALIGN_PARAGRAPH.RIGHT)
    name.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    fix_widths(table, widths)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def plan_table(body: object, state_tag: str) -> None:
    """The table in the plan's shape: sections as merged rows, a measure per row."""
    table = body.add_table(rows=1, cols=len(HEADERS))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    mark_header_row(header)
    for cell, title in zip(header.cells, HEADERS, strict=True):
        cell_text(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    merged_row(table, "{%tr for section in sections %}")
    # "1. Організаційне забезпечення" whether the plan numbered its section "1" or "1.".
    merged_row(
        table,
        "{% if section.number %}{{ section.number.rstrip('.') }}. {% endif %}{{ section.title }}",
        bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
    )  # fmt: skip
    merged_row(table, "{%tr for m in section.measures %}")
    row = table.add_row()
    number, text, term, responsible, state = row.cells
    cell_text(number, "{{ m.number }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    cell_text(text, "{{ m.text }}")
    cell_text(term, "{{ m.term }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    cell_text(responsible, "{{ m.responsible }}")
    cell_text(state, state_tag)
    merged_row(table, "{%tr endfor %}")
    merged_row(table, "{%tr endfor %}")
    fix_widths(table, COLUMN_WIDTHS)


def save(document: DocxDocument, title: str, name: str) -> Path:
    """Fixed metadata and member dates, so the same script gives the same bytes."""
    document.core_properties.title = title
    document.core_properties.language = "uk-UA"
    document.core_properties.author = "Zvitbot"
    document.core_properties.created = FIXED_DATE
    document.core_properties.modified = FIXED_DATE
    document.core_properties.last_modified_by = "Zvitbot"
    document.core_properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    target = TEMPLATES / name
    target.write_bytes(normalised_zip(buffer.getvalue()))
    return target
