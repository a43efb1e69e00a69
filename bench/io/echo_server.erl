%% A line echo server for bench/io/echo.sh: gen_tcp in {active, once} with
%% {packet, line}, a process per connection, as an Erlang programmer writes
%% it. Usage: erl -noshell -pa DIR -s echo_server main PORT
-module(echo_server).
-export([main/1]).

main([Port]) ->
    {ok, Listen} = gen_tcp:listen(list_to_integer(atom_to_list(Port)),
                                  [binary, {packet, line}, {active, false}, {reuseaddr, true},
                                   {nodelay, true}, {backlog, 4096}, {ip, {127, 0, 0, 1}}]),
    accept(Listen).

accept(Listen) ->
    {ok, Socket} = gen_tcp:accept(Listen),
    Pid = spawn(fun() -> receive go -> ok end, inet:setopts(Socket, [{active, once}]), loop(Socket) end),
    ok = gen_tcp:controlling_process(Socket, Pid),
    Pid ! go,
    accept(Listen).

loop(Socket) ->
    receive
        {tcp, Socket, Line} ->
            gen_tcp:send(Socket, Line),
            inet:setopts(Socket, [{active, once}]),
            loop(Socket);
        {tcp_closed, Socket} ->
            ok
    end.
