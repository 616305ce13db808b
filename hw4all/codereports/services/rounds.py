"""The reporting rounds: saving one and choosing the current one."""

from django.db import transaction

from ..models import Round


@transaction.atomic
def round_save(*, round: Round) -> Round:
    """Validate and store `round` (new or changed). A round marked current takes that place from
    the round that held it, in the same transaction: there is never a moment with two."""
    if round.is_current:
        _others_not_current(round)
    round.full_clean()
    round.save()
    return round


@transaction.atomic
def round_set_current(*, round: Round) -> Round:
    """Make `round` the current one, and the previous current round an ordinary one."""
    _others_not_current(round)
    round.is_current = True
    round.save(update_fields=["is_current"])
    return round


def _others_not_current(round: Round) -> None:
    # The partial unique constraint on is_current decides between two changes at once: the
    # second waits for the first's lock (or fails), never leaves two rounds current.
    Round.objects.select_for_update().filter(is_current=True).exclude(pk=round.pk).update(is_current=False)
