"""Put a run's output files into its ``--out`` folder all at once, never half of them.

The files are first written to a hidden staging folder, then published:

* a new (or empty) ``--out`` folder: the staging folder, a sibling named
  ``.<out>.staging-<pid>-<token>``, is renamed to ``--out`` in one atomic step;
* a folder that already holds other files (the demo's store, a report ...): the staging folder
  is ``<out>/.procurewatch-staging-<pid>-<token>``; ``summary.json`` is removed first and put
  back last, so a reader never takes an older ``summary.json`` for the new files.

A process killed while writing leaves only a hidden staging folder. The next run into the same
``--out`` (once the process that made it is gone) removes it, unless it was being moved into the
folder: then the move is finished, so the folder holds one whole run again. A
folder holding the outputs of an earlier run is not overwritten unless the caller says so
(:func:`check_out_dir`).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from procurewatch.errors import InputError, UsageError

if TYPE_CHECKING:
    from procurewatch.screen.run import RunResult

OUTPUT_FILES = ("hits.csv", "hits.jsonl", "rejects.csv", "set_aside.csv", "summary.json")
"""What a run writes, in the order it is published (``summary.json`` last: it marks completion)."""
RUN_MARKERS = (*OUTPUT_FILES, "hits.parquet")
"""Files that show a folder holds a run's outputs (``hits.parquet``: the Spark engine's)."""
INNER_PREFIX = ".procurewatch-staging-"
DERIVED_FILES = ("report.html",)
"""Files made from a run's outputs: removed when another run's outputs replace them."""


def previous_outputs(out: Path) -> list[str]:
    """The names of earlier run outputs present in ``out`` (empty if none or no folder)."""
    if not out.is_dir():
        return []
    return [name for name in RUN_MARKERS if (out / name).exists()]


def check_out_dir(out: Path, force: bool) -> None:
    """Refuse an ``--out`` that is a file, or that holds an earlier run's outputs unless ``force``.

    What killed runs left in ``out`` is cleaned up first (:func:`clean_staging`).
    """
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder for the outputs")
    try:
        clean_staging(out)
    except OSError as err:
        raise InputError(
            f"cannot tidy the output folder ({err.strerror or err})", path=str(out)
        ) from None
    found = previous_outputs(out)
    if found and not force:
        run = _run_id(out / "summary.json")
        what = f"the outputs of run {run}" if run else "outputs of an earlier run"
        raise UsageError(
            f"{out} already holds {what} ({', '.join(found)}); give another --out folder, "
            "or add --force to replace them"
        )


def folder_run_id(out: Path) -> str | None:
    """The run whose outputs ``out`` holds (its ``summary.json``), if any."""
    return _run_id(out / "summary.json")


def _run_id(summary: Path) -> str | None:
    try:
        value = json.loads(summary.read_text(encoding="utf-8")).get("run_id")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _outer_prefix(out: Path) -> str:
    return f".{out.name}.staging-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def _stale(entry: Path, prefix: str) -> bool:
    """Whether ``entry`` is a staging folder of a process that is gone."""
    pid = entry.name[len(prefix) :].split("-", 1)[0]
    return entry.is_dir() and pid.isdigit() and not _alive(int(pid))


def clean_staging(out: Path) -> list[Path]:
    """Tidy what killed runs left beside or inside ``out``; returns the staging folders handled.

    A staging folder inside ``out`` holding a complete set (``summary.json`` is written last)
    while ``out`` has no ``summary.json`` (the move takes it out first) was being moved in: the
    move is finished. Any other staging folder is removed.
    """
    out = out.resolve()
    places = [(out.parent, _outer_prefix(out)), (out, INNER_PREFIX)]
    handled: list[Path] = []
    for folder, prefix in places:
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if not (entry.name.startswith(prefix) and _stale(entry, prefix)):
                continue
            moving = not (out / "summary.json").exists()
            if folder == out and moving and (entry / "summary.json").is_file():
                _move_files(entry, out)
            else:
                shutil.rmtree(entry, ignore_errors=True)
            handled.append(entry)
    return handled


def _staging_name(prefix: str) -> str:
    return f"{prefix}{os.getpid()}-{secrets.token_hex(4)}"


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _empty_dir(out: Path) -> bool:
    return out.is_dir() and next(out.iterdir(), None) is None


def publish_outputs(out: Path, result: RunResult) -> None:
    """Write ``result``'s output files into ``out`` as a whole (see the module docstring)."""
    from procurewatch.screen.run import write_outputs  # the screen's modules: not for a check

    try:
        staging = staging_folder(out)
        write_outputs(staging, result)
    except OSError as err:
        raise _unwritable(out, err) from None
    publish_staged(staging, out)


def staging_folder(out: Path) -> Path:
    """A new hidden folder to write a run's outputs in before :func:`publish_staged` puts them
    into ``out`` (beside ``out`` when it is new or empty, else inside it)."""
    target = out.resolve()
    clean_staging(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or _empty_dir(target):
        return target.parent / _staging_name(_outer_prefix(target))
    return target / _staging_name(INNER_PREFIX)


def publish_staged(staging: Path, out: Path) -> None:
    """Put the outputs written in ``staging`` (:func:`staging_folder`) into ``out`` at once."""
    target = out.resolve()
    try:
        if staging.parent == target.parent:
            _fsync_dir(staging)
            try:
                os.rename(staging, target)  # replaces an empty folder too
            except OSError:  # something appeared in ``out`` meanwhile: publish file by file
                _move_files(staging, target)
            _fsync_dir(target.parent)
            return
        _move_files(staging, target)
    except OSError as err:
        raise _unwritable(out, err) from None


def _unwritable(out: Path, err: OSError) -> InputError:
    return InputError(
        f"cannot write the outputs ({err.strerror or err}); check that the folder is "
        "writable and the disk has room",
        path=str(out),
    )


def _move_files(staging: Path, target: Path) -> None:
    """Move the staged files into ``target``: old ``summary.json`` out first, new one in last
    (files a killed run moved already are skipped)."""
    target.mkdir(parents=True, exist_ok=True)
    (target / "summary.json").unlink(missing_ok=True)
    for name in DERIVED_FILES:  # an earlier run's report must not pass for this run's
        (target / name).unlink(missing_ok=True)
    _fsync_dir(target)
    if (staging / "hits.parquet").exists():  # the Spark engine's (a folder)
        shutil.rmtree(target / "hits.parquet", ignore_errors=True)
        os.replace(staging / "hits.parquet", target / "hits.parquet")
    for name in OUTPUT_FILES:
        if (staging / name).exists():
            os.replace(staging / name, target / name)
    _fsync_dir(target)
    shutil.rmtree(staging, ignore_errors=True)
