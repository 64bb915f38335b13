def test_publishing_tells_every_member_who_must_study_once(cast, login):
    """Issue 14 §4: the members find the campaign in their bell, with a link to study it."""
    from django.urls import reverse

    from dangbo.core.models import Notification
    from dangbo.study import services
    from dangbo.study.models import Campaign
    from dangbo.study.tests.factories import make_campaign

    campaign = make_campaign(cast, state=Campaign.State.DRAFT)
    services.publish_campaign(campaign=campaign, actor=cast.bloc_user)
    url = reverse("study:detail", args=[campaign.pk])
    rows = Notification.objects.filter(user=cast.member_a1, kind="study.todo", url=url)
    assert rows.count() == 1 and rows.get().title.startswith("Việc cần học: ")
    assert login(cast.member_a1).post(reverse("core:notification_open", args=[rows.get().pk]))["Location"] == url
