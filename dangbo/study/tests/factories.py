"""Campaigns for the study tests and the access matrix."""

import datetime

from django.utils import timezone

from dangbo.study.models import Campaign, Choice, Progress, Question, Session, Target

TODAY = timezone.localdate


def make_campaign(
    cast,
    *,
    targets=None,
    state=Campaign.State.PUBLISHED,
    questions=10,
    multiple=0,
    report_required=True,
    quiz_required=True,
    pass_mark=80,
    max_attempts=3,
    unit=None,
    **extra,
):
    """A campaign organized by the bloc (default: targets Sở Tài chính's subtree) with ``questions``
    single-choice questions (answer "Đúng" is correct) and ``multiple`` multiple-choice ones (answers A and
    B correct, C wrong)."""
    today = TODAY()
    c = Campaign.objects.create(
        title=extra.pop("title", "Học tập, quán triệt Nghị quyết 57-NQ/TW"),
        unit=unit or cast.bloc,
        material="Nội dung cốt lõi của Nghị quyết.",
        opens_on=today - datetime.timedelta(days=10),
        deadline=extra.pop("deadline", today + datetime.timedelta(days=20)),
        state=state,
        quiz_required=quiz_required,
        report_required=report_required,
        pass_mark=pass_mark,
        max_attempts=max_attempts,
        **extra,
    )
    for unit, subtree in targets or [(cast.gr_a, True)]:
        Target.objects.create(campaign=c, unit=unit, subtree=subtree)
    for i in range(questions):
        q = Question.objects.create(campaign=c, text=f"Câu hỏi {i + 1}", kind=Question.Kind.SINGLE, position=i)
        Choice.objects.create(question=q, text="Đúng", correct=True)
        Choice.objects.create(question=q, text="Sai", correct=False)
    for i in range(multiple):
        q = Question.objects.create(
            campaign=c, text=f"Câu nhiều lựa chọn {i + 1}", kind=Question.Kind.MULTIPLE, position=100 + i
        )
        Choice.objects.create(question=q, text="A", correct=True)
        Choice.objects.create(question=q, text="B", correct=True)
        Choice.objects.create(question=q, text="C", correct=False)
    return c


def correct_answers(attempt, *, wrong=0):
    """Answers to ``attempt`` with the first ``wrong`` questions (in its order) answered wrongly."""
    answers = {}
    for n, qid in enumerate(attempt.order):
        q = Question.objects.get(pk=qid)
        right = [c.pk for c in q.choices.all() if c.correct]
        bad = [c.pk for c in q.choices.all() if not c.correct]
        answers[str(qid)] = [str(x) for x in (bad[:1] if n < wrong else right)]
    return answers


def make_session(campaign, unit, days_ago=2):
    return Session.objects.create(campaign=campaign, unit=unit, held_on=TODAY() - datetime.timedelta(days=days_ago))


def submitted_report(campaign, member):
    return Progress.objects.create(
        campaign=campaign,
        member=member,
        read_at=timezone.now(),
        report_text="Bài thu hoạch " * 30,
        report_state=Progress.ReportState.SUBMITTED,
        report_submitted_at=timezone.now(),
    )
