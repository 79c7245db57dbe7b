-- Reading notifications: GET /api/v1/notifications by one of the signed-in users of SESSIONS, who
-- follow objective 1 (bench/run.sh makes them follow it): the cost of computing them when read.
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local c = dofile(dir .. "common.lua")
local sessions

setup = c.setup
done = c.done

function init(args)
   c.seed()
   sessions = c.sessions()
end

function request()
   local s = sessions[math.random(#sessions)]
   return wrk.format("GET", "/api/v1/notifications", { ["Cookie"] = s.cookie })
end

function response(status, headers, body)
   c.count(status)
end
