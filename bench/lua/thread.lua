-- Thread page: GET /api/v1/threads/{id} (first page, 20 posts) with id random in 1..THREADS.
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local c = dofile(dir .. "common.lua")
local threads = c.env_number("THREADS", 1000)

setup = c.setup
function init(args) c.seed() end

function request()
   return wrk.format("GET", "/api/v1/threads/" .. math.random(1, threads))
end
