"""The first account of a new installation: the bloc committee at the top of the tree and a bloc-office
login for it (README, Production). Everything else — the tree, other accounts, roles — is then done in
the browser by that account.

    manage.py create_bloc_office --bloc "Đảng bộ Khối các cơ quan tỉnh" --established 03/02/2008 \\
        --username vanphong --full-name "Nguyễn Văn A"

The password is asked twice on the terminal (or read from DANGBO_PASSWORD when there is no terminal) and
checked by the same rules as in the browser."""

import datetime
import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dangbo.accounts.models import Role, RoleAssignment, User
from dangbo.org.models import OrgUnit


class Command(BaseCommand):
    help = "Create the bloc committee at the top of the tree and a bloc-office account for it."

    def add_arguments(self, parser):
        parser.add_argument("--bloc", required=True, help="name of the bloc committee")
        parser.add_argument("--established", default="", help="date it was established, dd/mm/yyyy")
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", default="")

    def handle(self, *args, bloc, established, username, full_name, **options):
        from dangbo.org.services import create_unit

        try:
            day = datetime.datetime.strptime(established, "%d/%m/%Y").date() if established else datetime.date.today()
        except ValueError as e:
            raise CommandError("--established: dd/mm/yyyy") from e
        if User.objects.filter(username=username).exists():
            raise CommandError(f"the account {username} exists already")
        password = os.environ.get("DANGBO_PASSWORD") or self._ask()
        first, _, last = full_name.rpartition(" ")
        user = User(username=username, first_name=last, last_name=first)
        try:
            user.full_clean(exclude=["password"])
            validate_password(password, user)
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from e
        with transaction.atomic():
            unit = OrgUnit.objects.filter(parent__isnull=True, name=bloc).first()
            unit = unit or create_unit(parent=None, name=bloc, kind=OrgUnit.Kind.BLOC, valid_from=day, actor=None)
            user.set_password(password)
            user.save()
            RoleAssignment.objects.create(user=user, unit=unit, role=Role.BLOC_OFFICE)
        self.stdout.write(f"{unit.name}: {username} (bloc office)")

    def _ask(self):
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the passwords differ")
        return first
