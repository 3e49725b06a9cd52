"""What a page or a sheet shows of a matter, resolved once from the checked catalogue.

The kiosk page and the printed sheet both render `templates/notice.html`
from a `MatterView`, so the screen and the paper say the same thing (一次性告知,
口径一致). Nothing here formats Chinese text; the templates do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urljoin

from .model import Catalogue, Material, Matter, MatterChange, MatterOverride, NotHandled, Staff, Topic, Window


@dataclass(frozen=True)
class PrerequisiteView:
    matter: Matter | None  # a matter of this catalogue
    name: str  # its name, or the outside approval's name
    issuer: str | None
    how_to_get: str | None
    note: str | None


@dataclass
class MatterView:
    m: Matter
    cat: "CatalogueView"

    @property
    def local(self) -> MatterOverride:
        """This township's own notes on the matter (empty when it has none)."""
        return self.cat.c.local.matters.get(self.m.id) or MatterOverride()

    @property
    def not_handled(self) -> NotHandled | None:
        """Where to go instead, when this township does not handle the matter."""
        return self.cat.not_handled.get(self.m.id)

    @property
    def window(self) -> Window:
        return self.cat.windows[self.local.window or self.m.responsible.window]

    @property
    def person(self) -> Staff:
        """The first-asked person: the township's choice, the matter's, or the window's first staff member."""
        chosen = self.local.person or self.m.responsible.person
        if chosen:
            return self.cat.staff[chosen]
        return next(s for s in self.cat.c.center.staff if s.window == self.window.id)

    @property
    def phone(self) -> str:
        return self.local.phone or self.m.responsible.phone or self.person.phone

    @property
    def address(self) -> str:
        return self.m.transact_addr or self.cat.c.center.address

    @property
    def location(self) -> str | None:
        return self.local.location or self.m.responsible.location or self.window.location

    @property
    def transact_time(self) -> str | None:
        return self.local.transact_time or self.m.transact_time

    @property
    def materials(self) -> list[Material]:
        """The county's materials, then the township's extra ones."""
        return self.m.materials + self.local.extra_materials

    @property
    def notes(self) -> list[str]:
        return self.local.notes

    @property
    def changes(self) -> MatterChange | None:
        report = self.cat.c.changes
        return next((c for c in report.matters if c.id == self.m.id), None) if report else None

    @property
    def topics(self) -> list[Topic]:
        return [self.cat.topics[t] for t in self.m.user_topic_type]

    @property
    def prerequisites(self) -> list[PrerequisiteView]:
        out = []
        for p in self.m.prerequisites:
            target = self.cat.matters.get(p.matter) if p.matter else None
            out.append(PrerequisiteView(target, target.task_name if target else p.name, p.issuer, p.how_to_get, p.note))
        return out

    @property
    def needed_by(self) -> list[Matter]:
        return self.cat.needed_by.get(self.m.id, [])

    @property
    def rights(self) -> list[str]:
        return self.m.rights or self.cat.c.center.rights

    @property
    def suspended(self) -> bool:
        return self.m.task_state != "在用"

    @property
    def page_url(self) -> str:
        """The public address of this matter's kiosk page (for QR codes)."""
        return urljoin(self.cat.c.center.base_url, page_path(self.m.id))

    @property
    def sheet_url(self) -> str:
        return urljoin(self.cat.c.center.base_url, sheet_path(self.m.id))


class CatalogueView:
    """Look-ups over a checked catalogue: windows, staff, topics, who needs what."""

    def __init__(self, c: Catalogue):
        self.c = c
        self.windows = {w.id: w for w in c.center.windows}
        self.staff = {s.id: s for s in c.center.staff}
        self.topics = {t.id: t for t in c.catalogue.topics}
        self.audiences = {a.id: a for a in c.catalogue.audiences}
        self.matters = {m.id: m for m in c.matters}
        self.not_handled = {n.matter: n for n in c.local.not_handled}

    @cached_property
    def needed_by(self) -> dict[str, list[Matter]]:
        out: dict[str, list[Matter]] = {}
        for m in self.c.matters:
            for p in m.prerequisites:
                if p.matter:
                    out.setdefault(p.matter, []).append(m)
        return out

    def view(self, matter_id: str) -> MatterView:
        return MatterView(self.matters[matter_id], self)

    def views(self) -> list[MatterView]:
        return [MatterView(m, self) for m in self.c.matters]

    def channel(self, channel_id: str):
        return next((ch for ch in self.c.center.complaints.channels if ch.id == channel_id), None)


def page_path(matter_id: str) -> str:
    """Site-relative path of a matter page."""
    return f"matters/{matter_id}/"


def sheet_path(matter_id: str) -> str:
    """Site-relative path of a matter's printable sheet."""
    return f"sheets/{matter_id}.pdf"
