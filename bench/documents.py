"""Benchmark document distribution at scale against hand-written SQL.

    DATABASE_URL=sqlite:////tmp/bench-documents.sqlite3 .venv/bin/python bench/documents.py [--repeat 7]

On a scale database (bench/build_scale.py) it first creates, if absent, a resolution sent to the whole
tree (one Target row: nobody gets a row until they open it) read by about 60 % of the members (one
Receipt row each, in bulk), and 40 further documents sent to grassroots subtrees, cells, roles and a named
member, so a member's inbox has a realistic mix. Then it times:

1. receipt counts per unit for the whole-tree resolution (``reach.unit_counts``, what the "who has read
   it" page rolls up), against one GROUP BY over the members LEFT JOIN their receipt;
2. a member's inbox, first page (``access.inbox``: the documents reaching them with the read flag, newest
   distribution first, and the unread count, as the inbox view does), against one SELECT over the targets
   that reach them.

It fails when the answers differ.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from dangbo.accounts.models import Role, User  # noqa: E402
from dangbo.documents import access, reach  # noqa: E402
from dangbo.documents.models import Distribution, Document, Receipt, Target  # noqa: E402
from dangbo.members.models import Member  # noqa: E402
from dangbo.org.models import OrgUnit  # noqa: E402

TITLE = "Bench: Nghị quyết gửi toàn Đảng bộ Khối"
D = datetime.date
TK = Target.Kind
CURRENT = tuple(str(s) for s in Member.CURRENT_STATUSES)
PAGE = 30

COUNTS_SQL = """
SELECT m.unit_id, COUNT(*), COUNT(r.id)
FROM members_member m
LEFT JOIN documents_receipt r ON r.member_id = m.id AND r.document_id = %s
WHERE m.status IN ({statuses})
  AND m.unit_id IN (SELECT id FROM org_orgunit WHERE path LIKE %s)
GROUP BY m.unit_id
"""

INBOX_SQL = """
SELECT d.id,
       EXISTS (SELECT 1 FROM documents_receipt r WHERE r.document_id = d.id AND r.user_id = %s) AS is_read,
       (SELECT MAX(x.sent_on) FROM documents_distribution x WHERE x.document_id = d.id) AS sent
FROM documents_document d
WHERE d.id IN (
  SELECT dist.document_id FROM documents_target t JOIN documents_distribution dist ON dist.id = t.distribution_id
  WHERE (t.kind = 'subtree' AND t.unit_id IN ({ancestors}))
     OR (t.kind = 'unit' AND t.unit_id = %s)
     OR (t.kind = 'user' AND t.user_id = %s)
     OR (t.kind = 'role' AND t.role <> 'member' AND EXISTS (
          SELECT 1 FROM accounts_roleassignment ra JOIN org_orgunit ru ON ru.id = ra.unit_id
          WHERE ra.user_id = %s AND ra.role = t.role
            AND ru.path LIKE (SELECT tu.path FROM org_orgunit tu WHERE tu.id = t.unit_id) || '%%'))
)
ORDER BY sent DESC, d.id DESC
"""


def median_time(fn, repeat):
    result = fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def _reader():
    """A member with a login (the demo's ``dangvien``, else the first member login)."""
    user = User.objects.filter(username="dangvien").first() or User.objects.filter(member__isnull=False).first()
    return user


@transaction.atomic
def build():
    rng = random.Random(57)
    bloc = OrgUnit.objects.filter(kind=OrgUnit.Kind.BLOC).order_by("pk").first()
    reader = _reader()
    cell = reader.member.unit
    grassroots = list(OrgUnit.objects.active().grassroots().order_by("pk"))

    def doc(title, number, day):
        d = Document(kind="resolution", number=number, title=title, issued_on=day, issuer="Đảng ủy Khối", unit=bloc)
        d.refresh_search_text()
        d.save()
        return d

    def send(d, day, *targets):
        dist = Distribution.objects.create(document=d, sent_on=day)
        Target.objects.bulk_create(Target(distribution=dist, **t) for t in targets)

    main = doc(TITLE, "99-NQ/ĐUK", D(2026, 10, 1))
    send(main, D(2026, 10, 2), {"kind": TK.SUBTREE, "unit": bloc})
    now = timezone.now()
    rows = []
    for pk, user_id in Member.objects.current().in_subtree(bloc).values_list("pk", "user_id").iterator(5000):
        if rng.random() < 0.6:
            rows.append(Receipt(document=main, member_id=pk, user_id=user_id, read_at=now))
        if len(rows) >= 10000:
            Receipt.objects.bulk_create(rows)
            rows = []
    Receipt.objects.bulk_create(rows)
    for k in range(40):
        day = D(2026, 1, 1) + datetime.timedelta(days=7 * k)
        d = doc(f"Bench: văn bản {k}", f"{k}-CV/ĐUK", day)
        shape = k % 5
        if shape == 0:
            send(d, day, {"kind": TK.SUBTREE, "unit": rng.choice(grassroots)})
        elif shape == 1:
            send(d, day, {"kind": TK.SUBTREE, "unit": cell.parent or cell})
        elif shape == 2:
            send(d, day, {"kind": TK.UNIT, "unit": cell})
        elif shape == 3:
            send(d, day, {"kind": TK.ROLE, "unit": bloc, "role": Role.CELL_SECRETARY})
        else:
            send(d, day, {"kind": TK.USER, "user": reader}, {"kind": TK.SUBTREE, "unit": bloc})
        if k % 3 == 0:
            Receipt.objects.get_or_create(document=d, user=reader, defaults={"member": reader.member, "read_at": now})
    return main


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    document = Document.objects.filter(title=TITLE).first()
    if document is None:
        t = time.perf_counter()
        document = build()
        print(f"built the bench documents in {time.perf_counter() - t:.1f} s")
    bloc = OrgUnit.objects.filter(kind=OrgUnit.Kind.BLOC).order_by("pk").first()
    reader = _reader()
    member = Member.objects.select_related("unit").get(user=reader)
    n_members = Member.objects.current().count()
    n_receipts = Receipt.objects.filter(document=document).count()
    print(
        f"{connection.vendor}: {n_members:,} current members, {n_receipts:,} receipts of the whole-tree resolution, "
        f"{Target.objects.count()} target rows, repeat {args.repeat}"
    )

    def counts_product():
        return {u: tuple(c) for u, c in reach.unit_counts(document).items()}

    def counts_sql():
        query = COUNTS_SQL.format(statuses=", ".join(["%s"] * len(CURRENT)))
        with connection.cursor() as cur:
            cur.execute(query, [document.pk, *CURRENT, bloc.path + "%"])
            return {u: (n, r) for u, n, r in cur.fetchall()}

    def inbox_product():
        user = User.objects.get(pk=reader.pk)  # fresh: no cached member or roles
        qs = access.inbox(user)
        page = [(d.pk, d.is_read) for d in qs[:PAGE]]
        return page, qs.filter(is_read=False).count()

    def inbox_sql():
        ancestors = [int(x) for x in member.unit.path.strip("/").split("/")]
        marks = ", ".join(["%s"] * len(ancestors))
        with connection.cursor() as cur:
            cur.execute(
                INBOX_SQL.format(ancestors=marks),
                [reader.pk, *ancestors, member.unit_id, reader.pk, reader.pk],
            )
            rows = [(pk, bool(r)) for pk, r, _sent in cur.fetchall()]
        return rows[:PAGE], sum(1 for _pk, r in rows if not r)

    ops = [
        ("receipts by unit, whole tree", counts_product, counts_sql),
        ("a member's inbox, page 1 + unread", inbox_product, inbox_sql),
    ]
    failed = False
    print(f"{'operation':<38}{'product (ms)':>14}{'raw SQL (ms)':>14}{'ratio':>8}  answer")
    for name, product, baseline in ops:
        t_p, r_p = median_time(product, args.repeat)
        t_b, r_b = median_time(baseline, args.repeat)
        ok = r_p == r_b
        failed |= not ok
        size = len(r_b) if name.startswith("receipts") else len(r_b[0])
        print(
            f"{name:<38}{t_p * 1000:>14.1f}{t_b * 1000:>14.1f}{t_p / t_b:>8.2f}  {'same' if ok else 'DIFFERENT'} "
            f"({size} rows)"
        )
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
