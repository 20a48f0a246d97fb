import os

# Earned strengths (docs/ANALYTICS.md, "Earned strength") decay with time: the tests compute
# them for one fixed instant, so that the demo's answers (its interactions are dated) are the
# same every day. Set here, before anything reads the configuration or loads the Cypher files.
os.environ.setdefault("GRAPH_API_STRENGTH_NOW", "2026-12-01T00:00:00Z")
