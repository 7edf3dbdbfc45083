-- wrk script for scripts/soak.py: a mixed workload read from a file of requests, one per line:
--   GET <path>
--   POST <path> <form body>
-- Each thread walks the list in its own shuffled order; a share of the requests, at random
-- (SOAK_COMPRESSED, 0.5 unless set), ask for a compressed answer as browsers do. Files are
-- named by environment variables:
--
--   SOAK_REQUESTS=requests.txt SOAK_RESULTS=results.txt wrk -s scripts/soak.lua URL

local requests = {}
local counter = 0
local compressed = tonumber(os.getenv("SOAK_COMPRESSED") or "0.5")
local thread_index = 0

function setup(thread)
  thread_index = thread_index + 1
  thread:set("id", thread_index)
end

function init(_)
  local name = assert(os.getenv("SOAK_REQUESTS"), "SOAK_REQUESTS is not set")
  local file = assert(io.open(name, "r"))
  for line in file:lines() do
    local method, path, body = line:match("^(%u+) (%S+) ?(.*)$")
    if method then
      local headers = {}
      if method == "POST" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      end
      table.insert(requests, { method = method, path = path, headers = headers, body = body })
    end
  end
  file:close()
  assert(#requests > 0, "no requests in " .. name)
  -- A fixed shuffle per thread: reproducible, and threads do not walk in step.
  math.randomseed(1000 + id)
  for i = #requests, 2, -1 do
    local j = math.random(i)
    requests[i], requests[j] = requests[j], requests[i]
  end
end

function request()
  counter = counter + 1
  local r = requests[(counter % #requests) + 1]
  local headers = {}
  for k, v in pairs(r.headers) do
    headers[k] = v
  end
  if math.random() < compressed then
    headers["Accept-Encoding"] = "gzip, deflate, br"
  end
  if r.method == "POST" then
    return wrk.format("POST", r.path, headers, r.body)
  end
  return wrk.format("GET", r.path, headers)
end

-- Machine-readable figures for scripts/soak.py, one `key value` per line in SOAK_RESULTS (wrk's
-- own summary still goes to stdout).
function done(summary, latency, _)
  local out = assert(io.open(os.getenv("SOAK_RESULTS") or "/dev/stdout", "w"))
  local e = summary.errors
  out:write(string.format("requests %d\n", summary.requests))
  out:write(string.format("duration_us %d\n", summary.duration))
  out:write(string.format("bytes %d\n", summary.bytes))
  out:write(string.format("errors_connect %d\n", e.connect))
  out:write(string.format("errors_read %d\n", e.read))
  out:write(string.format("errors_write %d\n", e.write))
  out:write(string.format("errors_timeout %d\n", e.timeout))
  out:write(string.format("errors_status %d\n", e.status))
  out:write(string.format("latency_p50_us %d\n", latency:percentile(50)))
  out:write(string.format("latency_p99_us %d\n", latency:percentile(99)))
  out:write(string.format("latency_max_us %d\n", latency.max))
  out:close()
end
