"""Runner: serve the scripted model and run one agent CLI against it, offline.

See the package docstring for the command line. Writes the record file as
JSON: the CLI's return code, stdout and stderr, and every request the server
received (method, path, headers, body parsed as JSON where it is JSON, and
the index of the turn it was answered with, or null for side requests).
"""

import argparse
import gzip
import importlib
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.scripted_model import PORT
from tests.scripted_model.wire import Reply, Request, Script


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.scripted_model")
    parser.add_argument("--api", required=True, help="module in tests.scripted_model")
    parser.add_argument("--script", type=Path, required=True)
    parser.add_argument("--record", type=Path, required=True)
    parser.add_argument("--cwd", type=Path, required=True)
    parser.add_argument("--timeout", type=float, default=240)
    parser.add_argument("--in-namespace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not args.in_namespace:
        # Re-run this module in a new network namespace: loopback only.
        unshare = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]
        argv = [*unshare, sys.executable, "-m", "tests.scripted_model", "--in-namespace"]
        argv += sys.argv[1:]
        return subprocess.run(argv, check=False).returncode
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)

    api = importlib.import_module(f"tests.scripted_model.{args.api}")
    script = Script(json.loads(args.script.read_text()))
    requests: list[dict[str, Any]] = []
    server = ThreadingHTTPServer(("127.0.0.1", PORT), handler(api.respond, script, requests))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = subprocess.run(
            command,
            cwd=args.cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=args.timeout,
            check=False,
        )
        returncode, stdout, stderr = result.returncode, result.stdout, result.stderr
    except subprocess.TimeoutExpired as timeout:
        returncode = -1
        stdout = _text(timeout.stdout)
        stderr = _text(timeout.stderr) + f"\n[runner] timed out after {args.timeout} s"
    finally:
        server.shutdown()
    record = {"returncode": returncode, "stdout": stdout, "stderr": stderr, "requests": requests}
    args.record.write_text(json.dumps(record, indent=1))
    return 0


def _text(output: bytes | str | None) -> str:
    if isinstance(output, bytes):
        return output.decode(errors="replace")
    return output or ""


def handler(respond: Any, script: Script, requests: list[dict[str, Any]]) -> type:
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def _serve(self) -> None:
            raw = self._body()
            if self.headers.get("Content-Encoding") == "gzip":
                raw = gzip.decompress(raw)
            try:
                body: Any = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            request = Request(self.command, self.path, dict(self.headers), body)
            with lock:  # one conversation: answer requests in the order they came
                turns_before = script.used
                reply: Reply = respond(request, script)
                entry = {
                    "method": request.method,
                    "path": request.path,
                    "headers": request.headers,
                    "body": request.body,
                    "turn": script.used - 1 if script.used > turns_before else None,
                }
                requests.append(entry)
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while size := int(self.rfile.readline().strip() or b"0", 16):
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                self.rfile.readline()
                return b"".join(chunks)
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


if __name__ == "__main__":
    raise SystemExit(main())
