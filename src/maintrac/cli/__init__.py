"""The ``maintrac`` console command: migrate, serve, tenants, tokens, and a one-step dev setup."""

from __future__ import annotations

import argparse
import os
import sys
import uuid
import warnings
from pathlib import Path

from maintrac.config import Settings, get_settings


def _cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from maintrac.db.bootstrap import migrate

    migrate(settings.migration_database_url, args.revision)
    print(f"migrated to {args.revision}")
    return 0


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from maintrac.api.http_protocol import CoalescingHttpToolsProtocol
    from maintrac.api.logging_setup import configure_logging

    configure_logging(settings.log_level)
    if args.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several processes behind one port: /metrics must add up all of their samples.
        import tempfile

        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="maintrac-metrics-")
    uvicorn.run(
        "maintrac.api.asgi:app",
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        http=CoalescingHttpToolsProtocol,
    )
    return 0


def _cmd_tenants_create(args: argparse.Namespace, settings: Settings) -> int:
    from maintrac.db.engine import make_engine
    from maintrac.db.transaction import Database
    from maintrac.services.tenants import provision_tenant

    database = Database(make_engine(settings.migration_database_url, pool_size=1))
    try:
        print(provision_tenant(database, args.name, args.time_zone))
    finally:
        database.dispose()
    return 0


def _cmd_token(args: argparse.Namespace, settings: Settings) -> int:
    from maintrac.api.security import DEFAULT_ROLE_PERMISSIONS, mint_token

    secret = settings.effective_jwt_secret()
    if secret is None:
        print(
            "maintrac: error: JWT_SECRET is not set: run `make dev` once (its .data/dev.env "
            "sets ENVIRONMENT=development, which has a built-in development secret), or "
            "export JWT_SECRET=<32 bytes or more>",
            file=sys.stderr,
        )
        return 2
    permissions = args.permission or DEFAULT_ROLE_PERMISSIONS.get(args.role, [])
    print(
        mint_token(
            secret,
            subject=args.subject,
            tenant_id=uuid.UUID(args.tenant),
            role=args.role,
            permissions=permissions,
            ttl_seconds=args.ttl,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        )
    )
    return 0


def _cmd_db_lint(args: argparse.Namespace, settings: Settings) -> int:
    from maintrac.db.conventions import main as lint_main

    return lint_main(["--database-url", args.database_url or settings.migration_database_url])


def _cmd_db_bootstrap(args: argparse.Namespace, settings: Settings) -> int:
    from maintrac.db.bootstrap import ensure_roles_and_database

    ensure_roles_and_database(args.admin_url or settings.admin_database_url, args.database)
    print(f"roles and database {args.database} are ready")
    return 0


def _observed(settings: Settings, *, pool: bool = False) -> None:
    """JSON logs for a background process; with a process pool, the multiprocess metrics
    directory (set before the metrics are first imported, so every child writes there)."""
    from maintrac.api.logging_setup import configure_logging

    configure_logging(settings.log_level)
    if pool and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        import tempfile

        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="maintrac-metrics-")


#: Set in the Celery worker child that ``maintrac worker`` supervises.
_WORKER_CHILD = "MAINTRAC_WORKER_CHILD"


def _cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    """The supervisor (``cli/supervisor.py``) around a Celery worker child, restarted when
    its watchdog stops it; ``--no-supervisor`` (or the child itself) runs Celery here."""
    _observed(settings, pool=True)
    from maintrac.observability import metrics

    child = os.environ.get(_WORKER_CHILD) == "1"
    if settings.worker_metrics_port and not child:
        metrics.serve_http(settings.worker_metrics_port, settings.worker_metrics_host)
    wants_help = any(a in ("-h", "--help") for a in args.celery_args)
    if not child and not args.no_supervisor and not wants_help:
        from maintrac.cli.supervisor import supervise
        from maintrac.jobs.watchdog import STALL_EXIT_CODE

        return supervise(
            [sys.executable, "-m", "maintrac.cli", "worker", *args.celery_args],
            {**os.environ, _WORKER_CHILD: "1"},
            restart_code=STALL_EXIT_CODE,
            on_exit=metrics.mark_process_dead,
        )

    from maintrac.jobs import watchdog
    from maintrac.jobs.app import QUEUES, celery_app

    extra = list(args.celery_args)
    if not any(a in ("-Q", "--queues") or a.startswith(("-Q", "--queues=")) for a in extra):
        extra = ["--queues", ",".join(QUEUES), *extra]
    if not any(a.startswith(("-l", "--loglevel")) for a in extra):
        extra = ["--loglevel", settings.log_level, *extra]
    try:
        celery_app.worker_main(["worker", *extra])
    except SystemExit as exc:
        if not watchdog.stalled():
            raise
        del exc
    return watchdog.STALL_EXIT_CODE if watchdog.stalled() else 0


def _cmd_beat(args: argparse.Namespace, settings: Settings) -> int:
    _observed(settings)
    from maintrac.jobs.app import celery_app
    from maintrac.jobs.schedule import beat_schedule

    celery_app.loader.import_default_modules()
    # The schedule lives in memory: entries are aligned to the clock and idempotent, so a
    # restart (or a second beat) needs no schedule file.
    celery_app.conf.beat_schedule = beat_schedule(settings)
    celery_app.conf.beat_scheduler = "celery.beat:Scheduler"
    extra = list(args.celery_args)
    if not any(a.startswith(("-l", "--loglevel")) for a in extra):
        extra = ["--loglevel", settings.log_level, *extra]
    celery_app.start(["beat", *extra])
    return 0


def _cmd_relay(args: argparse.Namespace, settings: Settings) -> int:
    import signal

    from maintrac.db.engine import make_engine
    from maintrac.db.transaction import Database
    from maintrac.jobs.relay import Relay
    from maintrac.jobs.telemetry import setup_process

    _observed(settings)
    setup_process("relay")
    if settings.relay_metrics_port:
        from maintrac.observability import metrics

        metrics.serve_http(settings.relay_metrics_port, settings.worker_metrics_host)
    database = Database(make_engine(settings.database_url, pool_size=2))
    relay = Relay.from_settings(database, settings)
    try:
        if args.once:
            print(f"published {relay.drain()} outbox messages")
            return 0
        signal.signal(signal.SIGTERM, lambda *_: relay.stop())
        signal.signal(signal.SIGINT, lambda *_: relay.stop())
        relay.run_forever()
    finally:
        database.dispose()
    return 0


def _cmd_dev(args: argparse.Namespace, settings: Settings) -> int:
    from maintrac.cli.demo import run_dev

    return run_dev(settings, data_dir=Path(args.data_dir), port=args.port, serve=not args.no_serve)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="maintrac", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("migrate", help="upgrade the schema (as MIGRATION_DATABASE_URL)")
    p.add_argument("revision", nargs="?", default="head")
    p.set_defaults(func=_cmd_migrate)

    p = sub.add_parser("serve", help="run the API with uvicorn")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int, default=1)
    p.set_defaults(func=_cmd_serve)

    tenants = sub.add_parser("tenants", help="manage tenants").add_subparsers(
        dest="tenants_command", required=True
    )
    p = tenants.add_parser("create", help="create a tenant and print its id")
    p.add_argument("--name", required=True)
    p.add_argument("--time-zone", default="UTC", help="IANA time zone, e.g. Europe/Berlin")
    p.set_defaults(func=_cmd_tenants_create)

    p = sub.add_parser("token", help="mint a development token (HS256, JWT_SECRET)")
    p.add_argument("--tenant", required=True, help="tenant id")
    p.add_argument("--role", required=True, help="admin, planner, technician, viewer, integration")
    p.add_argument(
        "--permission", action="append", help="permission code (repeatable); default: the role's"
    )
    p.add_argument("--subject", default=str(uuid.UUID(int=1)), help="the user id (sub)")
    p.add_argument("--ttl", type=int, default=8 * 3600, help="lifetime in seconds")
    p.set_defaults(func=_cmd_token)

    db = sub.add_parser("db", help="database administration").add_subparsers(
        dest="db_command", required=True
    )
    p = db.add_parser("lint", help="check the migrated schema against CONVENTIONS.md")
    p.add_argument("--database-url")
    p.set_defaults(func=_cmd_db_lint)
    p = db.add_parser("bootstrap", help="create the owner and app roles and the database")
    p.add_argument("--admin-url")
    p.add_argument("--database", default="maintrac")
    p.set_defaults(func=_cmd_db_bootstrap)

    p = sub.add_parser(
        "worker",
        help="run a Celery worker (every queue unless -Q; other celery worker flags pass through)",
        add_help=False,  # --help is celery worker's own
    )
    p.add_argument(
        "--no-supervisor",
        action="store_true",
        help="run Celery in this process (no restart after the watchdog stops a stalled worker)",
    )
    p.set_defaults(func=_cmd_worker, celery_args=[])

    p = sub.add_parser(
        "beat", help="run the periodic schedule (celery beat flags pass through)", add_help=False
    )
    p.set_defaults(func=_cmd_beat, celery_args=[])

    p = sub.add_parser("relay", help="publish committed outbox rows to the broker")
    p.add_argument("--once", action="store_true", help="publish what is pending, then exit")
    p.set_defaults(func=_cmd_relay)

    p = sub.add_parser("dev", help="one step: database, migrations, demo data, token, server")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--data-dir", default=os.environ.get("MAINTRAC_DATA_DIR", ".data"))
    p.add_argument("--no-serve", action="store_true", help="set up and print, do not serve")
    p.set_defaults(func=_cmd_dev)

    from maintrac.cli.backup import add_backup_commands

    add_backup_commands(sub)
    return parser


def load_dev_env(data_dir: Path) -> Path | None:
    """Read ``.data/dev.env`` (written by ``maintrac dev``) into the environment when it
    exists; variables already set win. Returns the file read."""
    path = data_dir / "dev.env"
    if not path.is_file():
        return None
    for line in path.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith("#"):
            os.environ.setdefault(key.strip(), value.strip())
    return path


def _one_line(exc: BaseException) -> str:
    """An error as one line that says what to do about it."""
    from sqlalchemy.exc import OperationalError as SQLAlchemyOperationalError

    from maintrac.core.errors import DomainError
    from maintrac.db.errors import DatabaseUnavailable

    if isinstance(exc, DatabaseUnavailable) and isinstance(
        exc.__cause__, SQLAlchemyOperationalError
    ):
        exc = exc.__cause__  # bounded system transactions wrap what the server said
    first = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [""])[0]
    if isinstance(exc, SQLAlchemyOperationalError):
        return (
            f"cannot use the database: {first}. Run `make dev` once (it writes .data/dev.env, "
            "which every maintrac command reads), or set DATABASE_URL and MIGRATION_DATABASE_URL"
        )
    if type(exc).__module__.startswith(("kombu", "redis")):
        return f"cannot reach Redis: {first}. Start it, or set REDIS_URL"
    if type(exc).__name__ == "ValidationError":  # pydantic: a malformed setting
        return f"invalid setting: {' '.join(str(exc).split())}"
    if isinstance(exc, DomainError | ValueError | RuntimeError):
        return first
    return f"{type(exc).__name__}: {first} (MAINTRAC_DEBUG=1 shows the traceback)"


def main(argv: list[str] | None = None) -> int:
    # connexion imports starlette.testclient (which warns about httpx) at import time;
    # nothing here uses it, and the warning only confuses a first start.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        if args.func not in (_cmd_worker, _cmd_beat):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        args.celery_args = extra
    if args.func is not _cmd_dev:  # dev chooses the settings itself, and rewrites the file
        data_dir = Path(os.environ.get("MAINTRAC_DATA_DIR", ".data"))
        env_file = load_dev_env(data_dir)
        if env_file is not None:
            print(f"maintrac: settings from {env_file} (written by maintrac dev)", file=sys.stderr)
    try:
        return int(args.func(args, get_settings()))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("MAINTRAC_DEBUG"):
            raise
        print(f"maintrac: error: {_one_line(exc)}", file=sys.stderr)
        return 2
