"""Imports every feature's models so that the metadata (and migrations) see them all."""

from rating.accounts.models import User
from rating.businesses.models import Business

__all__ = ["Business", "User"]
