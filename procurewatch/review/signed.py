"""Who makes a review change, why and when: checked once, then carried to the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from procurewatch.errors import UsageError


@dataclass(frozen=True, slots=True)
class Signed:
    """A reviewer's name, their reason and the time (naive UTC, as stored)."""

    who: str
    why: str
    at: datetime


def required(value: str | None, what: str, example: str) -> str:
    """``value`` trimmed, or a UsageError saying how to give it."""
    text = (value or "").strip()
    if not text:
        raise UsageError(f"{what} is required; give it with {example}")
    return text


def sign(reviewer: str, reason: str, now: datetime | None, *, need_reason: bool) -> Signed:
    """Check the reviewer (always required) and the reason (required if ``need_reason``)."""
    who = required(reviewer, "the reviewer", "--reviewer NAME")
    why = required(reason, "a reason", "--reason TEXT") if need_reason else (reason or "").strip()
    at = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    return Signed(who, why, at)
