"""Relationship graph service of a sales CRM: GraphQL over Neo4j."""

__version__ = "0.1.0"
