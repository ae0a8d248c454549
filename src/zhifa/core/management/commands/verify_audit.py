"""``verify-audit``: walk the audit chain, hold it against the exported anchors, report problems."""

from django.core.management.base import BaseCommand, CommandError

from zhifa.core import anchor


class Command(BaseCommand):
    help = "校验审计日志哈希链与导出的链头锚点，报告断链、被删除或被重算的链尾"

    def handle(self, *args, **options):
        checked, problems = anchor.verify()
        if problems:
            first = problems[0]
            where = f"第 {first.seq} 条" if first.seq else "锚点文件"
            lines = "\n".join(f"  - {p.reason}" for p in problems)
            raise CommandError(f"审计链在{where}出现问题：{first.reason}（此前 {checked} 条完好）\n{lines}")
        anchors, _ = anchor.read()
        self.stdout.write(self.style.SUCCESS(f"审计链完好：共 {checked} 条，与 {len(anchors)} 个锚点一致"))
