// GraphiQL served by the service itself (no CDN): the same page strawberry ships, from local files.
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import React from "react";
import { createRoot } from "react-dom/client";

const url = window.location.href.split("?")[0];
const fetcher = createGraphiQLFetcher({ url });

createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultEditorToolsVisibility: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  }),
);
