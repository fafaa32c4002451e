"""The generated pgBackRest and PostgreSQL configuration, the schedule, and the drill's
check that restored data is exactly a prefix of the acknowledged writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from maintrac.ops.backup import (
    BackupTarget,
    postgresql_settings,
    schedule,
    systemd_units,
    write_config,
)
from maintrac.ops.drill import DrillReport, PassResult, Write, format_report, match_prefix


def _target(tmp_path: Path, **overrides: object) -> BackupTarget:
    values: dict[str, object] = {
        "stanza": "main",
        "pg_data": tmp_path / "pg",
        "pg_port": 5433,
        "repo_path": tmp_path / "repo",
        "config_path": tmp_path / "etc" / "pgbackrest.conf",
        "log_path": tmp_path / "log",
        "os_user": "postgres" if os.geteuid() == 0 else "nobody",
    }
    values.update(overrides)
    return BackupTarget(**values)  # type: ignore[arg-type]


def test_archiving_settings_call_archive_push_for_the_stanza(tmp_path: Path) -> None:
    target = _target(tmp_path)
    settings = postgresql_settings(target)
    assert settings["archive_mode"] == "on"
    assert settings["wal_level"] == "replica"
    assert settings["archive_timeout"] == "60s"
    assert settings["archive_command"] == (
        f"pgbackrest --config={target.config_path} --stanza=main archive-push %p"
    )


@pytest.mark.parametrize("seconds", [0, 61, 300])
def test_archive_timeout_is_bounded_by_a_minute(tmp_path: Path, seconds: int) -> None:
    with pytest.raises(ValueError, match="archive_timeout"):
        _target(tmp_path, archive_timeout=seconds)


def test_unsafe_stanza_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="stanza"):
        _target(tmp_path, stanza="main; rm -rf /")


def test_schedule_is_a_weekly_full_and_daily_incrementals(tmp_path: Path) -> None:
    cron = schedule(_target(tmp_path)).splitlines()
    jobs = [line for line in cron if line and not line.startswith(("#", "SHELL"))]
    assert len(jobs) == 2
    full, incr = jobs
    assert full.startswith("30 1 * * 0 ")
    assert full.endswith("--type=full backup")
    assert incr.startswith("30 1 * * 1-6 ")
    assert incr.endswith("--type=incr backup")
    units = systemd_units(_target(tmp_path))
    assert "OnCalendar=Sun *-*-* 01:30" in units["maintrac-backup-full.timer"]
    assert "OnCalendar=Mon..Sat *-*-* 01:30" in units["maintrac-backup-incr.timer"]


def test_write_config_includes_the_settings_once(tmp_path: Path) -> None:
    target = _target(tmp_path)
    target.pg_data.mkdir()
    (target.pg_data / "postgresql.conf").write_text("port = 5433\n")
    write_config(target)
    write_config(target)  # idempotent: one include line
    conf = target.config_path.read_text()
    assert "[main]" in conf
    assert f"pg1-path={target.pg_data}" in conf
    assert "repo1-retention-full=2" in conf
    assert "repo1-retention-full-type=count" in conf
    main_conf = (target.pg_data / "postgresql.conf").read_text()
    assert main_conf.count("include_if_exists = 'maintrac-backup.conf'") == 1
    snippet = (target.pg_data / "maintrac-backup.conf").read_text()
    assert "archive_mode = 'on'" in snippet
    assert "archive_timeout = '60s'" in snippet


def test_cli_init_writes_the_files_and_prints_the_schedule(tmp_path: Path) -> None:
    (tmp_path / "pg").mkdir()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "maintrac.cli",
            "backup",
            "init",
            "--config",
            str(tmp_path / "pgbackrest.conf"),
            "--stanza",
            "main",
            "--os-user",
            "postgres" if os.geteuid() == 0 else "nobody",
            "--pg-data",
            str(tmp_path / "pg"),
            "--repo",
            str(tmp_path / "repo"),
            "--log-path",
            str(tmp_path / "log"),
            "--archive-timeout",
            "30",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "--type=full backup" in done.stdout
    assert "archive_timeout = '30s'" in (tmp_path / "pg" / "maintrac-backup.conf").read_text()
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "maintrac.cli",
            "backup",
            "init",
            "--pg-data",
            str(tmp_path),
            "--config",
            str(tmp_path / "x.conf"),
            "--archive-timeout",
            "120",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 2
    assert "archive_timeout" in refused.stderr


def _writes(*steps: tuple[str, str]) -> list[Write]:
    return [
        Write(n, "update", work_order_id, title, sent=float(n), acked=float(n) + 0.5)
        for n, (work_order_id, title) in enumerate(steps, start=1)
    ]


SEED = {"a": "seed a", "b": "seed b"}
WRITES = _writes(("a", "w1"), ("c", "w2"), ("b", "w3"), ("a", "w4"))


def test_prefix_found_for_each_consistent_state() -> None:
    assert match_prefix(SEED, WRITES, dict(SEED)).applied == 0
    assert match_prefix(SEED, WRITES, {"a": "w1", "b": "seed b"}).applied == 1
    assert match_prefix(SEED, WRITES, {"a": "w1", "b": "w3", "c": "w2"}).applied == 3
    assert match_prefix(SEED, WRITES, {"a": "w4", "b": "w3", "c": "w2"}).applied == 4


def test_a_hole_an_extra_row_or_a_lost_seed_row_is_no_prefix() -> None:
    hole = match_prefix(SEED, WRITES, {"a": "w1", "b": "w3"})  # w2 missing, w3 applied
    assert hole.applied is None
    assert hole.mismatched_ids
    assert match_prefix(SEED, WRITES, {**SEED, "x": "from nowhere"}).applied is None
    assert match_prefix(SEED, WRITES, {"a": "seed a"}).applied is None


def test_a_pass_with_a_problem_fails_the_drill_and_says_why() -> None:
    good = PassResult("latest", "latest", 1.0, 5.0, 10, 8, 2, 3.0, 2.5, writable_after=True)
    passed = DrillReport(60, 90.0, 30, 11, 10, "2026-12-01T00:00:00Z", 4.0, passes=[good])
    assert passed.ok
    assert "drill: PASSED" in format_report(passed)
    bad = PassResult(
        "point in time",
        "2026-12-01T00:00:00Z",
        1.0,
        5.0,
        10,
        6,
        None,
        None,
        None,
        expected_recovered=5,
        problems=["expected exactly the 5 writes"],
    )
    report = DrillReport(60, 90.0, 30, 11, 10, "2026-12-01T00:00:00Z", 4.0, passes=[good, bad])
    assert not report.ok
    text = format_report(report)
    assert "6/5" in text
    assert "FAIL: expected exactly the 5 writes" in text
    assert text.endswith("drill: FAILED")
