"""Metrics the program computes from its own data, so an indicator bound to one needs no typing.

Each capability registers its metrics here (staff now; databank, results and routes as they arrive). A metric
answers for a day: its value as of that day, or None when there is nothing to compute it from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from models.db import Database
from models.i18n import N_

# Pension age as the 2019 reform sets it when fully in force: women 60, men 65. Staff without a recorded
# gender count by the lower age, which errs on the side of flagging.
PENSION_AGE = {"f": 60, "m": 65, None: 60}


class Metric(NamedTuple):
    key: str
    label: str  # marked with N_, translated where shown
    unit: str
    compute: Callable[[Database, dt.date], float | None]


METRICS: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    METRICS[metric.key] = metric
    return metric


# Capabilities that register metrics of their own; imported on first use, since they import this module.
PROVIDERS = ("models.analytics", "models.routes")


def _load_providers() -> None:
    import importlib

    for name in PROVIDERS:
        importlib.import_module(name)


def choices() -> tuple[tuple[str, str], ...]:
    """(key, label) pairs for an indicator's "computed from" field."""
    _load_providers()
    return tuple((m.key, m.label) for m in METRICS.values())


def value(db: Database, key: str, on: dt.date) -> float | None:
    if key not in METRICS:
        _load_providers()
    return METRICS[key].compute(db, on)


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _teachers_on(db: Database, on: dt.date) -> list[tuple]:
    """Staff at the school on that day (hired by then and still working) — the denominator of staff shares."""
    return db.execute(
        "SELECT id, birth_year, gender, young_specialist FROM staff "
        "WHERE active = 1 AND (hired_on IS NULL OR hired_on <= ?)",
        [on.isoformat()],
    ).fetchall()


def _pd_share(db: Database, on: dt.date) -> float | None:
    staff = _teachers_on(db, on)
    since = dt.date(on.year - 3, on.month, min(on.day, 28) if on.month == 2 else on.day)
    trained = {
        row[0]
        for row in db.execute(
            "SELECT DISTINCT staff_id FROM pd_course WHERE end_date > ? AND end_date <= ?",
            [since.isoformat(), on.isoformat()],
        )
    }
    return _share(sum(1 for s in staff if s[0] in trained), len(staff))


def _young_share(db: Database, on: dt.date) -> float | None:
    staff = _teachers_on(db, on)
    return _share(sum(1 for s in staff if s[3]), len(staff))


def _pension_share(db: Database, on: dt.date) -> float | None:
    staff = _teachers_on(db, on)
    return _share(sum(1 for s in staff if s[1] and on.year - s[1] >= PENSION_AGE.get(s[2], 60)), len(staff))


register(Metric("staff_pd_3y", N_("Share of staff with a PD course in the last three years"), "%", _pd_share))
register(Metric("staff_young", N_("Share of young specialists among staff"), "%", _young_share))
register(Metric("staff_pension", N_("Share of staff of pension age"), "%", _pension_share))
