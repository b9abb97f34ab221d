-- Lua's errors are longjmps, and so exceptions in WebAssembly: pcall catches them, error rethrows, and a coroutine's
-- error stays inside it. Each line of output is checked by LuaTests.
print(1 + 1)
print(pcall(error, "boom"))
local ok, message = pcall(function() local t = nil; return t.x end)
print(ok, message)
local caught = 0
for i = 1, 20000 do
  if not pcall(error, { code = i }) then caught = caught + 1 end
end
print("caught", caught)
local function nested(depth)
  if depth == 0 then error("deep", 0) end
  local ok, e = pcall(nested, depth - 1)
  error(e .. "+", 0)
end
print(pcall(nested, 5))
local worker = coroutine.create(function(x) coroutine.yield(x * 2); error("in coroutine", 0) end)
print(coroutine.resume(worker, 21))
print(coroutine.resume(worker))
print(select("#", pcall(error)))
local file = assert(io.open(arg[1] or "errors.lua"))
print(file:read("l"))
file:close()
