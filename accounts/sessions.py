"""Sessions kept in the database and read through the cache, that keep working while the cache
server is down.

Django's ``cached_db`` engine already treats a failed cache *read* as a miss, but then writes
the session it read from the database back to the cache without a guard, so an unreachable
Redis turned every private page into a 500. Here a failed cache read or write is logged and
the database answers. Deleting a session (log out) still fails loudly when the cache is down:
a copy left in the cache would log the user back in once the cache returns.
"""

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

log = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # any cache failure is a miss (Django does the same here)
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        except Exception:
            log.warning("Session cache unreachable: the session was read from the database")
        return data

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except Exception:
            # The database holds every session the cache holds: it alone answers.
            log.warning("Session cache unreachable: the database alone says if a key exists")
            return DatabaseSessionStore.exists(self, session_key)
