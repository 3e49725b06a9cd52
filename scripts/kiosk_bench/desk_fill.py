"""Fills a fresh desk's database with N records of 大合坪乡 for `kiosk bench --desk` (kiosk_bench.desk), in
bulk, without history rows or printed documents: received over the last three years; 93 % finished,
1 % voided, 1.5 % refused, 2.5 % accepted in the last 40 days and due 28 days later, 2 % waiting for
materials. With `--cases`, N 办不成事 cases instead (for the ledger and the monthly report): received over the
last three years, passed to the windows; 85 % archived after their 回访, the rest at every earlier step,
some overdue. Run in the desk's environment: python3 -m kiosk_bench.desk_fill N [--cases] (prints the count).
"""

from __future__ import annotations

import datetime
import random
import sys
import uuid

import django


def fill(count: int) -> int:
    from django.contrib.auth.models import User
    from django.db import connection

    from kiosk.desk.catalogues import catalogues
    from kiosk.desk.deadlines import today as desk_today
    from kiosk.desk.models import Application, Counter
    from kiosk.desk.steps import application as steps

    t = catalogues().get("dahepingxiang")
    views = [v for v in t.cv.views() if not v.not_handled and v.m.task_state == "在用"]
    snapshots = {v.m.id: steps.snapshot(t, v) for v in views}
    users = list(User.objects.filter(username__endswith="@dahepingxiang"))
    rng = random.Random(20261129)
    today = desk_today()
    batch, made, per_year = [], 0, {}
    for i in range(count):
        v = views[i % len(views)]
        received = today - datetime.timedelta(days=rng.randint(0, 3 * 365))
        kind = rng.random()
        app = Application(
            township="dahepingxiang",
            window=v.window.id,
            matter_id=v.m.id,
            matter_name=v.m.task_name,
            applicant=f"申请人{i:06d}",
            phone=f"1380000{i % 10000:04d}",
            received=received,
            told=snapshots[v.m.id],
            brought=[1],
            created_by=users[i % len(users)],
            token=uuid.uuid4(),
        )
        if kind < 0.93:
            app.state, app.accepted = "finished", received
            app.due = received + datetime.timedelta(days=20)
            app.finished = min(today, received + datetime.timedelta(days=rng.randint(0, 25)))
            app.due_kind = "total"
        elif kind < 0.94:
            app.state, app.reason = "void", "重复登记"
        elif kind < 0.955:
            app.state, app.accepted, app.finished, app.reason = "denied", received, received, "不符合条件"
        elif kind < 0.98:
            received = today - datetime.timedelta(days=rng.randint(0, 40))
            app.received = app.accepted = received
            app.state, app.due, app.due_kind = "accepted", received + datetime.timedelta(days=28), "total"
        else:
            app.received = today - datetime.timedelta(days=rng.randint(0, 20))
            app.state = "correcting"
        year = app.received.year
        per_year[year] = per_year.get(year, 0) + 1
        app.number = f"{t.code}-{year}-{per_year[year]:06d}"
        batch.append(app)
        if len(batch) == 5000:
            Application.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    Application.objects.bulk_create(batch)
    for year, last in per_year.items():
        Counter.objects.update_or_create(code=t.code, year=year, defaults={"last": last})
    with connection.cursor() as c:
        c.execute("ANALYZE")
    return Application.objects.count()


def fill_cases(count: int) -> int:
    from django.contrib.auth.models import User
    from django.db import connection

    from kiosk.desk.catalogues import catalogues
    from kiosk.desk.deadlines import today as desk_today
    from kiosk.desk.models import Case

    t = catalogues().get("dahepingxiang")
    views = [v for v in t.cv.views() if not v.not_handled]
    users = list(User.objects.filter(username__endswith="@dahepingxiang"))
    rng = random.Random(20261129)
    today = desk_today()
    states = (
        ["archived"] * 85
        + ["registered", "classified"]
        + ["passed"] * 5
        + ["finished"] * 3
        + ["told"] * 2
        + ["visited", "excluded", "void"]
    )
    batch, per_year = [], {}
    for i in range(count):
        v = views[i % len(views)]
        received = today - datetime.timedelta(days=rng.randint(0, 3 * 365))
        state = rng.choice(states)
        case = Case(
            township="dahepingxiang",
            window=v.window.id,
            state=state,
            channel=rng.choice(["window", "phone", "hotline"]),
            received=received,
            matter_name=v.m.task_name,
            units=v.window.name,
            person=f"反映人{i:06d}",
            phone=f"1390000{i % 10000:04d}",
            reason="材料不全，跑了两次没办成",
            created_by=users[i % len(users)],
        )
        if state not in ("registered", "void"):
            case.category = "excluded" if state == "excluded" else rng.choice(["instant", "general", "complex"])
            case.classified = received
            case.due = received + datetime.timedelta(days=rng.choice([0, 1, 3, 5]))
        if state in ("passed", "finished", "told", "visited", "archived"):
            case.passed = received
        if state in ("finished", "told", "visited", "archived"):
            case.finished = min(today, received + datetime.timedelta(days=rng.randint(0, 6)))
            case.result = "已办结"
            case.follow_up_due = case.finished + datetime.timedelta(days=1)
        if state in ("visited", "archived"):
            case.told_on = case.visited = case.finished
            case.satisfaction = rng.choice(["good"] * 8 + ["fair", "bad"])
        if state == "archived":
            case.archived = case.visited
        if state == "void":
            case.void_reason = "重复登记"
        year = received.year
        per_year[year] = per_year.get(year, 0) + 1
        case.number = f"{t.code}-BB-{year}-{per_year[year]:06d}"
        batch.append(case)
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    with connection.cursor() as c:
        c.execute("ANALYZE")
    return Case.objects.count()


def fill_complaints(count: int) -> int:
    """`count` complaints of 大合坪乡 over three years, most of them closed, with a complainant's identity."""
    from django.contrib.auth.models import User
    from django.db import connection

    from kiosk.desk.catalogues import catalogues
    from kiosk.desk.deadlines import today as desk_today
    from kiosk.desk.models import Complaint

    t = catalogues().get("dahepingxiang")
    users = list(User.objects.filter(username__endswith="@dahepingxiang"))
    rng = random.Random(20261207)
    today = desk_today()
    states = ["closed"] * 90 + ["registered", "investigating"] * 3 + ["answered"] * 3 + ["void"]
    batch, per_year = [], {}
    for i in range(count):
        received = today - datetime.timedelta(days=rng.randint(0, 3 * 365))
        state = rng.choice(states)
        c = Complaint(
            township="dahepingxiang",
            state=state,
            channel=rng.choice(["oral", "written", "phone", "hotline"]),
            received=received,
            target_unit=t.center.windows[i % len(t.center.windows)].name,
            matter="办事时态度不好",
            happened="上午",
            place="中心大厅",
            grounds=["6"],
            complainant=f"投诉人{i:06d}",
            complainant_phone=f"1370000{i % 10000:04d}",
            due=received + datetime.timedelta(days=7),
            created_by=users[i % len(users)],
        )
        if state in ("answered", "closed"):
            c.answer_kind, c.answered, c.answer = (
                "oral",
                received + datetime.timedelta(days=rng.randint(0, 9)),
                "已答复",
            )
        if state == "closed":
            c.closed = c.answered
        per_year[received.year] = per_year.get(received.year, 0) + 1
        c.number = f"{t.code}-TS-{received.year}-{per_year[received.year]:06d}"
        batch.append(c)
        if len(batch) == 5000:
            Complaint.objects.bulk_create(batch)
            batch = []
    Complaint.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Complaint.objects.count()


if __name__ == "__main__":
    django.setup()
    n = int(sys.argv[1])
    # the ledger bench: N 办不成事 cases and a tenth as many complaints (100,000 and 10,000)
    print(fill_cases(n) + fill_complaints(n // 10) if "--cases" in sys.argv else fill(n))
