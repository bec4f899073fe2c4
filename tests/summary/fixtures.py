"""Invented enterprises, plan and reports for the summary tests (no real documents copied)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from core.edrpou import with_check_digit
from core.models import (
    Answer,
    Attachment,
    Enterprise,
    EnterpriseKind,
    IndicatorDef,
    Measure,
    MeasureStatus,
    Plan,
    Report,
    ReportData,
    ReportState,
    Round,
    RoundState,
)
from core.periods import Period
from core.summary import Summary, build_summary

GENERATED_AT = datetime(2026, 4, 28, 9, 30, tzinfo=UTC)

VODOKANAL = Enterprise(
    1,
    with_check_digit("0335123"),
    "Комунальне підприємство «Міськводоканал»",
    "КП «Міськводоканал»",
    EnterpriseKind.MUNICIPAL,
)
LYCEUM = Enterprise(
    2,
    with_check_digit("2617345"),
    "Ліцей № 7 міської ради",
    "Ліцей № 7",
    EnterpriseKind.EDUCATION,
)
HOSPITAL = Enterprise(
    3,
    with_check_digit("0199877"),
    "Комунальне некомерційне підприємство «Міська лікарня № 2»",
    "КНП «Міська лікарня № 2»",
    EnterpriseKind.HEALTH,
)
CNAP = Enterprise(
    4,
    with_check_digit("4061122"),
    "Центр надання адміністративних послуг",
    "ЦНАП",
    EnterpriseKind.EXECUTIVE,
)
SONECHKO = Enterprise(
    5,
    with_check_digit("2544310"),
    "Заклад дошкільної освіти № 12 «Сонечко»",
    "ЗДО № 12 «Сонечко»",
    EnterpriseKind.EDUCATION,
)
ENTERPRISES = (VODOKANAL, LYCEUM, HOSPITAL, CNAP, SONECHKO)

PLAN = Plan(
    id=1,
    title="План заходів щодо запобігання корупції в міській раді на 2026 рік",
    year_from=2026,
    year_to=2026,
    version=1,
    order_number="98",
    order_date=date(2026, 1, 12),
    active=True,
)

_S1 = ("1.", "Організаційні заходи")
_S2 = ("2.", "Навчальна та роз'яснювальна робота")
PERSONS = Measure(
    11,
    1,
    *_S1,
    "1.1",
    "Переглянути перелік уповноважених осіб і повідомити колектив",
    "Щокварталу",
    "Керівники підприємств, установ, закладів",
    position=1,
)
PROCUREMENT = Measure(
    12,
    1,
    *_S1,
    "1.2",
    "Оприлюднювати звіти про договори, укладені за результатами закупівель",
    "Постійно",
    "Комунальні підприємства",
    kinds=(EnterpriseKind.MUNICIPAL, EnterpriseKind.HEALTH),
    position=2,
)
TRAINING = Measure(
    21,
    1,
    *_S2,
    "2.1",
    "Провести для працівників навчання щодо обмежень після звільнення",
    "Протягом року",
    "Уповноважені особи",
    position=3,
)
CONSULTING = Measure(
    22,
    1,
    *_S2,
    "2.2",
    "Консультувати працівників щодо подання декларацій",
    "І квартал",
    "Уповноважені особи",
    position=4,
)
MEASURES = (PERSONS, PROCUREMENT, TRAINING, CONSULTING)

CONSULTATIONS = IndicatorDef("consultations", "Надано консультацій", "од.", position=1)
TRAININGS = IndicatorDef("trainings", "Проведено навчань", "заходів", position=2)
DECLARATIONS = IndicatorDef("declarations", "Подано декларацій", "", position=3)
INDICATORS = (CONSULTATIONS, TRAININGS, DECLARATIONS)

D = MeasureStatus.DONE
IP = MeasureStatus.IN_PROGRESS
ND = MeasureStatus.NOT_DONE
NA = MeasureStatus.NOT_APPLICABLE


def make_round(period: Period, round_id: int | None = None) -> Round:
    return Round(
        id=round_id if round_id is not None else period.year * 10 + period.number,
        plan_id=PLAN.id,
        period_kind=period.kind,
        period_number=period.number,
        year=period.year,
        as_of=period.end,
        deadline=period.end,
        state=RoundState.CLOSED,
        opened_at=datetime.combine(period.end, datetime.min.time(), tzinfo=UTC),
    )


@dataclass(frozen=True)
class Said:
    """What an enterprise answered for one measure, in the tests' shorthand."""

    status: MeasureStatus | None
    text: str = ""


def make_report(
    enterprise: Enterprise,
    period: Period,
    answers: Mapping[Measure, Said],
    *,
    state: ReportState = ReportState.SUBMITTED,
    late: bool = False,
    indicators: Mapping[str, int] | None = None,
    attachments: Sequence[Attachment] = (),
    version: int = 1,
) -> ReportData:
    round_ = make_round(period)
    return ReportData(
        report=Report(
            id=round_.id * 1000 + enterprise.id,
            round_id=round_.id,
            enterprise_id=enterprise.id,
            state=state,
            version=version,
            submitted_at=datetime.combine(period.end, datetime.min.time(), tzinfo=UTC)
            if state in (ReportState.SUBMITTED, ReportState.ACCEPTED)
            else None,
            late=late,
        ),
        round=round_,
        answers=tuple(Answer(m.id, said.status, said.text) for m, said in answers.items()),
        attachments=tuple(attachments),
        indicator_values=dict(indicators or {}),
    )


Q1 = Period.quarter(2026, 1)
Q2 = Period.quarter(2026, 2)
Q3 = Period.quarter(2026, 3)
YEAR = Period.whole_year(2026)

ORDER_TEXT = "Наказ від 15.01.2026 № 12 «Про уповноважену особу».\nОзнайомлено 48 працівників."


def q1_reports() -> list[ReportData]:
    """Q1: Міськводоканал on time, Ліцей № 7 late; the hospital's draft and ЦНАП's returned
    report do not count; ЗДО «Сонечко» sent nothing."""
    return [
        make_report(
            VODOKANAL,
            Q1,
            {
                PERSONS: Said(D, ORDER_TEXT),
                PROCUREMENT: Said(D, "Оприлюднено 14 звітів у системі Prozorro."),
                TRAINING: Said(IP, "Навчання заплановано на травень."),
                CONSULTING: Said(D, "Надано 5 консультацій."),
            },
            indicators={"consultations": 5, "trainings": 1, "declarations": 40},
            attachments=(Attachment(PERSONS.id, "file-1", "наказ_12.pdf", 120_000),),
        ),
        make_report(
            LYCEUM,
            Q1,
            {
                PERSONS: Said(D, "Перелік оновлено, розміщено на стенді."),
                TRAINING: Said(D, "Проведено семінар для 35 педагогів."),
                CONSULTING: Said(NA, ""),
            },
            state=ReportState.ACCEPTED,
            late=True,
            indicators={"consultations": 2, "trainings": 2},
        ),
        make_report(
            HOSPITAL,
            Q1,
            {PERSONS: Said(D, "Чернетка"), PROCUREMENT: Said(ND, "Чернетка")},
            state=ReportState.DRAFT,
            indicators={"consultations": 100},
        ),
        make_report(
            CNAP,
            Q1,
            {PERSONS: Said(ND, "Повернуто")},
            state=ReportState.RETURNED,
            indicators={"consultations": 50},
        ),
    ]


def q1_summary(reports: Sequence[ReportData] | None = None) -> Summary:
    return build_summary(
        period=Q1,
        plan=PLAN,
        measures=MEASURES,
        enterprises=ENTERPRISES,
        reports=q1_reports() if reports is None else reports,
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )


def synthetic_summary(enterprise_count: int, measure_count: int) -> Summary:
    """A large summary for the speed checks: every enterprise reports every measure."""
    kinds = list(EnterpriseKind)
    enterprises = [
        Enterprise(
            i,
            with_check_digit(f"{3_000_000 + i:07d}"),
            f"Установа № {i}",
            f"Установа {i}",
            kinds[i % len(kinds)],
        )
        for i in range(1, enterprise_count + 1)
    ]
    measures = [
        Measure(
            100 + j,
            1,
            f"{j // 6 + 1}.",
            f"Розділ {j // 6 + 1}",
            f"{j // 6 + 1}.{j % 6 + 1}",
            f"Захід номер {j}",
            position=j,
        )
        for j in range(measure_count)
    ]
    statuses = [D, IP, ND, NA]
    round_ = make_round(Q1)
    reports = [
        ReportData(
            report=Report(i, round_.id, e.id, ReportState.SUBMITTED, 1, GENERATED_AT),
            round=round_,
            answers=tuple(
                Answer(m.id, statuses[(i + j) % 4], f"Виконано {i}-{j}")
                for j, m in enumerate(measures)
            ),
            indicator_values={"consultations": i},
        )
        for i, e in enumerate(enterprises)
        if i % 10
    ]
    return build_summary(
        period=Q1,
        plan=PLAN,
        measures=measures,
        enterprises=enterprises,
        reports=reports,
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )
