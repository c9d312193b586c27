"""Fuzzing: schemathesis against the running service's `/openapi.json`.

Renders and syncs the default project with `--auth` (default `local`: the
service's own accounts), serves it with uvicorn on 127.0.0.1 against its
embedded PostgreSQL and a stand-in carrier (also on 127.0.0.1, so `ship` can
succeed), creates an admin with `app.cli` and signs in, and runs `schemathesis
run` with that bearer token, every check, every operation (but
`POST /auth/logout`, which would revoke the token) and every phase, at most
`--max-examples` test cases per operation and a fixed `--seed`; the run is
stopped if it takes longer than `--timeout`.

Failures are grouped as:

- server errors: a 5xx response (ST101, ST102);
- schema violations: a response the OpenAPI document does not describe
  (status code, content type, headers, body: ST103-ST111);
- other findings: everything else schemathesis checks (requests accepted or
  rejected against the schema, undeclared methods, stateful checks), shown
  but not judged.

Targets: 0 server errors and 0 schema violations.

    uv run python -m bench.fuzz                       # 50 examples per operation
    uv run python -m bench.fuzz --max-examples 3      # tiny setting
    uv run python -m bench.fuzz --auth none               # no auth tier
    uv run python -m bench.fuzz --project ../my-service   # as rendered (signs in if it can)
"""

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from bench._support import (
    Figure,
    add_project_argument,
    exit_code,
    prepare_project,
    print_table,
    project_python,
    scratch_dir,
    serve_service,
)
from tests.rendering import project_env

SERVER_ERRORS = {"ST101", "ST102"}
SCHEMA_VIOLATIONS = {f"ST{n}" for n in range(103, 112)}


def schemathesis() -> str:
    return str(Path(sys.executable).with_name("schemathesis"))


def summarise(failures: Iterable[dict], codes: set[str] | None) -> tuple[int, str]:
    """Count the failures whose code is in `codes` (None: in neither group); name their codes."""
    chosen = [
        f
        for f in failures
        if (
            f["code"] in codes
            if codes is not None
            else f["code"] not in SERVER_ERRORS | SCHEMA_VIOLATIONS
        )
    ]
    count = sum(f["count"] for f in chosen)
    names = ", ".join(f"{f['code']} x{f['count']}" for f in chosen)
    return count, names


def failures_section(output: str, limit: int) -> str:
    """schemathesis's own FAILURES section (each case with its curl reproduction), trimmed."""
    start = output.find("= FAILURES =")
    end = output.find("= SUMMARY =")
    if start == -1:
        return ""
    section = output[output.rfind("\n", 0, start) + 1 : end if end != -1 else None].rstrip("= \n")
    # `st replay` needs the cassette of a run folder that no longer exists; curl lines stay.
    kept = [line for line in section.splitlines() if not line.strip().startswith("st replay")]
    section = re.sub(r"\n{3,}", "\n\n", "\n".join(kept))
    if len(section) > limit:
        section = section[:limit] + f"\n... ({len(section) - limit} more characters)"
    return section


FUZZ_ADMIN = "fuzz-admin@example.com"


def bearer_token(project: Path, env: dict[str, str], base_url: str) -> str:
    """Create an admin in the served database with the project's own command, sign in."""
    password = secrets.token_urlsafe(18)
    created = subprocess.run(
        [project_python(project), "-m", "app.cli", "create-user", "--email", FUZZ_ADMIN,
         "--role", "admin"],
        cwd=project,
        env={**project_env(), **env},
        input=f"{password}\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    if created.returncode != 0:
        raise RuntimeError(f"app.cli create-user failed:\n{created.stderr[-2000:]}")
    login = urllib.request.Request(
        f"{base_url}/auth/login",
        data=json.dumps({"email": FUZZ_ADMIN, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(login, timeout=30) as response:
        return json.load(response)["access_token"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=50, help="per operation (50)")
    parser.add_argument("--timeout", type=int, default=900, help="stop the run after, s (900)")
    parser.add_argument("--seed", type=int, default=1, help="data generation seed (1)")
    parser.add_argument("--details", type=int, default=8000, help="characters of failure text")
    parser.add_argument("--auth", choices=["local", "none"], default="local",
                        help="auth tier of the rendered project (local)")  # fmt: skip
    add_project_argument(parser, "fuzz")
    args = parser.parse_args(argv)
    if not 1 <= args.max_examples <= 1000 or not 1 <= args.timeout <= 3600:
        parser.error("need 1 <= --max-examples <= 1000 and 1 <= --timeout <= 3600")
    load = os.getloadavg()[0]

    with scratch_dir("fuzz") as base:
        project = prepare_project(base, args.project, auth=args.auth)
        signs_in = (project / "app" / "cli.py").is_file()  # the local auth tier
        report_path = base / "schemathesis.json"
        with serve_service(project, base) as (server, env):
            command = [schemathesis(), "run", f"{server.base_url}/openapi.json"]
            if signs_in:
                token = bearer_token(project, env, server.base_url)
                command += ["--header", f"Authorization: Bearer {token}"]
                command += ["--exclude-path", "/auth/logout"]
            command += ["--checks", "all", "--max-examples", str(args.max_examples)]
            # Not --max-time: schemathesis treats it as a budget to spend, not a bound.
            command += ["--seed", str(args.seed)]
            command += ["--workers", "1", "--request-timeout", "10", "--no-color"]
            command += ["--generation-database", "none"]
            command += ["--report", "json", "--report-json-path", str(report_path)]
            result = subprocess.run(
                command,
                cwd=base,
                capture_output=True,
                text=True,
                timeout=args.timeout,
                check=False,
            )
            service_log = server.log_tail(2000)
        if not report_path.is_file():
            raise RuntimeError(
                f"schemathesis wrote no report (exit {result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}\n{service_log}"
            )
        report = json.loads(report_path.read_text())

    failures = report["failures"]
    operations = report["operations"]
    cases = report["test_cases"]
    server_errors, server_codes = summarise(failures, SERVER_ERRORS)
    violations, violation_codes = summarise(failures, SCHEMA_VIOLATIONS)
    others, other_codes = summarise(failures, None)
    figures = [
        Figure("operations tested", f"{operations['tested']} of {operations['total']}"),
        Figure("test cases generated", str(cases["generated"])),
        Figure("server errors", str(server_errors), "0", server_errors == 0),
        Figure("schema violations", str(violations), "0", violations == 0),
        Figure("other findings (not judged)", str(others)),
        Figure("schemathesis errors", str(cases["errored"] + operations["errored"])),
    ]
    print_table(
        f"fuzzing: schemathesis {report['schemathesis_version']}, --checks all, "
        f"<= {args.max_examples} examples per operation, seed {args.seed}, "
        f"{report['running_time']:.0f} s, load average {load:.2f} at start, "
        f"{'signed in as an admin' if signs_in else 'no sign-in'}",
        figures,
    )
    for label, codes in (
        ("server errors", server_codes),
        ("schema violations", violation_codes),
        ("other findings", other_codes),
    ):
        if codes:
            print(f"{label}: {codes}")
    for failure in failures:
        print(
            f"  {failure['code']} {failure['title']} x{failure['count']}: "
            + ", ".join(failure["operations"])
        )
    details = failures_section(result.stdout, args.details)
    if details:
        print(f"\nschemathesis failure details (replay with the curl lines):\n{details}")
    return exit_code(figures)


if __name__ == "__main__":
    raise SystemExit(main())
