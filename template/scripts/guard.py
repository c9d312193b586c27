"""Fast checks on the Python files you (or an agent) just changed.

    uv run python -m scripts.guard app/repos/invoice.py ...   # the files named
    uv run python -m scripts.guard --changed                  # files changed since the last commit

Runs ruff (lint and format) on the files and the architecture rules that can
be judged one file at a time: no transaction calls in repositories, routes or
handlers, and the import contracts of `[tool.importlinter]` in pyproject.toml
applied to each file's own imports. Each finding names its rule and the skill
to read. Exit code 1 when anything is found. The full checks stay
`ruff check`, `ty check` and `pytest` (tests/architecture/ runs the contracts
on the whole import graph).
"""

import argparse
import ast
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TRANSACTION_METHODS = frozenset({"commit", "begin", "begin_nested", "rollback"})
# Folders whose code must leave transactions to the application services.
NO_TRANSACTIONS = ("app/repos/", "app/api/", "app/handlers/")
# The skill that teaches the rules for code in each package (the longest prefix wins).
SKILL_FOR = {
    "app": "python-fastapi-sa-app-setup",
    "app.models": "python-aggregate-and-repo",
    "app.repos": "python-aggregate-and-repo",
    "app.services": "python-service-and-schema-cohesion",
    "app.schemas": "python-service-and-schema-cohesion",
    "app.api": "python-service-and-schema-cohesion",
    "app.clients": "python-external-client",
    "app.domain": "python-pure-domain-layer",
    "app.events": "python-message-bus-outbox",
    "app.outbox": "python-message-bus-outbox",
    "app.handlers": "python-message-bus-outbox",
}
PY_PATH = re.compile(r"[\w./-]+\.py\b")


@dataclass(frozen=True, order=True)
class Violation:
    path: str
    line: int
    rule: str
    message: str
    skill: str | None = None

    def __str__(self) -> str:
        advice = f" (read skill {self.skill})" if self.skill else ""
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}{advice}"


def check(paths: Iterable[Path]) -> list[Violation]:
    """Every finding in the given files; files that are not Python or not in the project are
    skipped."""
    files = sorted({rel for path in paths if (rel := _project_file(path)) is not None})
    if not files:
        return []
    found = _ruff(files)
    contracts = _contracts()
    for rel in files:
        try:
            tree = ast.parse((PROJECT_ROOT / rel).read_text(), filename=rel)
        except SyntaxError:
            continue  # ruff already reports it
        found += _transaction_calls(rel, tree)
        found += _import_contracts(rel, tree, contracts)
    return sorted(found)


def changed_files(root: Path = PROJECT_ROOT) -> list[Path]:
    """Python files changed since the last commit, staged or not, and new untracked ones."""
    status = subprocess.run(
        ["git", "status", "--porcelain", "-z", "--untracked-files=all"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if status.returncode != 0:
        raise SystemExit(f"guard: cannot list changed files: {status.stderr.strip()}")
    entries = iter(status.stdout.split("\0"))
    paths = []
    for entry in entries:
        if entry[:1] in ("R", "C"):
            next(entries, None)  # a rename or copy is followed by its old path
        paths.append(entry[3:])
    return [root / p for p in sorted(paths) if p.endswith(".py") and (root / p).is_file()]


def files_in(payload: object) -> list[Path]:
    """Project Python files named anywhere in an agent's hook payload (parsed JSON).

    Hook payloads differ per agent (`tool_input.file_path`, a patch text, ...): every
    string is searched for paths that exist in the project.
    """
    found = {PROJECT_ROOT / rel for text in _strings(payload) for rel in _paths_in_text(text)}
    return sorted(found)


def report(violations: list[Violation]) -> str:
    lines = [str(v) for v in violations]
    lines.append(f"{len(violations)} problem(s). Fix them, then check again with:")
    lines.append("  uv run python -m scripts.guard --changed")
    return "\n".join(lines)


def _project_file(path: Path) -> str | None:
    full = (PROJECT_ROOT / path).resolve()
    if full.suffix != ".py" or not full.is_file() or not full.is_relative_to(PROJECT_ROOT):
        return None
    return full.relative_to(PROJECT_ROOT).as_posix()


def _strings(payload: object) -> Iterator[str]:
    if isinstance(payload, str):
        yield payload
    elif isinstance(payload, dict):
        for value in payload.values():
            yield from _strings(value)
    elif isinstance(payload, list):
        for value in payload:
            yield from _strings(value)


def _paths_in_text(text: str) -> Iterator[str]:
    for match in PY_PATH.finditer(text):
        if (rel := _project_file(Path(match.group()))) is not None:
            yield rel


def _ruff_findings(command: list[str], files: list[str]) -> Iterator[tuple[str, int, str]]:
    """Run a ruff command with concise output: (path, line, what follows the column) each."""
    ruff = str(Path(sys.executable).with_name("ruff"))
    result = subprocess.run(
        [ruff, *command, "--output-format", "concise", "--quiet", *files],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        # app/repos/x.py:3:1: F401 [*] `os` imported but unused
        # app/repos/x.py:3:5: unformatted: File would be reformatted
        path, row, _, rest = [*line.split(":", 3), "", "", ""][:4]
        if row.isdigit():
            yield path, int(row), rest.strip()


def _ruff(files: list[str]) -> list[Violation]:
    found = []
    for path, row, rest in _ruff_findings(["check", "--no-fix"], files):
        code, _, message = rest.partition(" ")
        found.append(Violation(path, row, f"ruff {code}", message.strip().removeprefix("[*] ")))
    for path, row, _ in _ruff_findings(["format", "--check"], files):
        message = f"not formatted: run `uv run ruff format {path}`"
        found.append(Violation(path, row, "ruff format", message))
    return found


def transaction_lines(tree: ast.AST) -> list[int]:
    """Lines that call `.commit()`, `.begin()`, `.begin_nested()` or `.rollback()`."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in TRANSACTION_METHODS
    ]


def _transaction_calls(rel: str, tree: ast.AST) -> list[Violation]:
    if not rel.startswith(NO_TRANSACTIONS):
        return []
    message = (
        "transaction call outside a service: repositories, routes and handlers never "
        "commit, begin or roll back; the application service's use case does"
    )
    skill = "python-service-and-schema-cohesion"
    return [Violation(rel, line, "transactions-in-services", message, skill)
            for line in transaction_lines(tree)]  # fmt: skip


@dataclass(frozen=True)
class _Contracts:
    layers: list[list[str]]  # highest first; modules in one layer must not import each other
    forbidden: list[tuple[str, list[str], list[str]]]  # name, source modules, forbidden modules


def _contracts() -> _Contracts:
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    layers, forbidden = [], []
    for contract in config.get("tool", {}).get("importlinter", {}).get("contracts", []):
        if contract["type"] == "layers":
            layers = [[m.strip() for m in layer.split("|")] for layer in contract["layers"]]
        elif contract["type"] == "forbidden":
            sources, banned = contract["source_modules"], contract["forbidden_modules"]
            forbidden.append((contract["name"], sources, banned))
    return _Contracts(layers, forbidden)


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _imports(package: str, tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, imported module) for each import of a module in `package`, relative ones
    resolved."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            yield node.lineno, base
            for alias in node.names:  # `from app import services` imports app.services
                yield node.lineno, f"{base}.{alias.name}"


def _skill_for(module: str) -> str | None:
    owners = [package for package in SKILL_FOR if _within(module, package)]
    return SKILL_FOR[max(owners, key=len)] if owners else None


def _import_contracts(rel: str, tree: ast.AST, contracts: _Contracts) -> list[Violation]:
    if not rel.startswith("app/"):
        return []
    module = rel.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    package = module if rel.endswith("__init__.py") else module.rsplit(".", 1)[0]
    skill = _skill_for(module)
    found: dict[tuple[int, str], Violation] = {}  # one per line and rule
    position = _layer_of(module, contracts.layers)
    for line, imported in _imports(package, tree):
        target = _layer_of(imported, contracts.layers)
        if position is not None and target is not None:
            (own_layer, own), (their_layer, theirs) = position, target
            if their_layer < own_layer or (their_layer == own_layer and own != theirs):
                message = f"{own} may not import {imported}: layers only import downwards"
                found.setdefault((line, "layers"), Violation(rel, line, "layers", message, skill))
        for name, sources, banned in contracts.forbidden:
            if any(_within(module, s) for s in sources) and any(
                _within(imported, b) for b in banned
            ):
                message = f"{module} may not import {imported} ({name})"
                violation = Violation(rel, line, "forbidden-import", message, skill)
                found.setdefault((line, "forbidden-import"), violation)
    return list(found.values())


def _layer_of(module: str, layers: list[list[str]]) -> tuple[int, str] | None:
    for index, layer in enumerate(layers):
        for package in layer:
            if _within(module, package):
                return index, package
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.guard", description=__doc__)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--changed", action="store_true", help="check files changed since HEAD")
    args = parser.parse_args(argv)
    files = [*args.files, *(changed_files() if args.changed else [])]
    violations = check(files)
    if violations:
        print(report(violations))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
