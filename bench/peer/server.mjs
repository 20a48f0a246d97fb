// The benchmark's peer: the Neo4j GraphQL library (@neo4j/graphql) served by Apollo Server,
// on the database the benchmark loaded (NEO4J_URI), listening on 127.0.0.1:$PORT/graphql.
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";
import { typeDefs } from "./typeDefs.mjs";

const uri = process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687";
const driver = neo4j.driver(
  uri,
  neo4j.auth.basic(process.env.NEO4J_USER ?? "neo4j", process.env.NEO4J_PASSWORD ?? ""),
);
// The library formats DateTime values with APOC (apoc.date.convertFormat), which the project's
// embedded Neo4j does not ship; `Interaction.at` is declared a String and formatted here from
// the driver's DateTime instead (ISO 8601, the same instant).
const resolvers = {
  Interaction: { at: (source) => (source.at == null ? null : source.at.toString()) },
};
const neoSchema = new Neo4jGraphQL({ typeDefs, resolvers, driver });
const schema = await neoSchema.getSchema();
// The library's own check that the indexes/constraints it expects exist (none are declared).
await neoSchema.assertIndexesAndConstraints();

const server = new ApolloServer({ schema, introspection: false });
const port = Number(process.env.PORT ?? 4000);
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port },
  context: async ({ req }) => ({ token: req.headers.authorization }),
});
console.log(`PEER_READY ${url}`);

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  });
}
