def test_demo_builds_the_third_quarter(db, client):
    # The demo builder's tree, members and logins, then this app's demo alone (other apps' demos are theirs).
    from django.urls import reverse

    from dangbo.accounts.models import User
    from dangbo.demo.builder import DemoBuilder
    from dangbo.reports import demo
    from dangbo.reports.models import PeriodicReport, Reconciliation

    builder = DemoBuilder(members=300)
    builder.build_tree()
    builder.build_members()
    builder.build_histories(0)
    builder.build_users()
    builder.build_member_logins()
    demo.build(builder)
    states = {r.unit_id: r.state for r in PeriodicReport.objects.all()}
    finance = builder.units["finance"]
    assert states[finance.pk] == "returned"
    assert list(states.values()).count("submitted") == 1
    assert list(states.values()).count("accepted") >= 5
    finance_report = PeriodicReport.objects.get(unit=finance)
    assert finance_report.system["members.total"] > 0 and finance_report.differences()
    assert Reconciliation.objects.filter(unit=finance, on__month=9).get().differences()
    client.force_login(User.objects.get(username="khoi"))
    resp = client.get(reverse("reports:periodic"), {"period": "quarter", "year": 2026, "number": 3})
    assert resp.context["missing"] == 4
    client.force_login(User.objects.get(username="coso"))
    home = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="reports-panel"' in home and "Bị trả lại để chỉnh sửa" in home
