"""Open data: CSV and JSON downloads and Atom feeds."""
