"""Bulk inserts whose write transaction holds the lock only for the INSERT itself.

On SQLite one writer at a time holds the database's write lock, from BEGIN (IMMEDIATE) to COMMIT. Django's
``bulk_create`` builds its SQL inside the transaction: for 2,000 rows of 20 columns that is 43 statements of 47
rows (SQLite's 999 parameters) and some 40,000 values prepared in Python, about a second of lock held for a few
milliseconds of writing. ``prepare_insert`` does that preparation first, outside any transaction, and
``PreparedInsert.run`` (inside it) is one ``executemany`` of one statement. On PostgreSQL, which locks rows and
not the database, ``run`` is the ORM's ``bulk_create``.
"""

from django.db import connection


def prepare_insert(model, objs, *, ignore_conflicts=False):
    """The unsaved ``objs`` of ``model`` as one INSERT and its rows of parameters (field defaults and
    ``auto_now_add`` applied now)."""
    return PreparedInsert(model, list(objs), ignore_conflicts)


class PreparedInsert:
    def __init__(self, model, objs, ignore_conflicts):
        self.model, self.objs, self.ignore_conflicts = model, objs, ignore_conflicts
        self.sqlite = connection.vendor == "sqlite"
        if not self.sqlite:
            return
        opts = model._meta
        fields = [f for f in opts.concrete_fields if not (f.primary_key and f.auto_created)]
        qn = connection.ops.quote_name
        verb = "INSERT OR IGNORE" if ignore_conflicts else "INSERT"
        self.sql = "{} INTO {} ({}) VALUES ({})".format(
            verb, qn(opts.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
        )
        self.params = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]

    def run(self, *, set_ids=False):
        """Insert the rows (inside the caller's transaction). With ``set_ids`` each object gets its new id:
        on SQLite the transaction is the only writer, so the new ids are the ones past the largest before it,
        in the order inserted (not with ``ignore_conflicts``, which may skip rows)."""
        if not self.objs:
            return
        if not self.sqlite:
            self.model.objects.bulk_create(self.objs, batch_size=2000, ignore_conflicts=self.ignore_conflicts)
            return
        assert connection.in_atomic_block, "run() inside the write transaction"
        assert not (set_ids and self.ignore_conflicts)
        pk = self.model._meta.pk
        table, column = connection.ops.quote_name(self.model._meta.db_table), connection.ops.quote_name(pk.column)
        with connection.cursor() as cursor:
            if set_ids:
                cursor.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {table}")
                before = cursor.fetchone()[0]
            cursor.executemany(self.sql, self.params)
            if set_ids:
                cursor.execute(f"SELECT {column} FROM {table} WHERE {column} > %s ORDER BY {column}", [before])
                ids = [row[0] for row in cursor.fetchall()]
                assert len(ids) == len(self.objs), "another writer inserted into the table meanwhile"
                for obj, new_id in zip(self.objs, ids, strict=True):
                    setattr(obj, pk.attname, new_id)
                    obj._state.adding = False

    def remap(self, attname, fn):
        """Replace the value of field ``attname`` by ``fn(value)`` in every row (a placeholder set before the
        ids it points to were known)."""
        for obj in self.objs:
            setattr(obj, attname, fn(getattr(obj, attname)))
        if self.sqlite:
            fields = [f for f in self.model._meta.concrete_fields if not (f.primary_key and f.auto_created)]
            i = next(n for n, f in enumerate(fields) if f.attname == attname)
            for row in self.params:
                row[i] = fn(row[i])
        return self
