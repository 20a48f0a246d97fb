"""The schema's extensions run as one strawberry extension.

strawberry prepares every extension's hooks afresh for every request: for each of the four
steps (operation, parse, validate, execute) and each extension it looks the hook up, checks
whether it is a generator, wraps it in a context manager and enters it on an exit stack.
With the service's nine extensions that was 36 such preparations per request, as much CPU as
the rest of executing `{ __typename }` (issue 16.4, docs/PERFORMANCE.md). `Pipeline` holds the
same extensions and runs their hooks itself, nested in the same order (the first listed is
outermost and finishes last), with the same handling of an exception raised inside: it is
thrown into the hooks from the innermost out, as an exit stack does. Which hooks each
extension class overrides is found once, when the schema is built.

Only synchronous generator hooks (every extension of this service) can be composed: an
extension with an async hook or an async `get_results`, or one that wraps resolvers
(`resolve`, e.g. OpenTelemetry's), stays a separate strawberry extension.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

_HOOKS = ("on_operation", "on_parse", "on_validate", "on_execute")

Factory = Callable[[], SchemaExtension]


def _overridden(cls: type[SchemaExtension], name: str) -> bool:
    return getattr(cls, name) is not getattr(SchemaExtension, name)


def composable(cls: type[SchemaExtension]) -> bool:
    """Whether Pipeline can run this extension class's hooks (synchronous generators, a
    synchronous get_results, no resolver wrapping)."""
    if cls._implements_resolve() or inspect.iscoroutinefunction(cls.get_results):
        return False
    if _overridden(cls, "on_stream_result"):
        return False
    return all(
        inspect.isgeneratorfunction(getattr(cls, name)) for name in _HOOKS if _overridden(cls, name)
    )


def _nested(hooks: Sequence[Callable[[], Generator[Any, None, None]]]) -> Iterator[None]:
    """The hooks' generators entered in order and left in reverse, as nested `with` blocks:
    an exception (from inside, or from a hook on the way out) is thrown into the outer ones,
    any of which may suppress it by returning."""
    started: list[Generator[Any, None, None]] = []
    pending: BaseException | None = None
    try:
        for hook in hooks:
            generator = hook()
            next(generator)
            started.append(generator)
    except BaseException as exc:
        pending = exc
    if pending is None:
        try:
            yield
        except BaseException as exc:
            pending = exc
    for generator in reversed(started):
        try:
            if pending is None:
                next(generator)
            else:
                generator.throw(pending)
        except StopIteration:
            pending = None  # finished (or suppressed the exception)
            continue
        except BaseException as exc:
            pending = exc
            continue
        pending = RuntimeError(f"the extension hook {generator!r} yielded more than once")
    if pending is not None:
        raise pending


class Pipeline(SchemaExtension):
    """Extensions (made by `factories`, per request as strawberry would) run as one."""

    def __init__(self, factories: Sequence[Factory], classes: Sequence[type]) -> None:
        self.parts = [factory() for factory in factories]
        for part, cls in zip(self.parts, classes, strict=True):
            if type(part) is not cls:
                raise TypeError(f"expected a {cls.__name__}, the factory made {part!r}")
        self._classes = classes

    @classmethod
    def factory(cls, factories: Sequence[Factory]) -> Factory:
        """A factory of Pipelines over these extension factories; each extension's class (by
        making one instance now) must be composable."""
        classes = [type(f()) for f in factories]
        for klass in classes:
            if not composable(klass):
                raise ValueError(f"{klass.__name__} cannot run inside a Pipeline")
        hooks = {
            name: [i for i, klass in enumerate(classes) if _overridden(klass, name)]
            for name in (*_HOOKS, "get_results")
        }

        class Composed(cls):  # type: ignore[valid-type, misc]
            _hooks = hooks

        Composed.__name__ = "Pipeline[" + ", ".join(k.__name__ for k in classes) + "]"
        return lambda: Composed(factories, classes)

    _hooks: dict[str, list[int]]

    @property
    def execution_context(self) -> ExecutionContext:
        return self._execution_context

    @execution_context.setter
    def execution_context(self, value: ExecutionContext) -> None:
        self._execution_context = value
        for part in self.parts:
            part.execution_context = value

    def _bound(self, name: str) -> list[Callable[[], Generator[Any, None, None]]]:
        return [getattr(self.parts[i], name) for i in self._hooks[name]]

    def on_operation(self) -> Iterator[None]:
        yield from _nested(self._bound("on_operation"))

    def on_parse(self) -> Iterator[None]:
        yield from _nested(self._bound("on_parse"))

    def on_validate(self) -> Iterator[None]:
        yield from _nested(self._bound("on_validate"))

    def on_execute(self) -> Iterator[None]:
        yield from _nested(self._bound("on_execute"))

    def get_results(self) -> dict[str, Any]:
        results: dict[str, Any] = {}
        for i in self._hooks["get_results"]:
            results.update(self.parts[i].get_results())  # type: ignore[arg-type]
        return results
