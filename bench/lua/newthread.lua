-- New threads: every request opens a thread (POST /api/v1/objectives/{OBJECTIVE}/threads) by one of
-- the signed-in users of SESSIONS. Run once into an objective with 10,000 followers and once into
-- one with none: with notifications computed when read, the two cost the same.
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local c = dofile(dir .. "common.lua")
local objective = c.env_number("OBJECTIVE", 1)
local w

setup = c.setup
done = c.done

function init(args)
   c.seed()
   w = c.writers()
   for i, body in ipairs(w.bodies) do
      w.bodies[i] = '{"title": "Benchmark thread ' .. i .. '", ' .. string.sub(body, 2)
   end
end

function request()
   local s = w.sessions[math.random(#w.sessions)]
   return wrk.format("POST", "/api/v1/objectives/" .. objective .. "/threads", {
      ["Cookie"] = s.cookie, ["X-CSRF-Token"] = s.csrf, ["Content-Type"] = "application/json",
   }, w.bodies[math.random(#w.bodies)])
end

function response(status, headers, body)
   c.count(status)
end
