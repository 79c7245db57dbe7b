-- Search: GET /api/v1/search?q= with one or two random words in several languages.
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local c = dofile(dir .. "common.lua")

local terms = {
   "security", "ransomware", "Europol", "Frontex", "border", "cybercrime", "trafficking", "resilience",
   "sécurité", "coopération", "données", "frontières", "Sicherheit", "Geldwäsche", "Überwachung",
   "sicurezza", "criminalità", "seguridad", "cooperación", "víctimas", "bezpieczeństwo", "współpraca",
   "segurança", "veiligheid", "bezpečnost", "ασφάλεια", "encryption", "customs", "ports", "solidarity",
}

local function urlencode(s)
   return (string.gsub(s, "[^%w%-%._~]", function(ch) return string.format("%%%02X", string.byte(ch)) end))
end

setup = c.setup
function init(args) c.seed() end

function request()
   local q = terms[math.random(#terms)]
   if math.random() < 0.4 then q = q .. " " .. terms[math.random(#terms)] end
   return wrk.format("GET", "/api/v1/search?q=" .. urlencode(q))
end
