-- serve.lua — wrk script for bench/run-serve.sh: POST /v1/reports with
-- realistic bodies (one to three names, URLs, evidence, flags) from the
-- tokens in the TOKENS environment variable (comma-separated), in turn.
local threats = { "phishing", "malware", "botnet", "pharming", "spam" }
local tokens = {}
for t in string.gmatch(os.getenv("TOKENS") or "", "[^,]+") do tokens[#tokens + 1] = t end
local n = 0
local tid = 0

function setup(thread)
	tid = tid + 1
	thread:set("tid", tid)
end

function init(args)
	n = (tid or 1) * 1000003
end

local function body(i)
	local th = threats[(i % #threats) + 1]
	local d1 = string.format("login-%d.bad%d.example", i, i % 5000)
	local parts = {
		'{"domains":["', d1, '"'
	}
	if i % 3 == 0 then
		parts[#parts + 1] = string.format(',"pay-%d.bad%d.example"', i, (i + 7) % 5000)
	end
	parts[#parts + 1] = string.format('],"urls":["https://%s/secure/account/verify?id=%d"]', d1, i)
	parts[#parts + 1] = string.format(',"threat":"%s"', th)
	if i % 50 == 0 then parts[#parts + 1] = ',"flags":["threat_to_life"]' elseif i % 10 == 0 then parts[#parts + 1] = ',"flags":["critical_infrastructure"]' end
	parts[#parts + 1] = ',"description":"Credential-harvesting page imitating a bank; reported by several customers; kit still live at time of report."'
	parts[#parts + 1] = string.format(',"evidence":[{"kind":"url","value":"https://%s/secure/account/verify?id=%d","sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}]}', d1, i)
	return table.concat(parts)
end

function request()
	n = n + 1
	local tok = tokens[(n % #tokens) + 1]
	return wrk.format("POST", "/v1/reports",
		{ ["Authorization"] = "Bearer " .. tok, ["Content-Type"] = "application/json" }, body(n))
end

local codes = {}
function response(status, headers, body)
	codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
	io.write(string.format("requests %d  duration_s %.2f  throughput_rps %.0f\n", summary.requests,
		summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
	io.write(string.format("latency_ms p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n",
		latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
		latency:percentile(99.9) / 1000, latency.max / 1000))
	io.write(string.format("errors connect %d read %d write %d timeout %d non2xx %d\n", summary.errors.connect,
		summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
end
