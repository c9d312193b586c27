import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import NewType, Protocol, Self, assert_type

MemberId = NewType("MemberId", uuid.UUID)  # a BookId or a bare UUID is refused by ty


class Named(Protocol):  # met by two real classes: Member below and pathlib's PurePath
    @property
    def name(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Member:
    id: MemberId
    name: str

    @classmethod
    def join(cls, name: str) -> Self:
        return cls(MemberId(uuid.uuid4()), name.strip())


def first_by_name[T: Named](items: list[T]) -> T:
    return min(items, key=lambda item: item.name)


def test_ids_constructors_and_a_bounded_generic() -> None:
    assert assert_type(first_by_name([Member.join("Bo"), Member.join(" Al ")]), Member).name == "Al"
    assert first_by_name([PurePath("b.txt"), PurePath("a.txt")]) == PurePath("a.txt")
