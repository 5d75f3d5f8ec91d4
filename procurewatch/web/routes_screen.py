"""``POST /screen`` (upload files, start a screening job) and ``GET /jobs/{id}``."""

from __future__ import annotations

import pathlib
import re
import shutil
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, UploadFile

from procurewatch.cli_screen import parse_mapping
from procurewatch.errors import UsageError
from procurewatch.ingest.base import ROLES
from procurewatch.web.jobs import Job, JobQueue, new_job_id
from procurewatch.web.models_common import error_responses
from procurewatch.web.models_runs import JobList, JobOut
from procurewatch.web.security import State, require_read, require_write

router = APIRouter(tags=["screen"])
MAX_FILES = 20
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def jobs_of(state: State) -> JobQueue:
    """The app's job queue."""
    queue: JobQueue = state.jobs
    return queue


Jobs = Annotated[JobQueue, Depends(jobs_of)]


def safe_name(filename: str | None, index: int) -> str:
    """A file name without folders or odd characters (keeps the extension for format detection)."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).lstrip("._")[-120:]
    return f"{index:02d}-{base or 'upload'}"


def _mapping(items: list[str] | None) -> dict[str, str]:
    mapping = parse_mapping([i for i in items or [] if i.strip()])
    unknown = sorted(set(mapping) - set(ROLES))
    if unknown:
        raise UsageError(f"unknown role {unknown[0]!r} in map; use one of: {', '.join(ROLES)}")
    return mapping


def _save(files: list[UploadFile], folder: pathlib.Path) -> tuple[list[pathlib.Path], list[str]]:
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[pathlib.Path] = []
    names: list[str] = []
    for index, upload in enumerate(files, start=1):
        target = folder / safe_name(upload.filename, index)
        with target.open("wb") as out:
            shutil.copyfileobj(upload.file, out, 1024 * 1024)
        if target.stat().st_size == 0:
            raise HTTPException(
                400, f"file {upload.filename or index!s} is empty; choose a file with records"
            )
        paths.append(target)
        names.append(upload.filename or target.name)
    return paths, names


@router.post(
    "/screen",
    status_code=202,
    response_model=JobOut,
    dependencies=[Depends(require_write)],
    responses=error_responses(400, 401, 413, 422),
    summary="Upload files and start screening them",
)
def screen(
    files: Annotated[
        list[UploadFile],
        File(description="Procurement files: CSV/TSV/XLSX/JSON/JSONL/Parquet, USAspending, OCDS."),
    ],
    state: State,
    queue: Jobs,
    map_: Annotated[
        list[str] | None,
        Form(alias="map", description="ROLE=COLUMN, e.g. vendor=Payee Name (repeatable)."),
    ] = None,
    currency: Annotated[
        str | None,
        Form(pattern=r"^[A-Za-z]{3}$", description="Currency of amounts without one (e.g. USD)."),
    ] = None,
    sheet: Annotated[
        str | None,
        Form(
            max_length=100,
            description="Workbook sheet to read: NAME, a number from 1, or all (default: the "
            "sheet whose header names the most columns).",
        ),
    ] = None,
) -> dict[str, Any]:
    """Start screening the uploaded files in the background; poll ``GET /jobs/{job_id}``."""
    if len(files) > MAX_FILES:
        raise HTTPException(400, f"at most {MAX_FILES} files per screening; send fewer")
    mapping = _mapping(map_)
    job_id = new_job_id()
    folder = state.config.data_dir / "uploads" / job_id
    try:
        paths, names = _save(files, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    job = Job(
        job_id,
        paths,
        state.config.data_dir / "runs" / job_id,
        names,
        mapping,
        currency.upper() if currency else None,
        sheet.strip() or None if sheet else None,
    )
    return queue.submit(job).public()


@router.get(
    "/jobs",
    response_model=JobList,
    dependencies=[Depends(require_read)],
    responses=error_responses(401),
    summary="Recent screening jobs",
)
def jobs(queue: Jobs) -> dict[str, Any]:
    """The screening jobs this service remembers, newest first."""
    return {"jobs": [j.public() for j in queue.recent(50)]}


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    dependencies=[Depends(require_read)],
    responses=error_responses(401, 404),
    summary="A screening job's status",
)
def job(job_id: Annotated[str, Path(max_length=100)], queue: Jobs) -> dict[str, Any]:
    """``queued``, ``running``, ``done`` (with ``run_id``) or ``failed`` (with ``error``)."""
    found = queue.get(job_id)
    if found is None:
        raise HTTPException(404, f"no job {job_id!r}; jobs are forgotten when the service restarts")
    return found.public()
