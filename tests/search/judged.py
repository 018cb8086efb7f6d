"""The judged query set and its measures: success@3 (the right page among the first three) and MRR."""

from dataclasses import dataclass
from pathlib import Path

import yaml

from search.queries import PortalSearch, SearchParams

JUDGED = Path(__file__).with_name("judged_queries.yaml")


@dataclass
class Outcome:
    group: str
    query: str
    expected: list[str]
    got: list[str]

    @property
    def rank(self) -> int | None:
        for position, url in enumerate(self.got, start=1):
            if url in self.expected:
                return position
        return None


def judged_queries() -> list[tuple[str, str, list[str]]]:
    data = yaml.safe_load(JUDGED.read_text(encoding="utf-8"))
    return [(group, query, urls) for group, items in data.items() for query, urls in items.items()]


def evaluate(engine: str) -> tuple[float, float, list[Outcome]]:
    outcomes = []
    for group, query, expected in judged_queries():
        response = PortalSearch(SearchParams(q=query, per_page=10)).execute()
        assert response.engine == engine, (query, response.engine)
        outcomes.append(Outcome(group, query, expected, [hit.url for hit in response.hits]))
    success = sum(1 for o in outcomes if o.rank and o.rank <= 3) / len(outcomes)
    mrr = sum(1 / o.rank for o in outcomes if o.rank) / len(outcomes)
    return success, mrr, outcomes


def report(engine: str, success: float, mrr: float, outcomes: list[Outcome]) -> str:
    lines = [f"[{engine}] {len(outcomes)} judged queries: success@3 = {success:.3f}, MRR = {mrr:.3f}"]
    for o in outcomes:
        if not o.rank or o.rank > 3:
            lines.append(f"  miss ({o.group}) {o.query!r}: rank {o.rank}, got {o.got[:3]}")
    return "\n".join(lines)
