"""Applying a service from a view: one way for every app.

A view validates its form, calls a service, and on the service's refusal shows the reason and keeps
what was typed. The service's ``ValidationError`` is the refusal; this module turns it into the form's
errors (each on its field when the service names one the form has) or into an error message::

    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.add_seat(unit=u, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The committee has been updated."))
            return redirect("committees:unit", pk=u.pk)
    return render(request, "committees/seat_form.html", {"form": form})

The block runs to its ``return`` when the service succeeds; when it refuses, the block stops there,
the error is on the form (or, given the request instead of a form, in the messages), and the view
goes on to render the form again or redirect. Services write in one transaction, so a refusal has
saved nothing.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm


def add_service_error(form, error):
    """A service's ``ValidationError`` as the form's errors: on their field when it has one, else the form's."""
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error)


class service_errors:  # noqa: N801 - used as a statement, like contextlib.suppress
    """Context manager: a ``ValidationError`` raised inside becomes ``target``'s errors and is swallowed.

    ``target`` is a form (the errors go on it) or a request (one error message). ``also`` adds other
    exception classes a service raises for refused input (``ValueError`` from a parser, say).
    After the block, ``failed`` tells whether it was refused.
    """

    def __init__(self, target, *, also=()):
        self.target = target
        self.catch = (ValidationError, *also)
        self.failed = False

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if kind is None or not issubclass(kind, self.catch):
            return False
        self.failed = True
        if not isinstance(error, ValidationError):
            error = ValidationError(str(error))
        if isinstance(self.target, BaseForm):
            add_service_error(self.target, error)
        else:
            messages.error(self.target, " ".join(error.messages))
        return True
