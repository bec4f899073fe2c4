"""Plan files read but not yet saved: the plan and the indicators offered with it, kept in
plan_uploads until the coordinator saves or drops them, so a restart loses no preview."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

import aiosqlite

from core.indicator_offer import Offered, PendingPlan
from core.models import EnterpriseKind, IndicatorDef, MeasureDraft, PlanDraft, SectionDraft
from storage.codec import ts
from storage.database import fetch_one


def draft_to_json(draft: PlanDraft) -> str:
    return json.dumps(asdict(draft), ensure_ascii=False)


def draft_from_json(text: str) -> PlanDraft:
    data = json.loads(text)
    sections = tuple(
        SectionDraft(
            number=s["number"],
            title=s["title"],
            measures=tuple(
                MeasureDraft(**{**m, "kinds": tuple(EnterpriseKind(k) for k in m["kinds"])})
                for m in s["measures"]
            ),
        )
        for s in data["sections"]
    )
    return PlanDraft(
        title=data["title"],
        sections=sections,
        warnings=tuple(data["warnings"]),
        generated=tuple(data.get("generated", ())),  # absent from uploads stashed before 0010
    )


def offer_to_json(offered: tuple[Offered, ...]) -> str:
    return json.dumps(
        [
            {
                "code": o.indicator.code,
                "label": o.indicator.label,
                "unit": o.indicator.unit,
                "measure_number": o.indicator.measure_number,
                "chosen": o.chosen,
            }
            for o in offered
        ],
        ensure_ascii=False,
    )


def offer_from_json(text: str) -> tuple[Offered, ...]:
    return tuple(
        Offered(
            IndicatorDef(
                code=item["code"],
                label=item["label"],
                unit=item["unit"],
                position=position,
                measure_number=item["measure_number"],
            ),
            chosen=bool(item["chosen"]),
        )
        for position, item in enumerate(json.loads(text), start=1)
    )


async def stash_upload(
    conn: aiosqlite.Connection,
    telegram_id: int,
    filename: str,
    draft: PlanDraft,
    offered: tuple[Offered, ...],
    now: datetime,
) -> int:
    cursor = await conn.execute(
        "INSERT INTO plan_uploads (telegram_id, filename, draft_json, offer_json, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (telegram_id, filename, draft_to_json(draft), offer_to_json(offered), ts(now)),
    )
    return int(cursor.lastrowid or 0)


async def pending_upload(conn: aiosqlite.Connection, upload_id: int) -> PendingPlan | None:
    """A still-pending upload; None once saved, cancelled or unknown."""
    row = await fetch_one(
        conn,
        "SELECT filename, draft_json, offer_json FROM plan_uploads"
        " WHERE id = ? AND state = 'pending'",
        (upload_id,),
    )
    if row is None:
        return None
    return PendingPlan(
        upload_id,
        row["filename"],
        draft_from_json(row["draft_json"]),
        offer_from_json(row["offer_json"]),
    )


async def save_offer(
    conn: aiosqlite.Connection, upload_id: int, offered: tuple[Offered, ...]
) -> bool:
    """Store which offered indicators are on, while the upload is pending."""
    cursor = await conn.execute(
        "UPDATE plan_uploads SET offer_json = ? WHERE id = ? AND state = 'pending'",
        (offer_to_json(offered), upload_id),
    )
    return cursor.rowcount == 1


async def close_upload(
    conn: aiosqlite.Connection, upload_id: int, state: str, plan_id: int | None = None
) -> bool:
    cursor = await conn.execute(
        "UPDATE plan_uploads SET state = ?, plan_id = ? WHERE id = ? AND state = 'pending'",
        (state, plan_id, upload_id),
    )
    return cursor.rowcount == 1
