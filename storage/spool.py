"""A spool on local disk for reports taken while the database is down.

Each report is one JSON file, written to a temporary name, fsynced and renamed into place,
so a reader never sees half a file and a crash leaves either the whole report or none.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

SUFFIX = ".json"


class ReportSpool:
    """`put` a report, list the waiting ones, `remove` one after it became a ticket."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def put(self, record: dict[str, Any]) -> str:
        """Write `record` atomically; returns its id (also stored in the record)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        spool_id = record.get("id") or f"{record.get('at', '')[:19].replace(':', '')}-{secrets.token_hex(6)}"
        record = {**record, "id": spool_id}
        tmp = self.directory / f".{spool_id}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(record, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.directory / f"{spool_id}{SUFFIX}")
        return spool_id

    def waiting(self) -> list[dict[str, Any]]:
        """The spooled reports, oldest first (unreadable files are skipped, never deleted)."""
        if not self.directory.is_dir():
            return []
        found = []
        for path in sorted(self.directory.glob(f"*{SUFFIX}")):
            try:
                found.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
        return found

    def has_waiting(self) -> bool:
        """Cheap check: any report on disk at all."""
        return self.directory.is_dir() and any(self.directory.glob(f"*{SUFFIX}"))

    def remove(self, spool_id: str) -> None:
        """Delete one report (after its ticket is committed)."""
        (self.directory / f"{spool_id}{SUFFIX}").unlink(missing_ok=True)
