-- wrk script for bench/load_run.py: staff users working their inbox and tasks, one user per wrk thread (run wrk with
-- as many threads as connections). The file given after "--" has one request per line, tab-separated:
--   <user number>  <kind>  <path>  <cookie>
-- Each thread takes the lines of its user and sends them in order, round and round, with that user's session
-- cookie. Latencies are measured per kind with the monotonic clock (LuaJIT's FFI; one connection per thread, so
-- request() and response() pair up), and printed with the status counts as one JSON line at the end.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } lkt_timespec;
  int clock_gettime(int clock_id, lkt_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("lkt_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_user", counter) -- a global in the thread's own Lua state
  counter = counter + 1
  table.insert(threads, thread)
end

local steps = {}
local position = 0
local started = 0
local current_kind = nil
local records = {}
-- "<kind> <status> <ms>" per response, one a line, read by done() through thread:get. A string: wrk copies only
-- flat values between its Lua states safely (a table of tables crashed it).
results = ""

function init(args)
  for line in io.lines(args[1]) do
    local user, kind, path, cookie = line:match("^(%d+)\t([^\t]+)\t([^\t]+)\t(.*)$")
    if user and tonumber(user) == thread_user then
      steps[#steps + 1] = { kind = kind, path = path, cookie = cookie }
    end
  end
  if #steps == 0 then
    error("no requests for user " .. tostring(thread_user))
  end
end

function request()
  position = position % #steps + 1
  local step = steps[position]
  current_kind = step.kind
  started = now_ms()
  return wrk.format("GET", step.path, { Cookie = step.cookie })
end

function response(status, headers, body)
  local elapsed = now_ms() - started
  records[#records + 1] = string.format("%s %d %.2f", current_kind or "?", status, elapsed)
  results = table.concat(records, "\n")
end

local function percentile(sorted, p)
  if #sorted == 0 then return 0 end
  local index = math.max(1, math.ceil(#sorted * p / 100))
  return sorted[index]
end

function done(summary, latency, requests)
  local by_kind = {}
  local status_by_kind = {}
  for _, thread in ipairs(threads) do
    for kind, code, ms in string.gmatch(thread:get("results") or "", "(%S+) (%d+) ([%d.]+)") do
      local list = by_kind[kind] or {}
      list[#list + 1] = tonumber(ms)
      by_kind[kind] = list
      local counts = status_by_kind[kind] or {}
      counts[code] = (counts[code] or 0) + 1
      status_by_kind[kind] = counts
    end
  end
  local parts = {}
  for kind, list in pairs(by_kind) do
    table.sort(list)
    local codes = {}
    for code, n in pairs(status_by_kind[kind] or {}) do
      codes[#codes + 1] = string.format('"%s": %d', code, n)
    end
    parts[#parts + 1] = string.format(
      '"%s": {"requests": %d, "p50": %.2f, "p95": %.2f, "p99": %.2f, "max": %.2f, "statuses": {%s}}',
      kind, #list, percentile(list, 50), percentile(list, 95), percentile(list, 99), list[#list],
      table.concat(codes, ", "))
  end
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "rps": %.2f, "p50": %.2f, "p95": %.2f, "p99": %.2f, "max": %.2f, "errors": %d,'
      .. ' "socket_errors": %d, "timeouts": %d, "non_2xx_3xx": %d, "kinds": {%s}}\n',
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect + e.read + e.write + e.timeout + e.status,
    e.connect + e.read + e.write, e.timeout, e.status, table.concat(parts, ", ")))
end
