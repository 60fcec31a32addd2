"""The CI quality gate: compare a run's totals with the bounds in thresholds.yaml."""

from __future__ import annotations

import math
from pathlib import Path

import yaml

from kb.errors import EvalFileError

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.yaml"  # the CI gate's bounds


def load_thresholds(path: Path, set_name: str) -> dict[str, dict[str, float]]:
    """The bounds for one eval set: thresholds.yaml maps a set's name to its `min:` and `max:`."""
    try:
        data = yaml.safe_load(Path(path).read_text()) or {}
    except (OSError, yaml.YAMLError) as e:
        raise EvalFileError(f"cannot read thresholds {path}: {e}") from e
    if not isinstance(data, dict) or set_name not in data:
        known = ", ".join(data) if isinstance(data, dict) else "none"
        raise EvalFileError(f"{path} has no bounds for the set {set_name!r} (it has: {known})")
    bounds = data[set_name]
    if not isinstance(bounds, dict) or set(bounds) - {"min", "max"}:
        raise EvalFileError(f"{path}: {set_name}: expected 'min:' and/or 'max:' mappings of metric: number")
    return {k: {m: float(v) for m, v in (bounds.get(k) or {}).items()} for k in ("min", "max")}


def violations(totals: dict[str, float], bounds: dict[str, dict[str, float]]) -> list[str]:
    """Metrics past their bounds, one line each.

    >>> bounds = {"min": {"mrr": 0.7}, "max": {"false_refusal_rate": 0.1}}
    >>> violations({"mrr": 0.5, "false_refusal_rate": 0.0}, bounds)
    ['mrr = 0.500, below the minimum 0.700']
    """
    out = []
    for name, low in bounds.get("min", {}).items():
        if name not in totals:
            raise EvalFileError(f"thresholds name an unknown metric {name!r}")
        if math.isnan(totals[name]):
            out.append(f"{name} has no questions to measure it in this set")
        elif totals[name] < low:
            out.append(f"{name} = {totals[name]:.3f}, below the minimum {low:.3f}")
    for name, high in bounds.get("max", {}).items():
        if name not in totals:
            raise EvalFileError(f"thresholds name an unknown metric {name!r}")
        if totals[name] > high:
            out.append(f"{name} = {totals[name]:.3f}, above the maximum {high:.3f}")
    return out
