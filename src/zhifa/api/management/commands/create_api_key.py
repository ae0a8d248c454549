"""``create_api_key``: issue a key for an integration; the secret is printed once."""

from django.core.management.base import BaseCommand, CommandError

from zhifa.api.models import ApiKey
from zhifa.core import audit
from zhifa.organizations.models import Organization, User


class Command(BaseCommand):
    help = "为对接系统签发接口密钥（密钥只显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("name", help="对接系统名称，如“基层治理四平台”")
        parser.add_argument("--organization", required=True, help="所属机构的 ID 或全称")
        parser.add_argument("--role", default=User.Role.OFFICER, choices=User.Role.values)

    def handle(self, *args, name, organization, role, **options):
        lookup = {"pk": int(organization)} if organization.isdigit() else {"name": organization}
        org = Organization.objects.filter(**lookup).first()
        if org is None:
            raise CommandError(f"机构不存在：{organization}")
        key, raw = ApiKey.generate(name, org, role)
        audit.record(
            None,
            "api_key.create",
            key,
            organization=org,
            after={"name": name, "organization": org.pk, "role": role, "prefix": key.prefix},
        )
        self.stdout.write(f"已签发：{key}（{org}，{key.get_role_display()}）\n{raw}")
