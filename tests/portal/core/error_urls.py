"""The site's URLs plus views that fail on purpose, for the error-page tests (never in portal.urls)."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.urls import path

from portal.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("a bug in a view")


def forbidden(request):
    raise PermissionDenied


def integrity(request):
    raise IntegrityError("duplicate key value violates unique constraint")


urlpatterns = [
    path("test-errors/broken/", broken),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/integrity/", integrity),
    *site_urlpatterns,
]
