"""ASGI entry point for uvicorn/gunicorn: ``maintrac.api.asgi:app``."""

from maintrac.api.app import create_app

app = create_app()
