"""The participation cookies (the feedback receipt, the satisfaction voter) are Secure where sessions are."""

import pytest

from .test_feedback import valid

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("secure", [True, False])
def test_receipt_and_voter_cookies_follow_session_cookie_secure(client, settings, secure):
    settings.SESSION_COOKIE_SECURE = secure
    receipt = client.post("/feedback/", valid()).cookies["feedback_receipt"]
    assert receipt.value and bool(receipt["secure"]) is secure and receipt["httponly"]
    voter = client.get("/feedback/satisfaction/").cookies["voter"]
    assert voter.value and bool(voter["secure"]) is secure and voter["httponly"]
