"""Schemathesis hooks for the over-HTTP contract run (``scripts/contract_http.py``).

Loaded by ``st run`` through the ``hooks`` key of ``tests/contract/schemathesis-http.toml``.
They make exactly the narrow adjustments of the in-process run, for the reasons given in
the docstring of ``tests/contract/test_schemathesis.py``; no check is disabled:

- ``before_call``: in positive cases only, the server-issued values no JSON Schema can
  describe are replaced: ``cursor`` by one the same list operation issued for the same query
  (or left out when there is no next page), ``If-Match`` left out (a random one is a 412 by
  contract), and ``Idempotency-Key`` made unique per request (a repeated key with another
  body is a 422 by contract). Negative cases are sent as generated.
- ``filter_failure``: a ``positive_data_acceptance`` failure is dropped only for the 422s
  listed in ``SERVER_ONLY_CODES`` / ``SERVER_ONLY_POINTERS`` below, such as a 422
  ``invalid_reference`` to a positive case (a schema-valid uuid that names no
  resource of the tenant); every other check still runs on that response, and any other
  rejection of a positive case still fails the run.

Identities, as in the in-process run: every request carries a valid token with every
permission, set by ``RunIdentity``, a Schemathesis auth provider (so ``ignored_auth`` knows
the token is explicit, and re-sends requests without it and with an invalid one expecting
401). The examples, coverage and fuzzing phases share the run's tenant (the script made it
and seeded two work orders, so that a list has a next page); each stateful scenario gets a
tenant of its own, so that what the server answers depends only on the scenario: Hypothesis
replays scenarios and needs the same answers again (with one shared tenant a replayed
``POST`` meets its own earlier copy, answers 409 instead of 201, and Schemathesis ends the
stateful phase early as "inconsistent data generation").

One more thing the in-process run does not need: the fuzzer may, rightly, deactivate or
delete the calling user (``PATCH /users/{id}`` with ``active: false``, ``DELETE
/users/{id}``), after which its token is refused (403 ``user-inactive``) and everything
after would test nothing else. When a generated request has done that (seen in
``after_call``, before the checks run on its response), the run continues as a new user of
the same tenant; the request and the state it left are kept as they are. Each switch is
appended to ``MAINTRAC_CONTRACT_IDENTITY_LOG``, which the script reports.

Environment, set by the script: ``MAINTRAC_CONTRACT_BASE_URL`` (``http://127.0.0.1:PORT``),
``MAINTRAC_CONTRACT_JWT_SECRET``, ``MAINTRAC_CONTRACT_TENANT_ID`` (the run's tenant),
``MAINTRAC_CONTRACT_OWNER_URL`` (to provision the scenarios' tenants) and
``MAINTRAC_CONTRACT_IDENTITY_LOG``.
"""

from __future__ import annotations

import inspect
import itertools
import os
import uuid
import weakref
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from schemathesis import Case, Response
from schemathesis.generation.stateful.state_machine import APIStateMachine
from schemathesis.openapi.checks import RejectedPositiveData

from maintrac.api.security import mint_token
from maintrac.core.auth import PERMISSIONS
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services.tenants import provision_tenant

USER_PATH = "/users/{userId}"

_subjects = itertools.count(1)
_keys = itertools.count(1)
#: Every token minted here: an Authorization header holding one of them was set by us.
_issued: set[str] = set()


class _Server:
    """The API and the owner database, opened on first use."""

    def __init__(self) -> None:
        self.http = httpx.Client(base_url=os.environ["MAINTRAC_CONTRACT_BASE_URL"], timeout=30)
        self._owner: Database | None = None

    def new_tenant(self) -> uuid.UUID:
        if self._owner is None:
            self._owner = Database(
                make_engine(os.environ["MAINTRAC_CONTRACT_OWNER_URL"], pool_size=1)
            )
        return provision_tenant(self._owner, "Contract HTTP scenario")


_server_state: _Server | None = None


def _server() -> _Server:
    global _server_state  # noqa: PLW0603 - one per st process, made on first use
    if _server_state is None:
        _server_state = _Server()
    return _server_state


class Identity:
    """A user of one tenant: its current token, its user id, and the cursors it was issued."""

    def __init__(self, tenant_id: uuid.UUID) -> None:
        self.tenant_id = tenant_id
        self.token = ""
        self.user_id: str | None = None
        self.cursors: dict[tuple[str, str], str | None] = {}
        self._new_user()

    def _new_user(self) -> None:
        self.token = mint_token(
            os.environ["MAINTRAC_CONTRACT_JWT_SECRET"],
            subject=f"contract-http-{next(_subjects)}",
            tenant_id=self.tenant_id,
            role="admin",
            permissions=sorted(PERMISSIONS),
            ttl_seconds=3600,
        )
        _issued.add(self.token)
        me = self.get("/v1/users/me")
        me.raise_for_status()
        self.user_id = str(me.json()["id"]).lower()

    def get(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        return _server().http.get(path, params=params, headers=headers)

    def switch_user(self, reason: str) -> None:
        log = os.environ.get("MAINTRAC_CONTRACT_IDENTITY_LOG")
        if log:
            with Path(log).open("a") as out:
                out.write(f"{reason}\n")
        self._new_user()


_run_identity: Identity | None = None
_scenario_identities: weakref.WeakKeyDictionary[APIStateMachine, Identity] = (
    weakref.WeakKeyDictionary()
)


def _scenario() -> APIStateMachine | None:
    """The stateful scenario (state machine) this call happens in, if any."""
    frame = inspect.currentframe()
    while frame is not None:
        for name in ("self", "machine"):
            value = frame.f_locals.get(name)
            if isinstance(value, APIStateMachine):
                return value
        frame = frame.f_back
    return None


def _identity() -> Identity:
    """The scenario's own identity in the stateful phase, else the run's."""
    global _run_identity  # noqa: PLW0603 - one per st process, made on first use
    machine = _scenario()
    if machine is not None:
        if machine not in _scenario_identities:
            _scenario_identities[machine] = Identity(_server().new_tenant())
        return _scenario_identities[machine]
    if _run_identity is None:
        _run_identity = Identity(uuid.UUID(os.environ["MAINTRAC_CONTRACT_TENANT_ID"]))
    return _run_identity


@schemathesis.auth(refresh_interval=None)
class RunIdentity:
    """The current token of the identity the case runs as (see the module docstring)."""

    def get(self, case: Case[Any], ctx: Any) -> str:  # noqa: ARG002
        return _identity().token

    def set(self, case: Case[Any], data: str, ctx: Any) -> None:  # noqa: ARG002
        case.headers["Authorization"] = f"Bearer {data}"


def _is_positive(case: Case[Any]) -> bool:
    return case.meta is not None and case.meta.generation.mode.is_positive


def _issued_cursor(identity: Identity, case: Case[Any]) -> str | None:
    """A cursor that the same list operation issued for the same query, if there is one."""
    query = {k: v for k, v in (case.query or {}).items() if k not in ("cursor", "limit")}
    key = (case.formatted_path, repr(sorted(query.items(), key=lambda kv: kv[0])))
    if key not in identity.cursors:
        page = identity.get("/v1" + case.formatted_path, params={**query, "limit": 1})
        body = page.json() if page.status_code == 200 else {}
        identity.cursors[key] = body.get("nextCursor") if isinstance(body, dict) else None
    return identity.cursors[key]


@schemathesis.hook
def before_call(context: Any, case: Case[Any], **kwargs: Any) -> None:
    identity = _identity()
    for name, value in list((case.headers or {}).items()):
        # A case made before its user was switched carries the old token: send the current
        # one. Any other value (``ignored_auth``'s invalid token) is sent as it is.
        if name.lower() == "authorization" and str(value).removeprefix("Bearer ") in _issued:
            case.headers[name] = f"Bearer {identity.token}"
    if not _is_positive(case):
        return
    if case.query and "cursor" in case.query:
        cursor = _issued_cursor(identity, case)
        if cursor is None:
            del case.query["cursor"]
        else:
            case.query["cursor"] = cursor
    for name in list(case.headers or {}):
        if name.lower() == "if-match":
            del case.headers[name]
        elif name.lower() == "idempotency-key":
            case.headers[name] = f"contract-http-{next(_keys)}"


def _json(response: Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _locked_out(identity: Identity, case: Case[Any], response: Response) -> str | None:
    """Why the identity's user can no longer call the API after this response, if it cannot."""
    body = _json(response)
    if (
        response.status_code == 403
        and isinstance(body, dict)
        and body.get("code") == "user_inactive"
    ):
        sent = str(response.request.headers.get("Authorization", "")).removeprefix("Bearer ")
        return f"{case.operation.label}: 403 user-inactive" if sent == identity.token else None
    if case.operation.path != USER_PATH or not 200 <= response.status_code < 300:
        return None
    if str((case.path_parameters or {}).get("userId", "")).lower() != identity.user_id:
        return None
    if case.method.upper() == "DELETE":
        return f"{case.operation.label}: its own user deleted"
    if case.method.upper() == "PATCH" and isinstance(body, dict) and body.get("active") is False:
        return f"{case.operation.label}: its own user deactivated"
    return None


@schemathesis.hook
def after_call(context: Any, case: Case[Any], response: Response) -> None:
    identity = _identity()
    reason = _locked_out(identity, case, response)
    if reason is not None:
        identity.switch_user(reason)


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Case[Any], response: Response) -> bool:
    if not isinstance(failure, RejectedPositiveData) or response.status_code != 422:
        return True
    if not _is_positive(case):
        return True
    problem = _json(response)
    if not isinstance(problem, dict):
        return True
    if problem.get("code") in SERVER_ONLY_CODES:
        return False
    pointers = {e.get("pointer") for e in problem.get("errors") or [] if isinstance(e, dict)}
    return not (
        problem.get("code") == "validation_failed" and pointers and pointers <= SERVER_ONLY_POINTERS
    )


#: 422 reasons a schema-valid body can meet that no JSON Schema can state, each documented
#: on its operation: an id that names nothing in the tenant; a webhook URL whose host does
#: not resolve to a public address (a DNS check; this machine resolves nothing).
SERVER_ONLY_CODES = frozenset({"invalid_reference", "webhook_target_refused"})
#: ...and field rules that depend on other rows or on the clock: a PM plan's meter must be
#: a meter of the plan's asset; a reading may not be taken more than 5 minutes from now.
SERVER_ONLY_POINTERS = frozenset({"/trigger/meterId", "/takenAt"})
