"""Each kind of record's screens, as one configuration of viewsets.ViewSet: its list and filters, its new-record
form, its page, and each step with its form, its change (steps/<kind>.py) and its template. Adding a step is a
line here and one in the model's `steps`.
"""

from __future__ import annotations

from django.db.models import Q

from . import dashboard, deadlines, lifecycle
from .forms.application import FinishForm, RecordFilter, RefuseForm, SupplementForm
from .forms.case import (
    ArchiveForm,
    CaseFilter,
    ClassifyForm,
    FeedbackForm,
    FollowUpForm,
    HandleForm,
    PassForm,
    RegisterForm,
)
from .forms.complaint import AnswerForm, CloseForm, ComplaintForm, NoteForm, OutcomeForm
from .forms.fields import VoidForm
from .forms.help import AskForm, ProxyForm, ReturnForm, TellForm
from .models import (
    Application,
    AskState,
    Case,
    CaseState,
    Complaint,
    ComplaintState,
    FirstAsk,
    ProxyCase,
    ProxyState,
    State,
)
from .models.complaint import HEAD_ONLY
from .steps import application, case, complaint, help
from .viewsets import StepView, ViewSet, township_of

# ---------------------------------------------------------------- applications (受理件)


def _records(request, shown):
    f = RecordFilter(request.GET)
    data = f.cleaned_data if f.is_valid() else {}
    if data.get("q"):
        q = data["q"].strip()
        shown = shown.filter(
            Q(applicant__contains=q) | Q(number__icontains=q) | Q(phone__contains=q) | Q(matter_name__contains=q)
        )
    for name in ("state", "window", "township"):
        if data.get(name):
            shown = shown.filter(**{name: data[name]})
    if data.get("due"):
        p = request.user.desk
        t = township_of(p.township) if p.township else dashboard.any_township()
        shown = dashboard.filtered(shown, data["due"], t.calendar, deadlines.today())
    return shown.defer(*dashboard.LIST_DEFERRED), {"filter": data, "states": State.choices}


def _record_context(request, app, t) -> dict:
    late = deadlines.late_one(app, t.calendar)
    return {"late": late.workdays if late else None}


APPLICATIONS = ViewSet(
    Application,
    "records",
    "app",
    "records",
    "desk/record.html",
    "",
    context=_record_context,
    list_template="desk/record_list.html",
    filter=_records,
    steps={
        "supplement": StepView(
            SupplementForm,
            application.supplement,
            "补交材料",
            "desk/supplement.html",
            form_kwargs=lambda t: {"calendar": t.calendar},
        ),
        "finish": StepView(FinishForm, application.finish, "办结", "desk/finish.html"),
        "refuse": StepView(RefuseForm, application.refuse, "不予受理 / 不予许可", "desk/refuse.html"),
        "void": StepView(VoidForm, lifecycle.void, "作废", "desk/void.html"),
    },
)

# ---------------------------------------------------------------- 办不成事 cases


def _cases(request, shown):
    f = CaseFilter(request.GET)
    data = f.cleaned_data if f.is_valid() else {}
    if data.get("q"):
        q = data["q"].strip()
        shown = shown.filter(Q(number__icontains=q) | Q(matter_name__contains=q) | Q(person__contains=q))
    if data.get("state"):
        shown = shown.filter(state=data["state"])
    if data.get("late"):
        shown = shown.filter(deadlines.overdue_q(Case, deadlines.today()))
    return shown, {"filter": data, "states": CaseState.choices}


def _case_context(request, c, t) -> dict:
    return {
        "late": deadlines.late_one(c, t.calendar),
        "category": c.category_text(t.center),
        "window_name": t.cv.windows[c.window].name if c.window in t.cv.windows else c.window,
        "deadlines": t.center.unresolved.deadlines,
    }


def _center(t) -> dict:
    return {"center": t.center}


CASES = ViewSet(
    Case,
    "cases",
    "case",
    "cases",
    "desk/case.html",
    "desk/case_step.html",
    context=_case_context,
    list_template="desk/case_list.html",
    filter=_cases,
    new_template="desk/case_new.html",
    new_form=lambda request, t: RegisterForm(request.POST or None),
    create=case.register,
    steps={
        "classify": StepView(ClassifyForm, case.classify, "定时限", form_kwargs=_center),
        "pass": StepView(PassForm, case.pass_on, "交办", form_kwargs=_center),
        "handle": StepView(HandleForm, case.handle, "办结"),
        "feedback": StepView(FeedbackForm, case.feedback, "反馈"),
        "follow_up": StepView(FollowUpForm, case.follow_up, "回访"),
        "archive": StepView(ArchiveForm, case.archive, "归档"),
        "void": StepView(VoidForm, lifecycle.void, "作废"),
    },
)

# ---------------------------------------------------------------- complaints


def _complaints(request, shown):
    state = request.GET.get("state", "")
    if state in ComplaintState.values:
        shown = shown.filter(state=state)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        shown = shown.filter(Q(number__icontains=q) | Q(target_unit__contains=q) | Q(matter__contains=q))
    return shown.defer(*HEAD_ONLY), {"state": state, "q": q, "states": ComplaintState.choices}


def _complaint_context(request, c, t) -> dict:
    return {
        "late": deadlines.is_late(c) is not None,
        "head": request.user.has_perm("desk.view_complainant", c),
        "reply_days": t.center.complaints.reply_days,
    }


COMPLAINTS = ViewSet(
    Complaint,
    "complaints",
    "c",
    "complaints",
    "desk/complaint.html",
    "desk/complaint_step.html",
    context=_complaint_context,
    list_template="desk/complaint_list.html",
    filter=_complaints,
    new_template="desk/complaint_new.html",
    create=complaint.register,
    new_form=lambda request, t: ComplaintForm(request.POST or None, center=t.center),
    steps={
        "note": StepView(NoteForm, complaint.note, "记调查跟踪情况"),
        "answer": StepView(AnswerForm, complaint.answer, "答复"),
        "outcome": StepView(OutcomeForm, complaint.set_outcome, "对被投诉人的处理"),
        "close": StepView(CloseForm, complaint.close, "办结"),
        "void": StepView(VoidForm, lifecycle.void, "作废"),
    },
)

# ---------------------------------------------------------------- 首问登记 and 帮代办


def _open_only(state):
    def filter_(request, shown):
        waiting = shown.filter(state=state)
        only_open = request.GET.get("open") == "1"
        return (waiting if only_open else shown), {"waiting": waiting.count(), "only_open": only_open}

    return filter_


ASKS = ViewSet(
    FirstAsk,
    "asks",
    "r",
    "asks",
    "desk/ask.html",
    "desk/help_step.html",
    context=lambda request, r, t: {"kind": "asks"},
    list_template="desk/ask_list.html",
    filter=_open_only(AskState.FOLLOWING),
    order=("-asked", "-id"),
    new_template="desk/ask_new.html",
    new_form=lambda request, t: AskForm(request.POST or None),
    create=help.ask,
    steps={"tell": StepView(TellForm, help.tell, "告知结果"), "void": StepView(VoidForm, lifecycle.void, "作废")},
)

PROXIES = ViewSet(
    ProxyCase,
    "proxies",
    "r",
    "proxies",
    "desk/proxy.html",
    "desk/help_step.html",
    context=lambda request, r, t: {"kind": "proxies"},
    list_template="desk/proxy_list.html",
    filter=_open_only(ProxyState.ENTRUSTED),
    new_template="desk/proxy_new.html",
    new_form=lambda request, t: ProxyForm(request.POST or None, center=t.center),
    create=help.entrust,
    steps={"return": StepView(ReturnForm, help.give_back, "交回"), "void": StepView(VoidForm, lifecycle.void, "作废")},
)

VIEWSETS = [APPLICATIONS, CASES, COMPLAINTS, ASKS, PROXIES]
