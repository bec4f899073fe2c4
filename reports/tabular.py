"""Reading uploaded tables (CSV and XLSX) into rows of text, with the checks every upload needs."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from enum import StrEnum
from pathlib import PurePath

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A DOCX or XLSX is a zip: what it unpacks to is bounded too (a zip bomb fits in 5 MB), and so
# are its table rows, counted before any XML is parsed: a plan has hundreds, a registry 150.
MAX_UNPACKED_BYTES = 10 * MAX_UPLOAD_BYTES
MAX_TABLE_ROWS = 5_000
# A row's opening tag («<w:tr>», «<row r="2">»), not «<w:trPr>» or «<rowBreaks>».
_ROW_TAGS = {"docx": re.compile(rb"<w:tr[\s>/]"), "xlsx": re.compile(rb"<(?:\w+:)?row[\s>/]")}
_TAG_OVERLAP = 64  # longer than any row tag with its namespace prefix
_TABLE_PARTS = {"docx": "word/", "xlsx": "xl/worksheets/"}


class DocumentProblem(StrEnum):
    """Why an uploaded file cannot be read; each has its own Ukrainian message in templates."""

    TOO_LARGE = "too_large"
    UNPACKS_TOO_LARGE = "unpacks_too_large"
    TOO_MANY_ROWS = "too_many_rows"
    EMPTY_FILE = "empty_file"
    UNSUPPORTED_EXTENSION = "unsupported_extension"
    LEGACY_DOC = "legacy_doc"
    LEGACY_XLS = "legacy_xls"
    CORRUPTED = "corrupted"
    ENCRYPTED = "encrypted"
    BAD_ENCODING = "bad_encoding"
    NOT_A_TABLE = "not_a_table"
    NO_HEADER = "no_header"
    EMPTY_TABLE = "empty_table"
    INVALID_ROWS = "invalid_rows"


class DocumentError(Exception):
    """A user-caused problem with an uploaded document; nothing is stored when it is raised."""

    def __init__(self, problem: DocumentProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.detail = detail

    def context(self, expected: str) -> dict[str, object]:
        """What templates/documents/problem.html needs to explain it, with the limits."""
        return {
            "problem": self.problem.value,
            "detail": self.detail,
            "limit_mb": MAX_UPLOAD_BYTES >> 20,
            "unpacked_limit_mb": MAX_UNPACKED_BYTES >> 20,
            "rows_limit": MAX_TABLE_ROWS,
            "expected": expected,
        }


Row = list[str]

# An OLE2 compound file: old binary Word/Excel, and also password-protected OOXML.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def extension(filename: str) -> str:
    return PurePath(filename).suffix.lower().lstrip(".")


def check_upload(filename: str, size: int, allowed: tuple[str, ...]) -> str:
    """Validate name and declared size before downloading anything; return the extension."""
    if size > MAX_UPLOAD_BYTES:
        raise DocumentError(DocumentProblem.TOO_LARGE)
    ext = extension(filename)
    if ext == "doc" and "docx" in allowed:
        raise DocumentError(DocumentProblem.LEGACY_DOC)
    if ext == "xls" and "xlsx" in allowed:
        raise DocumentError(DocumentProblem.LEGACY_XLS)
    if ext not in allowed:
        raise DocumentError(DocumentProblem.UNSUPPORTED_EXTENSION, ext)
    return ext


def check_container(data: bytes, ext: str) -> None:
    """Tell apart a real OOXML zip from an encrypted, legacy or broken file."""
    if not data:
        raise DocumentError(DocumentProblem.EMPTY_FILE)
    if len(data) > MAX_UPLOAD_BYTES:
        raise DocumentError(DocumentProblem.TOO_LARGE)
    if ext in ("docx", "xlsx"):
        if data.startswith(_OLE2_MAGIC):
            # Office wraps password-protected OOXML in an OLE2 container.
            if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in data[:65536] or b"EncryptionInfo" in data:
                raise DocumentError(DocumentProblem.ENCRYPTED)
            problem = DocumentProblem.LEGACY_DOC if ext == "docx" else DocumentProblem.LEGACY_XLS
            raise DocumentError(problem)
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise DocumentError(DocumentProblem.CORRUPTED)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:  # zipfile stops at declared sizes
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise DocumentError(DocumentProblem.UNPACKS_TOO_LARGE, str(unpacked >> 20))
            try:
                rows = _count_rows(archive, ext)
            except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError):
                # A bad checksum, a cut-off or encrypted entry, an unknown compression.
                raise DocumentError(DocumentProblem.CORRUPTED) from None
            if rows > MAX_TABLE_ROWS:
                raise DocumentError(DocumentProblem.TOO_MANY_ROWS, str(rows))


def _count_rows(archive: zipfile.ZipFile, ext: str, chunk_size: int = 1 << 20) -> int:
    """Table rows in the document's XML, read in chunks: no XML is parsed, nothing is kept.

    Each chunk is searched with the previous one's last bytes in front, and a tag counts only
    if it ends in the new bytes: one split across two chunks counts once, in the second.
    """
    tag = _ROW_TAGS[ext]
    rows = 0
    for info in archive.infolist():
        if not (info.filename.startswith(_TABLE_PARTS[ext]) and info.filename.endswith(".xml")):
            continue
        tail = b""
        with archive.open(info) as part:
            while chunk := part.read(chunk_size):
                window = tail + chunk
                rows += sum(1 for found in tag.finditer(window) if found.end() > len(tail))
                tail = window[-_TAG_OVERLAP:]
    return rows


def decode_text(data: bytes) -> str:
    """Decode a CSV: UTF-8 with or without BOM, else Windows-1251 (common from Excel)."""
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(DocumentProblem.BAD_ENCODING)


def read_csv(data: bytes) -> list[Row]:
    text = decode_text(data)
    # csv.Sniffer guesses wrong on short ragged sheets; the header line tells the delimiter.
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [[cell.strip() for cell in row] for row in reader]
    return [row for row in rows if any(row)]


def read_xlsx(data: bytes) -> list[Row]:
    """Read the first worksheet; merged cells take the value of their top-left cell."""
    import openpyxl  # imported lazily: heavy, and not needed for CSV

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types on broken files
        raise DocumentError(DocumentProblem.CORRUPTED, type(exc).__name__) from exc
    sheet = book.worksheets[0]
    merged_values: dict[tuple[int, int], object] = {}
    for merged in sheet.merged_cells.ranges:
        top_left = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                merged_values[(row, col)] = top_left
    rows: list[Row] = []
    for r_index, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = []
        for c_index, value in enumerate(row, start=1):
            if value is None:
                value = merged_values.get((r_index, c_index))
            cells.append(_cell_text(value))
        if any(cells):
            rows.append(cells)
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(filename: str, data: bytes) -> list[Row]:
    """Rows of a CSV or XLSX upload, blank rows dropped."""
    ext = check_upload(filename, len(data), ("csv", "xlsx"))
    check_container(data, ext)
    rows = read_csv(data) if ext == "csv" else read_xlsx(data)
    if not rows:
        raise DocumentError(DocumentProblem.EMPTY_TABLE)
    return rows
