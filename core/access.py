"""Access rules for onboarding: invite lifetime and how many wrong codes we tolerate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    invite_ttl: timedelta = timedelta(days=14)
    attempts_per_user_per_hour: int = 5
    attempts_global_per_hour: int = 100

    def user_locked(self, failures_last_hour: int) -> bool:
        return failures_last_hour >= self.attempts_per_user_per_hour

    def globally_suspicious(self, failures_last_hour: int) -> bool:
        """So many wrong codes from all accounts that the coordinators should know; nobody is
        locked out by it."""
        return failures_last_hour >= self.attempts_global_per_hour
