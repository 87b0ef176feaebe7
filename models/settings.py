"""Per-user settings (language, …) in a small JSON file beside the default database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from models.paths import settings_path

DEFAULTS: dict[str, Any] = {"language": "ru", "backup_count": 10}


def load(path: Path | None = None) -> dict[str, Any]:
    path = path or settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        text = ""
    try:
        import json  # only when there is a file: most starts have none

        data = json.loads(text) if text else {}
    except ValueError:
        data = {}
    return (
        {**DEFAULTS, **{k: v for k, v in data.items() if k in DEFAULTS}} if isinstance(data, dict) else dict(DEFAULTS)
    )


def save(values: dict[str, Any], path: Path | None = None) -> None:
    path = path or settings_path()
    import json

    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({**load(path), **values}, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
