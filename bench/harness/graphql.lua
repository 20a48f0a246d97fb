-- wrk script of the benchmark: POSTs GraphQL bodies read from a file (one JSON body a line),
-- each thread cycling through them from its own offset, and counts as errors the answers that
-- are not HTTP 200 or carry GraphQL "errors" (a 200 with errors is a failure for us).
-- Usage: wrk -s graphql.lua URL -- BODIES_FILE
-- done() prints one line "WRK_RESULT {json}" for the harness.

local bodies = {}
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    if #line > 0 then table.insert(bodies, line) end
  end
  file:close()
  assert(#bodies > 0, "no request bodies in " .. args[1])
  index = (offset or 1) * 7919 % #bodies
  http_errors = 0
  graphql_errors = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  index = index % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[index])
end

function response(status, headers, body)
  if status ~= 200 then
    http_errors = http_errors + 1
  elseif string.find(body, '"errors"', 1, true) then
    graphql_errors = graphql_errors + 1
  end
end

function done(summary, latency, requests)
  local http, gql = 0, 0
  for _, thread in ipairs(threads) do
    http = http + thread:get("http_errors")
    gql = gql + thread:get("graphql_errors")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"http_errors":%d,"graphql_errors":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"timeouts":%d,"status_errors":%d,' ..
    '"latency_us":{"min":%d,"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes, http, gql,
    e.connect, e.read, e.write, e.timeout, e.status,
    latency.min, latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max))
end
