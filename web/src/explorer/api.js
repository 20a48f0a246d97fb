// The explorer's only way to data: the public GraphQL API, with the viewer's credentials and language.

const KEY_STORE = "graph-api-explorer.credential";

export class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

export const session = {
  // In sessionStorage (gone with the tab), never in the URL.
  get credential() {
    return sessionStorage.getItem(KEY_STORE) || "";
  },
  set credential(value) {
    if (value) sessionStorage.setItem(KEY_STORE, value);
    else sessionStorage.removeItem(KEY_STORE);
  },
  language: "zh-CN",
  mode: "unknown",
};

export async function graphql(query, variables = {}) {
  const headers = {
    "content-type": "application/json",
    "accept-language": session.language === "en" ? "en" : "zh-CN",
  };
  if (session.credential) headers.authorization = `Bearer ${session.credential}`;
  const response = await fetch("/graphql", {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const modeHeader = response.headers.get("x-graph-api-mode");
  if (modeHeader) session.mode = "development";
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`HTTP ${response.status}`, "BAD_RESPONSE", response.status);
  }
  if (response.status === 401) {
    session.mode = "production";
    const error = body.errors?.[0];
    throw new ApiError(error?.message || "unauthenticated", "UNAUTHENTICATED", 401);
  }
  if (body.errors?.length && !body.data) {
    const error = body.errors[0];
    throw new ApiError(error.message, error.extensions?.code, response.status);
  }
  return { data: body.data || {}, errors: body.errors || [] };
}

/** Data of a query whose errors are fatal for the view asking (NOT_FOUND, FORBIDDEN, ...). */
export async function fetchData(query, variables) {
  const { data, errors } = await graphql(query, variables);
  if (errors.length) {
    const error = errors[0];
    throw new ApiError(error.message, error.extensions?.code, 200);
  }
  return data;
}
