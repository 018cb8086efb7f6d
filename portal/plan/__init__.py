"""The plan as data and pages: domains, tasks, indicators, measurements, departments, phases, mechanisms."""
