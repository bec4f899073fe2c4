"""Who signs the consolidated documents, to whom the letter goes, and the council's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Requisites:
    signer_position: str
    signer_name: str
    addressee_position: str = ""
    addressee_name: str = ""
    zone: tzinfo = ZoneInfo("Europe/Kyiv")
