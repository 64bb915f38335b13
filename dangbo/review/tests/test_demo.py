def test_demo_reviews(db, client):
    """The builder's tree, members and logins, then this app's demo alone."""
    from django.urls import reverse

    from dangbo.accounts.models import User
    from dangbo.demo.builder import DemoBuilder
    from dangbo.review import demo
    from dangbo.review.levels import quota_exceeded, thresholds
    from dangbo.review.models import Level, MemberReview, UnitReview

    builder = DemoBuilder(members=300)
    builder.build_tree()
    builder.build_members()
    builder.build_histories(0)
    builder.build_users()
    builder.build_member_logins()
    p2025 = demo.build_2025(builder)
    demo.build_2026(builder)
    reviews = MemberReview.objects.filter(period=p2025)
    assert reviews.count() > 250 and not reviews.filter(level="").exists()
    assert set(UnitReview.objects.filter(period=p2025).values_list("state", flat=True)) == {"announced"}
    t = thresholds(builder.bloc, p2025.ends_on)
    for g in {r.grassroots_id for r in reviews}:
        mine = reviews.filter(grassroots_id=g)
        assert not quota_exceeded(mine.filter(level=Level.EXCELLENT).count(), mine.filter(level=Level.GOOD).count(), t)
    client.force_login(User.objects.get(username="khoi"))
    resp = client.get(reverse("review:results"), {"year": 2025})
    assert sum(resp.context["total"].values()) == reviews.count()
    client.force_login(User.objects.get(username="dangvien"))
    assert "2026" in client.get(reverse("core:home")).content.decode()
    client.force_login(User.objects.get(username="chibo"))
    assert 'data-testid="review-progress"' in client.get(reverse("core:home")).content.decode()
