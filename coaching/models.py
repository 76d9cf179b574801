"""The `coaching` app's models, which live in its concerns' packages.

Django finds an app's models through this module; each concern keeps its own.
"""

from coaching.accounts.models import Coach, Invitation, ThrottleCounter, User, UserManager
from coaching.assessments.models import (
    Assessment,
    AssessmentQuerySet,
    AvailabilityWindow,
    BookingRules,
    CalendarFeed,
    ContactRequest,
    ScreenOut,
    TimeOff,
    WaitlistEntry,
)
from coaching.privacy.models import ErasureRequest

__all__ = [
    "Assessment",
    "AssessmentQuerySet",
    "AvailabilityWindow",
    "BookingRules",
    "CalendarFeed",
    "Coach",
    "ContactRequest",
    "ErasureRequest",
    "Invitation",
    "ScreenOut",
    "ThrottleCounter",
    "TimeOff",
    "User",
    "UserManager",
    "WaitlistEntry",
]
