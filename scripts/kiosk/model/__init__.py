"""The typed catalogue: a matter (事项), the center, the catalogue's own facts; one file each (types.py,
matter.py, center.py, catalogue.py), every name importable from here.

Field names follow the national 事项 elements (task_name, materials[].is_need,
promise_day ...; see shared/reference/matter-fields.md); the center's own
extensions (keywords, summary, prerequisites, responsible, proxy ...) sit
beside them. Every field carries a Chinese description that flows into the
JSON Schema, so an editor shows it while the YAML is typed.

Unknown is a state, never a default: every element a real guide can leave
blank is optional here and stays None (or an empty list) when the editor did
not write it. Pages and sheets then say 未载明; nothing prints 免费 or 最多跑
1 次 because a field was left out (kiosk.unstated lists what is unknown).

Only structure and types are checked here; rules that look at several fields
or several files live in `checks.py`.
"""

from .catalogue import (  # noqa: F401
    Topic, Audience, CountyCenter, CatalogueInfo, HolidaySpan, CalendarYear,
    CalendarFile, slug_ok, MatterOverride, NotHandled, Local, ChangeKind,
    Change, MatterChange, ChangeReport, Catalogue,
)
from .center import (  # noqa: F401
    Window, Staff, Hours, Channel, Complaints, Hotline,
    Rating, UnresolvedDeadlines, Unresolved, ProxyRules, Center,
)
from .matter import (  # noqa: F401
    LawBasis, Prerequisite, Material, Step, SpecialProcedure, PromiseCase,
    Extension, Fee, Standard, Responsible, Contact, Person,
    Proxy, Agent, Source, Element, Faq, Partner, Matter, LIST_FIELDS,
)
from .types import (  # noqa: F401
    ID_PATTERN, URL_PATTERN, PHONE_PATTERN, YES_WORDS, Id, Url,
    Phone, Text, YesNo, TaskType, TaskState, ProjectType,
    Unit, IsNeed, MaterialFormat, SourceType, ServerType, ResultType,
    OriginalUse, Match, OnlineDepth, Strict,
)
