"""What every app shares: charts, template tags, the text-size control, site context."""
