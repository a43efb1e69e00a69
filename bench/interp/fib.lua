-- fib: naive doubly recursive Fibonacci, fib(30) = 832040 (1,664,079 calls).
-- The same algorithm as fib.weft / fib.py.

local function fib(n)
  if n < 2 then
    return n
  end
  return fib(n - 1) + fib(n - 2)
end

print("fib " .. 30 .. " " .. fib(30))
