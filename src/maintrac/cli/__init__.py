"""The ``maintrac`` console command: migrate, serve, tenants, tokens, and a one-step dev setup."""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from pathlib import Path

from maintrac.config import Settings, get_settings


def _cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from maintrac.db.bootstrap import migrate

    migrate(settings.migration_database_url, args.revision)
    print(f"migrated to {args.revision}")
    return 0


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

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
        print("JWT_SECRET is not set: development tokens need it.", file=sys.stderr)
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

    p = sub.add_parser("dev", help="one step: database, migrations, demo data, token, server")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--data-dir", default=os.environ.get("MAINTRAC_DATA_DIR", ".data"))
    p.add_argument("--no-serve", action="store_true", help="set up and print, do not serve")
    p.set_defaults(func=_cmd_dev)

    from maintrac.cli.backup import add_backup_commands

    add_backup_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args, get_settings()))
    except ValueError as exc:
        print(f"maintrac: error: {exc}", file=sys.stderr)
        return 2
