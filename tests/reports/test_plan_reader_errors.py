"""Files a coordinator may send by mistake are refused with the reason, never half-read."""

from __future__ import annotations

import io
import zipfile

import pytest

from demo.plan_documents import (
    TITLE,
    Table,
    csv_bytes,
    docx_bytes,
    encrypted_office_bytes,
    legacy_doc_bytes,
    xlsx_bytes,
)
from handlers.uploads import problem_text
from reports.plan_reader import read_plan
from reports.tabular import (
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    DocumentError,
    DocumentProblem,
    _count_rows,
)

HEADER = ["№ з/п", "Найменування заходу", "Строк виконання", "Відповідальні"]


def problem_of(filename: str, data: bytes) -> DocumentProblem:
    with pytest.raises(DocumentError) as caught:
        read_plan(filename, data, default_title="План")
    return caught.value.problem


def test_file_over_five_megabytes_is_too_large() -> None:
    assert problem_of("plan.docx", b"PK" + bytes(MAX_UPLOAD_BYTES)) is DocumentProblem.TOO_LARGE


@pytest.mark.parametrize("filename", ["plan.docx", "plan.xlsx"])
def test_a_small_zip_that_unpacks_beyond_the_limit_says_what_is_too_large(filename: str) -> None:
    """Plan import, limits: a 1 MB file that unpacks past the bound is refused as unpacking
    too large, not as «Файл завеликий» for its own size."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("word/document.xml", bytes(MAX_UNPACKED_BYTES + 1))
    assert len(buffer.getvalue()) < MAX_UPLOAD_BYTES
    with pytest.raises(DocumentError) as caught:
        read_plan(filename, buffer.getvalue(), default_title="План")
    assert caught.value.problem is DocumentProblem.UNPACKS_TOO_LARGE
    text = problem_text(caught.value, "plan")
    assert f"розпаковується в {(MAX_UNPACKED_BYTES + 1) >> 20} МБ" in text
    assert "завеликий: можна надсилати" not in text


@pytest.mark.parametrize("filename", ["plan.docx", "plan.xlsx"])
def test_a_table_of_more_rows_than_any_plan_is_refused_before_parsing(filename: str) -> None:
    """Plan import, limits: a small file holding twenty thousand rows is refused by
    counting its rows, before python-docx or openpyxl parses any of it."""
    rows = [HEADER, *([["1", "Захід", "Постійно", "Відділ"]] * 3)]
    data = docx_bytes(Table(rows)) if filename.endswith("docx") else xlsx_bytes(rows)
    part = "word/document.xml" if filename.endswith("docx") else "xl/worksheets/sheet1.xml"
    tag = "<w:tr>" if filename.endswith("docx") else "<row "
    packed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == part:
                xml = content.decode()
                start = xml.index(tag)
                end = xml.index("</w:tr>" if tag == "<w:tr>" else "</row>", start)
                row = xml[start : end + len("</w:tr>" if tag == "<w:tr>" else "</row>")]
                content = xml.replace(row, row * 20_000, 1).encode()
            bomb.writestr(info, content)
    assert len(packed.getvalue()) < MAX_UPLOAD_BYTES

    with pytest.raises(DocumentError) as caught:
        read_plan(filename, packed.getvalue(), default_title="План")

    assert caught.value.problem is DocumentProblem.TOO_MANY_ROWS
    assert int(caught.value.detail) > 20_000
    assert f"У файлі {caught.value.detail} рядк" in problem_text(caught.value, "plan")


def test_document_without_tables_is_not_a_table() -> None:
    data = docx_bytes(*TITLE, "1. Провести навчання працівників з питань етичної поведінки.")

    assert problem_of("plan.docx", data) is DocumentProblem.NOT_A_TABLE


def test_table_without_recognisable_header_has_no_header() -> None:
    table = Table(
        rows=[
            ["ПІБ", "Посада", "Телефон"],
            ["Олена Ткаченко", "начальник відділу", "0441234567"],
        ]
    )

    assert problem_of("plan.docx", docx_bytes(table)) is DocumentProblem.NO_HEADER


def test_csv_without_recognisable_header_has_no_header() -> None:
    data = csv_bytes([["a", "b"], ["1", "2"]], encoding="utf-8")

    assert problem_of("plan.csv", data) is DocumentProblem.NO_HEADER


def test_header_only_table_is_empty() -> None:
    table = Table(rows=[HEADER, ["1", "2", "3", "4"]])

    assert problem_of("plan.docx", docx_bytes(*TITLE, table)) is DocumentProblem.EMPTY_TABLE


def test_header_only_sheet_is_empty() -> None:
    assert problem_of("plan.xlsx", xlsx_bytes([HEADER])) is DocumentProblem.EMPTY_TABLE


def test_random_bytes_named_docx_are_corrupted() -> None:
    assert problem_of("plan.docx", b"not a word file at all") is DocumentProblem.CORRUPTED


def test_zip_that_is_not_a_word_document_is_corrupted() -> None:
    # A workbook renamed to .docx is a valid zip but not a Word document.
    assert problem_of("plan.docx", xlsx_bytes([HEADER])) is DocumentProblem.CORRUPTED


def test_password_protected_document_is_encrypted() -> None:
    assert problem_of("plan.docx", encrypted_office_bytes()) is DocumentProblem.ENCRYPTED
    assert problem_of("plan.xlsx", encrypted_office_bytes()) is DocumentProblem.ENCRYPTED


def test_old_word_format_is_legacy_doc() -> None:
    assert problem_of("plan.doc", legacy_doc_bytes()) is DocumentProblem.LEGACY_DOC
    assert problem_of("plan.docx", legacy_doc_bytes()) is DocumentProblem.LEGACY_DOC


def test_pdf_is_an_unsupported_extension() -> None:
    assert problem_of("plan.pdf", b"%PDF-1.7\n") is DocumentProblem.UNSUPPORTED_EXTENSION


def test_empty_upload_is_an_empty_file() -> None:
    assert problem_of("plan.csv", b"") is DocumentProblem.EMPTY_FILE


def test_csv_in_an_unknown_encoding_is_refused() -> None:
    # 0x98 is undefined in Windows-1251 and invalid as UTF-8.
    assert problem_of("plan.csv", b"\x98\x98;\x98") is DocumentProblem.BAD_ENCODING


def _zip(name: str, content: bytes) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("chunk_size", [1, 5, 7, 64, 1 << 20])
def test_rows_are_counted_exactly_whatever_the_chunks_cut_through(chunk_size: int) -> None:
    """Plan import, limits: a tag split across two chunks counts once; «<w:trPr>» never."""
    xml = b"<w:tbl>" + b'<w:tr w:rsidR="1"><w:trPr/><w:tc/></w:tr>' * 37 + b"<w:tr></w:tr></w:tbl>"
    with _zip("word/document.xml", xml) as archive:
        assert _count_rows(archive, "docx", chunk_size) == 38
    sheet = b"<x:sheetData>" + b'<x:row r="1"><x:c/></x:row>' * 12 + b"<rowBreaks/></x:sheetData>"
    with _zip("xl/worksheets/sheet1.xml", sheet) as archive:
        assert _count_rows(archive, "xlsx", chunk_size) == 12


def test_a_damaged_zip_part_is_refused_as_corrupted() -> None:
    """Plan import, limits: counting rows meets a bad checksum as a damaged file, not a crash."""
    data = bytearray(docx_bytes(Table(rows=[HEADER, ["1", "Захід", "І", "В"]])))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 10] ^= 0xFF  # a byte of the compressed document.xml

    assert problem_of("plan.docx", bytes(data)) is DocumentProblem.CORRUPTED
