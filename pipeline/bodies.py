"""The UN bodies whose documents the pipeline reads: the one registry.

Everything else that names a body is derived from ``BODIES``: the body codes accepted on the command
line and in side-cars, the enacting formulas and adoption lines the segmenter recognises, the page
debris (mastheads, distribution lines) normalisation removes, symbols made from a resolution number,
and the AKN author (``TLCOrganization``).  A new body is one more row here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Body:
    code: str
    """The author code: ``--body``, the side-car's ``body`` column, ``Metadata.body``, the actor of
    the FRBR IRIs (``/akn/un/statement/deliberation/un-ga-hrc/…``)."""
    chinese: str
    """The body's name as the text prints it (the formula ``人权理事会，``, ``大会2021年…通过的决议``)."""
    symbol_prefix: str
    """Symbol of its resolutions before the number: ``A/HRC/RES/`` + ``54/1``; decisions put ``/DEC/``
    for ``/RES/``."""
    english: str
    """English name: the AKN ``TLCOrganization/@showAs``."""
    short: str
    """English name as the review pages show it, beside the Chinese one."""
    org_id: str
    """The AKN ``TLCOrganization/@eId`` (AKN4UN)."""
    masthead: str
    """Regular expression of the name as a PDF masthead prints it (``大 会``: letter-spaced)."""


BODIES: tuple[Body, ...] = (
    Body("un-ga", "大会", "A/RES/", "General Assembly", "General Assembly", "generalAssembly", r"大\s?会"),
    Body(
        "un-ga-hrc",
        "人权理事会",
        "A/HRC/RES/",
        "Human Rights Council",
        "Human Rights Council",
        "humanRightsCouncil",
        "人权理事会",
    ),
    Body("un-sc", "安全理事会", "S/RES/", "Security Council", "Security Council", "securityCouncil", "安全理事会"),
    Body(
        "un-ecosoc",
        "经济及社会理事会",
        "E/RES/",
        "Economic and Social Council",
        "ECOSOC",
        "economicAndSocialCouncil",
        "经济及社会理事会",
    ),
    Body(
        "un-cd",
        "裁军谈判会议",
        "CD/",
        "Conference on Disarmament",
        "Conference on Disarmament",
        "conferenceOnDisarmament",
        "裁军谈判会议",
    ),
)

CODES: tuple[str, ...] = tuple(b.code for b in BODIES)
BY_CODE: dict[str, Body] = {b.code: b for b in BODIES}
BY_NAME: dict[str, Body] = {b.chinese: b for b in BODIES}

NAMES = "|".join(b.chinese for b in BODIES)
"""Regular-expression alternation of the bodies' names as the text prints them."""
MASTHEAD_NAMES = "|".join(b.masthead for b in BODIES)
"""Regular-expression alternation of the bodies' names as mastheads print them."""


def code_of(name: str | None) -> str | None:
    """The code of a body named in the text (``人权理事会`` -> ``un-ga-hrc``), or None."""
    body = BY_NAME.get(name or "")
    return body.code if body else None
