-- GET load for bench/library.py: cycles through the URLs of a file (one a line, given after
-- "--"), each thread from its own starting point, and prints wrk's figures as one JSON line.

local threads = {}
local next_id = 0

setup = function(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

local urls = {}
local counter = 0

init = function(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      table.insert(urls, line)
    end
  end
  counter = (thread_id or 1) * 97
  ok, failed = 0, 0
end

request = function()
  counter = counter + 1
  return wrk.format("GET", urls[counter % #urls + 1])
end

response = function(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    failed = failed + 1
  end
end

done = function(summary, latency, requests)
  local ok_total, failed_total = 0, 0
  for _, thread in ipairs(threads) do
    ok_total = ok_total + thread:get("ok")
    failed_total = failed_total + thread:get("failed")
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, '
    .. '"errors_status": %d, "errors_timeout": %d, "latency_p50_ms": %.2f, "latency_p90_ms": %.2f, '
    .. '"latency_p99_ms": %.2f, "latency_max_ms": %.2f, "status_200": %d, "status_other": %d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, ok_total, failed_total))
end
