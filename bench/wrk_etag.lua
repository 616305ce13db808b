-- Revalidation load for bench/api_cache.py: cycles through lines "address<TAB>etag" of a file
-- (given after "--"), sending each address with If-None-Match, and prints wrk's figures as one
-- JSON line; a 304 is the expected answer.

local threads = {}
local next_id = 0

setup = function(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

local urls = {}
local etags = {}
local counter = 0

init = function(args)
  for line in io.lines(args[1]) do
    local url, etag = line:match("^([^\t]+)\t(.+)$")
    if url then
      table.insert(urls, url)
      table.insert(etags, etag)
    end
  end
  counter = (thread_id or 1) * 97
  not_modified, other = 0, 0
end

request = function()
  counter = counter + 1
  local index = counter % #urls + 1
  return wrk.format("GET", urls[index], {["If-None-Match"] = etags[index]})
end

response = function(status, headers, body)
  if status == 304 then
    not_modified = not_modified + 1
  else
    other = other + 1
  end
end

done = function(summary, latency, requests)
  local not_modified_total, other_total = 0, 0
  for _, thread in ipairs(threads) do
    not_modified_total = not_modified_total + thread:get("not_modified")
    other_total = other_total + thread:get("other")
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, '
    .. '"errors_status": %d, "errors_timeout": %d, "latency_p50_ms": %.2f, "latency_p90_ms": %.2f, '
    .. '"latency_p99_ms": %.2f, "latency_max_ms": %.2f, "status_304": %d, "status_other": %d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, not_modified_total, other_total))
end
