-- wrk script for scripts/flood.py: GETs of the paths in a file (FLOOD_PATHS, one a line), each
-- thread from its own offset so no two connections send the same search at once, counting the
-- answers by status. Writes `key value` lines to FLOOD_RESULTS when done:
--
--   FLOOD_PATHS=paths.txt FLOOD_RESULTS=results.txt wrk -s scripts/flood.lua URL

local paths = {}
local counter = 0
local threads = {}
local thread_index = 0

function setup(thread)
  thread_index = thread_index + 1
  thread:set("id", thread_index)
  table.insert(threads, thread)
end

function init(_)
  local name = assert(os.getenv("FLOOD_PATHS"), "FLOOD_PATHS is not set")
  local file = assert(io.open(name, "r"))
  for line in file:lines() do
    if line ~= "" then
      table.insert(paths, line)
    end
  end
  file:close()
  assert(#paths > 0, "no paths in " .. name)
  counter = math.floor((id - 1) * #paths / 4)
  ok = 0
  busy = 0
  busy_without_retry_after = 0
  other = 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, _)
  if status == 200 then
    ok = ok + 1
  elseif status == 503 then
    busy = busy + 1
    if headers["Retry-After"] == nil and headers["retry-after"] == nil then
      busy_without_retry_after = busy_without_retry_after + 1
    end
  else
    other = other + 1
  end
end

function done(summary, latency, _)
  local out = assert(io.open(os.getenv("FLOOD_RESULTS") or "/dev/stdout", "w"))
  local counts = { ok = 0, busy = 0, busy_without_retry_after = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for key, _ in pairs(counts) do
      counts[key] = counts[key] + (thread:get(key) or 0)
    end
  end
  for key, value in pairs(counts) do
    out:write(string.format("status_%s %d\n", key, value))
  end
  local e = summary.errors
  out:write(string.format("requests %d\n", summary.requests))
  out:write(string.format("duration_us %d\n", summary.duration))
  out:write(string.format("errors_connect %d\n", e.connect))
  out:write(string.format("errors_read %d\n", e.read))
  out:write(string.format("errors_write %d\n", e.write))
  out:write(string.format("errors_timeout %d\n", e.timeout))
  out:write(string.format("latency_p50_us %d\n", latency:percentile(50)))
  out:write(string.format("latency_p99_us %d\n", latency:percentile(99)))
  out:write(string.format("latency_max_us %d\n", latency.max))
  out:close()
end
