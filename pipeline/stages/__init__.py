"""The stages: one ordered, named list, and the function that runs it.

    normalise   str        -> Normalised   (pipeline.stages.normalise)
    segment     Normalised -> Document     (pipeline.stages.segment)
    footnotes   Document   -> Document     (pipeline.stages.footnotes)

Then ``pipeline.emit`` writes AKN XML and JSON from the ``Document`` and validates both.  Stages
are pure: no I/O, no clock; diagnostics go to the context's sink.  Each stage's module docstring is
its contract (what it assumes, what it guarantees, a small example).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..context import Context
from ..model import Document
from . import footnotes, normalise, segment

STAGES: list[tuple[str, Callable[[Any, Context], Any]]] = [
    ("normalise", normalise.normalise),
    ("segment", segment.segment),
    ("footnotes", footnotes.footnotes),
]
STAGE_NAMES = [name for name, _ in STAGES]


def run(text: str, ctx: Context, stop_after: str | None = None) -> Any:
    """Run the stages in order on decoded text; ``stop_after`` names the last stage to run."""
    if stop_after is not None and stop_after not in STAGE_NAMES:
        raise ValueError(f"unknown stage {stop_after!r}; stages are {', '.join(STAGE_NAMES)}")
    value: Any = text
    for name, stage in STAGES:
        value = stage(value, ctx)
        if name == stop_after:
            break
    if isinstance(value, Document):
        value.diagnostics = list(ctx.sink.items)
    return value
