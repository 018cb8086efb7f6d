"""Fixtures for the participation tests."""

import io
import json

import pytest


class FakeGoogle:
    """Google's siteverify answered at its HTTP boundary; the real django-recaptcha code runs around it."""

    def __init__(self, monkeypatch):
        self.calls = []
        self.answer = {"success": True}
        self.error = None
        monkeypatch.setattr("django_recaptcha.client.recaptcha_request", self)

    def __call__(self, params):
        self.calls.append(params)
        if self.error:
            raise self.error
        return io.BytesIO(json.dumps(self.answer).encode())


@pytest.fixture
def google(monkeypatch):
    return FakeGoogle(monkeypatch)
