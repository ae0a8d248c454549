"""``load_demo``: create the 衢江区 demo district — roster (``zhifa.organizations.demo``), enforcement
item catalog (``zhifa.catalog.demo``) and parties (``zhifa.parties.demo``).

The command lives in the ``demo`` app, the one place that knows every app: each app keeps its
own loader in its ``demo.py``, and ``handle`` calls them in order, in one transaction."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhifa.cases.demo import load_demo_cases
from zhifa.catalog.demo import load_demo_catalog
from zhifa.demo.queues import load_demo_queues
from zhifa.discretion.demo import load_demo_discretion
from zhifa.dispatch.demo import load_demo_incidents
from zhifa.inspections.demo import load_demo_inspections
from zhifa.integrations.demo import load_demo_approvals
from zhifa.measures.demo import load_demo_measures
from zhifa.organizations import demo
from zhifa.parties.demo import load_demo_parties
from zhifa.partyspace.demo import load_demo_party_space
from zhifa.reports.demo import load as load_demo_assurance
from zhifa.supervision.demo import load as load_demo_supervision


class Command(BaseCommand):
    help = "载入衢江区演示数据：行政区划、机构、执法人员与执法证、各角色登录账号、12345 热线接口密钥"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库中已有行政区划时什么也不做，只列出演示账号"
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="随机种子（同一种子生成同样的人员）"
        )
        parser.add_argument(
            "--officers",
            type=int,
            default=demo.DEFAULT_OFFICERS,
            help=f"执法人员（含辅助人员）总数，至少 {demo.MIN_OFFICERS}",
        )
        parser.add_argument("--password", default=demo.DEFAULT_PASSWORD, help="所有演示账号的密码")

    def handle(self, *args, **options):
        password = options["password"]
        if demo.demo_present():
            if not options["if_empty"]:
                raise CommandError(
                    "数据库中已有行政区划数据，未载入演示数据。请使用空数据库，或加 --if-empty。"
                )
            self.stdout.write("演示数据已存在，未重复载入。")
            self._print_logins(demo.login_rows(password), note="（密码为载入时所设，若未修改）")
            return
        if options["officers"] < demo.MIN_OFFICERS:
            raise CommandError(f"--officers 至少为 {demo.MIN_OFFICERS}")

        started = time.perf_counter()
        with transaction.atomic():  # all of the demo or none of it
            result = demo.load_demo(seed=options["seed"], officers=options["officers"], password=password)
            catalog = load_demo_catalog()
            baselines = load_demo_discretion()
            parties = load_demo_parties(options["seed"])
            inspections = load_demo_inspections(options["seed"])
            incidents = load_demo_incidents(options["seed"])
            load_demo_queues(options["seed"])  # work waiting for the demo logins themselves
            cases = load_demo_cases(options["seed"], password=password)
            load_demo_measures()  # preservation, seizure and criminal referral on the cases above
            load_demo_approvals(options["seed"])  # 审管联动: approvals and their post-approval checks
            load_demo_party_space(options["seed"], out=self.stdout)  # the party's space, devices, a campaign
            load_demo_supervision()  # sheet, appraisal scheme, one sweep of the alert rules over all of the above
            load_demo_assurance()  # provincial library, training, body appraisal, 执法评议, consultations
        elapsed = time.perf_counter() - started
        c = result.counts
        self.stdout.write(
            self.style.SUCCESS(f"已载入衢江区演示数据（{elapsed:.1f} 秒，种子 {options['seed']}）")
        )
        self.stdout.write(
            f"  行政区划 {c['regions']}（乡镇街道 {c['townships']}）  机构 {c['organizations']}\n"
            f"  人员 {c['officers']}：执法岗 {c['enforcement']}、辅助人员 {c['auxiliary']}、下沉 {c['posted']}\n"
            f"  执法证 {c['certificates']}：已过期 {c['certificates_expired']}、"
            f"{demo.EXPIRING_WITHIN} 天内到期 {c['certificates_expiring']}、暂扣 {c['certificates_suspended']}；"
            f"尚未领证 {c['without_certificate']}\n"
            f"  账号 {c['users']}  接口密钥 {c['api_keys']}\n"
            f"  执法事项 {len(catalog.items.created)}（认领 {catalog.claims}）  裁量基准 {baselines['baselines']}（柔性清单 {baselines['entries']}）  监管对象 {parties}  事件 {incidents}  案件 {sum(cases.created.values())}\n  检查：计划 {inspections['plans']}、综合查一次 {inspections['visits']}、检查记录 {inspections['records']}"
        )
        self._print_logins(result.logins)
        self.stdout.write(f"\n12345 热线接口密钥（只显示这一次）：{result.api_key}")

    def _print_logins(self, rows, note: str = "") -> None:
        self.stdout.write(f"\n演示账号{note}：\n{demo.format_logins(rows)}\n\n打开 {demo.DEMO_URL}")
