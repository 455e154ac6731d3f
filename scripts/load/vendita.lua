-- wrk script for scripts/load.sh: one request type per wrk process, chosen by LOAD_KIND.
--   cards   GET /contacts/{id} or /contacts/{id}/vendita (contacts with the sales tag: LOAD_CONTACTS)
--   search  GET /contacts?q=... (address-book search page)
--   sales   POST /api/sales_create (LOAD_CONTACTS, LOAD_PRODUCTS, LOAD_SELLERS: comma-separated ids)
--   report  POST /api/report_data scope=All|Mine
--   one     always the same request: LOAD_METHOD, LOAD_PATH, LOAD_BODY (the per-endpoint breakdown)
-- Headers (cookie, Accept, Origin, Content-Type) come from wrk's -H options.
-- wrk counts only non-2xx-or-3xx as errors; a 302 to /login would pass unseen, so every response's
-- status is checked here and anything outside 200..299 is counted (first bad status remembered).
-- done() prints one machine-readable line, "LOAD-RESULT key=value ...", that load.sh summarises.

local kind = os.getenv("LOAD_KIND") or "cards"

local function list(name)
  local out = {}
  for v in (os.getenv(name) or ""):gmatch("[^,]+") do out[#out + 1] = v end
  return out
end

local contacts = list("LOAD_CONTACTS")
local products = list("LOAD_PRODUCTS")
local sellers = list("LOAD_SELLERS")
local searches = { "rossi", "bianchi", "srl", "milano", "ferr", "tecno", "conti", "spa", "ma", "torino" }
local stages = { "lead", "lead", "negotiation", "proposal", "won", "won" }

local function pick(t) return t[math.random(#t)] end

local threads = {}
function setup(thread)
  thread:set("index", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() * 1000 + (index or 0) * 7919)
  bad = 0
  first_bad = 0
end

function request()
  if kind == "cards" then
    local c = pick(contacts)
    if math.random(2) == 1 then
      return wrk.format("GET", "/contacts/" .. c)
    end
    return wrk.format("GET", "/contacts/" .. c .. "/vendita")
  elseif kind == "search" then
    return wrk.format("GET", "/contacts?q=" .. pick(searches))
  elseif kind == "sales" then
    local body = string.format(
      "contact=%s&product=%s&seller=%s&quantity=%d&unit_price=%d&discount=%d&vat_rate=22&stage=%s&probability=&sale_date=&expected_close=&lost_reason=&notes=load+test",
      pick(contacts), pick(products), pick(sellers), math.random(1, 20), math.random(10, 900), 5 * math.random(0, 4), pick(stages))
    return wrk.format("POST", "/api/sales_create", nil, body)
  elseif kind == "one" then
    local body = os.getenv("LOAD_BODY")
    if body == "" then body = nil end
    return wrk.format(os.getenv("LOAD_METHOD") or "GET", os.getenv("LOAD_PATH") or "/", nil, body)
  elseif kind == "report" then
    local scope = (math.random(2) == 1) and "All" or "Mine"
    return wrk.format("POST", "/api/report_data", nil, "scope=" .. scope)
  end
  error("unknown LOAD_KIND " .. kind)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bad = bad + 1
    if first_bad == 0 then first_bad = status end
  end
end

function done(summary, latency, requests)
  local non2xx, first = 0, 0
  for _, t in ipairs(threads) do
    non2xx = non2xx + t:get("bad")
    local f = t:get("first_bad")
    if first == 0 and f ~= 0 then first = f end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "LOAD-RESULT kind=%s requests=%d seconds=%.1f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d first_bad=%d socket_errors=%d timeouts=%d bytes=%d\n",
    kind, summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    non2xx, first, e.connect + e.read + e.write, e.timeout, summary.bytes))
end
