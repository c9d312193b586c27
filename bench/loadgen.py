"""A small closed-loop HTTP/1.1 load generator for `bench.throughput`, run as its own process.

Each of `--concurrency` workers keeps one keep-alive connection to
127.0.0.1:`--port` and repeats one `--operation`: `post` (`POST /orders`, one
order with one line), `get` (`GET /orders/{id}` of an order the worker made
first) or `list` (`GET /orders?limit=20`: twenty orders with their lines; the
server must hold at least twenty). Requests made during the first `--warmup`
seconds are not counted; counting stops after `--duration` more seconds.
Prints one JSON object: counted latencies, all finished requests, errors.

The client is plain asyncio streams rather than an HTTP library, so it costs
the shared CPU as little as possible; it only speaks what uvicorn answers
here (`Content-Length` bodies, keep-alive).

    python -m bench.loadgen --port 8000 --operation get --concurrency 8 --duration 10
"""

import argparse
import asyncio
import json
import sys
import time
from dataclasses import dataclass, field

HOST = "127.0.0.1"  # load only ever goes to loopback


class HttpConnection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, port: int):
        self._reader = reader
        self._writer = writer
        self._host_header = f"Host: {HOST}:{port}\r\n"

    @classmethod
    async def open(cls, port: int) -> "HttpConnection":
        reader, writer = await asyncio.open_connection(HOST, port)
        return cls(reader, writer, port)

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        head = f"{method} {path} HTTP/1.1\r\n{self._host_header}"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self._writer.write((head + "\r\n").encode("latin-1") + (body or b""))
        status_line = await self._reader.readuntil(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        length = 0
        while (line := await self._reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.partition(b":")
            lowered = name.strip().lower()
            if lowered == b"content-length":
                length = int(value)
            elif lowered == b"transfer-encoding":
                raise RuntimeError("chunked responses are not supported by this client")
        return status, await self._reader.readexactly(length)

    async def close(self) -> None:
        self._writer.close()
        await self._writer.wait_closed()


@dataclass
class Tally:
    """Every finished request: (monotonic end time, milliseconds, expected status?)."""

    done: list[tuple[float, float, bool]] = field(default_factory=list)
    first_error: str = ""


def new_order(worker: int, made: int) -> bytes:
    line = {"sku": "SKU-1", "quantity": 2, "unit_price_cents": 1250}
    return json.dumps({"customer_ref": f"load-{worker}-{made}", "lines": [line]}).encode()


async def worker(number: int, port: int, operation: str, stop_at: float, tally: Tally) -> None:
    connection = await HttpConnection.open(port)
    try:
        path = "/orders?limit=20"
        if operation == "get":
            status, content = await connection.request("POST", "/orders", new_order(number, 0))
            if status != 201:
                raise RuntimeError(f"could not make an order to read: {status} {content[:300]!r}")
            path = f"/orders/{json.loads(content)['id']}"
        made = 0
        while time.monotonic() < stop_at:
            made += 1
            started = time.perf_counter()
            if operation == "post":
                status, content = await connection.request(
                    "POST", "/orders", new_order(number, made)
                )
            else:
                status, content = await connection.request("GET", path)
            ok = status == (201 if operation == "post" else 200)
            tally.done.append((time.monotonic(), (time.perf_counter() - started) * 1000, ok))
            if not ok:
                tally.first_error = tally.first_error or f"{operation} {status}: {content[:300]!r}"
    finally:
        await connection.close()


async def run(
    port: int, operation: str, concurrency: int, warmup_s: float, duration_s: float
) -> dict:
    """Count the requests that finished inside [start + warmup, start + warmup + duration]."""
    tally = Tally()
    window_start = time.monotonic() + warmup_s
    window_end = window_start + duration_s
    workers = (worker(n, port, operation, window_end, tally) for n in range(concurrency))
    await asyncio.gather(*workers)
    counted = [r for r in tally.done if window_start <= r[0] <= window_end]
    return {
        "seconds": duration_s,
        "ms": [ms for _, ms, ok in counted if ok],
        "finished": len(tally.done),  # warm-up included: what the server's CPU time was spent on
        "errors": sum(not ok for _, _, ok in counted),
        "first_error": tally.first_error,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--operation", choices=["post", "get", "list"], required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args(argv)
    if not 1 <= args.concurrency <= 64 or not 0 < args.duration <= 300:
        parser.error("--concurrency must be 1-64 and --duration 0-300 s")
    result = asyncio.run(
        run(args.port, args.operation, args.concurrency, args.warmup, args.duration)
    )
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
