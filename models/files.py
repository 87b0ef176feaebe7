"""Writing a document the user asked for (a report, a printout) to the path they chose, atomically."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from models.i18n import _


def write_atomically(content: bytes, out: str | Path, error: type[Exception]) -> Path:
    """Write `content` next to `out` under a temporary name and rename it over `out`: readers see the old file or
    the whole new one, and a failure leaves no file behind. Raises `error` with a translated sentence."""
    path = Path(out)
    # A plain open() (not mkstemp's 0600) so the file gets the usual permissions on a shared folder.
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with tmp.open("xb") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        message = _("Could not write {path}: {reason}. Is the file open in another program?")
        raise error(message.format(path=path, reason=exc.strerror or exc)) from exc
    return path
