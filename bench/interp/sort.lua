-- sort: 10^6 pseudo-random ints from the MINSTD Lehmer generator
-- (x = x * 48271 % 2147483647, seed 42), sorted in place with table.sort;
-- prints first, middle and last.  The same algorithm as sort.weft / sort.py.

local function run(n)
  local x = 42
  local a = {}
  for i = 1, n do
    x = x * 48271 % 2147483647
    a[i] = x
  end
  table.sort(a)
  return a[1], a[n // 2 + 1], a[n]
end

local first, middle, last = run(1000000)
print("sort " .. first .. " " .. middle .. " " .. last)
