"""ASGI entry point for uvicorn/gunicorn: ``maintrac.api.asgi:app``.

Importing it builds the whole application up front (Starlette's and Connexion's
middleware stacks are otherwise built by the first request), then sets the process's
garbage collector up for serving (``tune_gc``).

``maintrac serve`` runs it with ``api/http_protocol.py``'s protocol (a response's header
block and first body bytes in one socket write); another runner serves it with its own.
"""

from __future__ import annotations

import gc

from maintrac.api import openapi31
from maintrac.api.app import create_app

#: Allocations between two young-generation collections (CPython's default is 700).
#: A page of 50 work orders allocates thousands of short-lived containers; at 700 the
#: collector ran several times per request and its full collections, walking every
#: object of the process, paused the event loop for tens to hundreds of milliseconds.
GC_THRESHOLDS = (20_000, 50, 100)


def tune_gc() -> None:
    """Move everything built so far (the app, the parsed contract, compiled validators,
    imported modules) out of the collector's sight with ``gc.freeze()``: it lives as long
    as the process, and a full collection no longer walks it. Then collect less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


app = create_app()
app.middleware_stack = app.build_middleware_stack()
openapi31.build_middleware_stack(app.state.contract_api)
tune_gc()
