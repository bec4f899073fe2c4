import pytest

from core.models import MeasureStatus
from core.report_status import guess_status

DONE, GOING, NOT_DONE, NA = (
    MeasureStatus.DONE,
    MeasureStatus.IN_PROGRESS,
    MeasureStatus.NOT_DONE,
    MeasureStatus.NOT_APPLICABLE,
)


@pytest.mark.parametrize(
    ("narrative", "status"),
    [
        ("Перелік актуалізовано 10.03.2026 та надіслано до відділу листом № 12.", DONE),
        ("Проведено 2 навчання для 34 працівників.", DONE),
        ("Виконано. Робота з розгляду повідомлень триває постійно.", DONE),
        ("Порушень строків не виявлено.", DONE),
        ("Не застосовується: закупівель заклад не проводить.", NA),
        ("Захід не стосується закладу, тендерного комітету немає.", NA),
        ("Штатним розписом посада не передбачена.", NA),
        ("Не виконано через відсутність фінансування.", NOT_DONE),
        ("Навчання не проведено у зв'язку з оголошеною тривогою.", NOT_DONE),
        ("Службові розслідування не здійснювалися.", NOT_DONE),
        ("Робота триває: зібрано 40 декларацій із 52.", GOING),
        ("Постійно здійснюється моніторинг вебсайту.", GOING),
        ("Оновлення сторінки у процесі.", GOING),
        ("Виконується. Консультації надаються щотижня.", GOING),
        ("Консультації надаються на постійній основі.", GOING),
        ("Проведено 3 консультації. Службові перевірки не проводилися.", DONE),
        ("Ознайомлено 3 працівників. Ведення журналу не виконується.", DONE),
        ("НЕ ЗАСТОСОВУЄТЬСЯ", NA),
    ],
)
def test_the_narrative_tells_the_status(narrative: str, status: MeasureStatus) -> None:
    assert guess_status(narrative) is status


@pytest.mark.parametrize("narrative", ["", "   ", "—", "-", "1."])
def test_an_empty_narrative_implies_no_status(narrative: str) -> None:
    assert guess_status(narrative) is None
