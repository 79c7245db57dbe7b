-- Mixed read/write, 95/5: 80% thread pages, 15% thread lists, 5% replies (POST
-- /api/v1/threads/{id}/posts) by signed-in users (SESSIONS, cookie + X-CSRF-Token). Thread ids
-- are random in 1..THREADS. Prints "statuses: ..." at the end.
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local c = dofile(dir .. "common.lua")
local threads = c.env_number("THREADS", 1000)
local w

setup = c.setup
done = c.done

function init(args)
   c.seed()
   w = c.writers()
end

function request()
   local x = math.random(100)
   local id = math.random(1, threads)
   if x <= 5 and #w.sessions > 0 then
      return c.reply_request(w, id)
   elseif x <= 20 then
      return wrk.format("GET", "/api/v1/objectives/" .. math.random(1, 5) .. "/threads")
   end
   return wrk.format("GET", "/api/v1/threads/" .. id)
end

function response(status, headers, body)
   c.count(status)
end
