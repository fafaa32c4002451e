"""Contract lint gate: Spectral with the repository's ``.spectral.yaml`` on the OpenAPI spec.

    python scripts/contract_lint.py [--spec openapi/openapi.yaml] [--verbose]

The ruleset is ``spectral:oas`` (every rule, the ones off by default included) plus the
project's ``maintrac-*`` rules. Any result, of any severity, fails the gate unless
``tools/contract/lint-exceptions.yaml`` lists it: each exception names a rule, the place it
may fire (``at``: JSON path segments from the document root; ``*`` matches within one
segment, ``**`` any number of segments; it covers everything below that place) and a
``reason``. An exception without a reason is itself an error; one that no longer matches
anything is reported so that it can be removed.

Spectral is installed by ``npm ci`` in ``tools/contract`` (``make contract-tools``, or
``scripts/ci/install-node-tools.sh`` in CI).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT / "openapi" / "openapi.yaml"
RULESET = ROOT / ".spectral.yaml"
EXCEPTIONS = ROOT / "tools" / "contract" / "lint-exceptions.yaml"
TOOLS = ROOT / "tools" / "contract"
SPECTRAL = TOOLS / "node_modules" / ".bin" / "spectral"
SEVERITIES = {0: "error", 1: "warning", 2: "info", 3: "hint"}


class LintSetupError(Exception):
    """Spectral is missing or could not run, or the exceptions file is malformed."""


@dataclass(frozen=True)
class Result:
    rule: str
    path: tuple[str, ...]
    message: str
    severity: str
    line: int
    column: int

    def render(self, source: str) -> str:
        where = ".".join(self.path) or "(document)"
        return (
            f"{source}:{self.line}:{self.column} {self.severity} {self.rule}: "
            f"{self.message}\n    at {where}"
        )


@dataclass(frozen=True)
class Exemption:
    rule: str
    at: tuple[str, ...]
    reason: str

    def matches(self, result: Result) -> bool:
        return self.rule == result.rule and _prefix_match(self.at, result.path)


@dataclass
class Report:
    rules: int
    project_rules: int
    spectral_version: str
    problems: list[Result]
    excepted: list[Result]
    stale: list[Exemption]


def _prefix_match(pattern: Sequence[str], path: Sequence[str]) -> bool:
    """Whether ``pattern`` matches a prefix of ``path`` (``**`` spans any segments)."""
    if not pattern:
        return True
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_prefix_match(rest, path[i:]) for i in range(len(path) + 1))
    return bool(path) and fnmatch.fnmatchcase(path[0], head) and _prefix_match(rest, path[1:])


def load_exceptions(path: Path = EXCEPTIONS) -> list[Exemption]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("exceptions") or []
    if not isinstance(entries, list):
        msg = f"{path}: 'exceptions' must be a list"
        raise LintSetupError(msg)
    out: list[Exemption] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            msg = f"{path}: exception {index} is not a mapping"
            raise LintSetupError(msg)
        rule, at, reason = entry.get("rule"), entry.get("at"), entry.get("reason")
        label = f"{path}: exception {index} ({rule})"
        if not isinstance(rule, str) or not rule:
            msg = f"{label}: 'rule' is required"
            raise LintSetupError(msg)
        if not isinstance(at, list) or not at or not all(isinstance(s, str) for s in at):
            msg = f"{label}: 'at' must be a non-empty list of path segments"
            raise LintSetupError(msg)
        if not isinstance(reason, str) or len(reason.split()) < 3:
            msg = f"{label}: every exception needs a 'reason' (a sentence)"
            raise LintSetupError(msg)
        out.append(Exemption(rule, tuple(at), reason.strip()))
    return out


def spectral_version() -> str:
    manifest = TOOLS / "node_modules" / "@stoplight" / "spectral-cli" / "package.json"
    try:
        return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
    except (OSError, KeyError, ValueError):
        return "unknown"


def project_rule_count(ruleset: Path = RULESET) -> int:
    data = yaml.safe_load(ruleset.read_text(encoding="utf-8")) or {}
    return len(data.get("rules") or {})


def run_spectral(spec: Path, ruleset: Path = RULESET) -> tuple[int, list[Result]]:
    """(number of rules enabled, every result) for ``spec``."""
    if not SPECTRAL.exists():
        msg = (
            f"{SPECTRAL.relative_to(ROOT)} is missing: run 'make contract-tools' "
            "(npm ci in tools/contract)"
        )
        raise LintSetupError(msg)
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "results.json"
        proc = subprocess.run(
            [
                str(SPECTRAL),
                "lint",
                str(spec),
                "--ruleset",
                str(ruleset),
                "--format",
                "json",
                "--output",
                str(output),
                "--verbose",
                "--fail-severity",
                "hint",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        # 0: no results; 1: results; anything else (2: a broken ruleset or document) fails.
        if proc.returncode not in (0, 1) or not output.exists():
            msg = f"spectral failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}"
            raise LintSetupError(msg)
        raw: list[dict[str, Any]] = json.loads(output.read_text(encoding="utf-8") or "[]")
    found = re.search(r"Found \d+ rules \((\d+) enabled\)", proc.stdout + proc.stderr)
    enabled = int(found.group(1)) if found else 0
    results = [
        Result(
            rule=str(item["code"]),
            path=tuple(str(p) for p in item.get("path", [])),
            message=str(item["message"]),
            severity=SEVERITIES.get(int(item.get("severity", 0)), "error"),
            line=int(item["range"]["start"]["line"]) + 1,
            column=int(item["range"]["start"]["character"]) + 1,
        )
        for item in raw
    ]
    return enabled, sorted(results, key=lambda r: (r.line, r.column, r.rule))


def lint(
    spec: Path = DEFAULT_SPEC, exceptions_file: Path = EXCEPTIONS, ruleset: Path = RULESET
) -> Report:
    exceptions = load_exceptions(exceptions_file)
    enabled, results = run_spectral(spec, ruleset)
    problems: list[Result] = []
    excepted: list[Result] = []
    used: set[Exemption] = set()
    for result in results:
        match = next((e for e in exceptions if e.matches(result)), None)
        if match is None:
            problems.append(result)
        else:
            excepted.append(result)
            used.add(match)
    stale = [e for e in exceptions if e not in used]
    return Report(
        enabled, project_rule_count(ruleset), spectral_version(), problems, excepted, stale
    )


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--spec",
        type=Path,
        default=DEFAULT_SPEC,
        help="the document to lint (default: %(default)s)",
    )
    parser.add_argument(
        "--exceptions",
        type=Path,
        default=EXCEPTIONS,
        help="the exceptions file (default: %(default)s)",
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="also list the results the exceptions cover"
    )
    args = parser.parse_args(argv)
    try:
        report = lint(args.spec, args.exceptions)
    except (LintSetupError, OSError, yaml.YAMLError) as error:
        print(f"contract-lint: {error}", file=sys.stderr)
        return 2
    source = _relative(args.spec)
    for problem in report.problems:
        print(problem.render(source))
    if args.verbose:
        for result in report.excepted:
            print("excepted: " + result.render(source))
    for exception in report.stale:
        print(
            f"contract-lint: note: the exception for {exception.rule} at "
            f"{'.'.join(exception.at)} matches nothing any more; remove it from "
            f"{_relative(args.exceptions)}"
        )
    summary = (
        f"Spectral {report.spectral_version}, {report.rules} rules "
        f"({report.rules - report.project_rules} spectral:oas, "
        f"{report.project_rules} maintrac), {len(report.excepted)} result(s) excepted"
    )
    if report.problems:
        print(
            f"contract-lint: {len(report.problems)} problem(s) in {source} [{summary}]. "
            f"Fix them, or list a deliberate one with its reason in "
            f"{_relative(args.exceptions)}."
        )
        return 1
    print(f"contract-lint: {source} is clean [{summary}].")
    return 0


if __name__ == "__main__":
    sys.exit(main())
