%% Erlang/OTP peer of the Weft runtime benchmarks (bench/runtime_bench).
%%
%% Each workload prints one line per figure on stdout:
%%     RESULT <key> <value> <unit>
%% and nothing else there; notes and warnings go to stderr.
%%
%% Build and run (bench/run.sh does this):
%%     erlc -o DIR bench/erlang/weft_peer.erl
%%     erl -noshell +S 1 -pa DIR -s weft_peer pingpong -s init stop
%%
%% Workloads; an optional argument overrides the size given in [brackets],
%% e.g. `-s weft_peer pingpong 100000`:
%%   pingpong        one pair, [2,000,000] round trips          erl +S 1
%%   pingpong_pairs  max(2,schedulers) pairs, [1,000,000] each  all schedulers
%%   ring            10,000-process ring, [1,000] laps          erl +S 1
%%   ring_all        the same ring                              all schedulers
%%   spawn_idle      [1,000,000] idle processes: rate, memory   erl +P 2000000
%%   binary          1 MiB refc binary, [100,000] sends         erl +S 1
%%   list            10,000-integer list, [10,000] sends        erl +S 1
%%   small           small tuple one way, [1,000,000] sends     erl +S 1
%%   small_all       the same one-way stream                    erl +S 2 (bench/run.sh)
%% `-s weft_peer run Workload [Size]` does the same.
%%
%% Timing is erlang:monotonic_time(); rates are events / wall seconds.
-module(weft_peer).

-export([pingpong/0, pingpong/1,
         pingpong_pairs/0, pingpong_pairs/1,
         ring/0, ring/1,
         ring_all/0, ring_all/1,
         spawn_idle/0, spawn_idle/1,
         binary/0, binary/1,
         list/0, list/1,
         small/0, small/1,
         small_all/0, small_all/1,
         run/1]).

-define(PINGPONG_N, 2000000).
-define(PAIRS_N_PER_PAIR, 1000000).
-define(RING_SIZE, 10000).
-define(RING_LAPS, 1000).
-define(SPAWN_N, 1000000).
-define(BINARY_N, 100000).
-define(BINARY_BYTES, 1048576).
-define(LIST_N, 10000).
-define(LIST_LEN, 10000).
-define(SMALL_N, 1000000).

%% `-s weft_peer run Workload [Size]`
run([W | Args]) ->
    Fun = list_to_existing_atom(atom_to_list(W)),
    apply(?MODULE, Fun, [Args]).

%% ---------------------------------------------------------------------------
%% ping-pong, one pair

pingpong() -> pingpong([]).
pingpong(Args) ->
    N = arg(Args, ?PINGPONG_N),
    expect_one_scheduler(pingpong),
    _ = in_fresh_process(fun() -> pingpong_pair(N div 20) end),   % warm-up
    Secs = in_fresh_process(fun() -> pingpong_pair(N) end),
    result("erlang.pingpong_rt_per_s", N / Secs, "rt/s").

pingpong_pair(N) ->
    Pong = spawn_link(fun pong_loop/0),
    T0 = now_ns(),
    ping_loop(Pong, 1, N),
    T1 = now_ns(),
    Pong ! stop,
    secs(T0, T1).

ping_loop(_Pong, I, N) when I > N -> ok;
ping_loop(Pong, I, N) ->
    Pong ! {ping, self(), I},
    receive {pong, I} -> ok end,
    ping_loop(Pong, I + 1, N).

pong_loop() ->
    receive
        {ping, From, I} -> From ! {pong, I}, pong_loop();
        stop -> ok
    end.

%% ---------------------------------------------------------------------------
%% ping-pong, several pairs at once

pingpong_pairs() -> pingpong_pairs([]).
pingpong_pairs(Args) ->
    PerPair = arg(Args, ?PAIRS_N_PER_PAIR),
    Pairs = max(2, erlang:system_info(schedulers_online)),
    Secs = in_fresh_process(fun() -> pingpong_pairs(Pairs, PerPair) end),
    info("pingpong_pairs: ~b pairs x ~b round trips on ~b schedulers",
         [Pairs, PerPair, erlang:system_info(schedulers_online)]),
    result("erlang.pingpong_pairs_rt_per_s", Pairs * PerPair / Secs, "rt/s").

pingpong_pairs(Pairs, PerPair) ->
    Parent = self(),
    Pingers = [spawn_link(fun() ->
                                  Pong = spawn_link(fun pong_loop/0),
                                  receive go -> ok end,
                                  ping_loop(Pong, 1, PerPair),
                                  Pong ! stop,
                                  Parent ! {done, self()}
                          end)
               || _ <- lists:seq(1, Pairs)],
    T0 = now_ns(),
    [P ! go || P <- Pingers],
    [receive {done, P} -> ok end || P <- Pingers],
    T1 = now_ns(),
    secs(T0, T1).

%% ---------------------------------------------------------------------------
%% ring: RING_SIZE processes (the timing process is one of them), a token
%% passed RING_LAPS laps; time from first send to the token's last return.

ring() -> ring([]).
ring(Args) ->
    expect_one_scheduler(ring),
    ring("erlang.ring_hops_per_s", Args).

ring_all() -> ring_all([]).
ring_all(Args) ->
    ring("erlang.ring_hops_per_s_all", Args).

ring(Key, Args) ->
    Laps = arg(Args, ?RING_LAPS),
    Size = ?RING_SIZE,
    Secs = in_fresh_process(fun() -> ring_run(Size, Laps) end),
    result(Key, Size * Laps / Secs, "hops/s").

ring_run(Size, Laps) ->
    First = build_ring(self(), Size - 1),
    T0 = now_ns(),
    First ! token,
    ring_head(First, Laps),
    T1 = now_ns(),
    First ! stop,
    receive stop -> ok end,
    secs(T0, T1).

build_ring(Next, 0) -> Next;
build_ring(Next, K) ->
    build_ring(spawn_link(fun() -> ring_forward(Next) end), K - 1).

ring_forward(Next) ->
    receive
        token -> Next ! token, ring_forward(Next);
        stop -> Next ! stop
    end.

%% The token has just been sent; wait for it to come back Laps times.
ring_head(_First, 0) -> ok;
ring_head(_First, 1) ->
    receive token -> ok end;
ring_head(First, Laps) ->
    receive token -> First ! token end,
    ring_head(First, Laps - 1).

%% ---------------------------------------------------------------------------
%% spawn N processes that each wait in receive; time the spawning and
%% measure memory per idle process; then stop them all.

spawn_idle() -> spawn_idle([]).
spawn_idle(Args) ->
    N = arg(Args, ?SPAWN_N),
    Limit = erlang:system_info(process_limit),
    Limit >= N + 1000 orelse
        erlang:error({process_limit_too_low, Limit, "start erl with +P 2000000"}),
    {Secs, Total, Procs} = in_fresh_process(fun() -> spawn_idle_run(N) end),
    result("erlang.spawn_per_s", N / Secs, "spawns/s"),
    result("erlang.idle_bytes", Total / N, "bytes"),
    result("erlang.idle_bytes_proc", Procs / N, "bytes").

spawn_idle_run(N) ->
    Before = lists:sort(erlang:processes()),
    wait_run_queues_empty(),
    erlang:garbage_collect(),
    Total0 = erlang:memory(total),
    Procs0 = erlang:memory(processes),
    T0 = now_ns(),
    spawn_loop(N),                 % keeps no pids: nothing grows per spawn
    T1 = now_ns(),
    wait_run_queues_empty(),       % every child has reached its receive
    Total1 = erlang:memory(total),
    Procs1 = erlang:memory(processes),
    Count = erlang:system_info(process_count),
    Count >= N orelse erlang:error({too_few_processes, Count}),
    %% Stop them: every process that did not exist before is one of ours.
    Mine = ordsets:subtract(lists:sort(erlang:processes()), Before),
    T2 = now_ns(),
    [P ! stop || P <- Mine, P =/= self()],
    wait_process_count_below(length(Before) + 10),
    info("spawn_idle: spawned ~b in ~.2f s, stopped them in ~.2f s",
         [N, secs(T0, T1), secs(T2, now_ns())]),
    {secs(T0, T1), Total1 - Total0, Procs1 - Procs0}.

spawn_loop(0) -> ok;
spawn_loop(K) ->
    spawn(fun idle/0),
    spawn_loop(K - 1).

idle() ->
    receive stop -> ok end.

wait_run_queues_empty() ->
    case erlang:statistics(total_run_queue_lengths_all) of
        0 -> ok;
        _ -> timer:sleep(5), wait_run_queues_empty()
    end.

wait_process_count_below(Max) ->
    case erlang:system_info(process_count) of
        C when C =< Max -> ok;
        _ -> timer:sleep(5), wait_process_count_below(Max)
    end.

%% ---------------------------------------------------------------------------
%% 1 MiB binary back and forth: N messages in all (N/2 round trips). The
%% binary is off-heap and reference-counted, so a send copies no payload.

binary() -> binary([]).
binary(Args) ->
    N = arg(Args, ?BINARY_N),
    Bin = binary:copy(<<"w">>, ?BINARY_BYTES),
    Secs = in_fresh_process(fun() -> bounce(Bin, N) end),
    result("erlang.binary_1mib_sends_per_s", N / Secs, "msgs/s").

%% 10,000-integer list back and forth: N messages in all; each send copies
%% the list into the receiver's heap.
list() -> list([]).
list(Args) ->
    N = arg(Args, ?LIST_N),
    L = lists:seq(1, ?LIST_LEN),
    Secs = in_fresh_process(fun() -> bounce(L, N) end),
    result("erlang.list_10k_sends_per_s", N / Secs, "msgs/s").

%% Send Payload back and forth N times (N sends in all), return seconds.
bounce(Payload, N) ->
    Self = self(),
    Echo = spawn_link(fun() -> echo_loop(Self) end),
    T0 = now_ns(),
    bounce_loop(Echo, Payload, N div 2),
    T1 = now_ns(),
    Echo ! stop,
    secs(T0, T1).

bounce_loop(_Echo, _Payload, 0) -> ok;
bounce_loop(Echo, Payload, K) ->
    Echo ! {msg, Payload},
    receive {msg, _} -> ok end,
    bounce_loop(Echo, Payload, K - 1).

echo_loop(Peer) ->
    receive
        {msg, P} -> Peer ! {msg, P}, echo_loop(Peer);
        stop -> ok
    end.

%% ---------------------------------------------------------------------------
%% small tuple one way N times; the receiver counts and replies at the end.

small() -> small([]).
small(Args) ->
    N = arg(Args, ?SMALL_N),
    Secs = in_fresh_process(fun() -> small_run(N) end),
    result("erlang.small_sends_per_s", N / Secs, "msgs/s").

%% The same stream with every scheduler online (bench/run.sh starts it with +S 2,
%% the peer of sched_bench's two-thread stream).
small_all() -> small_all([]).
small_all(Args) ->
    N = arg(Args, ?SMALL_N),
    Secs = in_fresh_process(fun() -> small_run(N) end),
    info("small_all: ~b schedulers", [erlang:system_info(schedulers_online)]),
    result("erlang.small_sends_per_s_all", N / Secs, "msgs/s").

small_run(N) ->
    Self = self(),
    Counter = spawn_link(fun() -> count_loop(Self, N, 0) end),
    T0 = now_ns(),
    small_loop(Counter, N),
    receive {counted, N} -> ok end,
    T1 = now_ns(),
    secs(T0, T1).

small_loop(_C, 0) -> ok;
small_loop(C, K) ->
    C ! {small, K},
    small_loop(C, K - 1).

count_loop(Parent, N, N) -> Parent ! {counted, N};
count_loop(Parent, N, Got) ->
    receive {small, _} -> count_loop(Parent, N, Got + 1) end.

%% ---------------------------------------------------------------------------
%% helpers

%% Run F in a new process (fresh heap, empty mailbox) and return its value.
in_fresh_process(F) ->
    {Pid, Ref} = spawn_monitor(fun() -> exit({ok, F()}) end),
    receive
        {'DOWN', Ref, process, Pid, {ok, V}} -> V;
        {'DOWN', Ref, process, Pid, Why} -> erlang:error({workload_failed, Why})
    end.

now_ns() -> erlang:monotonic_time(nanosecond).

secs(T0, T1) -> max(T1 - T0, 1) / 1.0e9.

arg([], Default) -> Default;
arg([A | _], _Default) when is_atom(A) -> list_to_integer(atom_to_list(A));
arg([A | _], _Default) when is_list(A) -> list_to_integer(A);
arg([A | _], _Default) when is_integer(A) -> A.

expect_one_scheduler(W) ->
    case erlang:system_info(schedulers_online) of
        1 -> ok;
        S -> info("warning: ~p is a one-scheduler workload but ~b schedulers "
                  "are online; start erl with +S 1", [W, S])
    end.

result(Key, Value, Unit) ->
    io:format("RESULT ~s ~b ~s~n", [Key, round(Value), Unit]).

info(Fmt, Args) ->
    io:format(standard_error, Fmt ++ "~n", Args).
