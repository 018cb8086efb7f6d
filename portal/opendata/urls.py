"""Open-data and feed URLs, as the README documents them."""

from django.urls import path

from . import feeds, views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.index, name="index"),
    path("open-data/indicators.json", views.indicators_json, name="indicators_json"),
    path("open-data/indicators.csv", views.indicators_csv, name="indicators_csv"),
    path("open-data/measurements.csv", views.measurements_csv, name="measurements_csv"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/<slug:slug>/", views.subscribe, name="subscribe_domain"),
    path("feeds/updates/", feeds.UpdatesFeed(), name="feed_updates"),
    path("feeds/domains/<slug:slug>/", feeds.DomainUpdatesFeed(), name="feed_domain"),
    path("feeds/indicators/<int:pk>/", feeds.IndicatorFeed(), name="feed_indicator"),
    path("feeds/consultations/<int:pk>/", feeds.ConsultationFeed(), name="feed_consultation"),
]
