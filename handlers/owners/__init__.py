"""Owner-side capabilities that grew after the first release (binding requests, household, emergencies)."""
