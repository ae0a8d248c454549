"""The shared cache on Redis, kept answering while Redis restarts.

Django's Redis backend raises when Redis cannot be reached, so a Redis restart would turn every
request that counts a rate limit into a 500. This backend logs the outage and answers as an empty
cache instead: a read misses, a write is dropped, ``add`` reports success, ``incr`` starts at 1.
During the outage, rate limits and lockouts are therefore not enforced (they fail open — the
password check and the axes database records still hold); docs/operations.md has the alert rule.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
OUTAGE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
_last_warning = 0.0


def _outage(exc: Exception) -> None:
    global _last_warning
    if time.monotonic() - _last_warning > 10:  # one line per 10 s, not one per request
        _last_warning = time.monotonic()
        log.warning("cache unreachable, answering as an empty cache: %s", exc)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {
            **params,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, **params.get("OPTIONS", {})},
        }
        super().__init__(server, params)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except OUTAGE as exc:
            _outage(exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except OUTAGE as exc:
            _outage(exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except OUTAGE as exc:
            _outage(exc)
            return False

    def set(self, key, value, timeout=None, version=None, **kwargs):
        try:
            return super().set(key, value, timeout, version)
        except OUTAGE as exc:
            _outage(exc)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except OUTAGE as exc:
            _outage(exc)
            return []

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except OUTAGE as exc:
            _outage(exc)
            return True

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except OUTAGE as exc:
            _outage(exc)
            return delta

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except OUTAGE as exc:
            _outage(exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except OUTAGE as exc:
            _outage(exc)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except OUTAGE as exc:
            _outage(exc)
            return False

    def clear(self):
        try:
            return super().clear()
        except OUTAGE as exc:
            _outage(exc)
            return False
