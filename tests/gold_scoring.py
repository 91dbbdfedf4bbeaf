"""The seed gold file's matching rules, as code (used by the extraction and merging tests)."""
from __future__ import annotations

from dataclasses import dataclass, field

from geo.merge import km_between


def _date_ok(pred_date: str | None, gold_date: str | None) -> bool:
    """Within a day when both are days; else equal at the coarser precision; undated only matches undated."""
    if gold_date is None or pred_date is None:
        return gold_date is None and pred_date is None
    if len(pred_date) == 10 and len(gold_date) == 10:
        from datetime import date

        return abs((date.fromisoformat(pred_date) - date.fromisoformat(gold_date)).days) <= 1
    width = min(len(pred_date), len(gold_date))
    return pred_date[:width] == gold_date[:width]


def _place_ok(pred: dict, gold: dict) -> bool:
    if pred.get("lat") is None or pred.get("geo_precision") is None:
        return False
    if pred["geo_precision"] >= 3:
        return pred.get("country") == gold["country"]
    return km_between(pred["lat"], pred["lon"], gold["lat"], gold["lon"]) <= 50


def matches(pred: dict, gold: dict) -> bool:
    """Does a predicted event match a gold event (type, date, place, and a shared source)?"""
    return (
        pred["event_type"] in gold["event_type"]
        and bool(set(pred["sources"]) & set(gold["sources"]))
        and _date_ok(pred["event_date"], gold["date"])
        and _place_ok(pred, gold)
    )


def accepted_fatalities(gold: dict) -> list:
    return gold.get("fatalities_accepted", [gold.get("fatalities")])


@dataclass
class Score:
    """Recall, precision, fatality and actor agreement on the gold events."""

    required_found: list[str] = field(default_factory=list)
    required_missed: list[str] = field(default_factory=list)
    predicted: int = 0
    matched_predictions: int = 0
    fatalities_ok: int = 0
    actor1_ok: int = 0
    duplication: float = 0.0
    unmatched: list[dict] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        total = len(self.required_found) + len(self.required_missed)
        return len(self.required_found) / total if total else 1.0

    @property
    def precision(self) -> float:
        return self.matched_predictions / self.predicted if self.predicted else 0.0

    @property
    def fatality_agreement(self) -> float:
        return self.fatalities_ok / self.matched_predictions if self.matched_predictions else 0.0

    @property
    def actor_agreement(self) -> float:
        return self.actor1_ok / self.matched_predictions if self.matched_predictions else 0.0

    def summary(self) -> str:
        return (f"recall={self.recall:.2f} ({len(self.required_found)}/{len(self.required_found) + len(self.required_missed)} required)"
                f" precision={self.precision:.2f} ({self.matched_predictions}/{self.predicted})"
                f" fatalities={self.fatality_agreement:.2f} actor1={self.actor_agreement:.2f}"
                f" duplication={self.duplication:.2f}")


def score(predictions: list[dict], gold: dict) -> Score:
    """Score predicted event rows against ``gold["events"]``."""
    result = Score(predicted=len(predictions))
    events = sorted(gold["events"], key=lambda g: g["status"] != "required")
    matched_gold: dict[str, int] = {}
    for pred in predictions:
        hits = [g for g in events if matches(pred, g)]
        if not hits:
            result.unmatched.append(pred)
            continue
        result.matched_predictions += 1
        # Credit the prediction to the gold event it agrees with best.
        best = max(hits, key=lambda g: (pred["actor1"] in g["actor1"], pred["event_date"] == g["date"],
                                        pred["fatalities"] in accepted_fatalities(g)))
        matched_gold[best["id"]] = matched_gold.get(best["id"], 0) + 1
        if pred["fatalities"] in accepted_fatalities(best):
            result.fatalities_ok += 1
        else:
            result.disagreements.append(f"{best['id']}: fatalities {pred['fatalities']} not in {accepted_fatalities(best)}")
        if pred["actor1"] in best["actor1"]:
            result.actor1_ok += 1
        else:
            result.disagreements.append(f"{best['id']}: actor1 {pred['actor1']!r} not in {best['actor1']}")
    for g in gold["events"]:
        if g["status"] == "required":
            found = any(matches(p, g) for p in predictions)
            (result.required_found if found else result.required_missed).append(g["id"])
    result.duplication = sum(matched_gold.values()) / len(matched_gold) if matched_gold else 0.0
    return result
