"""For tests of write-lock waits on SQLite: the test database copied into a file, other threads on it.

The test run's SQLite database is in memory (shared cache), whose locks are not those of production. These
helpers copy it, committed data included (so the test uses ``django_db(transaction=True)``), into a file in
WAL mode and point the connections that *new threads* open at that file, with the product's options
(IMMEDIATE transactions, busy timeout): each thread then writes and waits for the lock as one request does.
"""

import sqlite3
import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection, connections, transaction


@contextmanager
def sqlite_file(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    from dangbo.testing import seed_all_rules

    seed_all_rules()  # an earlier transactional test may have flushed them
    path = tmp_path / "locks.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    old = connections.settings["default"]
    connections.settings["default"] = {**old, "NAME": str(path)}
    try:
        yield path
    finally:
        connections.settings["default"] = old


class InThread(threading.Thread):
    """``fn()`` in a thread of its own (so on the file), its result or exception and its duration kept."""

    def __init__(self, fn):
        super().__init__(daemon=True)
        self.fn, self.value, self.error, self.seconds = fn, None, None, None

    def run(self):
        started = time.perf_counter()
        try:
            self.value = self.fn()
        except BaseException as e:  # re-raised by result()
            self.error = e
        finally:
            self.seconds = time.perf_counter() - started
            connections.close_all()

    def result(self, timeout=120):
        self.join(timeout)
        assert not self.is_alive(), "the thread did not finish"
        if self.error:
            raise self.error
        return self.value


def run_in_thread(fn):
    t = InThread(fn)
    t.start()
    return t.result()


class Writer(threading.Thread):
    """Another user's small writes, one every 10 ms on its own connection until stopped: ``write()`` runs in
    a transaction; ``waits`` holds each one's duration, the wait for the write lock included, and ``seen``
    what it returned."""

    def __init__(self, write):
        super().__init__(daemon=True)
        self.write, self.waits, self.seen, self.errors = write, [], [], []
        self.stop = threading.Event()

    def run(self):
        try:
            while not self.stop.is_set():
                started = time.perf_counter()
                try:
                    with transaction.atomic():
                        seen = self.write()
                except Exception as e:  # "database is locked" after the busy timeout
                    self.errors.append(e)
                    continue
                self.waits.append(time.perf_counter() - started)
                self.seen.append(seen)
                time.sleep(0.01)
        finally:
            connections.close_all()

    def finish(self):
        self.stop.set()
        self.join(60)
        return max(self.waits) if self.waits else None
