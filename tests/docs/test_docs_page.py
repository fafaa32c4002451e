"""The served docs page, as a person uses it: ``/v1/docs/`` in headless Chromium.

Against the real app (uvicorn and PostgreSQL, the ``live_url`` fixture), as a fresh tenant:

- the page renders the whole contract: every operation of the served ``/v1/openapi.json``
  is listed (method and path, compared with the spec, never with a fixed number);
- *Authorize* with the tenant's token (the dialog, as a person fills it in), then on
  ``GET /work-orders`` *Try it out* and *Execute*, leaving the form as the page fills it: the
  page shows the live response, 200 and a page of work orders (``"data"``), and the request
  it sent carries the token;
- a screenshot of that response is saved to ``tests/artifacts/docs-page.png`` (git-ignored;
  also when the page fails to render, to show why);
- every ``/problems/{slug}`` page named in the spec's table of problem types answers 200
  with the title, status and code the table gives.

Chromium is Debian's ``chromium`` package (``scripts/ci/install-chromium.sh``, run by
``.ci/run``), driven over the DevTools protocol (``tests/docs/chromium.py``). Without it the
browser test is skipped, with the reason, on a developer's machine, and fails in CI (``CI``
set), where it must not pass by not running.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from maintrac.api.contract import Contract
from tests.conftest import ROOT, Tenant
from tests.docs.chromium import Chromium, find_chromium

SCREENSHOT = ROOT / "tests" / "artifacts" / "docs-page.png"
#: A row of the problem table in the spec's description: type URI, status, code, title.
PROBLEM_ROW = re.compile(
    r"^\s*\|\s*`/problems/(?P<slug>[a-z0-9-]+)`\s*\|\s*(?P<status>\d{3})\s*\|"
    r"\s*`(?P<code>[a-z_]+)`\s*\|\s*(?P<title>[^|]+?)\s*\|\s*$",
    re.MULTILINE,
)
#: What Swagger UI lists: one ``.opblock`` per operation, with its method and path.
SHOWN_OPERATIONS = """
  Array.from(document.querySelectorAll("#swagger-ui .opblock")).map(block => [
    block.querySelector(".opblock-summary-method")?.textContent ?? "",
    block.querySelector(".opblock-summary-path")?.dataset.path ?? "",
  ])
"""


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        reason = (
            "Chromium is not installed (Debian: apt-get install chromium, or run "
            "scripts/ci/install-chromium.sh as root)"
        )
        if _in_ci():
            pytest.fail(f"{reason}; CI must run the docs page test")
        pytest.skip(reason)
    return path


@pytest.fixture
def browser(chromium_path: str) -> Iterator[Chromium]:
    with Chromium(chromium_path) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def served_spec(http: httpx.Client) -> dict[str, Any]:
    response = http.get("/v1/openapi.json")
    assert response.status_code == 200
    spec: dict[str, Any] = response.json()
    return spec


def spec_operations(spec: dict[str, Any]) -> set[tuple[str, str]]:
    """Every (METHOD, path) of the spec, as Swagger UI labels them."""
    return {(op.method, op.path) for op in Contract.from_spec(spec)}


def operation_block(browser: Chromium, method: str, path: str) -> str:
    """A CSS selector for the operation's block on the page (by the id Swagger UI gives it)."""
    block_id = browser.js(
        f"""Array.from(document.querySelectorAll("#swagger-ui .opblock")).find(block =>
              block.querySelector(".opblock-summary-method")?.textContent === {json.dumps(method)}
              && block.querySelector(".opblock-summary-path")?.dataset.path === {json.dumps(path)}
            )?.id ?? null"""
    )
    assert block_id, f"{method} {path} is not on the page"
    return f"#{block_id}"


@pytest.mark.slow
def test_docs_page_lists_every_operation_and_tries_one(
    browser: Chromium,
    live_url: str,
    served_spec: dict[str, Any],
    make_tenant: Callable[..., Tenant],
) -> None:
    tenant = make_tenant("Docs Page Plant")
    tenant.create_work_order(title="Check the docs page")
    expected = spec_operations(served_spec)

    browser.goto(f"{live_url}/v1/docs/")
    rendered = browser.wait_for(
        f"""(() => {{
          if (document.querySelector("#swagger-ui .version-pragma, #swagger-ui .errors-wrapper"))
            return "error";
          const shown = document.querySelectorAll("#swagger-ui .opblock").length;
          return shown >= {len(expected)} ? "ok" : null;
        }})()""",
        what=f"{len(expected)} operations (or an error) on the page",
    )
    if rendered != "ok":
        browser.screenshot(SCREENSHOT)
        text = browser.js("document.querySelector('#swagger-ui')?.innerText.slice(0, 800)")
        pytest.fail(f"the docs page did not render the spec; it shows:\n{text}")

    everything = [(method.upper(), path) for method, path in browser.js(SHOWN_OPERATIONS)]
    # Swagger UI lists the contract's top-level `webhooks` (OpenAPI 3.1) as operations too,
    # under their names; they are checked apart from the paths.
    shown = [(method, path) for method, path in everything if path.startswith("/")]
    webhooks = {
        (method.upper(), name)
        for name, item in (served_spec.get("webhooks") or {}).items()
        for method in item
    }
    assert {op for op in everything if not op[1].startswith("/")} == webhooks
    assert len(shown) == len(expected)
    assert set(shown) == expected, {
        "missing": sorted(expected - set(shown)),
        "not in the spec": sorted(set(shown) - expected),
    }

    # Authorize, as a person does: the dialog, the token, Authorize, Close.
    token = tenant.token()
    browser.click("#swagger-ui .auth-wrapper .authorize")
    browser.wait_for_selector(".modal-ux .auth-container input")
    browser.type_into(".modal-ux .auth-container input", token)
    browser.click(".modal-ux .auth-container .auth-btn-wrapper .authorize")
    browser.wait_for_selector(".modal-ux .auth-container .btn-done")
    browser.click(".modal-ux .btn-done")
    browser.wait_for("!document.querySelector('.modal-ux')", what="the dialog to close")

    # GET /work-orders: expand it, Try it out, Execute (the form as the page fills it).
    block = operation_block(browser, "GET", "/work-orders")
    browser.click(f"{block} .opblock-summary-control")
    browser.wait_for_selector(f"{block} .try-out__btn")
    browser.click(f"{block} .try-out__btn")
    browser.wait_for_selector(f"{block} .execute")
    browser.click(f"{block} .execute")
    response = f"{block} .live-responses-table tbody .response"
    status = browser.wait_for(
        f"document.querySelector({json.dumps(response)})"
        "?.querySelector('.response-col_status')?.innerText.trim()",
        what="the live response",
    )
    body = browser.js(
        f"document.querySelector({json.dumps(response)})"
        "?.querySelector('.response-col_description pre')?.innerText ?? ''"
    )
    curl = browser.js(f"document.querySelector('{block} .curl-command')?.innerText ?? ''")
    browser.js(f"document.querySelector({json.dumps(response)}).scrollIntoView()")
    browser.js("window.scrollBy(0, -260)")  # the request URL and the status above the body
    browser.screenshot(SCREENSHOT)

    assert f"Authorization: Bearer {token}" in curl, curl
    assert status == "200", f"Try it out answered {status}: {body}\nrequest: {curl}"
    assert '"data"' in body, body
    page = json.loads(body)
    assert isinstance(page["data"], list)
    assert isinstance(page["hasMore"], bool)


def test_problem_pages_named_in_the_spec(http: httpx.Client, served_spec: dict[str, Any]) -> None:
    rows = list(PROBLEM_ROW.finditer(served_spec["info"]["description"]))
    assert len(rows) >= 10, "no problem table in the spec's description"
    for row in rows:
        response = http.get(f"/problems/{row['slug']}")
        assert response.status_code == 200, row["slug"]
        assert response.headers["content-type"].startswith("text/html"), row["slug"]
        title = re.search(r"<title>(.*?)</title>", response.text)
        assert title is not None, row["slug"]
        assert html.unescape(title.group(1)) == row["title"], row["slug"]
        assert f"<b>{row['status']}</b>" in response.text, row["slug"]
        assert f"<code>{row['code']}</code>" in response.text, row["slug"]
