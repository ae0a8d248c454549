"""``verify-audit``: walk the audit chain and report the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from zhifa.core.audit import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链，报告第一处断链"

    def handle(self, *args, **options):
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(f"审计链在第 {broken.seq} 条断开：{broken.reason}（此前 {checked} 条完好）")
        self.stdout.write(self.style.SUCCESS(f"审计链完好：共 {checked} 条"))
