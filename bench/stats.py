"""What every benchmark reports the same way: percentiles and goals."""

import math
import operator

# A goal is (comparison, limit): ("<=", 150.0) reads "at most 150".
COMPARISONS = {">=": operator.ge, "<=": operator.le, "==": operator.eq, "<": operator.lt}


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (the smallest value with at least ``fraction`` of the
    values at or below it); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def goals_verdict(result: dict, goals: dict[str, tuple[str, float]]) -> dict:
    """Each goal with the value measured and whether it was met, as the results files keep
    them."""
    return {
        name: {
            "goal": f"{comparison} {limit}",
            "value": result[name],
            "met": bool(COMPARISONS[comparison](result[name], limit)),
        }
        for name, (comparison, limit) in goals.items()
    }
