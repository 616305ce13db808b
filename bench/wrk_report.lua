-- Prints wrk's figures as one JSON line, so the runner needs no parsing of wrk's text.
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, '
    .. '"errors_status": %d, "errors_timeout": %d, "latency_p50_ms": %.2f, "latency_p90_ms": %.2f, '
    .. '"latency_p99_ms": %.2f, "latency_max_ms": %.2f}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
