# temporary: Schemathesis over the report operations only (not committed)
from typing import Any

import pytest
import schemathesis
from schemathesis import Case
from schemathesis.schemas import BaseSchema
from starlette.applications import Starlette

from tests.contract.test_schemathesis import (  # noqa: F401
    ServerIssued,
    _schemathesis_pytest_92_shim,
    auth_headers,
    call_and_validate,
    schemathesis_config,
    server_issued,
)


@pytest.fixture(scope="module")
def reports_schema(app: Starlette) -> BaseSchema:
    return schemathesis.openapi.from_asgi("/v1/openapi.json", app, config=schemathesis_config()).include(path_regex="reports")


schema = schemathesis.pytest.from_fixture("reports_schema")


@schema.parametrize()
def test_reports_conform(case: Case[Any], auth_headers: dict[str, str], server_issued: ServerIssued) -> None:
    server_issued.apply(case)
    call_and_validate(case, auth_headers)
