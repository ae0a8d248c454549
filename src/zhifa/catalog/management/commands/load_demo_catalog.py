"""``load_demo_catalog``: load the demo enforcement item catalog (see ``zhifa.catalog.demo``)."""

from django.core.management.base import BaseCommand, CommandError

from zhifa.catalog import demo
from zhifa.core.errors import DomainError


class Command(BaseCommand):
    help = "载入演示执法事项清单：执法领域、执法事项（含实施依据）及默认认领；重复执行只更新有变化的事项"

    def handle(self, *args, **options):
        try:
            result = demo.load_demo_catalog()
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        items = result.items
        self.stdout.write(
            self.style.SUCCESS(
                f"已载入执法事项清单：新增领域 {result.domains}，新增事项 {len(items.created)}，更新 {len(items.updated)}，"
                f"未变 {len(items.unchanged)}，新增认领 {result.claims}"
            )
        )
