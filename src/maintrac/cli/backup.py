"""``maintrac backup``: pgBackRest configuration, backups, restore, and the restore drill.

The logic lives in ``maintrac.ops`` and is imported only when a backup command runs, so
the other commands start without it. The runbook is docs/operations.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from maintrac.config import Settings

_DEFAULT_CONFIG = os.environ.get("PGBACKREST_CONFIG", "/etc/pgbackrest/pgbackrest.conf")
_DEFAULT_STANZA = os.environ.get("PGBACKREST_STANZA", "maintrac")


def _target(args: argparse.Namespace, **extra: Any) -> Any:
    from maintrac.ops.backup import BackupTarget

    return BackupTarget(
        stanza=args.stanza, config_path=Path(args.config), os_user=args.os_user, **extra
    )


def _cmd_init(args: argparse.Namespace, _settings: Settings) -> int:
    from maintrac.ops import backup

    target = _target(
        args,
        pg_data=Path(args.pg_data),
        pg_port=args.pg_port,
        repo_path=Path(args.repo),
        socket_path=Path(args.socket_path),
        log_path=Path(args.log_path),
        retention_full=args.retention_full,
        archive_timeout=args.archive_timeout,
    )
    for path in backup.write_config(
        target, pg_conf_dir=Path(args.pg_conf_dir) if args.pg_conf_dir else None
    ):
        print(f"wrote {path}")
    if args.create_stanza:
        backup.stanza_create(target)
        print(f"stanza {target.stanza} created and checked (WAL reaches the repository)")
    else:
        print("restart PostgreSQL (archive_mode), then the same command with --create-stanza")
    print("\nschedule (install as /etc/cron.d/maintrac-backup):")
    print(backup.schedule(target))
    return 0


def _cmd_backup(args: argparse.Namespace, _settings: Settings) -> int:
    from maintrac.ops import backup

    backup.backup(_target(args), args.kind)
    print(f"{args.kind} backup of {args.stanza} done")
    return 0


def _cmd_info(args: argparse.Namespace, _settings: Settings) -> int:
    from maintrac.ops import backup

    entry = backup.info(_target(args))
    print(json.dumps(entry, indent=2) if args.json else backup.summarize(entry))
    # pgBackRest's status code: 0 is ok; a missing stanza or no valid backup is not.
    return 0 if entry.get("status", {}).get("code") == 0 else 1


def _cmd_restore(args: argparse.Namespace, _settings: Settings) -> int:
    from maintrac.ops import backup

    when = datetime.fromisoformat(args.target_time) if args.target_time else None
    if when is not None and when.tzinfo is None:
        print("maintrac: error: --target-time needs an offset (e.g. ...Z or +01:00)")
        return 2
    backup.restore(_target(args, pg_data=Path(args.pg_data)), target_time=when, delta=args.delta)
    print("restored: start PostgreSQL; it replays WAL, then promotes (docs/operations.md)")
    return 0


def _cmd_drill(args: argparse.Namespace, _settings: Settings) -> int:
    from maintrac.ops.drill import main_drill

    return main_drill(
        archive_timeout=args.archive_timeout,
        write_seconds=args.write_seconds,
        json_path=Path(args.json) if args.json else None,
        work_dir=Path(args.work_dir) if args.work_dir else None,
        keep=args.keep,
    )


def _guard(func: Any) -> Any:
    """pgBackRest failures are an operator's message and exit status 1, not a traceback."""

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from maintrac.ops.backup import BackupError

        try:
            return int(func(args, settings))
        except BackupError as exc:
            print(f"maintrac backup: {exc}", file=sys.stderr)
            return 1

    return run


def add_backup_commands(sub: Any) -> None:
    """Register ``maintrac backup ...`` on the top-level subparsers."""
    backup = sub.add_parser("backup", help="pgBackRest backups, restore, and the restore drill")
    cmds = backup.add_subparsers(dest="backup_command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", default=_DEFAULT_CONFIG, help="pgbackrest.conf path")
        p.add_argument("--stanza", default=_DEFAULT_STANZA)
        p.add_argument("--os-user", default="postgres", help="the cluster's OS user")

    p = cmds.add_parser("init", help="write pgbackrest.conf and the archiving settings")
    common(p)
    p.add_argument("--pg-data", required=True, help="the cluster's data directory")
    p.add_argument("--pg-port", type=int, default=5432)
    p.add_argument("--repo", default="/var/lib/pgbackrest", help="repository path")
    p.add_argument("--socket-path", default="/var/run/postgresql")
    p.add_argument("--log-path", default="/var/log/pgbackrest")
    p.add_argument(
        "--pg-conf-dir", help="where PostgreSQL reads maintrac-backup.conf (default: --pg-data)"
    )
    p.add_argument("--retention-full", type=int, default=2, help="full backups kept")
    p.add_argument("--archive-timeout", type=int, default=60, help="seconds, at most 60")
    p.add_argument("--create-stanza", action="store_true", help="then stanza-create + check")
    p.set_defaults(func=_guard(_cmd_init))

    for kind in ("full", "incr"):
        p = cmds.add_parser(kind, help=f"take a {kind} backup now")
        common(p)
        p.set_defaults(func=_guard(_cmd_backup), kind=kind)

    p = cmds.add_parser("info", help="backups in the repository, newest age, WAL range")
    common(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_guard(_cmd_info))

    p = cmds.add_parser("restore", help="restore into a stopped cluster (latest or a time)")
    common(p)
    p.add_argument("--pg-data", required=True)
    p.add_argument("--target-time", help="ISO 8601 with offset; default: the latest point")
    p.add_argument("--delta", action="store_true", help="reuse matching files in --pg-data")
    p.set_defaults(func=_guard(_cmd_restore))

    p = cmds.add_parser("drill", help="restore drill on a disposable cluster: RPO and RTO")
    p.add_argument("--archive-timeout", type=int, default=60)
    p.add_argument("--write-seconds", type=float, default=90.0)
    p.add_argument("--json", help="also write the report as JSON to this file")
    p.add_argument("--work-dir", help="parent of the drill's temporary directory")
    p.add_argument("--keep", action="store_true", help="keep the directory (logs) afterwards")
    p.set_defaults(func=_guard(_cmd_drill))
