"""Conventions that import rules cannot see, checked on the syntax tree."""

import ast
from collections.abc import Callable

import pytest

from scripts import guard

PROJECT_ROOT = guard.PROJECT_ROOT


def transaction_calls(source: str) -> list[int]:
    """Lines that call `.commit()`, `.begin()`, `.begin_nested()` or `.rollback()`
    (the guard's rule, which agents' hooks run on every edit)."""
    return guard.transaction_lines(ast.parse(source))


def mock_imports(source: str) -> list[int]:
    """Lines that import `unittest.mock` in any spelling."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Import)
            and any(alias.name.startswith("unittest.mock") for alias in node.names)
        ) or (
            isinstance(node, ast.ImportFrom)
            and (
                (node.module or "").startswith("unittest.mock")
                or (node.module == "unittest" and any(a.name == "mock" for a in node.names))
            )
        ):
            lines.append(node.lineno)
    return lines


def violations(folder: str, rule: Callable[[str], list[int]]) -> dict[str, list[int]]:
    found = {}
    for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
        if lines := rule(path.read_text()):
            found[str(path.relative_to(PROJECT_ROOT))] = lines
    return found


@pytest.mark.parametrize(
    "folder", [f for f in guard.NO_TRANSACTIONS if (PROJECT_ROOT / f).is_dir()]
)
def test_repos_and_routes_leave_transactions_to_services(folder: str) -> None:
    assert violations(folder, transaction_calls) == {}


def test_tests_use_real_parts_not_unittest_mock() -> None:
    assert violations("tests", mock_imports) == {}


# Each rule must fire on a sample that breaks it.
@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("async def save(session):\n    await session.commit()\n", [2]),
        ("async def save(session):\n    async with session.begin():\n        pass\n", [2]),
        ("def undo(session):\n    session.rollback()\n", [2]),
        ("async def save(session):\n    await session.flush()\n", []),
    ],
)
def test_transaction_rule_fires(source: str, lines: list[int]) -> None:
    assert transaction_calls(source) == lines


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("from unittest.mock import AsyncMock\n", [1]),
        ("from unittest import mock\n", [1]),
        ("import unittest.mock as m\n", [1]),
        ("import unittest\n", []),
    ],
)
def test_mock_rule_fires(source: str, lines: list[int]) -> None:
    assert mock_imports(source) == lines
