// Builds the explorer and GraphiQL into the Python package (graph_api/web/static/), so the
// installed service serves them itself; run by `npm run build` (the Makefile does it when stale).
import * as esbuild from "esbuild";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "graph_api", "web", "static");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await esbuild.build({
  entryPoints: {
    explorer: join(here, "src", "explorer", "main.js"),
    graphiql: join(here, "src", "graphiql", "main.js"),
  },
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "iife",
  target: ["chrome110", "firefox110", "safari16"],
  outdir: out,
  // GraphiQL's fonts and icons: inlined, so nothing is fetched from elsewhere.
  loader: { ".woff": "dataurl", ".woff2": "dataurl", ".ttf": "dataurl", ".svg": "dataurl" },
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
});

// The stamp make compares with the sources (and the service checks for).
writeFileSync(join(out, "BUILT"), `${new Date().toISOString()}\n`);
