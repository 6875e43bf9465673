"""Percentiles per endpoint from Locust's samples: the steady window after the ramp; sign-ins over the run."""

from __future__ import annotations

from collections import defaultdict

SIGN_IN = "POST /login (sign-in)"


def percentile(ordered: list[float], share: float) -> float | None:
    """Nearest-rank percentile of sorted values (None when empty)."""
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def figures(samples: list, seconds: float) -> dict:
    """Count, p50/p95/p99, errors, expected 409s, 422s and rate of ``(t, name, ms, failed, status)`` samples."""
    ordered = sorted(s[2] for s in samples)
    return {"requests": len(samples), "p50_ms": percentile(ordered, 0.50), "p95_ms": percentile(ordered, 0.95),
            "p99_ms": percentile(ordered, 0.99), "max_ms": ordered[-1] if ordered else None,
            "errors": sum(1 for s in samples if s[3]), "expected_409": sum(1 for s in samples if s[4] == 409),
            "rejected_422": sum(1 for s in samples if s[4] == 422),
            "requests_per_s": round(len(samples) / seconds, 1) if seconds > 0 else None}


def summarize(samples: list, ramp: float) -> dict:
    """``endpoints`` and ``overall`` over the steady window (t ≥ ramp), ``sign_in`` over the whole run."""
    steady = [s for s in samples if s[0] >= ramp]
    end = max((s[0] for s in samples), default=ramp)
    window = max(end - ramp, 1e-9)
    by_name: dict[str, list] = defaultdict(list)
    for sample in steady:
        by_name[sample[1]].append(sample)
    errors = defaultdict(int)
    for sample in samples:
        if sample[3]:
            errors[f"{sample[1]} -> {sample[4]}"] += 1
    return {
        "steady_window_s": round(window, 1),
        "endpoints": {name: figures(rows, window) for name, rows in sorted(by_name.items())},
        "overall": figures(steady, window),
        "sign_in": figures([s for s in samples if s[1] == SIGN_IN], end),
        "errors_whole_run": dict(errors),
    }
