"""Circulars: drafts, their audience, the recipients fixed at sending, and acknowledgements."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

import aiosqlite

from core.circulars import (
    Audience,
    Circular,
    CircularState,
    FileKind,
    Receipt,
    ReceiptStatus,
    Recipient,
)
from core.models import Enterprise, EnterpriseKind
from storage.codec import parse_ts, ts
from storage.database import fetch_all, fetch_one
from storage.registry import person_from_row

DELIVERY_PREFIX = "circular:"  # the outbox key of a delivery (services/notify.py) starts so


async def _circular(conn: aiosqlite.Connection, row: aiosqlite.Row) -> Circular:
    picked = await fetch_all(
        conn,
        "SELECT enterprise_id FROM circular_enterprises WHERE circular_id = ?"
        " ORDER BY enterprise_id",
        (row["id"],),
    )
    created = parse_ts(row["created_at"])
    assert created is not None
    return Circular(
        id=row["id"],
        state=CircularState(row["state"]),
        author_id=row["author_id"],
        text_html=row["text_html"],
        file_kind=FileKind(row["file_kind"]) if row["file_kind"] else None,
        file_id=row["file_id"],
        file_name=row["file_name"],
        audience=Audience(row["audience"]),
        kinds=tuple(EnterpriseKind(k) for k in row["kinds"].split(",") if k),
        enterprise_ids=tuple(int(p["enterprise_id"]) for p in picked),
        created_at=created,
        sent_at=parse_ts(row["sent_at"]),
    )


async def get(conn: aiosqlite.Connection, circular_id: int) -> Circular | None:
    row = await fetch_one(conn, "SELECT * FROM circulars WHERE id = ?", (circular_id,))
    return await _circular(conn, row) if row else None


async def create_draft(
    conn: aiosqlite.Connection,
    *,
    author_id: int,
    text_html: str,
    file_kind: FileKind | None,
    file_id: str | None,
    file_name: str,
    now: datetime,
) -> Circular:
    cursor = await conn.execute(
        "INSERT INTO circulars (author_id, text_html, file_kind, file_id, file_name,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            author_id,
            text_html,
            file_kind.value if file_kind else None,
            file_id,
            file_name,
            ts(now),
            ts(now),
        ),
    )
    created = await get(conn, int(cursor.lastrowid or 0))
    assert created is not None
    return created


async def set_content(
    conn: aiosqlite.Connection,
    circular: Circular,
    *,
    text_html: str,
    file_kind: FileKind | None,
    file_id: str | None,
    file_name: str,
    now: datetime,
) -> Circular:
    await conn.execute(
        "UPDATE circulars SET text_html = ?, file_kind = ?, file_id = ?, file_name = ?,"
        " updated_at = ? WHERE id = ? AND state = 'draft'",
        (
            text_html,
            file_kind.value if file_kind else None,
            file_id,
            file_name,
            ts(now),
            circular.id,
        ),
    )
    changed = await get(conn, circular.id)
    assert changed is not None
    return changed


async def set_audience(
    conn: aiosqlite.Connection,
    circular_id: int,
    audience: Audience,
    *,
    kinds: Collection[EnterpriseKind] | None = None,
    now: datetime,
) -> None:
    """Choose who gets a draft; kinds are replaced only when given."""
    if kinds is None:
        await conn.execute(
            "UPDATE circulars SET audience = ?, updated_at = ? WHERE id = ? AND state = 'draft'",
            (audience.value, ts(now), circular_id),
        )
        return
    ordered = [kind.value for kind in EnterpriseKind if kind in kinds]
    await conn.execute(
        "UPDATE circulars SET audience = ?, kinds = ?, updated_at = ?"
        " WHERE id = ? AND state = 'draft'",
        (audience.value, ",".join(ordered), ts(now), circular_id),
    )


async def toggle_enterprise(
    conn: aiosqlite.Connection, circular_id: int, enterprise_id: int, *, now: datetime
) -> None:
    removed = await conn.execute(
        "DELETE FROM circular_enterprises WHERE circular_id = ? AND enterprise_id = ?",
        (circular_id, enterprise_id),
    )
    if removed.rowcount == 0:
        await conn.execute(
            "INSERT INTO circular_enterprises (circular_id, enterprise_id) VALUES (?, ?)",
            (circular_id, enterprise_id),
        )
    await conn.execute(
        "UPDATE circulars SET audience = 'enterprises', updated_at = ? WHERE id = ?",
        (ts(now), circular_id),
    )


async def recipients(conn: aiosqlite.Connection, circular: Circular) -> list[Recipient]:
    """Active authorized persons of active enterprises in the audience, bound or not."""
    rows = await fetch_all(
        conn,
        "SELECT p.*, e.id AS e_id, e.edrpou AS e_edrpou, e.name AS e_name,"
        " e.short_name AS e_short_name, e.kind AS e_kind, e.supervisor AS e_supervisor,"
        " e.active AS e_active FROM persons p JOIN enterprises e ON e.id = p.enterprise_id"
        " WHERE e.active = 1 ORDER BY e.position, e.id, p.id",
    )
    chosen: list[Recipient] = []
    for row in rows:
        person = person_from_row(row)
        if not person.fills_reports:
            continue
        enterprise = Enterprise(
            id=row["e_id"],
            edrpou=row["e_edrpou"],
            name=row["e_name"],
            short_name=row["e_short_name"],
            kind=EnterpriseKind(row["e_kind"]),
            supervisor=row["e_supervisor"],
            active=bool(row["e_active"]),
        )
        if circular.audience is Audience.KINDS and enterprise.kind not in circular.kinds:
            continue
        if (
            circular.audience is Audience.ENTERPRISES
            and enterprise.id not in circular.enterprise_ids
        ):
            continue
        chosen.append(Recipient(person, enterprise))
    return chosen


async def mark_sent(
    conn: aiosqlite.Connection, circular: Circular, people: Sequence[Recipient], *, now: datetime
) -> bool:
    """Turn a draft into a sent circular with its recipients; False if it was not a draft."""
    cursor = await conn.execute(
        "UPDATE circulars SET state = 'sent', sent_at = ?, updated_at = ?"
        " WHERE id = ? AND state = 'draft'",
        (ts(now), ts(now), circular.id),
    )
    if cursor.rowcount != 1:
        return False
    await conn.executemany(
        "INSERT INTO circular_receipts (circular_id, person_id, enterprise_id, chat_id)"
        " VALUES (?, ?, ?, ?)",
        [(circular.id, r.person.id, r.enterprise.id, r.person.telegram_id) for r in people],
    )
    return True


async def cancel(conn: aiosqlite.Connection, circular_id: int, *, now: datetime) -> bool:
    cursor = await conn.execute(
        "UPDATE circulars SET state = 'cancelled', updated_at = ?"
        " WHERE id = ? AND state = 'draft'",
        (ts(now), circular_id),
    )
    return cursor.rowcount == 1


async def recent(conn: aiosqlite.Connection, *, limit: int) -> list[Circular]:
    rows = await fetch_all(
        conn,
        "SELECT * FROM circulars WHERE state = 'sent' ORDER BY sent_at DESC, id DESC LIMIT ?",
        (limit,),
    )
    return [await _circular(conn, row) for row in rows]


_RECEIPTS = (
    "SELECT r.*, p.full_name, p.status AS p_status, p.telegram_id AS p_telegram_id,"
    " e.name AS e_name, e.short_name AS e_short, e.edrpou,"
    " o.state AS o_state, o.sent_at AS o_sent_at, o.message_id AS o_message_id"
    " FROM circular_receipts r JOIN persons p ON p.id = r.person_id"
    " LEFT JOIN enterprises e ON e.id = r.enterprise_id"
    " LEFT JOIN outbox o ON o.dedupe_key = ? || r.circular_id || ':' || r.person_id"
)


def _receipt(row: aiosqlite.Row) -> Receipt:
    acknowledged = parse_ts(row["acknowledged_at"])
    if acknowledged is not None:
        status = ReceiptStatus.ACKNOWLEDGED
    elif row["o_state"] == "sent":
        status = ReceiptStatus.DELIVERED
    elif row["o_state"] in (None, "failed", "dropped"):
        # No row: the person has no Telegram account bound, so nothing could be sent.
        status = ReceiptStatus.UNREACHABLE
    else:
        status = ReceiptStatus.QUEUED
    return Receipt(
        circular_id=row["circular_id"],
        person_id=row["person_id"],
        person_name=row["full_name"],
        enterprise_name=row["e_short"] or row["e_name"] or "",
        edrpou=row["edrpou"] or "",
        chat_id=row["chat_id"],
        status=status,
        delivered_at=parse_ts(row["o_sent_at"]),
        acknowledged_at=acknowledged,
        reminded_at=parse_ts(row["reminded_at"]),
        message_id=row["o_message_id"],
        still_holds_account=(
            row["p_status"] == "active"
            and row["chat_id"] is not None
            and row["p_telegram_id"] == row["chat_id"]
        ),
    )


async def receipts(conn: aiosqlite.Connection, circular_id: int) -> list[Receipt]:
    """Every recipient in registry order, with delivery read from the outbox."""
    rows = await fetch_all(
        conn,
        f"{_RECEIPTS} WHERE r.circular_id = ? ORDER BY e.position, e.id, p.id",
        (DELIVERY_PREFIX, circular_id),
    )
    return [_receipt(row) for row in rows]


async def receipt_of(
    conn: aiosqlite.Connection, circular_id: int, person_id: int
) -> Receipt | None:
    row = await fetch_one(
        conn,
        f"{_RECEIPTS} WHERE r.circular_id = ? AND r.person_id = ?",
        (DELIVERY_PREFIX, circular_id, person_id),
    )
    return _receipt(row) if row else None


async def acknowledge(
    conn: aiosqlite.Connection, circular_id: int, person_id: int, *, now: datetime
) -> bool:
    """Record the first acknowledgement; a second press changes nothing (False)."""
    cursor = await conn.execute(
        "UPDATE circular_receipts SET acknowledged_at = ?"
        " WHERE circular_id = ? AND person_id = ? AND acknowledged_at IS NULL",
        (ts(now), circular_id, person_id),
    )
    return cursor.rowcount == 1


async def unreminded(conn: aiosqlite.Connection, *, sent_before: datetime) -> list[Receipt]:
    """Remindable receipts (see `Receipt.remindable`) of circulars sent before a moment, never
    reminded."""
    rows = await fetch_all(
        conn,
        f"{_RECEIPTS} JOIN circulars c ON c.id = r.circular_id"
        " WHERE c.state = 'sent' AND c.sent_at < ? AND r.acknowledged_at IS NULL"
        " AND r.reminded_at IS NULL"
        " ORDER BY r.circular_id, r.person_id",
        (DELIVERY_PREFIX, ts(sent_before)),
    )
    return [receipt for receipt in map(_receipt, rows) if receipt.remindable]


async def mark_reminded(
    conn: aiosqlite.Connection, circular_id: int, person_id: int, *, now: datetime
) -> bool:
    cursor = await conn.execute(
        "UPDATE circular_receipts SET reminded_at = ?"
        " WHERE circular_id = ? AND person_id = ? AND reminded_at IS NULL",
        (ts(now), circular_id, person_id),
    )
    return cursor.rowcount == 1
