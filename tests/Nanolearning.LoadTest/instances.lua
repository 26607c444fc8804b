-- wrk against several instances of the app at once, with no load balancer: thread i connects to the i-th port of
-- WRK_PORTS (comma-separated, on the URL's host), round robin, so `-t2` with two ports gives each instance one thread
-- and half the connections. wrk's figures (requests/s, latency percentiles, non-2xx) are then for all instances
-- together. The Host header keeps the URL's port; the app's AllowedHosts compares host names only.
local ports = {}
for port in string.gmatch(os.getenv("WRK_PORTS") or "", "[^,]+") do
   table.insert(ports, port)
end

local next_thread = 0

function setup(thread)
   if #ports > 0 then
      local port = ports[(next_thread % #ports) + 1]
      thread.addr = wrk.lookup(wrk.host, port)[1]
      next_thread = next_thread + 1
   end
end
