import pytest
from django.core import mail
from django.urls import reverse

from dangbo.core.models import Notification
from dangbo.core.notify import notify


def test_notify_creates_one_row_per_user_and_skips_duplicates(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(
            users=[cast.staff_a, cast.staff_b, cast.staff_a, None], title="Họp chi bộ", body="Thứ Hai", url="/x"
        )
    assert len(rows) == 2
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"staff_a", "staff_b"}
    n = Notification.objects.get(user=cast.staff_a)
    assert (n.title, n.body, n.url, n.read_at) == ("Họp chi bộ", "Thứ Hai", "/x", None)
    assert mail.outbox == []  # nobody has an e-mail address


def test_notify_emails_users_with_an_address(cast, django_capture_on_commit_callbacks):
    cast.staff_a.email = "an@example.vn"
    cast.staff_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[cast.staff_a, cast.staff_b], title="Nhắc hạn", body="Nộp báo cáo", url="/reports/1", kind="k")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["an@example.vn"]
    assert mail.outbox[0].subject == "Nhắc hạn"
    assert "/reports/1" in mail.outbox[0].body


def test_notify_by_email_can_be_switched_off(cast, settings, django_capture_on_commit_callbacks):
    settings.NOTIFY_BY_EMAIL = False
    cast.staff_a.email = "an@example.vn"
    cast.staff_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[cast.staff_a], title="t")
    assert mail.outbox == []
    assert Notification.objects.filter(user=cast.staff_a).count() == 1


def test_mail_failure_is_logged_not_raised(cast, settings, caplog, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "dangbo.core.tests.test_notifications.BrokenBackend"
    cast.staff_a.email = "an@example.vn"
    cast.staff_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[cast.staff_a], title="t")
    assert Notification.objects.filter(user=cast.staff_a).count() == 1
    assert "Could not send" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise OSError("SMTP down")

    def close(self):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP down")


def test_notify_with_nobody_does_nothing(db):
    assert notify(users=[], title="t") == []
    assert not Notification.objects.exists()


def test_list_shows_only_own_notifications_unread_first(cast, login):
    notify(users=[cast.staff_a], title="Cũ đã đọc")
    Notification.objects.update(read_at="2026-01-01T00:00Z")
    notify(users=[cast.staff_a], title="Mới chưa đọc")
    notify(users=[cast.staff_b], title="Của người khác")
    resp = login(cast.staff_a).get(reverse("core:notifications"))
    assert resp.status_code == 200
    titles = [n.title for n in resp.context["page"]]
    assert titles == ["Mới chưa đọc", "Cũ đã đọc"]
    assert resp.context["unread_count"] == 1
    assert "Của người khác" not in resp.content.decode()


def test_open_marks_read_and_redirects(cast, login):
    (n,) = notify(users=[cast.staff_a], title="t", url="/org/")
    client = login(cast.staff_a)
    resp = client.post(reverse("core:notification_open", args=[n.pk]))
    assert resp.status_code == 302 and resp["Location"] == "/org/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_open_without_url_or_with_foreign_url_goes_to_the_list(cast, login):
    a, b = (
        notify(users=[cast.staff_a], title="a")[0],
        notify(users=[cast.staff_a], title="b", url="https://evil.example/")[0],
    )
    client = login(cast.staff_a)
    for n in (a, b):
        resp = client.post(reverse("core:notification_open", args=[n.pk]))
        assert resp["Location"] == reverse("core:notifications")


def test_open_someone_elses_notification_is_404(cast, login):
    (n,) = notify(users=[cast.staff_b], title="t")
    resp = login(cast.staff_a).post(reverse("core:notification_open", args=[n.pk]))
    assert resp.status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_open_needs_post(cast, login):
    (n,) = notify(users=[cast.staff_a], title="t")
    assert login(cast.staff_a).get(reverse("core:notification_open", args=[n.pk])).status_code == 405


def test_read_all_marks_only_own(cast, login):
    notify(users=[cast.staff_a, cast.staff_b], title="t")
    notify(users=[cast.staff_a], title="u")
    resp = login(cast.staff_a).post(reverse("core:notifications_read_all"))
    assert resp.status_code == 302
    assert not Notification.objects.filter(user=cast.staff_a, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=cast.staff_b, read_at__isnull=True).count() == 1


@pytest.mark.parametrize("count", [0, 3])
def test_bell_fragment(cast, login, count, django_assert_max_num_queries):
    notify(users=[cast.staff_b], title="other")
    for _i in range(count):
        notify(users=[cast.staff_a], title="t")
    client = login(cast.staff_a)
    with django_assert_max_num_queries(3):
        resp = client.get(reverse("core:notification_bell"))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert 'hx-trigger="every 60s' in body
    assert ('data-testid="unread-count"' in body) == bool(count)
    if count:
        assert f">{count}<" in body


def test_base_page_shows_unread_count(cast, login):
    notify(users=[cast.member_a1], title="t")
    body = login(cast.member_a1).get(reverse("core:home")).content.decode()
    assert 'data-testid="unread-count"' in body


def test_list_paginates(cast, login):
    notify(users=[cast.staff_a], title="x")
    Notification.objects.bulk_create([Notification(user=cast.staff_a, title=f"n{i}") for i in range(40)])
    resp = login(cast.staff_a).get(reverse("core:notifications") + "?page=2")
    assert resp.status_code == 200
    assert resp.context["page"].number == 2
    assert len(resp.context["page"].object_list) == 11


def test_inactive_users_are_skipped(cast):
    cast.staff_b.is_active = False
    cast.staff_b.save()
    rows = notify(users=[cast.staff_a, cast.staff_b], title="t")
    assert [n.user_id for n in rows] == [cast.staff_a.pk]
    assert not Notification.objects.filter(user=cast.staff_b).exists()
