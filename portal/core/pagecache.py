"""The page cache: every public page, as an anonymous reader gets it, kept in the shared cache.

Who is served from it: GET and HEAD requests without a session cookie (and without a pending message).
Staff, anyone who logged in, previews (admin URLs) and every POST go straight to the view, and their
responses are marked private so that no cache in front keeps them either.

What is kept: a 200 response that sets no cookie and that its view did not mark private or no-store
(`never_cache` on the forms' own pages). A response that sets a cookie may carry something of that
visitor's (a CSRF token, a receipt), so it is never kept. Pages keep nothing per visitor: the
citizens' forms carry no CSRF token (portal/core/origin.py says why), and the text size is a variant
of the key (below), and so is 适老化 mode.

Why not Django's cache middleware: it caches by the Vary headers, so the session cookie that SessionMiddleware
names in Vary makes one entry per visitor, and it has no way to purge one URL short of its private key
functions. Here the key is the page's URL plus what the page really varies by (text size, gzip, language),
and each entry is kept with two version stamps, the site's and the path's, read with it in one round trip.
Purging a path writes a new stamp, so every variant of it (query strings included) stops matching and is
made again. Stamps are times rather than counters, and a missing stamp is written before use, so a stamp the
cache evicted can never make an older entry match again.

Where it stands (MIDDLEWARE): right after SecurityMiddleware, which must first send plain HTTP to HTTPS, and
outside the middlewares that add the Permissions-Policy and CSP headers. Those headers are the same for every
visitor (there is no CSP nonce), so they are kept with the page and a hit does not build them again; with them,
a hit costs about what WhiteNoise's static file does (bench/cache.sh).

Purges come from portal/core/purging.py, which tells Wagtail's frontend cache (a CDN or Varnish in
front, WAGTAILFRONTENDCACHE) the same URLs.
"""

import hashlib
import time
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path

from . import fragments, script
from .context_processors import display_choices

PREFIX = "pagecache"
SITE_STAMP = f"{PREFIX}:site"
STATUS_HEADER = "X-Page-Cache"


def store():
    return caches[settings.PAGE_CACHE_ALIAS]


def path_stamp_key(path: str) -> str:
    # Requests carry the decoded path, purged URLs may carry it percent-encoded: one key for both.
    return f"{PREFIX}:path:{hashlib.md5(unquote(path).encode()).hexdigest()}"


def unprefixed(path: str) -> str:
    """/zh-hant/search/ → /search/: the page a path is, whichever script it is read in."""
    prefix = get_language_from_path(path)
    return path[len(prefix) + 1 :] if prefix else path


def is_skipped(request) -> bool:
    return unprefixed(request.path_info).startswith(tuple(settings.PAGE_CACHE_SKIP_PATHS))


def is_public_request(request) -> bool:
    """A reader without a session or a pending message, reading: nothing of theirs can be on the page."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not is_skipped(request)
    )


def is_file_request(request) -> bool:
    """Static files and media: WhiteNoise (further in) serves them with their own long-lived headers."""
    return request.path_info.startswith((settings.STATIC_URL, settings.MEDIA_URL))


def variant(request) -> str:
    """What a public page differs by besides its URL (the language is in the URL too; named here for clarity)."""
    large_text, care_mode = display_choices(request)
    size = "care" if care_mode else "large" if large_text else "normal"
    gzip = "gz" if "gzip" in request.headers.get("Accept-Encoding", "") else "id"
    return f"{size}.{gzip}.{script.language_of(request.path_info)}"


def page_key(request) -> str:
    url = hashlib.md5(request.build_absolute_uri().encode()).hexdigest()
    return f"{PREFIX}:page:{variant(request)}:{url}"


def lookup(request) -> tuple[str, str, object]:
    """(key, stamps, kept response or None) in one round trip: the page and both stamps read together."""
    key, stamp_keys = page_key(request), [SITE_STAMP, path_stamp_key(request.path)]
    cache = store()
    found = cache.get_many([key, *stamp_keys])
    for stamp_key in stamp_keys:
        if stamp_key not in found:
            cache.add(stamp_key, time.time_ns(), None)
            found[stamp_key] = cache.get(stamp_key)
    stamp = ".".join(str(found[stamp_key]) for stamp_key in stamp_keys)
    kept_stamp, response = found.get(key) or ("", None)
    return key, stamp, response if kept_stamp == stamp else None


def is_keepable(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


def mark(response, status: str):
    response[STATUS_HEADER] = status
    # Browsers and caches in front ask again every time: a purge here must show at once, and a cache in
    # front is told of purges through WAGTAILFRONTENDCACHE (it may keep pages longer by its own rules).
    patch_cache_control(response, no_cache=True, public=True)
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_file_request(request):
            return self.get_response(request)
        if not settings.PAGE_CACHE_SECONDS or not is_public_request(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES or request.method not in ("GET", "HEAD"):
                patch_cache_control(response, private=True)
            response[STATUS_HEADER] = "skip"
            return response
        key, stamp, cached = lookup(request)
        if cached is not None:
            return mark(cached, "hit")
        response = self.get_response(request)
        if not is_keepable(response):
            response[STATUS_HEADER] = "skip"
            return response
        # Kept with the stamps it was made under: a purge changes a stamp, and the entry no longer matches.
        store().set(key, (stamp, response), settings.PAGE_CACHE_SECONDS)
        return mark(response, "miss")


class PublicGZipMiddleware(GZipMiddleware):
    """Gzip for the public site only.

    BREACH recovers a secret from a compressed page that also reflects the attacker's input. Public
    pages hold no secret (no CSRF token, no session), so they are compressed; anything with a
    session, a cookie being set, or the admin's paths is sent as it is.
    """

    def process_response(self, request, response):
        if settings.SESSION_COOKIE_NAME in request.COOKIES or response.cookies or is_skipped(request):
            return response
        return super().process_response(request, response)


def purge_paths(paths) -> None:
    """New stamps for these paths, once the change that asked for it has committed."""
    paths = {urlsplit(path).path or "/" for path in paths}
    if not paths:
        return

    def stamp():
        now = time.time_ns()
        store().set_many({path_stamp_key(path): now for path in paths}, None)
        fragments.content_changed()

    transaction.on_commit(stamp)


def script_twins(url: str) -> set[str]:
    """…/health/ → {…/health/, …/zh-hant/health/}: a page is shown in every script, each kept apart."""
    return {url} | {script.in_script(url, code) for code, _name in settings.LANGUAGES}


def purge_site() -> None:
    """Every page at once: after a bulk import, a change of site settings, or by hand (clear_page_cache)."""

    def stamp():
        store().set(SITE_STAMP, time.time_ns(), None)
        fragments.content_changed()

    transaction.on_commit(stamp)
