"""Citizens' forms are protected by where the POST comes from, not by a CSRF token.

Why not the token: a token is per visitor, so a page that carries one cannot be cached, and the
embedded form is on every domain and task page. Fetching the token by script would leave residents
without JavaScript only the uncached /feedback/ page. Why this is enough: these forms act for nobody
(there is no account behind a letter, a rating or a tracking query), so the harm CSRF guards against,
a site making a logged-in victim's browser act for them, has nothing to act on. What remains, another
site posting letters through its visitors' browsers, is refused here: every browser since 2020 says in
Sec-Fetch-Site or Origin (older ones in Referer) where a form was posted from. A request with none of
these does not come from a browser, and a script can post without anyone's browser anyway: the
honeypot, the limits and the captcha are what stop scripts.
"""

from urllib.parse import urlsplit

from django.conf import settings

SAME_SITE_FETCH = {"same-origin", "none"}  # "none": typed or bookmarked, not posted by another page


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def own_origins(request) -> set[str]:
    origins = {origin_of(settings.SITE_URL), f"{request.scheme}://{request.get_host()}".lower()}
    return origins | {origin.lower() for origin in getattr(settings, "CSRF_TRUSTED_ORIGINS", [])}


def is_same_origin(request) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site in SAME_SITE_FETCH
    origin = request.headers.get("Origin")
    if origin:
        return origin.lower() in own_origins(request)
    referer = request.headers.get("Referer")
    if referer:
        return origin_of(referer) in own_origins(request)
    return True
