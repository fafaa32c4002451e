"""``maintrac serve`` with the request metrics and the pool gauges switched off, for
``bench/compare.py --observability`` (the "observability off" case; production has no such
switch: ``/metrics`` is always on).

    .venv/bin/python bench/serve_without_metrics.py serve --port 8001 --workers 1

The two hooks are replaced before the app is imported: ``metrics.observe_request`` (one
counter and one histogram per request, called by the request middleware through the
module) and ``metrics.PoolMetrics.attach`` (the checkout/checkin listeners behind the pool
gauges). One worker only: uvicorn then serves in this process, where the patch applies.
"""

from __future__ import annotations

import sys
from typing import Any

from maintrac.observability import metrics


def _nothing(*_args: Any, **_kwargs: Any) -> None:
    return None


metrics.observe_request = _nothing
metrics.PoolMetrics.attach = _nothing  # type: ignore[method-assign]

from maintrac.cli import main  # noqa: E402  # after the patch, on purpose

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
