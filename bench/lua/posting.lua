-- Sustained posting: every request is a reply (POST /api/v1/threads/{id}/posts) to a random thread
-- in 1..THREADS by one of the signed-in users of SESSIONS; run it with -c64 for 64 concurrent
-- writers. Prints "statuses: ..." at the end (201 = written and durable).
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
   return c.reply_request(w, math.random(1, threads))
end

function response(status, headers, body)
   c.count(status)
end
