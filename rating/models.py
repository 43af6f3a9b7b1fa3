"""Imports every feature's models so that the metadata (and migrations) see them all."""

from rating.accounts.models import User
from rating.businesses.models import Business
from rating.encounters.models import Encounter, Invitation
from rating.notifications.models import Notification
from rating.reviews.models import Reply, Review
from rating.scores.models import ScoreAggregate, ScoreMonth
from rating.thanks.models import Thanks

__all__ = [
    "Business",
    "Encounter",
    "Invitation",
    "Notification",
    "Reply",
    "Review",
    "Thanks",
    "User",
]
