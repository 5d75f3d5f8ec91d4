"""Result types of the free-text scanner (:mod:`procurewatch.match.text`)."""

from __future__ import annotations

from dataclasses import dataclass

TEXT_RULES = ("name", "brand", "alias", "model")
"""How a text hit was found: the entity's caption or legal name, a brand, another name, or a
model number of one of its product families."""


@dataclass(frozen=True, slots=True)
class TextHit:
    """One finding in a free-text field, with the exact original span and why it counts."""

    start: int
    """Start offset in the original text."""
    end: int
    """End offset (exclusive) in the original text: ``text[start:end] == matched_text``."""
    matched_text: str
    """The original characters that matched."""
    rule: str
    """One of :data:`TEXT_RULES`."""
    entity_id: str
    """The entity the name belongs to, or the maker of the product family."""
    name_kind: str | None
    """For name hits: the :class:`~procurewatch.model.Name` kind (``legal``, ``brand``,
    ``local`` ...) or ``caption``; None for model hits."""
    family_id: str | None
    """For model hits: the :class:`~procurewatch.model.ProductFamily` id; None for name hits."""
    score: float
    """Confidence in 0..1."""
    detail: str
    """Human-readable explanation of the hit."""
    set_aside: str = ""
    """Why the context rules set this mention aside (``exclusion: 'no' before it``, a reference
    use, a place, a person ...); empty when the text uses the name affirmatively."""
