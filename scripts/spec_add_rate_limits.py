"""One-off, idempotent edit of openapi/openapi.yaml: rate-limit headers on every response of
every operation, and a 429 response on every operation (README "Rate limits").

Text insertions at positions found by PyYAML's composer, so the hand-written layout and
comments stay as they are. Run again after adding operations: what is there is kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

SPEC = Path(__file__).resolve().parents[1] / "openapi" / "openapi.yaml"
METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}
HEADER_REFS = (("RateLimit-Policy", "RateLimitPolicy"), ("RateLimit", "RateLimit"))


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                found: yaml.Node = v
                return found
    return None


def _header_lines(indent: int) -> list[str]:
    pad = " " * indent
    out = []
    for name, ref in HEADER_REFS:
        out += [f"{pad}{name}:\n", f"{pad}  $ref: '#/components/headers/{ref}'\n"]
    return out


def _response_edits(response: yaml.Node, inserts: list[tuple[int, list[str]]]) -> None:
    if not isinstance(response, yaml.MappingNode) or _get(response, "$ref") is not None:
        return
    headers = _get(response, "headers")
    if headers is None:
        first = response.value[0][0]
        pad = " " * first.start_mark.column
        lines = [f"{pad}headers:\n", *_header_lines(first.start_mark.column + 2)]
        inserts.append((first.start_mark.line, lines))
        return
    if not isinstance(headers, yaml.MappingNode):
        return
    names = {k.value for k, _ in headers.value}
    missing = [(n, r) for n, r in HEADER_REFS if n not in names]
    if not missing:
        return
    first_key = headers.value[0][0]
    column = first_key.start_mark.column
    # Insert before the first header: the end of a mapping is harder to find in text.
    lines = [
        line
        for n, r in missing
        for line in (f"{' ' * column}{n}:\n", f"{' ' * column}  $ref: '#/components/headers/{r}'\n")
    ]
    inserts.append((first_key.start_mark.line, lines))


def _mapping(node: yaml.Node | None, what: str) -> yaml.MappingNode:
    if not isinstance(node, yaml.MappingNode):
        raise SystemExit(f"{SPEC}: {what} is not a mapping")
    return node


def main() -> int:
    text = SPEC.read_text()
    root: yaml.Node | None = yaml.compose(text)
    inserts: list[tuple[int, list[str]]] = []
    paths = _mapping(_get(root, "paths"), "paths")
    for _path, item in paths.value:
        for method, operation in item.value:
            if method.value not in METHODS:
                continue
            responses = _mapping(_get(operation, "responses"), "responses")
            for _code, response in responses.value:
                _response_edits(response, inserts)
            codes = [k.value for k, _ in responses.value]
            if "429" not in codes:
                anchor = next(
                    (k for k, _ in responses.value if k.value in ("500", "503", "default")),
                    None,
                )
                column = responses.value[0][0].start_mark.column
                line = anchor.start_mark.line if anchor is not None else responses.end_mark.line
                pad = " " * column
                ref = "'#/components/responses/TooManyRequests'"
                inserts.append((line, [f"{pad}'429':\n", f"{pad}  $ref: {ref}\n"]))
    components = _mapping(_get(root, "components"), "components")
    component_responses = _mapping(_get(components, "responses"), "components/responses")
    for name, response in component_responses.value:
        if name.value != "Problem":
            _response_edits(response, inserts)
    lines = text.splitlines(keepends=True)
    for line, new in sorted(inserts, key=lambda i: i[0], reverse=True):
        lines[line:line] = new
    SPEC.write_text("".join(lines))
    print(f"{len(inserts)} insertions", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
