-- wrk script of bench/suite.py: every run (pages and references alike) goes
-- through it, so each pays the same per-request cost in wrk.
--
--   wrk -t T ... -s bench/wrk/suite.lua http://127.0.0.1:PORT -- PATHS STATUS T [METHOD BODY]
--
-- PATHS: a file with one path per line; each of the T threads walks its
--        own share of it, in order (one line: the same URL every time).
-- STATUS: the status every response must have (200, 201); others are
--        counted and reported by done() as "UNEXPECTED <count> <a status>",
--        so a redirect to the login page cannot pass for a page.
-- done() also reports "PAGECACHE <hits> <misses>": the answers whose
--        X-Page-Cache header said so, for the spread runs (mostly misses,
--        unless the run outlasts the list and comes back to its URLs).
-- METHOD, BODY: e.g. POST and a file whose text is sent as the body, each
--        "@@N@@" in it replaced by a number unique to the request.

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   paths = {}
   for line in io.lines(args[1]) do
      if line ~= "" then
         paths[#paths + 1] = line
      end
   end
   expected = tonumber(args[2] or "200")
   local thread_count = tonumber(args[3] or "1")
   method = args[4] or "GET"
   body = nil
   if args[5] then
      local file = assert(io.open(args[5], "rb"))
      body = file:read("*a")
      file:close()
   end
   counter = 0
   offset = id * math.floor(#paths / thread_count)
   unexpected = 0
   unexpected_status = 0
   cache_hits = 0
   cache_misses = 0
end

function request()
   counter = counter + 1
   local path = paths[(offset + counter - 1) % #paths + 1]
   if body then
      local unique = tostring(id) .. "-" .. tostring(counter) .. "-" .. tostring(os.time())
      return wrk.format(method, path, nil, (body:gsub("@@N@@", unique)))
   end
   return wrk.format(method, path)
end

function response(status, headers, response_body)
   if status ~= expected then
      unexpected = unexpected + 1
      unexpected_status = status
   end
   local cached = headers["X-Page-Cache"]
   if cached == "hit" then
      cache_hits = cache_hits + 1
   elseif cached == "miss" then
      cache_misses = cache_misses + 1
   end
end

function done(summary, latency, requests)
   local count, status, hits, misses = 0, 0, 0, 0
   for _, thread in ipairs(threads) do
      count = count + (thread:get("unexpected") or 0)
      hits = hits + (thread:get("cache_hits") or 0)
      misses = misses + (thread:get("cache_misses") or 0)
      local seen = thread:get("unexpected_status") or 0
      if seen ~= 0 then
         status = seen
      end
   end
   io.write(string.format("UNEXPECTED %d %d\n", count, status))
   io.write(string.format("PAGECACHE %d %d\n", hits, misses))
end
