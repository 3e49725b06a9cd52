"""The steps of 首问登记 and 帮代办, each one transaction with the version check of records.py:

    ask        首问登记: answered (当场答复), referred (指引: 部门、地点、电话、姓名) or following (稍后告知)
    tell       a following one: when and what the person was told → closed
    entrust    帮代办: a new 委托 and its 委托书
    give_back  what the 代办员 handed back and when → closed
    void       作废, with the reason (either kind)
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from . import paper
from .catalogues import Township
from .help_models import AskState, FirstAsk, ProxyCase, ProxyDocument, ProxyState
from .records import Conflict, StepRefused, pause

__all__ = ["Conflict", "StepRefused", "ask", "tell", "entrust", "give_back", "void"]

ASK_FIELDS = ("asked", "way", "person", "phone", "question", "answer", "ref_unit", "ref_place", "ref_phone",
              "ref_person")
STATE_OF = {"answer": AskState.ANSWERED, "refer": AskState.REFERRED, "follow": AskState.FOLLOWING}


def _window(user) -> str:
    p = getattr(user, "desk", None)
    return p.window if p else ""


def ask(t: Township, data: dict, user) -> FirstAsk:
    existing = FirstAsk.objects.filter(token=data["token"]).first()
    if existing is not None:
        return existing
    a = FirstAsk(township=t.id, window=_window(user), created_by=user, token=data["token"],
                 state=STATE_OF[data["outcome"]], **{k: data[k] for k in ASK_FIELDS})
    a._change_reason = "ask"
    try:
        with transaction.atomic():
            a.save()
            pause("before-commit")
    except IntegrityError:
        return FirstAsk.objects.get(token=data["token"])
    return a


def tell(t: Township, pk: int, version: int, data: dict, user) -> FirstAsk:
    with transaction.atomic():
        a = _locked(FirstAsk, pk, version, user, AskState.FOLLOWING)
        a.told, a.result, a.state = data["told"], data["result"], AskState.TOLD
        a._change_reason = "ask-tell"
        _save(a)
    return a


def entrust(t: Township, data: dict, user) -> ProxyCase:
    existing = ProxyCase.objects.filter(token=data["token"]).first()
    if existing is not None:
        return existing
    agent = t.cv.staff[data["agent"]]
    p = ProxyCase(township=t.id, window=agent.window, created_by=user, token=data["token"], state=ProxyState.ENTRUSTED,
                  agent=agent.id, agent_name=agent.name, **{k: data[k] for k in (
                      "received", "person", "phone", "matter_name", "due", "handed")})
    p._change_reason = "proxy-entrust"
    try:
        with transaction.atomic():
            p.save()
            html = paper.page(t, "print/desk-proxy-letter.html", ProxyDocument().get_kind_display(), "desk-proxy",
                              p.received, proxy=p, agent=agent)
            ProxyDocument.objects.create(proxy=p, html=html, created_by=user)
            pause("before-commit")
    except IntegrityError:
        return ProxyCase.objects.get(token=data["token"])
    return p


def give_back(t: Township, pk: int, version: int, data: dict, user) -> ProxyCase:
    with transaction.atomic():
        p = _locked(ProxyCase, pk, version, user, ProxyState.ENTRUSTED)
        p.returned, p.returned_what, p.state = data["returned"], data["returned_what"], ProxyState.RETURNED
        p._change_reason = "proxy-return"
        _save(p)
    return p


def void(model):
    def step(t: Township, pk: int, version: int, data: dict, user):
        with transaction.atomic():
            r = _locked(model, pk, version, user, *[s for s in model._meta.get_field("state").choices
                                                     if s[0] != "void"])
            r.void_reason, r.state = data["reason"], "void"
            r._change_reason = "void"
            _save(r)
        return r
    return step


def _locked(model, pk: int, version: int, user, *states):
    r = model.objects.visible_to(user).select_for_update().get(pk=pk)
    states = {s[0] if isinstance(s, tuple) else s for s in states}
    if r.version != version:
        raise Conflict(r)
    if r.state not in states:
        raise StepRefused("desk_wrong_state", state=r.get_state_display())
    return r


def _save(r) -> None:
    r.version += 1
    r.save()
