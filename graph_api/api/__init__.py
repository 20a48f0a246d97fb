"""The GraphQL API: strawberry types, resolvers, error formatting and the FastAPI app."""
