"""`icc backup PATH`: a consistent copy of a live SQLite store.

SQLite's online backup copies the database page by page and starts again if a
writer changes it meanwhile, so the copy is the store as it stood at one
moment, commands being written or not. The master key file goes along
(beside the copy, as `PATH.key`): without it the copy's personal data cannot
be read.
"""

import shutil
import sqlite3
from pathlib import Path

from app.config import Settings

PAGES_PER_STEP = 1024  # copied between chances for writers to get in


def backup(settings: Settings, target: Path) -> None:
    if target.exists():
        raise FileExistsError(f"{target} exists; a backup never overwrites")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with (
        sqlite3.connect(settings.sqlite_path, timeout=10) as source,
        sqlite3.connect(partial) as copy,
    ):
        source.backup(copy, pages=PAGES_PER_STEP)
    key = settings.master_key_path
    if not settings.master_key and key.exists():
        shutil.copy2(key, target.with_name(target.name + ".key"))
    partial.rename(target)  # only a finished copy carries the name asked for
