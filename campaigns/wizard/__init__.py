"""The campaign wizard's UI: forms and form fields (no service imports it)."""
