"""Imports every feature's models so that the metadata (and migrations) see them all."""

from rating.accounts.models import User
from rating.businesses.models import Business
from rating.encounters.models import Encounter, Invitation
from rating.moderation.models import Appeal, Flag, ModerationAction, ModerationItem, Strike
from rating.notifications.models import Notification
from rating.reviews.models import Reply, Review
from rating.scores.models import ScoreAggregate, ScoreMonth
from rating.thanks.models import Thanks
from rating.tokens.models import ApiToken

__all__ = [
    "ApiToken",
    "Appeal",
    "Business",
    "Encounter",
    "Flag",
    "Invitation",
    "ModerationAction",
    "ModerationItem",
    "Notification",
    "Reply",
    "Review",
    "ScoreAggregate",
    "ScoreMonth",
    "Strike",
    "Thanks",
    "User",
]
