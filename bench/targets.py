"""The project's benchmark goals, as one table of data that the report reads.

Each target names a figure (computed by ``bench.report.FIGURES`` from one
tier's results, or from two tiers' for a cross-tier figure), the tiers where
it applies, a threshold and a direction.  Changing a goal is a change to this
table only.
"""

from __future__ import annotations

from dataclasses import dataclass

AT_MOST = "at most"
AT_LEAST = "at least"


@dataclass(frozen=True)
class Target:
    """One goal: ``figure`` on ``tiers`` must be ``direction`` ``threshold``."""

    check: str  # the name in the JSON results' "checks"
    figure: str  # a key of bench.report.FIGURES
    compares: str  # what the figure is, in words
    tiers: tuple[str, ...]  # where the goal applies ("medium→large" for a cross-tier figure)
    threshold: float
    direction: str = AT_MOST
    unit: str = "ratio"  # how the threshold is shown: ratio, x, MiB, ms, share
    note: str = ""

    def passes(self, value: float) -> bool:
        """Whether ``value`` meets the goal."""
        if self.direction == AT_MOST:
            return value <= self.threshold
        if self.direction == AT_LEAST:
            return value >= self.threshold
        raise ValueError(f"unknown direction {self.direction!r} of target {self.check}")

    def shown(self) -> str:
        """The goal as the table's target column shows it, e.g. ``≤ 400 MiB``."""
        sign = "≤" if self.direction == AT_MOST else "≥"
        t = self.threshold
        amount = {
            "ratio": f"{t:.3f}",
            "x": f"{t:g}x",
            "MiB": f"{t:g} MiB",
            "ms": f"{t:g} ms",
            "share": f"{t * 100:g}% of full",
            "growth": f"{t:.2f}",
        }[self.unit]
        return f"{sign} {amount}" + (f" ({self.note})" if self.note else "")


CROSS = "medium→large"

TARGETS: tuple[Target, ...] = (
    Target(
        "ingest_3_5x_faster",
        "ingest_wall_ratio",
        "full ingest wall time, searcher ÷ baseline",
        ("medium",),
        1 / 3.5,
        note="3.5x faster",
    ),
    Target(
        "peak_rss_large",
        "ingest_peak_rss_mib",
        "searcher's peak RSS over its process tree during a full ingest, MiB",
        ("large",),
        400,
        unit="MiB",
    ),
    Target(
        "reindex_nothing",
        "reindex_nothing_share",
        "reindex with nothing changed ÷ searcher's full ingest",
        ("medium", "large"),
        0.02,
        unit="share",
    ),
    Target(
        "reindex_one_file",
        "reindex_one_file_share",
        "reindex with one file changed ÷ searcher's full ingest",
        ("medium", "large"),
        0.05,
        unit="share",
    ),
    Target("warm_p50_large", "warm_p50_ms", "warm query p50 over the queries, ms", ("large",), 5, unit="ms"),
    Target("warm_p95_large", "warm_p95_ms", "warm query p95 over the queries, ms", ("large",), 20, unit="ms"),
    Target(
        "cold_vs_whoosh",
        "cold_vs_whoosh",
        "cold `searcher search --json` p50 ÷ the minimal Whoosh script's p50",
        ("small", "medium", "large"),
        1.3,
        unit="x",
    ),
    Target(
        "linear_cost",
        "seconds_per_mb_growth",
        "searcher's full-ingest seconds per MB, large ÷ medium",
        (CROSS,),
        1.2,
        unit="growth",
    ),
)


def target_for(figure: str, tier: str, targets: tuple[Target, ...] = TARGETS) -> Target | None:
    """The goal set for ``figure`` on ``tier``, if any."""
    for t in targets:
        if t.figure == figure and tier in t.tiers:
            return t
    return None
