"""Facts about a worksite that nobody has asked for yet: gaps to close, shown beside the
score, never silent points."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Gap:
    fact: str  # the field that is missing
    question: str  # what is not known, as a person would ask it
    how: str  # how to close the gap


def site_gaps(
    *,
    dprk_workers: str,
    total_workers: int | None,
    migrant_workers: int | None,
) -> tuple[Gap, ...]:
    """What has not been asked about a worksite yet."""
    gaps = []
    if dprk_workers == "not_asked":
        gaps.append(
            Gap(
                "dprk_workers",
                "whether North Korean nationals are employed",
                "ask in the questionnaire (CAATSA 321(b) cannot be ruled out until then)",
            )
        )
    if total_workers is None:
        gaps.append(Gap("total_workers", "how many people work here", "ask in the questionnaire"))
    elif migrant_workers is None:
        gaps.append(
            Gap(
                "migrant_workers",
                "how many of the workers are migrants",
                "ask in the questionnaire",
            )
        )
    return tuple(gaps)
