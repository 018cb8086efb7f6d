"""Search pages: results (HTML or JSON), autocomplete, and the staff report of unfound queries."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import querylog
from .queries import PortalSearch, SearchParams, autocomplete
from .records import KIND_LABELS


@require_GET
def search(request):
    params = SearchParams.from_querydict(request.GET)
    response = PortalSearch(params).execute() if params.q else None
    if response is not None and params.page == 1 and not any(params.filters.values()):
        querylog.log_query(query=params.q, results=response.total, took_ms=response.took_ms, engine=response.engine)
    if request.GET.get("format") == "json":
        payload = response.to_json() if response else {"total": 0, "results": [], "facets": {}}
        return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    context = {
        # After a correction the page is about the corrected word: heading, filters and pages name it.
        "params": response.params if response is not None else params,
        "typed": params.q,
        "response": response,
        "kinds": KIND_LABELS,
        "popular": querylog.popular_searches(),
    }
    return render(request, "search/search.html", context)


@require_GET
def suggest(request):
    return JsonResponse(
        {"suggestions": autocomplete(request.GET.get("q", ""))}, json_dumps_params={"ensure_ascii": False}
    )
