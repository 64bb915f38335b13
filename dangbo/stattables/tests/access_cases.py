"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL.

Every staff user sees the tables of the units they cover (the default unit is their top one); the bloc
office alone loads, downloads and withdraws table files.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from dangbo.testing import STAFF, Case


def table_bytes(**changes):
    import json

    from dangbo.stattables import registry

    table = next(t for t in registry.shipped() if t["code"] == "1-BTCTW")
    data = {k: v for k, v in table.items() if not k.startswith("_")}
    data.update(changes)
    return json.dumps(data, ensure_ascii=False).encode()


def _upload_body(cast):
    return {
        "file": SimpleUploadedFile("bieu1.json", table_bytes(title="BIỂU 1 ĐÃ SỬA"), "application/json"),
        "effective_from": "01/01/2025",
        "note": "Bản sửa",
    }


def _uploaded(cast):
    from dangbo.stattables import services

    tf = services.upload_table(
        content=table_bytes(), file_name="b1.json", effective_from=datetime.date(2025, 1, 1), actor=None
    )
    return {"pk": tf.pk}


CASES = [
    Case("stattables:home", allowed=STAFF),
    Case("stattables:search_units", allowed=STAFF, query="?q=chi+bo"),
    Case("stattables:home", query="?unit=0", allowed=set()),
    Case("stattables:home", query="?table=3&kind=h1&year=2025", allowed=STAFF),
    Case("stattables:export", query="?table=1&kind=year&year=2025", allowed=STAFF),
    Case("stattables:export", query="?table=5&kind=year&year=2025&unit=0", allowed=set()),
    Case("stattables:files", allowed={"bloc"}),
    Case("stattables:files", method="post", allowed={"bloc"}, data=_upload_body),
    Case("stattables:file_download", query="?table=1&year=2025", allowed={"bloc"}),
    Case("stattables:file_withdraw", method="post", allowed={"bloc"}, kwargs=_uploaded),
]
