%% Distribution benchmarks, the Erlang/OTP side: the same workloads as
%% dist.weft, between two nodes on loopback (bench/cluster.sh starts node b
%% with this module on its path, then runs one workload from node a):
%%   erl -name a@127.0.0.1 -setcookie C -noshell -pa DIR -run dist_peer main WORKLOAD B N
-module(dist_peer).
-export([main/1, pong/0, counter/1, big_sink/0]).

pong() ->
    receive
        {ping, From} -> From ! pong, pong();
        stop -> ok
    end.

counter(0) -> receive {done, From} -> From ! counted end;
counter(N) -> receive _ -> counter(N - 1) end.

big_sink() -> receive {big, Data, From} -> From ! {got_big, byte_size(Data)} end.

now_ms() -> erlang:monotonic_time(millisecond).
rate(N, Ms) -> N * 1000 div max(Ms, 1).
result(Key, Value, Unit) -> io:format("RESULT ~s ~p ~s~n", [Key, Value, Unit]).

main([Workload, PeerText | Rest]) ->
    T0 = now_ms(),
    Peer = list_to_atom(PeerText),
    N = case Rest of [NText] -> list_to_integer(NText); [] -> 0 end,
    run(Workload, Peer, N, T0),
    halt(0).

run("connect", Peer, _, T0) ->
    P = spawn(Peer, ?MODULE, pong, []),
    P ! {ping, self()},
    receive pong -> result("cluster_first_reply", now_ms() - T0, "ms") end,
    P ! stop;
run("pingpong", Peer, N, _) ->
    true = net_kernel:connect_node(Peer),
    P = spawn(Peer, ?MODULE, pong, []),
    T0 = now_ms(),
    pingpong(P, N),
    result("cluster_pingpong", rate(N, now_ms() - T0), "rt/s"),
    P ! stop;
run("stream", Peer, N, _) ->
    true = net_kernel:connect_node(Peer),
    stream(Peer, N, {msg, 1}),
    ok;
run("mib", Peer, N, _) ->
    true = net_kernel:connect_node(Peer),
    Bin = binary:copy(<<"m">>, 1024 * 1024),
    C = spawn(Peer, ?MODULE, counter, [N]),
    T0 = now_ms(),
    [C ! Bin || _ <- lists:seq(1, N)],
    C ! {done, self()},
    receive counted -> ok end,
    result("cluster_mib_stream", N * 1024 * 1024 div 1000 div max(now_ms() - T0, 1), "MB/s");
run("large_latency", Peer, _, _) ->
    true = net_kernel:connect_node(Peer),
    P = spawn(Peer, ?MODULE, pong, []),
    S = spawn(Peer, ?MODULE, big_sink, []),
    Me = self(),
    %% From a process of its own, as dist.weft does: a busy port suspends the sender.
    spawn(fun() -> Big = binary:copy(<<"x">>, 100 * 1024 * 1024), Me ! sending, S ! {big, Big, Me} end),
    receive sending -> ok end,
    Times = lists:sort(latencies(P, [])),
    result("cluster_large_latency_max", lists:last(Times), "ms"),
    result("cluster_large_latency_median", lists:nth(length(Times) div 2 + 1, Times), "ms"),
    result("cluster_large_latency_samples", length(Times), "round trips"),
    P ! stop.

pingpong(_, 0) -> ok;
pingpong(P, N) ->
    P ! {ping, self()},
    receive pong -> pingpong(P, N - 1) end.

stream(Peer, N, Msg) ->
    C = spawn(Peer, ?MODULE, counter, [N]),
    T0 = now_ms(),
    send_n(C, Msg, N),
    C ! {done, self()},
    receive counted -> ok end,
    result("cluster_stream", rate(N, now_ms() - T0), "msg/s").

send_n(_, _, 0) -> ok;
send_n(C, Msg, N) -> C ! Msg, send_n(C, Msg, N - 1).

latencies(P, Acc) ->
    T0 = now_ms(),
    P ! {ping, self()},
    receive pong -> ok end,
    Acc1 = [now_ms() - T0 | Acc],
    receive {got_big, _} -> Acc1 after 1 -> latencies(P, Acc1) end.
