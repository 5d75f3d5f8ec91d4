"""Uploads and staging folders do not pile up: uploads of failed jobs go at once, those of
completed jobs after ``keep_uploads_days``, and what a killed service left goes at start."""

from __future__ import annotations

from pathlib import Path

from web_helpers import Api, make_app


def _uploads(tmp_path: Path) -> list[str]:
    folder = tmp_path / "data" / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_a_failed_jobs_upload_is_removed_a_completed_ones_kept(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    api = Api(app)
    try:
        bad = tmp_path / "garbage.csv"
        bad.write_bytes(b"\x00\x01\x02" * 1000)
        failed = api.wait(api.screen(bad)["job_id"])
        assert failed["status"] == "failed"
        done = api.wait(api.screen(Path(__file__).parents[2] / "examples" / "demo" /
                                   "city_checkbook_payments.csv")["job_id"])  # fmt: skip
        assert done["status"] == "done"
        assert _uploads(tmp_path) == [done["job_id"]]
    finally:
        api.close()
        app.state.service.jobs.close()


def test_uploads_past_their_days_and_leftovers_of_a_killed_service_go(tmp_path: Path) -> None:
    app = make_app(tmp_path, keep_uploads_days=0)
    api = Api(app)
    try:
        run_id = api.screened()
        assert run_id and _uploads(tmp_path) == []  # kept for 0 days
    finally:
        api.close()
        app.state.service.jobs.close()
    data = tmp_path / "data"
    (data / "uploads" / "job-killed").mkdir(parents=True)
    (data / "uploads" / "job-killed" / "01-big.csv").write_bytes(b"x" * 4096)
    staging = data / "runs" / ".job-killed.staging-999999999-abcd"  # no such process
    staging.mkdir(parents=True)
    (staging / "hits.csv").write_text("hit_id\n", encoding="utf-8")
    again = make_app(tmp_path)
    try:
        assert _uploads(tmp_path) == [] and not staging.exists()
    finally:
        again.state.service.jobs.close()
