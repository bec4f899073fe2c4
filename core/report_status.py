"""The status a measure's narrative in an organisation's own report implies.

An organisation's Word report has no status column, only what was done; the department reads
the status off the words. The rules, first match wins:

1. the narrative opens with a status word («Виконано.», «Не застосовується …»): that status;
2. its first sentence says the measure does not apply («не застосовується», «не стосується»,
   «не передбачено»): не застосовується;
3. its first sentence says it was not done («не виконано», «не проведено», «не
   здійснювалося»): не виконано (a later «… не проводилися» beside work done does not count);
4. it says the work goes on («триває», «постійно здійснюється», «у процесі», «виконується»,
   «на постійній основі»): виконується;
5. otherwise: виконано. An empty narrative implies nothing (None).
"""

from __future__ import annotations

import re

from core.models import MeasureStatus

_OPENING = (
    (re.compile(r"не\s+застосову"), MeasureStatus.NOT_APPLICABLE),
    (re.compile(r"не\s+викона"), MeasureStatus.NOT_DONE),
    (re.compile(r"виконується"), MeasureStatus.IN_PROGRESS),
    (re.compile(r"виконано"), MeasureStatus.DONE),
)
_NOT_APPLICABLE = re.compile(r"\bне\s+(?:застосов|стосу|передбач)\w*")
_NOT_DONE = re.compile(r"\bне\s+(?:викон|провод|провед|здійсн|організов)\w*")
_IN_PROGRESS = re.compile(
    r"\bтриває\b|\bпостійно\s+здійсню\w*|\bздійснюється\s+постійно\b|\b[ув]\s+процесі\b"
    r"|(?<!не )\bвиконується\b|\bна\s+постійній\s+основі\b"
)
# A sentence ends at . ; ! ? or a line break, but not inside a number such as «10.03.2026».
_SENTENCE_END = re.compile(r"[;!?\n]|\.(?!\d)")


def guess_status(narrative: str) -> MeasureStatus | None:
    """The status the narrative implies, by the rules above; None for an empty one."""
    text = " ".join(narrative.casefold().replace("’", "'").split())
    if not any(c.isalpha() for c in text):
        return None
    for pattern, status in _OPENING:
        if pattern.match(text):
            return status
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if _NOT_APPLICABLE.search(first):
        return MeasureStatus.NOT_APPLICABLE
    if _NOT_DONE.search(first):
        return MeasureStatus.NOT_DONE
    if _IN_PROGRESS.search(text):
        return MeasureStatus.IN_PROGRESS
    return MeasureStatus.DONE
