"""Body-less operations take their keyword arguments from ``openapi31._Arguments``, which
keeps the operation's parameter definitions from its first request: on real requests it
must hand the handler exactly what Connexion's own ``prep_kwargs`` would."""

from __future__ import annotations

from typing import Any

import pytest
from connexion.decorators import parameter as connexion_parameters

from maintrac.api import openapi31
from tests.conftest import Tenant


def test_prepared_arguments_equal_connexions(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    prepared = openapi31._Arguments.kwargs

    def checked(self: openapi31._Arguments, request: Any, *args: Any) -> dict[str, Any]:
        ours = prepared(self, request, *args)
        arguments, has_kwargs, sanitize = args
        theirs = connexion_parameters.prep_kwargs(
            request,
            request_body=None,
            files={},
            arguments=arguments,
            has_kwargs=has_kwargs,
            sanitize=sanitize,
        )
        compared.append((str(request.url), ours, theirs))
        return ours

    monkeypatch.setattr(openapi31._Arguments, "kwargs", checked)
    asset = tenant.create("/v1/assets", {"name": "Pump P-7"})
    order = tenant.create_work_order(assetId=asset["id"], priority="high")
    requests: list[tuple[str, dict[str, Any]]] = [
        ("/v1/work-orders", {}),
        ("/v1/work-orders", {"limit": 1}),
        (
            "/v1/work-orders",
            {
                "status": "open,in_progress",
                "priority": "high",
                "assetId": asset["id"],
                "includeSubAssets": "false",
                "dueBefore": "2030-01-01T00:00:00Z",
                "sort": "dueAt",
            },
        ),
        (f"/v1/work-orders/{order['id']}", {}),
        (f"/v1/work-orders/{order['id']}/events", {"limit": 5}),
        ("/v1/assets", {"root": "true"}),
        ("/v1/users", {"active": "true"}),
        ("/v1/users/me", {}),
        ("/v1/task-codes", {"q": "pump"}),
    ]
    for path, params in requests:
        response = tenant.get(path, params=params)
        assert response.status_code == 200, (path, response.text)
    page = tenant.get("/v1/work-orders", params={"limit": 1}).json()
    if page["nextCursor"]:
        tenant.get("/v1/work-orders", params={"limit": 1, "cursor": page["nextCursor"]})

    assert len(compared) >= len(requests)
    for url, ours, theirs in compared:
        assert ours == theirs, url
        assert [type(v) for v in ours.values()] == [type(v) for v in theirs.values()], url
