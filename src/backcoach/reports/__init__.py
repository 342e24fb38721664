"""Charts, the clinician's report, the handout, calendar reminders, export and import."""
