-- Thread list: GET /api/v1/objectives/{id}/threads (first page, 20 threads), objective random in 1..5.
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local c = dofile(dir .. "common.lua")

setup = c.setup
function init(args) c.seed() end

function request()
   return wrk.format("GET", "/api/v1/objectives/" .. math.random(1, 5) .. "/threads")
end
