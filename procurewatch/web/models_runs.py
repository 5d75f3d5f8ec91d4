"""Models of screening jobs, runs, hits and review decisions."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from procurewatch.web.models_common import DesignationOut

JobStatus = Literal["queued", "running", "done", "failed"]
ReviewStatus = Literal["pending", "confirmed", "dismissed"]
HitSort = Literal[
    "row", "-row", "score", "-score", "entity", "-entity", "rule", "-rule",
    "status", "-status", "date", "-date",
]  # fmt: skip


class JobOut(BaseModel):
    """A screening job; ``run_id`` is set once it is done, ``error`` once it failed."""

    job_id: str = Field(examples=["job-3f2a9c0d1b2e4f56"])
    status: JobStatus
    run_id: str | None = None
    error: str | None = None
    warning: str | None = None
    files: list[str] = Field(default_factory=list)
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None
    summary: dict[str, int] | None = None


class JobList(BaseModel):
    """The jobs this service remembers, newest first."""

    jobs: list[JobOut]


class RunOut(BaseModel):
    """One recorded screening run."""

    run_id: str
    started_at: str
    finished_at: str
    engine: str
    inputs: list[str] = Field(default_factory=list)
    """The input files screened (as given)."""
    records: int
    flagged_records: int
    rejected_rows: int
    hits: int


class RunList(BaseModel):
    """Every run in the store, newest first."""

    runs: list[RunOut]


class RunDetail(BaseModel):
    """A run's ``summary.json`` and the output files that can be downloaded."""

    run_id: str
    summary: dict[str, Any]
    files: list[str]


class DecisionOut(BaseModel):
    """An analyst's decision on a hit id."""

    decision_id: int
    hit_id: str
    run_id: str
    decision: ReviewStatus
    reason: str
    reviewer: str
    decided_at: str
    list_versions: list[str]


class RuleOut(BaseModel):
    """A dismiss rule: ``matched_text`` never means ``entity_id`` (for ``vendor``)."""

    rule_id: int
    entity_id: str
    matched_text: str
    matched_text_raw: str
    vendor: str | None
    vendor_raw: str | None
    field: str | None
    reason: str
    reviewer: str
    created_at: str
    active: bool
    hit_id: str | None
    run_id: str | None
    description: str


class ReviewOut(BaseModel):
    """A hit's review status and what it rests on."""

    hit_id: str
    status: ReviewStatus
    label: str
    reviewer: str
    reason: str
    decision: DecisionOut | None = None
    rule_id: int | None = None


class HitOut(BaseModel):
    """A hit with its evidence and its review status."""

    hit_id: str
    source_file: str | None
    row: int | None
    field: str | None
    matched_text: str | None
    rule: str | None
    entity_id: str | None
    entity_name: str | None
    score: float | None
    lists: list[str]
    in_force: bool | None
    record_date: str | None
    vendor: str | None
    buyer: str | None
    amount: str | None
    currency: str | None
    description: str | None
    via: str | None
    lead: bool | None
    explanation: str | None
    span: list[int] | None = None
    designations: list[DesignationOut] = Field(default_factory=list)
    review: ReviewOut
    date: str | None = None
    """The record's date as ISO ``YYYY-MM-DD`` (``record_date``: as written)."""
    amount_value: float | None = None
    """The amount with its units applied, in ``currency``."""
    amount_usd: float | None = None
    """The amount in US dollars at the record month's rate."""
    field_text: str | None = None
    """The text of the field the hit was found in (``description``: the record's first text)."""


class HitPage(BaseModel):
    """One page of a run's hits after filtering and sorting."""

    run_id: str
    total: int
    limit: int
    offset: int
    counts: dict[str, int]
    """Hits per review status, over the whole run."""
    hits: list[HitOut]


DecisionWord = Literal["confirm", "dismiss", "confirmed", "dismissed"]
"""The CLI's verbs (``procurewatch review confirm|dismiss``); the old ``confirmed`` and
``dismissed`` are still accepted as aliases."""


class DecisionIn(BaseModel):
    """Confirm or dismiss a hit (``rule``: also dismiss this text for this vendor from now on)."""

    run_id: str = Field(max_length=200, examples=["run-20250101-120000-abcdef"])
    decision: DecisionWord = Field(
        description="confirm or dismiss, as on the command line (confirmed/dismissed also work).",
        examples=["confirm"],
    )
    reason: str = Field("", max_length=2000)
    reviewer: str = Field(max_length=200)
    rule: bool = False
    any_vendor: bool = False


class DecisionResult(BaseModel):
    """The decision made, the rule made (if any), and the hit's status now."""

    decision: DecisionOut
    rule: RuleOut | None = None
    review: ReviewOut
