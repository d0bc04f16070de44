"""Process logging: plain text to stderr, phone numbers masked in every record."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from handlers.util import mask_phones

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class MaskPhones(logging.Filter):
    """Rewrites each record's message (and traceback) with phone numbers masked.

    Installed on the handler, not a logger: handler filters also see records that
    propagate up from other loggers (aiohttp's access log, SQLAlchemy, ours).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask in place; never drops a record."""
        record.msg = mask_phones(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_phones(record.exc_text)
        return True


def configure_logging(level: str = "INFO") -> Callable[[], None]:
    """One masked stderr handler on the root logger; returns the function that undoes it.

    The undo matters when `main()` runs inside another program (tests): a handler left
    behind would keep writing to a stream that is gone.
    """
    root = logging.getLogger()
    access = logging.getLogger("aiohttp.access")
    # Alembic announces each of its plugins at INFO on every start: noise before the one line
    # that matters (and before the error line of a failed start).
    plugins = logging.getLogger("alembic.runtime.plugins")
    saved = (root.level, access.level, plugins.level)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(MaskPhones())
    root.addHandler(handler)
    root.setLevel(level)
    # The access log repeats what our own lines say; keep it for DEBUG only.
    access.setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    plugins.setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)

    def undo() -> None:
        root.removeHandler(handler)
        root.setLevel(saved[0])
        access.setLevel(saved[1])
        plugins.setLevel(saved[2])

    return undo
