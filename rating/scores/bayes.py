"""The score formula of PRODUCT.md section 5, in one place."""


def bayesian(total: float, count: int, prior_mean: float, prior_weight: float) -> float:
    """(C·m + Σx) / (C + n): as if every profile started with C reviews of m stars."""
    return (prior_weight * prior_mean + total) / (prior_weight + count)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
