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
1 次 because a field was left out (kiosk.catalogue.unstated lists what is unknown).

Only structure and types are checked here; rules that look at several fields
or several files live in kiosk.catalogue.checks. May import: the base modules (kiosk.exceptions, problems,
settings, files, clock).
"""

from .catalogue import (  # noqa: F401
    Audience,
    CalendarFile,
    CalendarYear,
    Catalogue,
    CatalogueInfo,
    Change,
    ChangeKind,
    ChangeReport,
    CountyCenter,
    HolidaySpan,
    Local,
    MatterChange,
    MatterOverride,
    NotHandled,
    Topic,
    slug_ok,
)
from .center import (  # noqa: F401
    Center,
    Channel,
    Complaints,
    Hotline,
    Hours,
    ProxyRules,
    Rating,
    Staff,
    Unresolved,
    UnresolvedDeadlines,
    Window,
)
from .matter import (  # noqa: F401
    LIST_FIELDS,
    Agent,
    Contact,
    Element,
    Extension,
    Faq,
    Fee,
    LawBasis,
    Material,
    Matter,
    Partner,
    Person,
    Prerequisite,
    PromiseCase,
    Proxy,
    Responsible,
    Source,
    SpecialProcedure,
    Standard,
    Step,
)
from .types import (  # noqa: F401
    ID_PATTERN,
    PHONE_PATTERN,
    URL_PATTERN,
    YES_WORDS,
    Id,
    IsNeed,
    Match,
    MaterialFormat,
    OnlineDepth,
    OriginalUse,
    Phone,
    ProjectType,
    ResultType,
    ServerType,
    SourceType,
    Strict,
    TaskState,
    TaskType,
    Text,
    Unit,
    Url,
    YesNo,
    label,
)
