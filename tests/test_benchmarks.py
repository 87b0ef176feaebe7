"""The benchmark's pages section (benchmarks/run.py) runs on a small school and its table names what it gates."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_pages_benchmark_visits_every_page_after_the_warm_up(qtbot, demo_db, db_path, tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import run
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from ui.main_window import PAGES

    result = run.bench_pages(tmp_path, db_path, runs=1)
    keys = {s.key for s in PAGES}
    assert set(result["first_ms"]) == set(result["revisit_ms"]) == keys
    assert 0 < result["warm_up"]["longest_step_ms"] <= result["warm_up"]["done_after_ms"]
    cold = run.bench_pages(tmp_path, db_path, runs=1, warm=False)
    assert cold["warm_up"] == {} and set(cold["first_ms"]) == keys
    table = run.tabulate({"pages": {**result, "cold_first_ms": cold["first_ms"]}})
    gated = [row[0] for row in table.rows if row[5] in ("yes", "NO")]
    assert [g.split(" (")[0] for g in gated] == [
        "switching pages, revisit: slowest page's median",
        "switching pages, first visit: slowest page",
    ]
