"""``anchor_audit``: sign the audit chain's head now and append it to the anchor file."""

from django.core.management.base import BaseCommand, CommandError

from zhifa.core import anchor


class Command(BaseCommand):
    help = "立即导出并签名审计链头（锚点）"

    def add_arguments(self, parser):
        parser.add_argument("--reason", default="on demand")

    def handle(self, *args, **options):
        try:
            record = anchor.export(options["reason"])
        except anchor.AnchorKeyMissing as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"锚点已写入 {anchor.anchor_path()}：第 {record['seq']} 条 {record['hash'][:16]}…"
            )
        )
