-- Sustained posting: every request is a reply (POST /api/v1/threads/{id}/posts) to a random thread
-- in 1..THREADS by one of the signed-in users of SESSIONS; run it with -c64 for 64 concurrent
-- writers. Prints "statuses: ..." at the end (201 = written and durable).
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local c = dofile(dir .. "common.lua")
local threads = c.env_number("THREADS", 1000)
local sessions, bodies

setup = c.setup
done = c.done

function init(args)
   c.seed()
   sessions = c.sessions()
   bodies = {}
   for i = 1, 64 do bodies[i] = c.post_body() end
end

function request()
   local s = sessions[math.random(#sessions)]
   return wrk.format("POST", "/api/v1/threads/" .. math.random(1, threads) .. "/posts", {
      ["Cookie"] = s.cookie, ["X-CSRF-Token"] = s.csrf, ["Content-Type"] = "application/json",
   }, bodies[math.random(#bodies)])
end

function response(status, headers, body)
   c.count(status)
end
