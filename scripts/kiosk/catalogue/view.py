"""What a page or a sheet shows of a matter, resolved once from the checked catalogue.

The kiosk page and the printed sheet both render `templates/notice.html`
from a `MatterView`, so the screen and the paper say the same thing (一次性告知,
口径一致). Nothing here formats Chinese text; the templates do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..calendar.limits import Deadline, deadline
from ..model import (
    Catalogue,
    Contact,
    Element,
    Material,
    Matter,
    MatterChange,
    MatterOverride,
    NotHandled,
    Staff,
    Topic,
    Window,
    label,
)

# list elements whose 无 the notice prints in their own place (notice.html); any other goes to 其他要素
NONE_SHOWN_IN_PLACE = {"other_dept", "accept_condition", "materials", "steps", "by_law", "link_way"}


@dataclass(frozen=True)
class PrerequisiteView:
    matter: Matter | None  # a matter of this catalogue
    name: str  # its name, or the outside approval's name
    issuer: str | None
    how_to_get: str | None
    note: str | None


@dataclass(frozen=True)
class MaterialSet:
    who: str  # an applicant type: 个人, 单位
    numbers: list[int]  # the materials it brings, numbered as on the sheet


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
    def assigned(self) -> bool:
        """Whether the county or the township names the window of this matter."""
        return bool(self.local.window or self.m.responsible)

    @property
    def window(self) -> Window:
        """The matter's window; without one, the center's first window (综合受理), where 首问 begins."""
        chosen = self.local.window or (self.m.responsible.window if self.m.responsible else None)
        return self.cat.windows[chosen] if chosen else self.cat.c.center.windows[0]

    @property
    def person(self) -> Staff:
        """The first-asked person: the township's choice, the matter's, or the window's first staff member."""
        chosen = self.local.person or (self.m.responsible.person if self.m.responsible else None)
        if chosen:
            return self.cat.staff[chosen]
        return next(s for s in self.cat.c.center.staff if s.window == self.window.id)

    @property
    def phone(self) -> str:
        """The first-asked person's own phone: printed beside their name, and only there."""
        return self.person.phone

    @property
    def consult(self) -> list[Contact]:
        """咨询电话: the township's phone for this matter, then the guide's own."""
        own = [Contact(name=self.window.name, phone=self.local.phone)] if self.local.phone else []
        return own + self.m.link_way

    @property
    def address(self) -> str:
        return self.m.transact_addr or self.cat.c.center.address

    @property
    def location(self) -> str | None:
        return (
            self.local.location or (self.m.responsible.location if self.m.responsible else None) or self.window.location
        )

    @property
    def dept(self) -> str | None:
        return self.m.responsible.dept if self.m.responsible else None

    @property
    def transact_time(self) -> str | None:
        return self.local.transact_time or self.m.transact_time

    @property
    def materials(self) -> list[Material]:
        """The county's materials, then the township's extra ones."""
        return self.m.materials + self.local.extra_materials

    @property
    def material_sets(self) -> list[MaterialSet]:
        """Per applicant type (个人, 单位 …), the numbers of the materials it brings."""
        return [
            MaterialSet(who, [i for i, x in enumerate(self.materials, 1) if not x.applicants or who in x.applicants])
            for who in self.m.applicant_types
        ]

    @cached_property
    def limits(self) -> Deadline:
        """The matter's time limits as stated (no dates: those need a day of 受理)."""
        return deadline(self.m, None, None)

    @property
    def ask_phone(self) -> str:
        """Where to ask about what the guide leaves blank: the matter's consultation phone, else the
        first-asked person's; for a matter the township does not handle, the place that handles it."""
        if self.not_handled:  # asked where it is handled, never of the local window
            county = self.cat.c.catalogue.county_center
            return self.not_handled.phone or (county.phone if county and county.phone else self.cat.c.center.phone)
        return next((c.phone for c in self.consult if c.phone), self.phone)

    @property
    def other_elements(self) -> list[Element]:
        """The guide's elements this model has no field for, then each list element the guide says 无 for
        (联办机构：无), so a stated 无 is printed wherever a blank would not be."""
        said = [Element(name=label(Matter, f), text="无") for f in self.m.stated_none if f not in NONE_SHOWN_IN_PLACE]
        return self.m.other_elements + said

    @property
    def same_source(self) -> list[Matter]:
        """The other matters of this catalogue typed from the same published guide."""
        if not self.m.source:
            return []
        key = (self.m.source.title, self.m.source.url)
        return [
            x for x in self.cat.c.matters if x.id != self.m.id and x.source and (x.source.title, x.source.url) == key
        ]

    @property
    def notes(self) -> list[str]:
        return self.local.notes

    @property
    def keywords(self) -> list[str]:
        """俗称: the county's, then the words this township's people use (each once)."""
        return list(dict.fromkeys([*self.m.keywords, *self.local.keywords]))

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
    def path(self) -> str:
        """Site-relative path of this matter's page."""
        return page_path(self.m.id)

    @property
    def print_path(self) -> str:
        return print_path(self.m.id)

    @property
    def qr_links(self) -> dict[str, str]:
        """What each QR code of the page and the sheet points to: this matter's page, the 12345 web channel
        (else its number to call), the kiosk's complaint page, 好差评."""
        center = self.cat.c.center
        return {
            "page": self.page_url,
            "hotline": center.hotline.url or f"tel:{center.hotline.number}",
            "complaints": site_url(center.base_url, "complaints/"),
            "rating": center.rating.url,
        }

    @property
    def page_url(self) -> str:
        """The public address of this matter's kiosk page (for QR codes)."""
        return site_url(self.cat.c.center.base_url, page_path(self.m.id))


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


# Where each thing of a matter is, in the site; nothing else spells these paths out.
SHEETS = "sheets"  # the site folder of the printed sheets (kiosk.printing.sheets builds its contents)


def site_url(base_url: str, path: str) -> str:
    """The public address of a site-relative path: `base_url` is the site's root, with or without its
    trailing slash (https://x.org/dahepingxiang and https://x.org/dahepingxiang/ give the same address)."""
    return base_url.rstrip("/") + "/" + path


def page_path(matter_id: str) -> str:
    """Site-relative path of a matter page."""
    return f"matters/{matter_id}/"


def page_source(matter_id: str) -> str:
    """The generated Markdown a matter page is built from, under the docs folder."""
    return f"matters/{matter_id}.md"


def sheet_name(matter_id: str) -> str:
    """A matter's 一次性告知单 in a folder of sheets (kiosk sheets --out, the site's sheets/)."""
    return f"{matter_id}.pdf"


def form_name(form: str) -> str:
    """A blank form in a folder of sheets."""
    return f"forms/{form}.pdf"


def sheet_path(matter_id: str) -> str:
    """Site-relative path of a matter's 一次性告知单 (PDF)."""
    return f"{SHEETS}/{sheet_name(matter_id)}"


def print_path(matter_id: str) -> str:
    """Site-relative path of a matter's print view (its 一次性告知单 to print at the kiosk)."""
    return f"{SHEETS}/{matter_id}.html"
