"""Menu entries, declared by each app on its ``AppConfig``::

    nav = [nav.Entry("案件", "cases:list", "cases", roles=("officer", "head")),
           nav.Entry("现场办案", "cases:open_on_spot", "cases", roles=("officer",), phone=3)]

The top bar shows at most the eight task groups of :data:`GROUPS`, each holding the entries the
user may use: an entry names the roles that use it (none: every signed-in user) and, optionally, an
access-policy permission (``access.can``). Administrators see every entry but those marked
``admin=False`` (acts only an officer performs: 现场办案, 亮证). ``phone`` places an entry in the officer's bottom bar on
a phone (1 = leftmost). The ``web`` app assembles the menu for each request.

A plain ``(label, url name)`` pair is still accepted: it joins the app's ``nav_group`` and is shown
to everyone.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass

#: The task groups of the top bar, in order: (key, label). At most eight.
GROUPS: tuple[tuple[str, str], ...] = (
    ("home", "待办"),
    ("dispatch", "指挥调度"),
    ("inspect", "检查"),
    ("cases", "办案"),
    ("catalog", "清单与对象"),
    ("roster", "执法队伍"),
    ("supervise", "监督"),
    ("cockpit", "驾驶舱"),
)
GROUP_LABELS = dict(GROUPS)
MAX_TOP_LEVEL = 8
assert len(GROUPS) <= MAX_TOP_LEVEL


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    group: str
    _: KW_ONLY
    roles: frozenset[str] = frozenset()  # empty: every signed-in user
    permission: str = ""  # an access-policy permission the user must hold as well
    order: int = 100
    phone: int = 0  # position in the officer's bottom bar on a phone (0: not there)
    phone_label: str = ""  # a shorter label for the bottom bar
    query: str = ""  # appended to the URL, e.g. "?state=open"
    admin: bool = True  # administrators see it whatever its roles (not for acts needing an officer)

    def __post_init__(self):
        object.__setattr__(self, "roles", frozenset(self.roles))


#: The roles of the platform (``organizations.User.Role`` values), for the apps' declarations.
OFFICER, HEAD, LEGAL_REVIEWER = "officer", "head", "legal_reviewer"
COMMAND_CENTER, GUIDANCE_OFFICE, SUPERVISOR = "command_center", "guidance_office", "supervisor"
DEPARTMENT_ADMIN, TOWNSHIP_LEADER = "department_admin", "township_leader"
#: Not granted but derived: held while a head's delegation in force names the user (第五十七条).
DEPUTY = "deputy"
