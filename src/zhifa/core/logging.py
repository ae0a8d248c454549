"""Log records carry the request id (the same id the audit log records for the request)."""

from __future__ import annotations

import logging

from .context import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True
