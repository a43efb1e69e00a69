-- loop: 10^8 integer additions in a numeric for loop (100 rounds of 10^6).
-- The same algorithm as loop.weft / loop.py.

local function run(rounds, n)
  local total = 0
  for r = 0, rounds - 1 do
    for i = 0, n - 1 do
      total = total + i
    end
  end
  return total
end

print("loop " .. run(100, 1000000))
