"""What the service keeps on disk: uploads only as long as useful, no staging of killed runs.

* An upload (``DATA/uploads/JOB``) whose job did not complete (it failed, or the service was
  stopped or killed before it ended) is removed: no run refers to it.
* An upload of a completed job is kept ``keep_days`` days (``serve --keep-uploads DAYS``): a
  re-screen reads the run's inputs again. After that it is removed.
* Staging folders that killed runs left in ``DATA/runs`` are finished or removed
  (:func:`procurewatch.screen.publish.clean_staging`).

:func:`sweep` runs when the service starts and after every job.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Collection
from pathlib import Path

from procurewatch.screen.publish import INNER_PREFIX, clean_staging

log = logging.getLogger("procurewatch.web")
DAY = 86400.0


def _staging_targets(runs: Path) -> set[Path]:
    """Run folders in ``runs`` with (maybe) a staging folder beside or inside them."""
    targets: set[Path] = set()
    for entry in runs.iterdir():
        if entry.name.startswith(".") and ".staging-" in entry.name:
            targets.add(runs / entry.name[1:].split(".staging-", 1)[0])
        elif entry.is_dir() and any(p.name.startswith(INNER_PREFIX) for p in entry.iterdir()):
            targets.add(entry)
    return targets


def _expired(folder: Path, runs: Path, keep_days: float, now: float) -> bool:
    if not (runs / folder.name / "summary.json").is_file():
        return True  # the job never completed: no run reads these files
    return now - folder.stat().st_mtime > keep_days * DAY


def sweep(data_dir: Path, keep_days: float, active: Collection[str] = ()) -> list[Path]:
    """Remove what is no longer needed (see the module docstring); the paths removed or
    tidied. ``active``: ids of jobs queued or running (their files are left alone)."""
    runs, uploads = data_dir / "runs", data_dir / "uploads"
    done: list[Path] = []
    try:
        if runs.is_dir():
            for target in _staging_targets(runs):
                if target.name not in active:
                    done += clean_staging(target)
        if uploads.is_dir():
            now = time.time()
            for folder in uploads.iterdir():
                if folder.name not in active and _expired(folder, runs, keep_days, now):
                    shutil.rmtree(folder, ignore_errors=True)
                    done.append(folder)
    except OSError as exc:  # tidying must never stop the service
        log.warning("cannot tidy %s: %s", data_dir, exc)
    return done
