"""``apply_due_revisions``: what the daily Celery task does, for cron or by hand."""

import datetime as dt

from django.core.management.base import BaseCommand

from zhifa.catalog import services


class Command(BaseCommand):
    help = "使生效日期已到的已审批清单调整生效（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None, help="按此日期判断（YYYY-MM-DD）"
        )

    def handle(self, *args, **options):
        outcome = services.apply_due_revisions(options["today"])
        for revision_id, result in outcome.items():
            self.stdout.write(
                f"调整 #{revision_id}：{'已生效' if result == 'applied' else '未能生效：' + result}"
            )
        self.stdout.write(self.style.SUCCESS(f"处理 {len(outcome)} 项调整"))
