"""One-time links to an invitation-only questionnaire: made in bulk by the Secretariat (each token
shown once, only its hash stored), used by the invitee to answer once."""

import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Invitation, Questionnaire, Response
from .responses import response_start

LABEL_MAX = 255
INVITATIONS_MAX = 5000


class InvitationInvalid(Exception):
    """The link is not (or no longer) good for answering; the message says why."""


class InvitationUsed(InvitationInvalid):
    """The invitee already submitted their response."""

    def __init__(self, response: Response):
        super().__init__(_("This invitation was already used: its response has been submitted. Thank you."))
        self.response = response


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitations_create(
    *, questionnaire: Questionnaire, labels: list[str], user
) -> list[tuple[Invitation, str]]:
    """One invitation per label (an empty label is allowed); returns each with its token, which is
    never shown again."""
    if len(labels) > INVITATIONS_MAX:
        raise ValueError(_("At most %(max)s invitations at a time.") % {"max": INVITATIONS_MAX})
    made = []
    for label in labels:
        token = secrets.token_urlsafe(24)
        invitation = Invitation.objects.create(
            questionnaire=questionnaire,
            token_hash=token_hash(token),
            label=label.strip()[:LABEL_MAX],
            created_by=user,
        )
        made.append((invitation, token))
    return made


def invitation_use(*, questionnaire: Questionnaire, token: str, language: str = "") -> Response:
    """The invitee's response: started on first use, the same draft on every later use. Raises
    InvitationInvalid for an unknown token and InvitationUsed once the response is submitted;
    ResponseClosed (services.responses) when the questionnaire is closed."""
    # The invitation's row lock (PostgreSQL's row lock, SQLite's immediate transaction) makes two
    # first uses at once wait for each other: the second finds the first one's response. The
    # response is read after the lock, in a query of its own: joined into the locking query, it
    # would come from the snapshot taken before the wait and miss the first use's response.
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(questionnaire=questionnaire, token_hash=token_hash(token))
            .first()
        )
        if invitation is None:
            raise InvitationInvalid(_("This invitation link is not valid. Check that it was copied whole."))
        if invitation.response is not None:
            if invitation.response.is_frozen:
                raise InvitationUsed(invitation.response)
            return invitation.response
        return response_start(questionnaire=questionnaire, invitation=invitation, language=language)
