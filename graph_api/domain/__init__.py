"""Domain types and errors shared by store, analytics, services and api."""
