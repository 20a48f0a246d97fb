"""The web pages the service serves: the landing page, the relationship explorer, GraphiQL."""
