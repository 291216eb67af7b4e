-- wrk script: each thread walks its own part of a list of request paths
-- (one per line in the file given after `--`), so with a list of distinct
-- tiles no two requests of the run ask for the same tile.
--   wrk -t2 -c64 -d10s -s cycle.lua http://127.0.0.1:PORT -- paths.txt

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  -- Thread k starts k/N of the way through the list.
  local count = tonumber(args[2] or "2")
  index = math.floor(#paths * id / count)
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status, errors))
end
