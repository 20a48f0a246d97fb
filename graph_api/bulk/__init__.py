"""Bulk import and export of the relationship graph (JSON document or CSV per section)."""
