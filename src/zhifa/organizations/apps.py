from django.apps import AppConfig

from zhifa.core.nav import (
    COMMAND_CENTER,
    DEPARTMENT_ADMIN,
    DEPUTY,
    GUIDANCE_OFFICE,
    HEAD,
    OFFICER,
    SUPERVISOR,
    TOWNSHIP_LEADER,
    Entry,
)


class OrganizationsConfig(AppConfig):
    name = "zhifa.organizations"
    label = "organizations"
    verbose_name = "执法力量"
    api_prefix = "/"
    nav_group = "roster"
    nav = [
        Entry(
            "执法人员",
            "organizations:officer_list",
            "roster",
            order=10,
            roles=(DEPARTMENT_ADMIN, TOWNSHIP_LEADER, GUIDANCE_OFFICE, SUPERVISOR, HEAD, COMMAND_CENTER),
        ),
        Entry(
            "机构与编制",
            "organizations:organization_tree",
            "roster",
            order=20,
            roles=(DEPARTMENT_ADMIN, TOWNSHIP_LEADER, GUIDANCE_OFFICE, SUPERVISOR, HEAD, COMMAND_CENTER),
        ),
        Entry(
            "用户与角色",
            "organizations:user_list",
            "roster",
            order=25,
            roles=(DEPARTMENT_ADMIN, GUIDANCE_OFFICE),
            permission="organizations.grant_role",
        ),
        Entry(
            "审批委托",
            "organizations:delegation_list",
            "cases",
            order=35,
            roles=(HEAD, DEPUTY),  # the head delegates; a deputy sees what he may approve, until when
            admin=False,
        ),
        Entry(
            "我的亮证码",
            "organizations:my_credential",
            "roster",
            order=30,
            roles=(OFFICER,),
            phone=4,
            phone_label="亮证",
            admin=False,
        ),
    ]
    audit_labels = {
        "officer.create": "新增执法人员",
        "officer.update": "修改人员信息",
        "officer.post": "下沉到乡镇（街道）",
        "officer.unpost": "结束下沉",
        "officer.credential_rotate": "作废亮证二维码",
        "certificate.create": "登记执法证",
        "certificate.status": "变更执法证状态",
        "demo.load": "载入演示数据",
        "certificate.end": "执法证提前终止",
        "role.grant": "授予角色",
        "role.change_main": "更改主要角色",
        "role.revoke": "收回角色",
        "account.create": "开设账号",
        "account.deactivate": "停用账号",
        "account.activate": "启用账号",
        "account.password_reset": "重置密码",
        "station.cover": "派驻站所覆盖乡镇",
        "station.uncover": "派驻站所退出乡镇",
        "delegation.create": "委托审批事项",
        "delegation.revoke": "撤销审批委托",
    }

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the roster's permissions)
