"""File formats: assessment documents, scenario CSV, HTML reports (all pure functions)."""
