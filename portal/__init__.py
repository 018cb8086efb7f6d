"""The public-services equalization portal: plan, progress, open data and citizens' voice."""
