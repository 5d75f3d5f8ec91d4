"""Precision, recall and F1 from (predicted, truth) pairs: shared by the evaluation scripts."""

from __future__ import annotations

from collections.abc import Iterable


def prf_counts(
    pairs: Iterable[tuple[bool, bool]], empty_precision: float = 0.0
) -> dict[str, float]:
    """Precision, recall, F1 and the four counts; ``empty_precision`` when nothing is predicted."""
    tp = fp = fn = tn = 0
    for predicted, truth in pairs:
        tp += predicted and truth
        fp += predicted and not truth
        fn += (not predicted) and truth
        tn += (not predicted) and not truth
    precision = tp / (tp + fp) if tp + fp else empty_precision
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn}  # fmt: skip
