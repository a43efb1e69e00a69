-- dict: build a table of 10^6 int -> int entries (d[i] = i * 2), then sum the
-- values by iterating over the keys (pairs) and looking each one up.
-- The same algorithm as dict.weft / dict.py.  (Lua keeps keys 1..n-1 in the
-- table's array part: that is how Lua's one associative type works.)

local function run(n)
  local d = {}
  for i = 0, n - 1 do
    d[i] = i * 2
  end
  local count = 0
  local total = 0
  for k in pairs(d) do
    total = total + d[k]
    count = count + 1
  end
  return count, total
end

local count, total = run(1000000)
print("dict " .. count .. " " .. total)
