"""The Neo4j side: driver, named Cypher, mapping to domain, the local launcher."""
