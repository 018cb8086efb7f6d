"""Staff second factor for tests: a confirmed authenticator, its codes, and a test client that uses it."""

import time

import django_otp
import factory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.http import HttpRequest
from django.test import Client


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    name = "身份验证器"
    confirmed = True


def totp_code(device: TOTPDevice) -> str:
    """The next code the device accepts, as the staff member's authenticator shows it.

    A device refuses a step it has already accepted (replay protection), so a second login within the same
    30 seconds takes the next step, which the device's tolerance of one step accepts."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    ahead = max(0, device.last_t + 1 - totp.t())
    assert ahead <= device.tolerance, "three logins within one step: a test should not need that"
    totp.drift += ahead
    return f"{totp.token():0{device.digits}d}"


class VerifiedClient(Client):
    """force_login as a staff member who has also given their code: a real confirmed device, and the session
    marked verified by django_otp.login, as the code page does. Tests of the second step use a plain Client."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDeviceFactory(user=user)
        request = HttpRequest()
        request.session = self.session
        request.user = user
        django_otp.login(request, device)
        request.session.save()
