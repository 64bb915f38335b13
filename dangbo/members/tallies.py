"""Counts of members per unit and category (UnitTally), kept in the same transaction as the writes.

Every write of a counted field goes through ``MemberQuerySet.update / bulk_create / bulk_update``,
``Member.save`` or a deletion (``members.models``), which take a ``snapshot`` of the rows before and after
and hand both to ``retally``; the member import, which inserts its rows directly, adds its counts itself (``apply``).
``rebuild`` (the ``rebuild_tallies`` command) recounts everything from the members in bounded batches and
``recount`` counts the raw table the same way, for the tests and the benchmark.
"""

from collections import Counter

from django.db import connection
from django.db.models import Count, Sum

from dangbo.members.models import Member, UnitTally

D = UnitTally.Dimension
# Counted fields (the Member attribute names and their field names in update()/update_fields).
FIELDS = ("unit_id", "status", "sex", "ethnicity", "qualification", "theory_level", "birth_date")
_NAMES = frozenset(FIELDS) | {"unit"}
CURRENT = frozenset(Member.CURRENT_STATUSES)
BATCH = 2000


def touches(fields):
    """Whether writing ``fields`` (names, or update()'s keyword arguments) can change a tally."""
    return fields is None or not _NAMES.isdisjoint(fields)


def row_of(member):
    return tuple(getattr(member, f) for f in FIELDS)


def snapshot(queryset):
    """{pk: counted fields} of the members of ``queryset``."""
    return {r[0]: r[1:] for r in queryset.order_by().values_list("pk", *FIELDS)}


def snapshot_ids(ids):
    """{pk: counted fields} of the members with the primary keys ``ids`` (read in batches)."""
    ids = list(ids)
    out = {}
    for i in range(0, len(ids), BATCH):
        out.update(snapshot(Member.objects.filter(pk__in=ids[i : i + BATCH])))
    return out


def updated(before, objs, fields):
    """{pk: counted fields} after writing ``fields`` of ``objs`` over the rows ``before`` (all fields when None)."""
    if fields is None:
        return {o.pk: row_of(o) for o in objs}
    names = {"unit_id" if f == "unit" else f for f in fields}
    after = {}
    for o in objs:
        old = before.get(o.pk)
        if old is None:
            continue
        after[o.pk] = tuple(getattr(o, f) if f in names else old[i] for i, f in enumerate(FIELDS))
    return after


def keys(row):
    """The (unit_id, dimension, value) counts one member's row adds to."""
    unit_id, status, sex, ethnicity, qualification, theory_level, birth_date = row
    if unit_id is None:
        return []
    out = [(unit_id, D.STATUS, status or "")]
    if status in CURRENT:
        out += [
            (unit_id, D.SEX, sex or ""),
            (unit_id, D.ETHNICITY, ethnicity or ""),
            (unit_id, D.QUALIFICATION, qualification or ""),
            (unit_id, D.THEORY, theory_level or ""),
            (unit_id, D.BIRTH_YEAR, str(birth_date.year) if birth_date else ""),
        ]
        if birth_date:
            out.append((unit_id, D.BIRTH_MONTH, birth_date.strftime("%Y-%m")))
    return out


def count_rows(rows):
    counts = Counter()
    for row in rows:
        counts.update(keys(row))
    return counts


def retally(before, after):
    """Move the tallies from the rows ``before`` to the rows ``after`` ({pk: counted fields} each)."""
    deltas = count_rows(after.values())
    deltas.subtract(count_rows(before.values()))
    apply({k: n for k, n in deltas.items() if n})


def apply(deltas):
    """Add ``deltas`` ({(unit_id, dimension, value): n}) to the tallies: one upsert that adds to the stored
    count (``INSERT … ON CONFLICT … DO UPDATE SET count = count + excluded.count``, SQLite and PostgreSQL),
    so that two transactions adding to one row both count; rows that reach 0 go."""
    if not deltas:
        return
    qn = connection.ops.quote_name
    table, count = qn(UnitTally._meta.db_table), qn("count")
    sql = (
        f"INSERT INTO {table} ({qn('unit_id')}, {qn('dimension')}, {qn('value')}, {count}) VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT ({qn('unit_id')}, {qn('dimension')}, {qn('value')}) "
        f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )
    rows = [(u, d, v, n) for (u, d, v), n in deltas.items()]
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[i : i + BATCH])
    shrunk = sorted({u for (u, _d, _v), n in deltas.items() if n < 0})
    for i in range(0, len(shrunk), BATCH):
        UnitTally.objects.filter(unit_id__in=shrunk[i : i + BATCH], count=0).delete()


def rebuild(batch_size=20000, stdout=None):
    """Recount every tally from the members, reading them in batches of ``batch_size`` by primary key."""
    counts = Counter()
    last = 0
    while True:
        rows = list(Member.objects.filter(pk__gt=last).order_by("pk").values_list("pk", *FIELDS)[:batch_size])
        if not rows:
            break
        last = rows[-1][0]
        for r in rows:
            counts.update(keys(r[1:]))
        if stdout:
            stdout.write(f"{last}\n")
    UnitTally.objects.all().delete()
    UnitTally.objects.bulk_create(
        (UnitTally(unit_id=u, dimension=d, value=v, count=n) for (u, d, v), n in counts.items() if n),
        batch_size=1000,
    )
    return len(counts)


def recount(unit_ids=None):
    """{(unit_id, dimension, value): n} counted from the members table by grouped queries (for checks)."""
    members = Member.objects.order_by()
    if unit_ids is not None:
        members = members.filter(unit_id__in=unit_ids)
    out = Counter()
    for unit_id, status, n in members.values_list("unit_id", "status").annotate(n=Count("pk")):
        out[(unit_id, D.STATUS, status)] += n
    current = members.filter(status__in=Member.CURRENT_STATUSES)
    for dim, field in [
        (D.SEX, "sex"),
        (D.ETHNICITY, "ethnicity"),
        (D.QUALIFICATION, "qualification"),
        (D.THEORY, "theory_level"),
    ]:
        for unit_id, value, n in current.values_list("unit_id", field).annotate(n=Count("pk")):
            out[(unit_id, dim, value or "")] += n
    for unit_id, birth, n in current.values_list("unit_id", "birth_date").annotate(n=Count("pk")):
        out[(unit_id, D.BIRTH_YEAR, str(birth.year) if birth else "")] += n
        if birth:
            out[(unit_id, D.BIRTH_MONTH, birth.strftime("%Y-%m"))] += n
    return +out


def stored(unit_ids=None):
    """{(unit_id, dimension, value): n} as kept in UnitTally."""
    rows = UnitTally.objects.order_by()
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    return +Counter({(u, d, v): n for u, d, v, n in rows.values_list("unit_id", "dimension", "value", "count")})


def figures(units, months=()):
    """{dimension: {value: n}} summed over ``units`` (a queryset of OrgUnit ids or a list); of the birth
    months ("YYYY-MM") only those in ``months``. One statement, both parts read by (unit, dimension, value)."""
    out = {d: Counter() for d in D.values}
    tallied = UnitTally.objects.filter(unit_id__in=units).order_by()
    rows = (
        tallied.filter(dimension__in=[d for d in D.values if d != D.BIRTH_MONTH])
        .values_list("dimension", "value")
        .annotate(n=Sum("count"))
    )
    if months:
        rows = rows.union(
            tallied.filter(dimension=D.BIRTH_MONTH, value__in=list(months))
            .values_list("dimension", "value")
            .annotate(n=Sum("count")),
            all=True,
        )
    for dim, value, n in rows:
        if n:
            out[dim][value] += n
    return out
