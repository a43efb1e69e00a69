%% Erlang/OTP peer of bench/actors/parallel_map.weft: a CPU-bound map over
%% worker processes, one process per item.
%%
%% The list is ITEMS copies of N; each worker computes fib(N) with the naive
%% doubly recursive definition and sends {self(), Result} to the parent, which
%% collects the results in list order. The figure is the wall time from the
%% first spawn to the last result, the best of RUNS runs; bench/actors.sh runs
%% it with +S 1 and +S 2 and divides the two times to get the speed-up.
%%
%% Build and run (bench/actors.sh does this):
%%     erlc -o DIR bench/actors/parallel_map.erl
%%     erl -noshell +S 2 -pa DIR -s parallel_map run [N [ITEMS [RUNS]]] -s init stop
%% Defaults: N = 31, ITEMS = 32, RUNS = 3 (about 0.4 s a run on one core of the
%% dev VM; Erlang's fib is several times faster than the interpreters', so its N
%% is larger: the speed-up, not the time, is compared).
%% Prints on stdout
%%     RESULT erlang.parallel_map_s <seconds> s
%% and a human line (every run's time and the checksum, the sum of the results).
-module(parallel_map).
-export([run/0, run/1, fib/1]).

-define(N, 31).
-define(ITEMS, 32).
-define(RUNS, 3).

run() -> run([]).
run(Args) ->
    N = arg(Args, 1, ?N),
    Items = arg(Args, 2, ?ITEMS),
    Runs = arg(Args, 3, ?RUNS),
    Timed = [in_fresh_process(fun() -> map_once(N, Items) end)
             || _ <- lists:seq(1, Runs)],
    Times = [S || {S, _} <- Timed],
    Sums = lists:usort([Sum || {_, Sum} <- Timed]),
    Best = lists:min(Times),
    io:format("RESULT erlang.parallel_map_s ~.4f s~n", [Best]),
    io:format("erlang parallel_map: ~b x fib(~b) on ~b schedulers: best ~.3f s "
              "of ~w (checksum ~w)~n",
              [Items, N, erlang:system_info(schedulers_online), Best,
               [round(T * 1000) / 1000 || T <- Times], Sums]).

%% One map: spawn a worker per item, collect the results in order.
map_once(N, Items) ->
    Parent = self(),
    T0 = erlang:monotonic_time(nanosecond),
    Pids = [spawn_link(fun() -> Parent ! {self(), fib(X)} end)
            || X <- lists:duplicate(Items, N)],
    Results = [receive {P, R} -> R end || P <- Pids],
    T1 = erlang:monotonic_time(nanosecond),
    {max(T1 - T0, 1) / 1.0e9, lists:sum(Results)}.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

%% Run F in a new process (fresh heap, empty mailbox) and return its value.
in_fresh_process(F) ->
    {Pid, Ref} = spawn_monitor(fun() -> exit({ok, F()}) end),
    receive
        {'DOWN', Ref, process, Pid, {ok, V}} -> V;
        {'DOWN', Ref, process, Pid, Why} -> erlang:error({workload_failed, Why})
    end.

%% The K-th command-line argument (atoms from -s), or Default.
arg(Args, K, _Default) when length(Args) >= K ->
    A = lists:nth(K, Args),
    if is_atom(A) -> list_to_integer(atom_to_list(A));
       is_list(A) -> list_to_integer(A);
       is_integer(A) -> A
    end;
arg(_Args, _K, Default) -> Default.
