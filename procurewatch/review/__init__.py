"""Review of hits: analysts confirm or dismiss them, dismiss rules survive re-screens, and an
audit log records who decided what, when, and against which list versions.
"""

from __future__ import annotations

from procurewatch.review.audit import AuditEvent, audit_events, export_audit
from procurewatch.review.decisions import (
    add_rule,
    confirm,
    deactivate_rule,
    decide,
    dismiss,
    list_rules,
    review_run,
    status_of,
)
from procurewatch.review.model import (
    CONFIRMED,
    DISMISSED,
    PENDING,
    STATUSES,
    Decision,
    DismissRule,
    HitLike,
    HitRef,
    HitStatus,
)

__all__ = [
    "CONFIRMED",
    "DISMISSED",
    "PENDING",
    "STATUSES",
    "AuditEvent",
    "Decision",
    "DismissRule",
    "HitLike",
    "HitRef",
    "HitStatus",
    "add_rule",
    "audit_events",
    "confirm",
    "deactivate_rule",
    "decide",
    "dismiss",
    "export_audit",
    "list_rules",
    "review_run",
    "status_of",
]
