"""Curated overlays on the extracted figures: one small TOML file per case, keyed by span.

``sources/batch<N>/metrics/b<N>-<NN>.toml`` holds, for one case:

- ``[[metric]]``: every figure the rules extract, with its ``description_en`` and, where the rules
  decide wrongly, overrides of ``role``, ``direction``, ``as_of``, ``per`` or ``qualifier`` with a
  one-line ``reason``;
- ``[[not_metric]]``: a figure the rules extract that is not a metric, or an Arabic numeral no rule
  explains, with its ``reason``;
- ``[[effect]]``: every effect the rules find (``ftz_reforms.text.effects``), named by the figures it links
  (``before``, ``after``, ``change``), with its ``measure`` and ``description_en``; an entry the rules do not
  find (a link they miss, or one they make differently) carries a ``reason`` and replaces the rules' effects
  that share a figure with it; ``direction`` and ``baseline`` overrides carry a ``reason`` too;
- ``[[not_effect]]``: an effect the rules find that the text does not state, with its ``reason``.

Roles follow from the effects (``ROLE_RULE``): the ends of an effect are before/after, its change a change,
every other figure a level or a rank; so an entry never sets a role.

An entry names its figure by ``span`` (the exact normalized text) and, when the same span occurs more
than once in the case, by ``occurrence`` (1-based, in document order). Build-time only.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from ftz_reforms.errors import FtzReformsError
from ftz_reforms.model.bounds import json_path
from ftz_reforms.model.vocab import Direction, Measure, Qualifier

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "CaseOverlay",
    "EffectEntry",
    "FigureKey",
    "MetricEntry",
    "NotEffectEntry",
    "NotMetricEntry",
    "OverlayError",
    "describe_validation_error",
    "load_overlays",
    "read_case_files",
    "read_toml",
]

Model = TypeVar("Model", bound=BaseModel)

Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False)]
_FILE_NAME = re.compile(r"^b([0-9]+)-([0-9]{2,})\.toml$")


class OverlayError(FtzReformsError, ValueError):
    """An overlay file is malformed or does not match the figures; the message names file and entry."""


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    span: Text = Field(description="Exact normalized text of the figure.")
    occurrence: int = Field(default=1, ge=1, description="Which occurrence of the span in the case.")

    @property
    def key(self) -> tuple[str, int]:
        return self.span, self.occurrence


class FigureKey(BaseModel):
    """An earlier figure of the same case, named as entries name theirs: span and occurrence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    span: Text
    occurrence: int = Field(default=1, ge=1)

    @property
    def key(self) -> tuple[str, int]:
        return self.span, self.occurrence


_OVERRIDES = ("as_of", "clear_as_of", "per", "qualifier", "restates", "baseline", "since")


class MetricEntry(_Entry):
    """Curation of one extracted figure."""

    description_en: Text = Field(description="What is measured, in a short English phrase.")
    as_of: str | None = None
    clear_as_of: bool = Field(default=False, description="The figure is pinned to no time, whatever the rules found.")
    per: tuple[Text, ...] | None = None
    qualifier: Qualifier | None = None
    restates: FigureKey | None = Field(default=None, description="The earlier figure of the case this one repeats.")
    baseline: str | None = Field(default=None, description="What the change is compared with, where the rules miss it.")
    since: str | None = Field(default=None, description="The start of a cumulative figure, where the rules miss it.")
    reason: Text | None = Field(default=None, description="Why the rules' decision is overridden.")

    @model_validator(mode="after")
    def _overrides_need_a_reason(self) -> MetricEntry:
        overrides = [name for name in _OVERRIDES if getattr(self, name)]
        if overrides and not self.reason:
            raise ValueError(f"overriding {', '.join(overrides)} needs a one-line 'reason'")
        if self.clear_as_of and self.as_of:
            raise ValueError("as_of and clear_as_of contradict each other: give one")
        return self

    def overrides(self) -> dict[str, Any]:
        """The fields this entry sets on the metric, beyond the description (``restates`` still as a key)."""
        fields: dict[str, Any] = {"description_en": self.description_en}
        for name in ("as_of", "per", "qualifier", "baseline", "since"):
            value = getattr(self, name)
            if value is not None:
                fields[name] = value
        if self.clear_as_of:
            fields["as_of"] = None
        return fields


class NotMetricEntry(_Entry):
    """A figure or numeral that is not a metric, and why."""

    reason: Text = Field(description="Why this is not a metric.")


FigureRef = Annotated[Text | FigureKey, Field(description="A figure of the case: its span, or {span, occurrence}.")]


def _key_of(reference: str | FigureKey | None) -> tuple[str, int] | None:
    if reference is None:
        return None
    return (reference, 1) if isinstance(reference, str) else reference.key


class _EffectLinks(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    before: FigureRef | None = None
    after: FigureRef | None = None
    change: FigureRef | None = None

    @model_validator(mode="after")
    def _links_a_figure(self) -> _EffectLinks:
        if self.before is None and self.after is None and self.change is None:
            raise ValueError("an effect names at least one figure: before, after or change")
        return self

    @property
    def key(self) -> tuple[tuple[str, int] | None, ...]:
        """(before, after, change), each a figure key or None: how rules' effects and entries are matched."""
        return _key_of(self.before), _key_of(self.after), _key_of(self.change)


class EffectEntry(_EffectLinks):
    """Curation of one effect: what it measures and what changed, and the links where the rules miss them."""

    measure: Measure
    description_en: Text = Field(description="What changed, in a short English phrase.")
    direction: Direction | None = None
    baseline: str | None = None
    clear_baseline: bool = Field(default=False, description="The effect names no baseline, whatever the rules found.")
    relative_change_caveat: Text | None = Field(
        default=None, description="What the text leaves open about the relative change (percent or points?)."
    )
    restates: FigureRef | None = Field(
        default=None, description="A figure of the earlier effect of the case that this statement repeats."
    )
    reason: Text | None = Field(default=None, description="Why this effect differs from what the rules find.")

    @model_validator(mode="after")
    def _overrides_need_a_reason(self) -> EffectEntry:
        overrides = [name for name in ("direction", "baseline", "clear_baseline", "restates") if getattr(self, name)]
        if overrides and not self.reason:
            raise ValueError(f"overriding {', '.join(overrides)} needs a one-line 'reason'")
        return self


class NotEffectEntry(_EffectLinks):
    """An effect the rules find that the text does not state, and why."""

    reason: Text = Field(description="Why this is not an effect.")


class CaseOverlay(BaseModel):
    """Everything curated for one case."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: tuple[MetricEntry, ...] = ()
    not_metric: tuple[NotMetricEntry, ...] = ()
    effect: tuple[EffectEntry, ...] = ()
    not_effect: tuple[NotEffectEntry, ...] = ()


def describe_validation_error(error: ValidationError) -> str:
    """Every error of ``error`` as ``location: message``, joined by semicolons."""
    parts = []
    for item in error.errors():
        parts.append(f"{json_path(tuple(item['loc']))}: {item['msg']}")
    return "; ".join(parts)


def read_toml(path: Path, model: type[Model], what: str = "file") -> Model:
    """One curated TOML file, validated as ``model``; the one reader of every overlay and the glossary.

    A missing file, invalid TOML or a value the model refuses is an :class:`OverlayError` naming the
    file and every problem.
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OverlayError(f"{path}: the {what} is missing") from None
    except tomllib.TOMLDecodeError as error:
        raise OverlayError(f"{path}: not valid TOML ({error})") from None
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise OverlayError(f"{path}: {describe_validation_error(error)}") from None


def read_case_files(directory: Path, batch: int, model: type[Model], what: str) -> dict[int, Model]:
    """The per-case TOML files of ``directory`` (``b5-01.toml`` …), validated, by case number."""
    if not directory.is_dir():
        raise OverlayError(f"{directory}: the {what} directory is missing")
    found: dict[int, Model] = {}
    for path in sorted(directory.glob("*.toml")):
        name = _FILE_NAME.match(path.name)
        if name is None or int(name.group(1)) != batch:
            raise OverlayError(f"{path}: {what} files are named b{batch}-NN.toml after their case")
        found[int(name.group(2))] = read_toml(path, model, what)
    return found


def load_overlays(directory: Path, batch: int) -> dict[int, CaseOverlay]:
    """Metric overlays by case number, read from ``directory`` (``b5-01.toml`` …)."""
    overlays = read_case_files(directory, batch, CaseOverlay, "overlay")
    for number, overlay in overlays.items():
        keys = [entry.key for entry in (*overlay.metric, *overlay.not_metric)]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise OverlayError(f"{directory / f'b{batch}-{number:02d}.toml'}: more than one entry for {duplicates}")
    return overlays
