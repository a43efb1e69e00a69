%% Erlang/OTP peer of bench/actors/selective_receive.weft: calls (make_ref,
%% send, receive the reply by its ref) made by a process whose mailbox already
%% holds QUEUED messages that no receive takes. OTP's compiler and runtime skip
%% the messages queued before the ref was made (the receive marker).
%%
%%     erlc -o DIR bench/actors/selective_receive.erl
%%     erl -noshell +S 1 -pa DIR -s selective_receive run [QUEUED [CALLS]] -s init stop
%% Prints  RESULT erlang.call_queued_us <microseconds per call> us
-module(selective_receive).
-export([run/0, run/1]).

run() -> run([]).
run(Args) ->
    Queued = arg(Args, 1, 1000000),
    Calls = arg(Args, 2, 100000),
    Srv = spawn(fun server/0),
    Me = self(),
    [Me ! {noise, I} || I <- lists:seq(1, Queued)],
    [call(Srv, I) || I <- lists:seq(1, 100)],
    T0 = erlang:monotonic_time(microsecond),
    Total = calls(Srv, Calls, 0, 0),
    Us = (erlang:monotonic_time(microsecond) - T0) / Calls,
    Total = Calls * (Calls - 1) div 2,
    {message_queue_len, Queued} = process_info(self(), message_queue_len),
    io:format("RESULT erlang.call_queued_us ~.3f us~n", [Us]),
    io:format("calls with ~w messages queued: ~w, ~.3f us each~n", [Queued, Calls, Us]).

calls(_Srv, N, N, Acc) -> Acc;
calls(Srv, N, I, Acc) -> calls(Srv, N, I + 1, Acc + call(Srv, I)).

call(Srv, X) ->
    Ref = make_ref(),
    Srv ! {call, self(), Ref, X},
    receive
        {reply, Ref, V} -> V
    end.

server() ->
    receive
        {call, Caller, Ref, X} -> Caller ! {reply, Ref, X}, server()
    end.

arg(Args, I, _Default) when length(Args) >= I -> list_to_integer(atom_to_list(lists:nth(I, Args)));
arg(_, _, Default) -> Default.
