"""The bases every Rapport model stands on: timestamps and ownership."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from rapport.accounts.models import User


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OwnedQuerySet(models.QuerySet[Any]):
    def for_owner(self, user: User) -> Self:
        """Only the rows `user` owns: the one filter every read of owned data starts from."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner_id=user.pk)


class OwnedModel(TimeStampedModel):
    """A row that belongs to one user. Its owner is the isolation boundary."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True


OwnedT = TypeVar("OwnedT", bound=OwnedModel)


def get_owned_or_404(model: type[OwnedT], user: User, **lookup: Any) -> OwnedT:
    """This user's object, or a 404 that says nothing about whether it exists for someone else."""
    queryset = model.objects.for_owner(user)
    obj: OwnedT = get_object_or_404(queryset, **lookup)
    return obj


def ensure_owned_by(owner: User, *objects: OwnedModel | None) -> None:
    """Services call this before linking rows, so no row ever points into another account."""
    from rapport.core.errors import RapportError

    for obj in objects:
        if obj is not None and obj.owner_id != owner.pk:
            raise RapportError("That record was not found in your account.", code="not_found")
