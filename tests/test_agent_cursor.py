"""Cursor's project hooks (`.cursor/hooks.json`), run the way Cursor runs them.

Cursor's agent does not install from npm or PyPI, so no real Cursor runs here. What is
tested is the contract in Cursor's hooks reference: a `{"version": 1, "hooks": {...}}`
file; each hook's `command` run as a shell command with the event's JSON on stdin (the
common fields `conversation_id`, `generation_id`, `model`, `hook_event_name`,
`cursor_version`, `workspace_roots`, `user_email`, plus `status` and `loop_count` for
`stop`); a `stop` answer's `followup_message` is submitted as the agent's next user
message, at most 5 times per conversation. `afterFileEdit` answers are not read, so the
guard speaks only at `stop`.
"""

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.agents import BAD_REPOSITORY, CLEAN_REPOSITORY, RULE
from tests.conftest import restore
from tests.rendering import project_env

pytestmark = pytest.mark.agents


@pytest.fixture(scope="module")
def cursor_project(default_project: Path) -> Path:
    """The default answers: Cursor among the agents, guardrail hooks on."""
    return default_project


def hooks(project: Path) -> dict[str, Any]:
    return json.loads((project / ".cursor/hooks.json").read_text())


def stop_payload(project: Path, status: str = "completed", loop_count: int = 0) -> dict[str, Any]:
    return {
        "conversation_id": "c0ffee00-0000-4000-8000-000000000001",
        "generation_id": "c0ffee00-0000-4000-8000-000000000002",
        "model": "default",
        "hook_event_name": "stop",
        "cursor_version": "2.0.77",
        "workspace_roots": [str(project)],
        "user_email": None,
        "status": status,
        "loop_count": loop_count,
    }


def run_stop_hook(project: Path, payload: dict[str, Any], cwd: Path) -> dict[str, Any]:
    """Run the configured stop command as Cursor does: a shell command, payload on stdin."""
    (entry,) = hooks(project)["hooks"]["stop"]
    result = subprocess.run(
        ["bash", "-c", entry["command"]],
        cwd=cwd,
        input=json.dumps(payload),
        env=project_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_hooks_file_has_the_documented_shape(cursor_project: Path) -> None:
    config = hooks(cursor_project)
    assert config["version"] == 1
    assert set(config["hooks"]) == {"stop"}
    (entry,) = config["hooks"]["stop"]
    assert set(entry) == {"command"}
    assert "uv run --offline --quiet python -m scripts.hooks.cursor stop" in entry["command"]
    assert (cursor_project / "scripts/hooks/cursor.py").is_file()


def test_stop_hook_sends_the_agent_back_while_the_guard_fails(cursor_project: Path) -> None:
    repo = cursor_project / "app/repos/ledger.py"
    try:
        repo.write_text(BAD_REPOSITORY)
        # Cursor may start the command in the project root or beside hooks.json.
        for cwd in (cursor_project, cursor_project / ".cursor"):
            answer = run_stop_hook(cursor_project, stop_payload(cursor_project), cwd)
            assert set(answer) == {"followup_message"}, answer
            assert f"app/repos/ledger.py:12: [{RULE}]" in answer["followup_message"]
        # A loop the user aborted (or that failed) is not sent back.
        aborted = stop_payload(cursor_project, status="aborted")
        assert run_stop_hook(cursor_project, aborted, cursor_project) == {}
        # The fixed file lets the agent finish.
        repo.write_text(CLEAN_REPOSITORY)
        fixed = stop_payload(cursor_project, loop_count=1)
        assert run_stop_hook(cursor_project, fixed, cursor_project) == {}
    finally:
        restore(cursor_project)
