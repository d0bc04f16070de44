"""Process logging: plain text to stderr, phone numbers masked in every record."""

from __future__ import annotations

import logging
import sys

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


def configure_logging(level: str = "INFO") -> None:
    """One stderr handler on the root logger; idempotent (tests call it repeatedly)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_wuye", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(MaskPhones())
    handler._wuye = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # The access log repeats what our own lines say; keep it for DEBUG only.
    logging.getLogger("aiohttp.access").setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
