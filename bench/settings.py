"""What a benchmark run measures: how many runs and rounds each scenario gets, and what the tools get."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_RUNS = {"small": 3, "medium": 3, "large": 2}
REINDEX_RUNS = 5
WARM_ROUNDS = 5
COLD_RUNS = 20
COLD_QUERY = "transaction isolation"


@dataclass
class Settings:
    """How much to measure: the run counts of each scenario and what the tools get."""

    runs: int | None = None  # full ingest runs per tool; None: DEFAULT_RUNS of the tier
    reindex_runs: int = REINDEX_RUNS
    warm_rounds: int = WARM_ROUNDS
    cold_runs: int = COLD_RUNS
    cold_query: str = COLD_QUERY
    workers: int | None = None  # searcher index --workers N; None: its own default
    exclude: list[str] = field(default_factory=list)

    def ingest_runs(self, tier: str) -> int:
        """Full ingest runs per tool on ``tier``."""
        return self.runs or DEFAULT_RUNS[tier]
