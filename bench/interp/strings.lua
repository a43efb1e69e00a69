-- strings: build a table of 10^6 short strings (tostring(i)), join them with ","
-- (table.concat) into one string, split it back (gmatch) and sum the parts'
-- lengths and integer values.  The same algorithm as strings.weft / strings.py.

local function run(n)
  local parts = {}
  for i = 0, n - 1 do
    parts[#parts + 1] = tostring(i)
  end
  local s = table.concat(parts, ",")
  local pieces = {}
  for p in string.gmatch(s, "[^,]+") do
    pieces[#pieces + 1] = p
  end
  local total_len = 0
  local total = 0
  for _, p in ipairs(pieces) do
    total_len = total_len + #p
    total = total + tonumber(p)
  end
  return #s, #pieces, total_len, total
end

local size, count, total_len, total = run(1000000)
print("strings " .. size .. " " .. count .. " " .. total_len .. " " .. total)
