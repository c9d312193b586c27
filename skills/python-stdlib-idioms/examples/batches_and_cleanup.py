from collections.abc import AsyncGenerator, Iterable
from contextlib import asynccontextmanager, suppress
from itertools import islice, pairwise


async def in_batches[T](items: Iterable[T], size: int) -> AsyncGenerator[list[T]]:
    rest = iter(items)
    while batch := list(islice(rest, size)):  # a real source awaits a page here
        yield batch


@asynccontextmanager
async def tracked(log: list[str]) -> AsyncGenerator[None]:
    try:
        yield
    finally:
        log.append("closed")  # runs on success, error and cancellation alike


async def test_batches_and_neighbours() -> None:
    assert [batch async for batch in in_batches(range(5), 2)] == [[0, 1], [2, 3], [4]]
    assert [b - a for a, b in pairwise([3, 5, 9])] == [2, 4]


async def test_cleanup_runs_when_the_body_fails() -> None:
    log: list[str] = []
    with suppress(LookupError):
        async with tracked(log):
            raise LookupError("no such reading")
    assert log == ["closed"]
