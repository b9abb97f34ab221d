-- A Lua app in OS mode: its arguments, a data file read by a relative path in /app, a file written to /tmp and read
-- back, errors raised and caught (Lua's longjmps are WebAssembly exceptions here), stdin, stderr and an exit status.
print("args: " .. table.concat(arg, " "))
local totals = {}
for line in io.lines("data/scores.txt") do
  local name, score = line:match("^(%w+)%s+(%d+)$")
  totals[#totals + 1] = { name = name, score = tonumber(score) }
end
table.sort(totals, function(a, b) return a.score > b.score end)
for i, entry in ipairs(totals) do print(i, entry.name, entry.score) end

local out = assert(io.open("/tmp/report.txt", "w"))
out:write("best: ", totals[1].name, "\n")
out:close()
print(io.open("/tmp/report.txt"):read("a"))

local function parse(text)
  local n = tonumber(text)
  if not n then error({ input = text }) end
  return n
end
local failures = 0
for _, text in ipairs({ "1", "x", "3", "y" }) do
  local ok, problem = pcall(parse, text)
  if not ok then failures = failures + 1; print("not a number: " .. problem.input) end
end
print("failures", failures)
print(select(2, pcall(function() return ("x"):bad() end)))

print("stdin: " .. io.read("l"))
io.stderr:write("warning: done\n")
os.exit(3)
