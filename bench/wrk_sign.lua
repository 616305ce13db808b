-- POST load for bench/signing.py. Arguments after "--": MODE PATH [NONCE | TOKEN_FILE]
--   sign    PATH NONCE       the signing form, every request with an address never used before
--   insert  PATH NONCE       the bare insert baseline, same body
--   confirm PREFIX TOKENFILE the confirmation button, one signature's token per request
-- Counts responses by status in every thread and prints wrk's figures as one JSON line.

local threads = {}
local next_id = 0

setup = function(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
-- What a browser sends after the GET of the confirm page: the CSRF cookie and the same secret
-- in the form (Django accepts the unmasked secret; the Referer is checked only over HTTPS).
local csrf = "benchbenchbenchbenchbenchbench12"
local confirm_headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Cookie"] = "csrftoken=" .. csrf,
}
local counter = 0
local tokens = {}

init = function(args)
  mode, path, extra = args[1], args[2], args[3]
  ok, redirects, client_errors, server_errors = 0, 0, 0, 0
  if mode == "confirm" then
    -- Each thread takes every Nth token, so no two requests confirm the same signature
    -- (until the list runs out, then confirming again is a cheap no-op).
    local index = 0
    for line in io.lines(extra) do
      if index % tonumber(os.getenv("WRK_THREADS") or "1") == thread_id - 1 then
        table.insert(tokens, line)
      end
      index = index + 1
    end
  end
end

request = function()
  counter = counter + 1
  if mode == "confirm" then
    local token = tokens[(counter - 1) % #tokens + 1]
    return wrk.format("POST", path .. token .. "/", confirm_headers, "csrfmiddlewaretoken=" .. csrf)
  end
  local body = string.format(
    "name=Signer+%d-%d&email=s%s.%d.%d%%40example.org&country=NL&city=Utrecht&public=on"
      .. "&consent_contact=on&source=bench",
    thread_id, counter, extra, thread_id, counter)
  return wrk.format("POST", path, headers, body)
end

response = function(status, response_headers, body)
  if status < 300 then
    ok = ok + 1
  elseif status < 400 then
    redirects = redirects + 1
  elseif status < 500 then
    client_errors = client_errors + 1
  else
    server_errors = server_errors + 1
  end
end

done = function(summary, latency, requests)
  local totals = { ok = 0, redirects = 0, client_errors = 0, server_errors = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, '
    .. '"errors_status": %d, "errors_timeout": %d, "latency_p50_ms": %.2f, "latency_p90_ms": %.2f, '
    .. '"latency_p99_ms": %.2f, "latency_max_ms": %.2f, "status_2xx": %d, "status_3xx": %d, '
    .. '"status_4xx": %d, "status_5xx": %d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, totals.ok, totals.redirects, totals.client_errors, totals.server_errors))
end
