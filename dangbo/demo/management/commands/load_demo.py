import time

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from dangbo.demo.builder import DEMO_USERS, MEMBER_LOGINS, PASSWORD, DemoBuilder, summary
from dangbo.org.models import OrgUnit


class Command(BaseCommand):
    help = "Load the demo bloc (tree, members, history, one login per role) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the database already has units")
        parser.add_argument("--members", type=int, default=7200)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, if_empty=False, members=7200, seed=2026, **options):
        if if_empty and OrgUnit.objects.exists():
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu: bỏ qua nạp dữ liệu mẫu.")
        else:
            started = time.monotonic()
            # The apps' demos notify the demo users: in-app only, never an e-mail (not even to the console).
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                note = DemoBuilder(members=members, seed=seed).build()
            self.stdout.write(f"Đã nạp dữ liệu mẫu trong {time.monotonic() - started:.1f} giây.")
            if note:
                self.stdout.write(note)
        self.stdout.write(summary())
        self.stdout.write("")
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu chung: {PASSWORD}):")
        for username, full_name, role, _unit in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {role.label:<32} {full_name}")
        self.stdout.write(
            f"  dv01 … dv{MEMBER_LOGINS:02d}  Đảng viên (trước hết ở các chi bộ khác của Đảng bộ Sở Tài chính)"
        )
