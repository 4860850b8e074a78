"""Old driver names kept as thin aliases of the objects that now hold them.

``FakeDiscord`` is made of parts (``fake.rest``, ``fake.faults``, ``fake.world`` ...). Tests written
before that use ``fake.latency`` or ``fake.invoke(...)``; these descriptors keep those names
working without a forwarding method per name: ``fake.latency`` *is* ``fake.rest.latency``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")


class Alias(Generic[T]):
    """A read-only attribute of a part: ``requests = Alias[list[RecordedRequest]]("recorder",
    "requests")`` makes ``fake.requests`` read ``fake.recorder.requests``."""

    def __init__(self, part: str, name: str) -> None:
        self.part = part
        self.name = name
        self.__doc__ = f"Same as ``{part}.{name}``."

    def __set_name__(self, owner: type, name: str) -> None:
        self.alias = name

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: object, objtype: type | None = None) -> T: ...
    def __get__(self, obj: object | None, objtype: type | None = None) -> T | Self:
        if obj is None:
            return self
        value: T = getattr(getattr(obj, self.part), self.name)
        return value

    def __set__(self, obj: object, value: T) -> None:
        raise AttributeError(f"{self.alias} is read-only (it is {self.part}.{self.name})")


class Knob(Alias[T]):
    """A settable attribute of a part: ``fake.latency = 0.2`` sets ``fake.rest.latency``."""

    def __set__(self, obj: object, value: T) -> None:
        setattr(getattr(obj, self.part), self.name, value)


class Forward(Generic[P, R]):
    """A method of a part, with its signature: ``invoke = Forward("slash_commands",
    SlashCommands.invoke)`` makes ``fake.invoke(...)`` call ``fake.slash_commands.invoke(...)``."""

    def __init__(self, part: str, method: Callable[Concatenate[Any, P], R]) -> None:
        self.part = part
        self.name = method.__name__
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: object, objtype: type | None = None) -> Callable[P, R]: ...
    def __get__(self, obj: object | None, objtype: type | None = None) -> Callable[P, R] | Self:
        if obj is None:
            return self
        bound: Callable[P, R] = getattr(getattr(obj, self.part), self.name)
        return bound

    def __call__(self, obj: Any, /, *args: P.args, **kwargs: P.kwargs) -> R:
        """``FakeDiscord.invoke(fake, ...)``: called on the class, as a plain method would be."""
        method: Callable[P, R] = getattr(getattr(obj, self.part), self.name)
        return method(*args, **kwargs)
