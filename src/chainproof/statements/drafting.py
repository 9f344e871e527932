"""The first draft of each section, written from the figures in plain sentences for the
analyst to edit: each figure the section draws on says its one sentence; a section with no
figures lists what the law asks it to cover, as a reminder to write it."""

from __future__ import annotations

from chainproof.domain.statements.regimes import Regime, RegimeSection
from chainproof.statements.figures import Figure


def first_draft(regime: Regime, section: RegimeSection, figures: dict[str, Figure]) -> str:
    sentences: list[str] = []
    for key in section.figures:
        figure = figures.get(key)
        if figure is not None and figure.sentence and figure.sentence not in sentences:
            sentences.append(figure.sentence)
    if not sentences:
        asks = "; ".join(item.rstrip(".") for item in section.must_cover)
        sentences.append(f"[To write: {asks}.]")
    return "\n\n".join(sentences)
