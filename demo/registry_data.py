"""A fictional city's registry: invented enterprises with valid ЄДРПОУ codes and their persons."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from core.edrpou import with_check_digit


@dataclass(frozen=True, slots=True)
class FictionalEnterprise:
    code7: str
    name: str
    short_name: str
    kind: str
    supervisor: str
    person: str
    position: str

    @property
    def edrpou(self) -> str:
        return with_check_digit(self.code7)


# code without check digit | full name | short name | kind | supervisor | person | position
_TABLE = """
4410231 | Комунальне підприємство «Міськводоканал» Вербівської міської ради | КП «Міськводоканал»
        | комунальне підприємство | | Олена Петрівна Гнатюк | юрисконсульт
4410342 | Комунальне підприємство «Вербівтепло» | КП «Вербівтепло» | комунальне підприємство
        | | Богдан Ігорович Савчук | інженер з охорони праці
4410453 | Комунальне підприємство «Зелене місто» | КП «Зелене місто» | комунальне підприємство
        | | Ірина Олегівна Дмитренко | економіст
4410564 | Ліцей № 7 Вербівської міської ради | Ліцей № 7 | освіта | Управління освіти
        | Наталія Василівна Коваль | заступник директора
4410675 | Гімназія № 3 Вербівської міської ради | Гімназія № 3 | освіта | Управління освіти
        | Андрій Степанович Лисенко | вчитель правознавства
4410786 | Заклад дошкільної освіти № 12 «Сонечко» | ЗДО № 12 «Сонечко» | освіта
        | Управління освіти | Світлана Миколаївна Бойко | вихователь-методист
4410897 | Ліцей № 15 імені Лесі Українки | Ліцей № 15 | освіта | Управління освіти
        | Оксана Романівна Мельник | педагог-організатор
4411008 | Комунальне некомерційне підприємство «Вербівська міська лікарня»
        | КНП «Міська лікарня» | охорона здоров'я | Відділ охорони здоров'я
        | Тарас Юрійович Кравчук | юрист
4411119 | КНП «Центр первинної медико-санітарної допомоги» | КНП «ЦПМСД» | охорона здоров'я
        | Відділ охорони здоров'я | Галина Петрівна Шевчук | начальник відділу кадрів
4411220 | Центр надання адміністративних послуг | ЦНАП | виконавчий орган
        | | Максим Олександрович Ткаченко | адміністратор
4411331 | Управління освіти Вербівської міської ради | Управління освіти | виконавчий орган
        | | Людмила Іванівна Романенко | головний спеціаліст
4411442 | Комунальна установа «Міський центр культури» | КУ «Центр культури» | інше
        | Відділ культури | Віталій Андрійович Поліщук | методист
4411553 | Комунальне підприємство «Міський транспорт» | КП «Міський транспорт»
        | комунальне підприємство | | Юлія Сергіївна Марченко | фахівець з персоналу
4411664 | Комунальна установа «Міський архів» | КУ «Міський архів» | інше
        | | Роман Васильович Гуменюк | старший архівіст
"""


def _parse(table: str) -> tuple[FictionalEnterprise, ...]:
    """Each record starts with its code; continuation lines start with "|"."""
    records: list[str] = []
    for line in table.strip().splitlines():
        if line.strip().startswith("|"):
            records[-1] += " " + line.strip()
        else:
            records.append(line.strip())
    return tuple(
        FictionalEnterprise(*(cell.strip() for cell in record.split("|"))) for record in records
    )


ENTERPRISES = _parse(_TABLE)

HEADER = (
    "ЄДРПОУ",
    "Назва",
    "Скорочена назва",
    "Тип",
    "Орган управління",
    "Активне",
    "ПІБ",
    "Посада",
    "Телефон",
    "E-mail",
)


def registry_rows(enterprises: tuple[FictionalEnterprise, ...] = ENTERPRISES) -> list[list[str]]:
    rows = [list(HEADER)]
    for index, e in enumerate(enterprises):
        rows.append(
            [
                e.edrpou,
                e.name,
                e.short_name,
                e.kind,
                e.supervisor,
                "так",
                e.person,
                e.position,
                f"+38 067 000 {index:02d} {index:02d}",
                f"uo{index:02d}@example.org",
            ]
        )
    return rows


def registry_csv(rows: list[list[str]] | None = None) -> bytes:
    """The registry as a semicolon CSV in UTF-8 with BOM, as Excel saves it."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows if rows is not None else registry_rows())
    return buffer.getvalue().encode("utf-8-sig")
