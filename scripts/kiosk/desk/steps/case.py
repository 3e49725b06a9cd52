"""The steps of a 办不成事 case, each changing the locked case and saying what it prints:

    register   登记: a new case with its number (DHP-BB-2026-000001) and the 登记表
    classify   定时限: 即时 / 一般 / 复杂 (the center file's working days) / 约定延期 (the agreed date and the
               person's consent) → the due date; 不纳入受理 with the explanation given → closed
    pass_on    交办 to the window the matter belongs to: the 交办单 with the due date
    handle     办结 by that window: what was done and the result; the 回访 falls due (follow_up_days)
    feedback   反馈: when and how the person was told
    follow_up  回访: 满意 / 基本满意 / 不满意 and the person's words
    archive    归档
Who may take each step is the case's `steps` (permissions.py: coordinate_case, handle_case).
"""

from __future__ import annotations

from .. import lifecycle, paper
from ..catalogues import Township
from ..deadlines import case_follow_up_due, case_handling_due
from ..models import Case, CaseDocumentKind, CaseState, Category


def register(t: Township, data: dict, user) -> Case:
    """A new case from RegisterForm's cleaned data; the 登记表 printed with it."""
    case = Case(
        township=t.id,
        state=CaseState.REGISTERED,
        channel=data["channel"],
        received=data["received"],
        matter_name=data["matter_name"],
        units=data["units"],
        person=data["person"],
        phone=data["phone"],
        reason=data["reason"],
        created_by=user,
        token=data["token"],
        number=paper.placeholder(),
    )
    case._change_reason = "case-register"
    printed = [(CaseDocumentKind.REGISTER, _register_html(t, case, user))]
    return lifecycle.create(case, user, printed, placeholder=case.number, code=t.code)


def classify(t: Township, case: Case, data: dict, user):
    case.category, case.classified = data["category"], data["classified"]
    if case.category == Category.EXCLUDED:
        case.explanation, case.state = data["explanation"], CaseState.EXCLUDED
    else:
        if case.category == Category.AGREED:
            case.agreed_date, case.consent, case.consent_note = data["agreed_date"], True, data["consent_note"]
        case.due, case.due_year = case_handling_due(
            t.center, case.category, case.received, case.agreed_date, t.calendar
        )
        case.state = CaseState.CLASSIFIED
    return [(CaseDocumentKind.REGISTER, _register_html(t, case, user))]


def pass_on(t: Township, case: Case, data: dict, user):
    case.window, case.passed, case.state = data["window"], data["passed"], CaseState.PASSED
    window = t.cv.windows[case.window]
    html = paper.page(
        t,
        "print/desk-case-assign.html",
        CaseDocumentKind.ASSIGN.label,
        "desk-case",
        case.passed,
        case=case,
        category=case.category_text(t.center),
        staff=paper.staff_of(t, user),
        window={"id": window.id, "name": window.name, "location": window.location},
    )
    return [(CaseDocumentKind.ASSIGN, html)]


def handle(t: Township, case: Case, data: dict, user):
    case.handling, case.result, case.finished = data["handling"], data["result"], data["finished"]
    case.follow_up_due, case.follow_up_year = case_follow_up_due(t.center, case.finished, t.calendar)
    case.state = CaseState.FINISHED


def feedback(t: Township, case: Case, data: dict, user):
    case.told_on, case.told_how, case.state = data["told_on"], data["told_how"], CaseState.TOLD


def follow_up(t: Township, case: Case, data: dict, user):
    case.visited, case.satisfaction, case.words = data["visited"], data["satisfaction"], data["words"]
    case.state = CaseState.VISITED


def archive(t: Township, case: Case, data: dict, user):
    case.archived, case.state = data["archived"], CaseState.ARCHIVED


def _register_html(t: Township, case: Case, user) -> str:
    return paper.page(
        t,
        "print/desk-case-register.html",
        CaseDocumentKind.REGISTER.label,
        "desk-case",
        case.classified or case.received,
        case=case,
        category=case.category_text(t.center),
        staff=paper.staff_of(t, case.created_by if case.pk else user),
    )
