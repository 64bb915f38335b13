"""Every form a person posts may record a fact of the past before the rules the registry holds
(issue 13): the rule's first version is applied, the person is told, and the case is kept for
another person to confirm (``rules.unknown``). A post that saved nothing keeps nothing."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.utils.translation import gettext as _

from dangbo.rules.registry import noting_unknown_rules
from dangbo.rules.unknown import record_cases


def _saved(request, response):
    """This product answers a post that saved with a redirect (or HTMX's HX-Redirect) and one that did
    not with the form again, or a redirect carrying an error message."""
    if not (300 <= response.status_code < 400 or response.has_header("HX-Redirect")):
        return False
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    return not any(m.level >= messages.ERROR for m in queued)


def _page(request, response):
    target = response.get("HX-Redirect") or response.get("Location") or ""
    path = urlsplit(target)
    if target and path.path.startswith("/"):
        return path.path + (f"?{path.query}" if path.query else "")
    return request.path


class UnknownRulesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or not request.user.is_authenticated:
            return self.get_response(request)
        with noting_unknown_rules() as noted:
            response = self.get_response(request)
        if noted and _saved(request, response):
            for case in record_cases(noted, actor=request.user, page=_page(request, response)):
                messages.warning(
                    request,
                    _(
                        "No version of the rule “%(rule)s” is held for %(day)s: its first version (from "
                        "%(start)s, %(basis)s) was applied. The case waits for the bloc office to confirm it."
                    )
                    % {
                        "rule": case.rule.name,
                        "day": case.day.strftime("%d/%m/%Y"),
                        "start": case.assumed.effective_from.strftime("%d/%m/%Y"),
                        "basis": case.assumed.legal_basis,
                    },
                )
        return response
