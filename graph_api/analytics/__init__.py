"""Graph analytics: pure functions on networkx graphs (no I/O)."""
