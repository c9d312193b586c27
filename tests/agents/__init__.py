"""The real agent CLIs, installed once from npm and run offline.

`installed_clis()` installs the pinned packages into a cache folder keyed by
their versions. `run_agent()` runs one CLI against the scripted model
(`tests.scripted_model`) in a network namespace with only loopback and a
throw-away HOME, and returns what it printed and every request it sent.
One module per agent in this package knows its CLI's command line and
configuration (`claude_code`, `codex`, `gemini_cli`, `opencode`, `copilot`).
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.rendering import REPO_ROOT
from tests.skill_catalogue import split_skill

PACKAGES = [
    "opencode-ai@1.18.33",
    "@openai/codex@0.169.0",
    "@google/gemini-cli@0.61.0",
    "@anthropic-ai/claude-code@2.1.330",
    "@github/copilot@1.0.102",
]
# Switches that keep each CLI from phoning home, updating itself or asking for trust.
OFFLINE_ENV = {
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    "DISABLE_AUTOUPDATER": "1",
    "OPENCODE_DISABLE_AUTOUPDATE": "1",
    "OPENCODE_DISABLE_MODELS_FETCH": "1",
    "GEMINI_CLI_TRUST_WORKSPACE": "true",
    "NO_COLOR": "1",
}


# What the scripted model writes to trip the guard: a repository that commits (line 12).
RULE = "transactions-in-services"
REPOSITORY = '''"""Stores invoices."""

from sqlalchemy.ext.asyncio import AsyncSession


class InvoiceRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, invoice: object) -> None:
        self.session.add(invoice)
        await self.session.{call}()
'''
BAD_REPOSITORY, CLEAN_REPOSITORY = REPOSITORY.format(call="commit"), REPOSITORY.format(call="flush")


class InstallError(RuntimeError):
    pass


def installed_clis() -> Path:
    """The `node_modules/.bin` folder of the pinned CLIs, installed on first use."""
    key = hashlib.sha256(" ".join(PACKAGES).encode()).hexdigest()[:12]
    cache_root = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    prefix = cache_root / "stackcraft" / f"agent-clis-{key}"
    done = prefix / "installed.json"
    if not done.is_file():
        if shutil.which("npm") is None:
            raise InstallError("npm is needed to install the agent CLIs")
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", *PACKAGES],
            check=True,
            capture_output=True,
            timeout=900,
        )
        done.write_text(json.dumps(PACKAGES))
    return prefix / "node_modules" / ".bin"


def rendered_skills(project: Path, folders: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """name -> (description, a line only its body has) of each skill in `folders` of the
    project (the first folder wins for a name found twice)."""
    agents_md = (project / "AGENTS.md").read_text()
    skills: dict[str, tuple[str, str]] = {}
    for folder in folders:
        for skill_md in sorted((project / folder).glob("*/SKILL.md")):
            front, body = split_skill(skill_md.read_text())
            description = " ".join(front["description"].split())
            lines = [line.strip() for line in body.splitlines()]
            own = [line for line in lines if line not in agents_md and line not in description]
            skills.setdefault(front["name"], (description, max(own, key=len)))
    return skills


@dataclass(frozen=True)
class Record:
    returncode: int
    stdout: str
    stderr: str
    requests: list[dict[str, Any]]  # method, path, headers, body, turn (index or None)

    def conversation(self) -> list[dict[str, Any]]:
        """The requests that took a scripted turn, in order."""
        return [r for r in self.requests if r["turn"] is not None]

    def first_request_bytes(self) -> int:
        """Size of the first conversation request's body as the CLI sends it (compact JSON,
        UTF-8)."""
        (first, *_) = self.conversation() or [None]
        assert first is not None, self.explain()
        text = json.dumps(first["body"], ensure_ascii=False, separators=(",", ":"))
        return len(text.encode())

    def explain(self) -> str:
        """A short account for assertion messages."""
        paths = [f"{r['method']} {r['path']} turn={r['turn']}" for r in self.requests]
        return f"rc={self.returncode}\nrequests: {paths}\nstderr: {self.stderr[-2000:]}"


def run_agent(
    api: str,
    command: list[str],
    *,
    cwd: Path,
    home: Path,
    turns: list[dict[str, Any]],
    env: dict[str, str] | None = None,
    timeout: float = 240,
) -> Record:
    """Run `command` in `cwd` against the scripted model speaking `api`; see tests.scripted_model.

    `home` becomes HOME (created if missing); `env` adds to the offline environment.
    """
    home.mkdir(parents=True, exist_ok=True)
    work = home.parent
    script, record = work / f"{home.name}-turns.json", work / f"{home.name}-record.json"
    script.write_text(json.dumps(turns))
    argv = [sys.executable, "-m", "tests.scripted_model", "--api", api, "--script", str(script)]
    argv += ["--record", str(record), "--cwd", str(cwd), "--timeout", str(timeout), "--"]
    full_env = {**os.environ, **OFFLINE_ENV, "HOME": str(home), **(env or {})}
    full_env["PYTHONPATH"] = str(REPO_ROOT)
    subprocess.run(argv + command, env=full_env, check=True, timeout=timeout + 60)
    return Record(**json.loads(record.read_text()))
