"""Reading the registry sheet (enterprises with their authorized persons) from CSV or XLSX."""

from __future__ import annotations

from core import edrpou
from core.kinds import normalise_word, parse_kind
from core.models import EnterpriseKind
from core.registry import (
    EnterpriseRecord,
    PersonRecord,
    RegistryRow,
    RegistrySheet,
    RejectedRow,
    RowProblem,
)
from reports.tabular import DocumentError, DocumentProblem, Row, read_table

# Column meaning → header words that name it (compared after normalise_word).
_COLUMNS: dict[str, tuple[str, ...]] = {
    "edrpou": ("єдрпоу", "код єдрпоу", "код за єдрпоу", "edrpou"),
    "name": ("назва", "повна назва", "найменування", "назва організації", "name"),
    "short_name": ("скорочена назва", "коротка назва", "short name", "short_name"),
    "kind": ("тип", "вид", "тип організації", "kind"),
    "supervisor": ("орган управління", "підпорядкування", "supervisor", "куратор"),
    "active": ("активне", "активна", "діє", "active"),
    "full_name": ("пiб", "піб", "уповноважена особа", "піб уповноваженої особи", "full name"),
    "position": ("посада", "position"),
    "phone": ("телефон", "phone"),
    "email": ("e-mail", "email", "ел. пошта", "електронна пошта"),
}
_YES = {"так", "1", "yes", "true", "+", "активне", "діє", ""}
_NO = {"ні", "0", "no", "false", "-", "неактивне", "ліквідовано"}


def looks_like_registry(rows: list[Row]) -> bool:
    return _find_header(rows) is not None


def _find_header(rows: list[Row]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:10]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            word = normalise_word(cell)
            for meaning, words in _COLUMNS.items():
                if word in words and meaning not in columns:
                    columns[meaning] = position
        if "edrpou" in columns and "name" in columns:
            return index, columns
    return None


def parse_registry(rows: list[Row]) -> RegistrySheet:
    """Turn sheet rows into registry rows; bad rows are rejected one by one with a reason."""
    found = _find_header(rows)
    if found is None:
        raise DocumentError(DocumentProblem.NO_HEADER)
    header_index, columns = found

    def cell(row: Row, meaning: str) -> str:
        position = columns.get(meaning)
        if position is None or position >= len(row):
            return ""
        return " ".join(row[position].split())

    good: list[RegistryRow] = []
    rejected: list[RejectedRow] = []
    # ЄДРПОУ -> the organisation as its first row gave it; a later row with the same code adds
    # one more person of that organisation (several persons per organisation are allowed).
    seen: dict[str, EnterpriseRecord] = {}
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        code = cell(row, "edrpou").replace(" ", "")
        if code.isdigit() and len(code) < 8:
            code = code.zfill(8)  # spreadsheets drop leading zeros of codes stored as numbers
        name = cell(row, "name")
        kind_text = cell(row, "kind")
        kind = parse_kind(kind_text) if kind_text else EnterpriseKind.OTHER
        active_text = normalise_word(cell(row, "active"))
        problem: RejectedRow | None = None
        if not code:
            problem = RejectedRow(offset, RowProblem.MISSING_EDRPOU)
        elif not edrpou.is_valid(code):
            problem = RejectedRow(offset, RowProblem.BAD_EDRPOU, code)
        elif code in seen and not cell(row, "full_name"):
            problem = RejectedRow(offset, RowProblem.DUPLICATE_EDRPOU, code)
        elif not name:
            problem = RejectedRow(offset, RowProblem.MISSING_NAME, code)
        elif kind is None:
            problem = RejectedRow(offset, RowProblem.UNKNOWN_KIND, kind_text)
        elif active_text not in _YES | _NO:
            problem = RejectedRow(offset, RowProblem.BAD_ACTIVE_FLAG, cell(row, "active"))
        if problem is not None or kind is None:
            if problem is not None:
                rejected.append(problem)
            continue
        enterprise = seen.get(code) or EnterpriseRecord(
            edrpou=code,
            name=name,
            short_name=cell(row, "short_name") or name,
            kind=kind,
            supervisor=cell(row, "supervisor"),
            active=active_text not in _NO,
        )
        seen[code] = enterprise
        full_name = cell(row, "full_name")
        person = (
            PersonRecord(
                full_name=full_name,
                position=cell(row, "position"),
                phone=cell(row, "phone"),
                email=cell(row, "email"),
            )
            if full_name
            else None
        )
        good.append(RegistryRow(line=offset, enterprise=enterprise, person=person))
    if not good and not rejected:
        raise DocumentError(DocumentProblem.EMPTY_TABLE)
    return RegistrySheet(rows=tuple(good), rejected=tuple(rejected))


def read_registry(filename: str, data: bytes) -> RegistrySheet:
    return parse_registry(read_table(filename, data))
