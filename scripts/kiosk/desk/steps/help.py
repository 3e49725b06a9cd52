"""The steps of 首问登记 and 帮代办:

ask        首问登记: answered (当场答复), referred (指引: 部门、地点、电话、姓名) or following (稍后告知)
tell       a following one: when and what the person was told → closed
entrust    帮代办: a new 委托 and its 委托书
give_back  what the 代办员 handed back and when → closed
"""

from __future__ import annotations

from kiosk.problems import message

from .. import lifecycle, paper
from ..catalogues import Township
from ..models import AskState, FirstAsk, ProxyCase, ProxyState

ASK_FIELDS = (
    "asked",
    "way",
    "person",
    "phone",
    "question",
    "answer",
    "ref_unit",
    "ref_place",
    "ref_phone",
    "ref_person",
)
STATE_OF = {"answer": AskState.ANSWERED, "refer": AskState.REFERRED, "follow": AskState.FOLLOWING}


def ask(t: Township, data: dict, user) -> FirstAsk:
    profile = getattr(user, "desk", None)
    a = FirstAsk(
        township=t.id,
        window=profile.window if profile else "",
        created_by=user,
        token=data["token"],
        state=STATE_OF[data["outcome"]],
        **{k: data[k] for k in ASK_FIELDS},
    )
    a._change_reason = "ask"
    return lifecycle.create(a, user)


def tell(t: Township, a: FirstAsk, data: dict, user):
    a.told, a.result, a.state = data["told"], data["result"], AskState.TOLD


def entrust(t: Township, data: dict, user) -> ProxyCase:
    agent = t.cv.staff[data["agent"]]
    p = ProxyCase(
        township=t.id,
        window=agent.window,
        created_by=user,
        token=data["token"],
        state=ProxyState.ENTRUSTED,
        agent=agent.id,
        agent_name=agent.name,
        **{k: data[k] for k in ("received", "person", "phone", "matter_name", "due", "handed")},
    )
    p._change_reason = "proxy-entrust"
    html = paper.page(
        t, "print/desk-proxy-letter.html", message("desk_proxy_doc"), "desk-proxy", p.received, proxy=p, agent=agent
    )
    return lifecycle.create(p, user, [("letter", html)])


def give_back(t: Township, p: ProxyCase, data: dict, user):
    p.returned, p.returned_what, p.state = data["returned"], data["returned_what"], ProxyState.RETURNED
