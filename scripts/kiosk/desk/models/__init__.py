"""The desk's records, one module per kind, on one base (base.Kept): Django finds every model through here."""

from .application import Application, Document, DocumentKind, DueKind, OPEN_STATES, State  # noqa: F401
from .base import Kept, PrintedDocument, Scope, Step, visible  # noqa: F401
from .case import (CLOSED_STATES, HANDLING_STATES, Case, CaseDocument, CaseDocumentKind, CaseState,  # noqa: F401
                   Category, Channel, Satisfaction)
from .complaint import (HEAD_ONLY, OPEN, SECRET, AnswerKind, Complaint, ComplaintChannel,  # noqa: F401
                        ComplaintDocument, ComplaintDocumentKind, ComplaintState)
from .help import AskState, AskWay, FirstAsk, ProxyCase, ProxyDocument, ProxyState  # noqa: F401
from .staff import Counter, StaffProfile  # noqa: F401

KINDS = [Application, Case, Complaint, FirstAsk, ProxyCase]  # every kind of kept record
