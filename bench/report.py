"""The results table (markdown) and the checks against the issue's targets."""

import statistics
from dataclasses import dataclass, field

from bench.pages import LARGE_VS_SMALL_LIMIT, READ_P99_LIMIT_MS, WORKER_RSS_LIMIT_MB, Page
from bench.wrk import Result


@dataclass
class Row:
    """One page on one database: several rounds, or why there are none."""

    page: Page | None  # None: the ceiling
    database: str
    rounds: list[Result] = field(default_factory=list)
    problem: str = ""  # "missing (404)", "error 500", ...
    errors: int = 0
    reference: "Row | None" = None  # the ceiling's rounds just before and after this page

    @property
    def name(self) -> str:
        return self.page.name if self.page else "ceiling: bare Flask + Jinja, same page size"

    @property
    def rps(self) -> float:
        return statistics.median(r.rps for r in self.rounds)

    @property
    def p50(self) -> float:
        return statistics.median(r.p50_ms for r in self.rounds)

    @property
    def p99(self) -> float:
        return max(r.p99_ms for r in self.rounds)  # the worst round: p99 is a promise


def ratio(row: Row, ceiling: Row | None) -> float | None:
    """Requests per second as a share of the ceiling's, measured alongside if it was."""
    reference = row.reference if row.reference and row.reference.rounds else ceiling
    if row.page is None or reference is None or not reference.rounds:
        return 1.0 if row.page is None else None
    return row.rps / reference.rps


def verdict(row: Row, ceiling: Row | None) -> str:
    if row.problem:
        return row.problem
    failed = []
    total = sum(r.requests for r in row.rounds)
    if total == 0:
        return "no answer within a round"
    if row.errors > total * 0.01:
        failed.append(f"{row.errors} errors")
    page = row.page
    share = ratio(row, ceiling)
    if page and page.target and share is not None and share < page.target:
        failed.append(f"below {page.target:.2f}")
    if page and page.method == "GET" and row.p99 > READ_P99_LIMIT_MS:
        failed.append(f"p99 > {READ_P99_LIMIT_MS:g} ms")
    return "; ".join(failed) or "ok"


def table(rows: list[Row], ceiling: Row | None) -> str:
    lines = [
        "| page | database | req/s | × ceiling | target | p50 ms | p99 ms | verdict |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in ([ceiling] if ceiling else []) + rows:
        target = f"≥ {row.page.target:.2f}" if row.page and row.page.target else ""
        if not sum(r.requests for r in row.rounds):
            lines.append(f"| {row.name} | {row.database} | – | – | {target} | – | – | "
                         f"{verdict(row, ceiling)} |")  # fmt: skip
            continue
        share = ratio(row, ceiling)
        shown = f"{share:.2f}" if share is not None else "–"
        lines.append(
            f"| {row.name} | {row.database} | {row.rps:,.0f} | {shown} | {target} "
            f"| {row.p50:.1f} | {row.p99:.1f} | {verdict(row, ceiling)} |"
        )
    return "\n".join(lines)


def _answered(row: Row | None) -> bool:
    return row is not None and sum(r.requests for r in row.rounds) > 0


def large_vs_small(large: Row | None, small: Row | None) -> str:
    name = "business page 50k vs 50 reviews"
    if not (large and small) or large.problem or small.problem:
        return f"{name}: not measured (a page not selected, missing or failed)"
    if not (_answered(large) and _answered(small)):
        return f"{name}: a page answered nothing within a round"
    ratio = large.p50 / small.p50
    return f"{name}, p50 latency: {ratio:.2f}× ({_large_vs_small_verdict(ratio)})"


def _large_vs_small_verdict(ratio: float) -> str:
    return "ok" if ratio <= LARGE_VS_SMALL_LIMIT else f"over {LARGE_VS_SMALL_LIMIT}×"


def uncached_line(large: list[float] | None, small: list[float] | None, problem: str = "") -> str:
    name = "business page 50k vs 50 reviews, rendered from the database one request at a time"
    if problem:
        return f"{name}: not measured ({problem})"
    p50_large, p50_small = statistics.median(large), statistics.median(small)
    ratio = p50_large / p50_small
    verdict = _large_vs_small_verdict(ratio)
    return f"{name}: p50 {p50_large:.1f} ms vs {p50_small:.1f} ms, {ratio:.2f}× ({verdict})"


def rss_line(database: str, rss_mb: list[float]) -> str:
    if not rss_mb:
        return f"gunicorn workers on {database}: RSS not read"
    worst = max(rss_mb)
    mark = "ok" if worst < WORKER_RSS_LIMIT_MB else f"over {WORKER_RSS_LIMIT_MB:g} MB"
    sizes = ", ".join(f"{mb:.0f}" for mb in rss_mb)
    return f"gunicorn workers on {database} after load: RSS {sizes} MB ({mark})"
