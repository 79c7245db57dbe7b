-- Shared by the benchmark scripts (loaded with dofile from the same folder): per-thread random
-- seeds, sessions from the environment, generated Markdown bodies and a status counter.
local M = {}

-- wrk runs setup() once per thread in the main Lua state; give each thread its own number.
local counter = 0
function M.setup(thread)
   counter = counter + 1
   thread:set("thread_no", counter)
   M.threads = M.threads or {}
   table.insert(M.threads, thread)
end

function M.seed()
   math.randomseed(os.time() * 1000 + (thread_no or 0) * 7919)
   for _ = 1, 10 do math.random() end
end

function M.env_number(name, default)
   local v = tonumber(os.getenv(name) or "")
   return v or default
end

-- SESSIONS="token|csrf;token|csrf;..." (signed-in users, from bench/client.py sessions)
function M.sessions()
   local out = {}
   for pair in string.gmatch(os.getenv("SESSIONS") or "", "[^;]+") do
      local token, csrf = string.match(pair, "^([^|]+)|(.+)$")
      if token then
         table.insert(out, { cookie = "forumd_session=" .. token, csrf = csrf })
      end
   end
   return out
end

local words = {
   "security", "cooperation", "Europol", "Frontex", "ransomware", "resilience", "the", "of", "and", "to",
   "we", "should", "sécurité", "données", "coopération", "États", "Sicherheit", "Grenzen", "Überwachung",
   "sicurezza", "comunità", "seguridad", "cooperación", "información", "bezpieczeństwo", "współpraca",
   "źródło", "cybercrime", "border", "prevention", "victims", "transparency", "évaluation", "Prävention",
}

local function sentence(n)
   local t = {}
   for i = 1, n do t[i] = words[math.random(#words)] end
   local s = table.concat(t, " ")
   return string.upper(string.sub(s, 1, 1)) .. string.sub(s, 2) .. "."
end

-- A JSON request body {"body": "..."} whose Markdown text is 200..2000 characters.
function M.post_body(parent_id)
   local target = math.random(200, 2000)
   local parts, len = {}, 0
   while len < target do
      local s
      local x = math.random()
      if x < 0.05 then
         s = "\\n\\n- " .. sentence(4) .. "\\n- " .. sentence(5) .. "\\n\\n"
      elseif x < 0.1 then
         s = "**" .. sentence(3) .. "** "
      elseif x < 0.12 then
         s = "[" .. words[math.random(#words)] .. "](https://home-affairs.ec.europa.eu/) "
      else
         s = sentence(math.random(6, 18)) .. " "
      end
      table.insert(parts, s)
      len = len + #s
   end
   local text = string.sub(table.concat(parts), 1, 1900)
   text = string.gsub(text, "\\$", "") -- never end inside an escape
   text = string.gsub(text, "[\128-\191]+$", "") -- nor inside a UTF-8 character
   text = string.gsub(text, "[\192-\255]$", "")
   if parent_id then
      return string.format('{"body": "%s", "parent_id": %d}', text, parent_id)
   end
   return '{"body": "' .. text .. '"}'
end

-- Counts answers by status; with M.done() the totals are printed as "statuses: 200=N 201=N ...".
-- The writers' state: signed-in users (SESSIONS) and 64 prepared reply bodies.
function M.writers()
   local w = { sessions = M.sessions(), bodies = {} }
   for i = 1, 64 do w.bodies[i] = M.post_body() end
   return w
end

-- A reply to thread id by a random one of the writers.
function M.reply_request(w, id)
   local s = w.sessions[math.random(#w.sessions)]
   return wrk.format("POST", "/api/v1/threads/" .. id .. "/posts", {
      ["Cookie"] = s.cookie, ["X-CSRF-Token"] = s.csrf, ["Content-Type"] = "application/json",
   }, w.bodies[math.random(#w.bodies)])
end

function M.count(status)
   statuses = statuses or {}
   statuses[status] = (statuses[status] or 0) + 1
end

function M.done()
   local total = {}
   for _, t in ipairs(M.threads or {}) do
      local s = t:get("statuses")
      if s then
         for k, v in pairs(s) do total[k] = (total[k] or 0) + v end
      end
   end
   local keys = {}
   for k in pairs(total) do table.insert(keys, k) end
   table.sort(keys)
   local out = {}
   for _, k in ipairs(keys) do table.insert(out, k .. "=" .. total[k]) end
   io.write("statuses: " .. table.concat(out, " ") .. "\n")
end

return M
