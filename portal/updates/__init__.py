"""Progress updates: news-like pages that may record measurements."""
