"""Site search: Chinese analysis in Python, Elasticsearch with a database fallback."""
