"""Writes that follow an update's publication: the measurements its blocks record."""

from django.db import transaction

from portal.plan.models import Measurement


@transaction.atomic
def measurements_sync_from_update(*, update) -> int:
    """Make the published measurements of `update` match its measurement blocks; returns how many."""
    Measurement.objects.filter(update=update).delete()
    created = 0
    for block in update.body:
        if block.block_type != "measurement":
            continue
        data = block.value
        Measurement.objects.create(
            indicator_id=data["indicator"].pk,
            date=data["date"],
            value=data["value"],
            source=data["source"],
            note=data.get("note") or "",
            update=update,
            live=True,
        )
        created += 1
    return created


def measurements_withdraw_for_update(*, update) -> int:
    """An unpublished update takes its measurements off the public record."""
    deleted, _ = Measurement.objects.filter(update=update).delete()
    return deleted
