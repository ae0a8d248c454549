"""Register a platform that receives status callbacks (or, with --inbound, a system that pushes
to us) and print its signing secret once."""

from django.core.management.base import BaseCommand, CommandError

from zhifa.integrations.models import InboundClient, Subscriber
from zhifa.integrations.services import new_secret
from zhifa.organizations.models import Organization


class Command(BaseCommand):
    help = "登记状态回调对象（或 --inbound 接入系统），打印签名密钥（只显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--organization", type=int, help="推送事件所用 API 密钥的机构编号")
        parser.add_argument("--url", help="回调地址")
        parser.add_argument(
            "--adapter", default="webhook", choices=[c for c, _ in Subscriber.Adapter.choices]
        )
        parser.add_argument("--inbound", action="store_true", help="登记向本平台推送的系统（如审批系统）")
        parser.add_argument("--code", help="接入系统的标识（ASCII，请求头 X-Zhifa-Client）")

    def handle(self, *args, name, organization, url, adapter, inbound, code, **options):
        secret = new_secret()
        if inbound:
            if not code:
                raise CommandError("--code is required with --inbound")
            client = InboundClient.objects.create(code=code, name=name, secret=secret)
            self.stdout.write(f"inbound client {client.code} ({client.name})")
        else:
            if not (organization and url):
                raise CommandError("--organization and --url are required")
            org = Organization.objects.filter(pk=organization).first()
            if org is None:
                raise CommandError(f"no organization {organization}")
            subscriber = Subscriber.objects.create(
                name=name, organization=org, url=url, adapter=adapter, secret=secret
            )
            self.stdout.write(f"subscriber {subscriber.pk} {subscriber.name} → {subscriber.url}")
        self.stdout.write(f"secret: {secret}")
