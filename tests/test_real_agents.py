"""The real agent command-line tools discover the rendered skills and always-on files.

Five agents install from npm (tests.agents) and list what they found in a
repository with no network and no login (see ARCHITECTURE.md). Each runs
inside `unshare -n` (no network) with a fresh HOME. Cursor's agent is not
installable here; its rule files are checked in tests/test_skill_wiring.py.

Run alone with `uv run pytest -m agents`.
"""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.agents import OFFLINE_ENV
from tests.skill_catalogue import catalogue, written_skills

pytestmark = pytest.mark.agents

SKILLS = written_skills()


@pytest.fixture
def project(everything_project: Path) -> Path:
    return everything_project


def isolated(command: list[str], tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    """`command` wrapped to run with no network, and an environment with a throw-away HOME."""
    unshare = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return [*unshare, *command], {**os.environ, **OFFLINE_ENV, "HOME": str(home)}


def offline(command: list[str], cwd: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run a CLI offline. Output goes through files: Node tools that exit right after a large
    write to a pipe can lose its tail (OpenCode's skill listing is over 64 KiB)."""
    argv, env = isolated(command, tmp_path)
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        result = subprocess.run(
            argv, cwd=cwd, env=env, stdout=stdout, stderr=stderr, timeout=180, check=False
        )
    return subprocess.CompletedProcess(argv, result.returncode, out.read_text(), err.read_text())


def test_opencode_lists_every_skill(agent_bin: Path, project: Path, tmp_path: Path) -> None:
    result = offline([str(agent_bin / "opencode"), "debug", "skill", "--pure"], project, tmp_path)
    listed = {s["name"]: s for s in json.loads(result.stdout)}
    assert set(SKILLS) <= set(listed), result.stderr
    roots = (str(project / ".agents/skills"), str(project / ".claude/skills"))
    for skill in SKILLS:
        assert listed[skill]["location"].startswith(roots), listed[skill]["location"]


def test_codex_lists_every_skill_without_errors(
    agent_bin: Path, project: Path, tmp_path: Path
) -> None:
    requests = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"clientInfo": {"name": "stackcraft-tests", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "skills/list",
         "params": {"cwds": [str(project)], "forceReload": True}},
    ]  # fmt: skip
    answer = codex_request(agent_bin, project, tmp_path, requests, answer_id=2)
    (entry,) = answer["result"]["data"]
    repo_skills = {s["name"] for s in entry["skills"] if s["scope"] == "repo"}
    assert repo_skills == set(SKILLS)
    assert entry.get("errors", []) == []


def codex_request(
    agent_bin: Path, project: Path, tmp_path: Path, requests: list[dict], answer_id: int
) -> dict:
    """Talk JSON-RPC to `codex app-server`, keeping stdin open until the answer arrives."""
    argv, env = isolated([str(agent_bin / "codex"), "app-server"], tmp_path)
    with subprocess.Popen(
        argv,
        cwd=project,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as server:
        assert server.stdin is not None
        assert server.stdout is not None
        try:
            for request in requests:
                server.stdin.write(json.dumps(request) + "\n")
                server.stdin.flush()
            for line in server.stdout:
                message = json.loads(line)
                if message.get("id") == answer_id:
                    return message
            raise AssertionError("codex app-server closed without answering")
        finally:
            server.kill()


def test_codex_reads_agents_md(agent_bin: Path, project: Path, tmp_path: Path) -> None:
    result = offline([str(agent_bin / "codex"), "debug", "prompt-input"], project, tmp_path)
    first_line = (project / "AGENTS.md").read_text().splitlines()[0]
    assert "AGENTS.md instructions for" in result.stdout
    assert json.dumps(first_line)[1:-1] in result.stdout


def test_gemini_lists_every_skill_and_loads_gemini_md(
    agent_bin: Path, project: Path, tmp_path: Path
) -> None:
    result = offline([str(agent_bin / "gemini"), "-d", "skills", "list"], project, tmp_path)
    output = result.stdout + result.stderr
    enabled = set(re.findall(r"^(\S+) \[Enabled\]", output, re.M))
    assert set(SKILLS) <= enabled, output[-3000:]
    loaded = re.search(
        rf"processed imports: {re.escape(str(project))}/GEMINI.md \(Length: (\d+)", output
    )
    assert loaded, output[-3000:]
    assert int(loaded.group(1)) > len((project / "AGENTS.md").read_text()), "import not resolved"


def test_claude_code_lists_every_skill_and_memory_file(
    agent_bin: Path, project: Path, tmp_path: Path
) -> None:
    result = offline([str(agent_bin / "claude"), "-p", "/context"], project, tmp_path)
    rows = set(re.findall(r"^\| (\S+) \| Project \|", result.stdout, re.M))
    assert set(SKILLS) <= rows, result.stdout[-3000:]
    for memory in ("CLAUDE.md", "AGENTS.md"):
        assert f"{project}/{memory} |" in result.stdout


def test_copilot_lists_every_skill_and_instruction(
    agent_bin: Path, project: Path, tmp_path: Path
) -> None:
    skills = offline([str(agent_bin / "copilot"), "skill", "list", "--json"], project, tmp_path)
    assert "failed to load" not in skills.stderr
    project_skills = {s["name"] for s in json.loads(skills.stdout) if s["source"] == "project"}
    assert project_skills == set(SKILLS)

    listing = offline(
        [str(agent_bin / "copilot"), "instruction", "list", "--json"], project, tmp_path
    )
    instructions = {i["sourcePath"]: i for i in json.loads(listing.stdout)}
    assert {".github/copilot-instructions.md", "AGENTS.md"} <= set(instructions)
    for skill in SKILLS:
        pointer = instructions[f".github/instructions/{skill}.instructions.md"]
        assert pointer["applyTo"] == catalogue()[skill]["globs"]
