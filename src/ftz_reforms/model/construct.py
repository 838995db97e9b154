"""Records made from data the build already validated, without building pydantic's validator.

Every process that loads the bundled dataset would otherwise have pydantic build one validator for the
whole contract and run it (most of a cold load: benchmarks/speed.py), to check data that the build
validated when it wrote it and that CI proves current (``build --check``). ``construct`` makes the same
records, frozen and equal to validated ones (a test holds that over the whole dataset), field by field
from the JSON types: lists become tuples, strings become vocabulary members, objects become records.

Only for trusted data: anything from outside (``load``, ``validate``, an import) is validated.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

__all__ = ["construct"]

Model = TypeVar("Model", bound=BaseModel)
Converter = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _optional(inner: Converter) -> Converter:
    return lambda value: None if value is None else inner(value)


def _tuple_of(item: Converter) -> Converter:
    if item is _same:
        return tuple
    return lambda values: tuple(item(value) for value in values)


def _record(model: type[BaseModel]) -> Converter:
    return lambda value: construct(model, value)


_SCALARS: tuple[tuple[type, Converter], ...] = ((float, float), (str, _same), (int, _same), (bool, _same))
"""How a JSON scalar becomes a field's value: an integer where a float is typed becomes a float, as pydantic
makes it; any other scalar is its own value."""


def _converter(annotation: Any) -> Converter:
    """How a JSON value becomes the Python value of a field typed ``annotation``."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _converter(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return _optional(_converter(_only_option(annotation)))
    if origin is tuple:
        return _tuple_of(_converter(get_args(annotation)[0]))
    if isinstance(annotation, type):
        return _class_converter(annotation)
    raise TypeError(f"no trusted construction for fields of type {annotation!r}")


def _only_option(union: Any) -> Any:
    """The one type of an optional ``union`` (``X | None``); a union of types has no trusted construction."""
    options = [option for option in get_args(union) if option is not type(None)]
    if len(options) != 1:
        raise TypeError(f"no trusted construction for the union {union!r}")
    return options[0]


def _class_converter(annotation: type) -> Converter:
    """How a JSON value becomes a vocabulary member, a record or a scalar."""
    if issubclass(annotation, Enum):
        return annotation
    if issubclass(annotation, BaseModel):
        return _record(annotation)
    for scalar, converter in _SCALARS:
        if annotation is scalar:
            return converter
    raise TypeError(f"no trusted construction for fields of type {annotation!r}")


@cache
def _plan(model: type[BaseModel]) -> tuple[tuple[str, Converter, bool], ...]:
    return tuple(
        (name, _converter(field.annotation), field.is_required()) for name, field in model.model_fields.items()
    )


def construct(model: type[Model], data: dict[str, Any]) -> Model:
    """The record ``model`` of already-validated JSON ``data`` (its ``model_dump(mode="json")``).

    A required field the data lacks is a ``ValueError`` naming it: trusted data can still be damaged.
    """
    if not isinstance(data, dict):
        raise ValueError(f"{model.__name__}: expected an object, found {type(data).__name__}")
    fields = {}
    for name, convert, required in _plan(model):
        if name in data:
            fields[name] = convert(data[name])
        elif required:
            raise ValueError(f"{model.__name__}: the field {name!r} is missing")
    return model.model_construct(**fields)
