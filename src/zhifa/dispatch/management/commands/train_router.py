"""Train the incident router: the baseline from the generated labelled set (cached under
var/cache/routing/), then a version with the command centre's labelled examples, evaluated on the
fixed test split and put in use if not worse. Run after deploying and whenever you like; the
nightly task ``dispatch.retrain_router`` does the same."""

from django.core.management.base import BaseCommand

from zhifa.dispatch import routing, services


class Command(BaseCommand):
    help = "训练事项推荐模型（基线 + 指挥中心样本），在固定测试集上评估，不差于在用模型才启用"

    def add_arguments(self, parser):
        parser.add_argument("--baseline-only", action="store_true", help="只训练并缓存基线模型")

    def handle(self, *args, **options):
        items = routing.catalog_items()
        if not items:
            self.stderr.write("执法事项目录中没有处罚事项：先载入目录")
            return
        model = routing.baseline_model(items)
        self.stdout.write(
            f"baseline {model.version}: threshold {model.threshold}, {model.trained_on} training texts"
        )
        if options["baseline_only"]:
            return
        row = services.retrain_router()
        m = row.metrics
        self.stdout.write(
            f"{row.version}: top-1 {m['top1']:.1%}, top-3 {m['top3']:.1%}, routed {m['routed']:.1%}, "
            f"no-match abstained {m['none_abstain']:.1%} — {'in use' if row.active else 'not adopted'}"
        )
