"""The desk's records, one module per kind, on one base (base.Kept): Django finds every model through here."""

from .application import OPEN_STATES, Application, Document, DocumentKind, DueKind, State  # noqa: F401
from .base import Kept, PrintedDocument, Scope, Step, visible  # noqa: F401
from .case import (  # noqa: F401
    CLOSED_STATES,
    HANDLING_STATES,
    Case,
    CaseDocument,
    CaseDocumentKind,
    CaseState,
    Category,
    Channel,
    Satisfaction,
)
from .complaint import (  # noqa: F401
    HEAD_ONLY,
    OPEN,
    SECRET,
    AnswerKind,
    Complaint,
    ComplaintChannel,
    ComplaintDocument,
    ComplaintDocumentKind,
    ComplaintState,
)
from .help import AskState, AskWay, FirstAsk, ProxyCase, ProxyDocument, ProxyState  # noqa: F401
from .staff import Counter, StaffProfile  # noqa: F401

KINDS = [Application, Case, Complaint, FirstAsk, ProxyCase]  # every kind of kept record
