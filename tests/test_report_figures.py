"""The report's databank figures follow the period: counted here from the entries themselves, for several periods.

(Until this test the period's dates were bound to the queries' named parameters as the words "start" and "end":
every period showed the same figures, with nothing identified or resolved in it.)"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from models import periods, report


def expected(db, period: periods.Period) -> dict[str, tuple[int, int, int]]:
    start, end = period.start.isoformat(), period.end.isoformat()
    at_end, new, resolved = Counter(), Counter(), Counter()
    found = db.execute(
        "SELECT c.name, e.identified_on, e.closed_on, e.status FROM databank_entry e "
        "JOIN ref_item c ON c.id = e.category_id"
    )
    for category, identified, closed, status in found:
        at_end[category] += identified <= end and (closed is None or closed > end)
        new[category] += start <= identified <= end
        resolved[category] += closed is not None and start <= closed <= end and status == "resolved"
    return {c: (at_end[c], new[c], resolved[c]) for c in at_end}


def test_databank_section_counts_the_period_s_entries(demo_db):
    days = [r[0] for r in demo_db.execute("SELECT identified_on FROM databank_entry ORDER BY identified_on")]
    assert days
    latest = dt.date.fromisoformat(days[-1])
    checked_new = 0
    for day in (latest, dt.date.fromisoformat(days[len(days) // 2]), dt.date.fromisoformat(days[0])):
        period = periods.current_quarter(day)
        section = next(s for s in report.build(demo_db, period, today=latest).sections if s.key == "databank")
        got = {row[0]: tuple(row[1:]) for row in section.rows}
        want = expected(demo_db, period)
        assert {c: got.get(c, (0, 0, 0)) for c in want} == want, period.key
        checked_new += sum(n for _a, n, _r in want.values())
    assert checked_new > 0  # the periods chosen do hold entries identified in them
