# wire.capnp: the node protocol, what two connected nodes say to each other.
#
# After the handshake, each direction of a connection is a stream of Frames,
# each one Cap'n Proto message in the standard stream framing (segment table,
# then segments). cluster/frame_encoder.cpp writes them and
# cluster/frame_decoder.cpp reads them, under the limits of
# cluster/frame_limits.hpp. Pids and refs are term.capnp's, so an id reads the
# same inside a message and around it.
#
# Never renumber, reorder or retype a field: the numbers and the union
# discriminants are on the wire, and nodes of different versions must still
# understand each other. Add new fields and new frame kinds at the end.
@0xf8f9e7e9754281d6;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("weft::wire");

using Term = import "/serialize/term.capnp";

struct Frame {
  union {
    # A message or signal for one actor of the receiving node.
    envelope @0 :Envelope;
    # A piece of a large envelope or spawn request, sent on a lane of its
    # own so that small frames go on between its pieces.
    fragment @1 :Fragment;
    # Start an actor on the receiving node; answered by a spawnReply.
    spawnRequest @2 :SpawnRequest;
    spawnReply @3 :SpawnReply;
    # Sent when a direction has been quiet for a while: the peer is alive.
    heartbeat @4 :Heartbeat;
    # The full name behind a node id that pids in later frames carry.
    nodeInfo @5 :NodeInfo;
    # The sender closes the connection on purpose; nothing follows.
    goodbye @6 :Goodbye;
  }
}

# One envelope of serialize/envelope.hpp, and where it goes.
struct Envelope {
  # The receiver: an actor of the receiving node, by pid or by registered name.
  to :union {
    pid @0 :Term.Pid;
    # A name registered on the receiving node (Erlang's {Name, Node} ! Msg).
    name @1 :Text;
  }
  # What it is: 0 is an ordinary message; actors/signals.hpp numbers the signals.
  kind @2 :UInt32;
  # The sender (for signals: the actor the signal is about).
  from @3 :Term.Pid;
  # A signal's ref (the monitor or timer it belongs to).
  tag @4 :Term.Ref;
  # A signal's argument.
  aux @5 :UInt64;
  # The value: the words of one single-segment term.capnp message as bytes
  # (a multiple of 8), checked by serialize/validate before use. Empty for
  # signals that carry no value.
  term @6 :Data;
  # The shared binaries that the term references by index, each inlined once.
  binaries @7 :List(Data);
  # The sender's Lamport clock while a message trace is on (actors/trace.hpp),
  # so that the receiving node's trace orders the receive after the send; 0
  # (the default, never set) when tracing is off. A node of an earlier
  # version reads past it, and reads 0 from a frame that lacks it. It adds a
  # data word to every envelope frame (a struct's size is its schema's), and
  # no work when 0.
  traceClock @8 :UInt64;
}

# Large envelopes and spawn requests travel as a lane: a head (index 0), then
# chunks with index 1, 2, ... in order, the final one marked last. Their
# chunks, concatenated, are the body: the term's bytes, then for each binary
# its length (8 bytes, little-endian) and its bytes. Lanes are numbered by the
# sender; a number may be used again once its lane has ended.
struct Fragment {
  # Which large message this piece belongs to.
  lane @0 :UInt32;
  # The piece's position in its lane: 0 for the head, then 1, 2, ...
  index @1 :UInt32;
  # Set on the lane's final piece; the body must then be complete.
  last @2 :Bool;
  union {
    # Index 0: what is coming.
    head @3 :LargeHead;
    # Index 1 and on: the next bytes of the body.
    chunk @4 :Data;
  }
}

struct LargeHead {
  # The envelope or spawnRequest frame being sent, with its term (or args)
  # and binaries left empty: they are in the body.
  frame @0 :Frame;
  # Bytes in the body, all chunks together.
  bodyBytes @1 :UInt64;
  # The body's first termBytes are the term's words (a multiple of 8).
  termBytes @2 :UInt64;
  # How many binaries follow the term in the body.
  binaryCount @3 :UInt32;
}

struct SpawnRequest {
  # Chosen by the requester; the reply carries it back.
  requestId @0 :UInt64;
  # The function to run: its module and name.
  module @1 :Text;
  function @2 :Text;
  # The hash of the module's code as the requester knows it, so that both
  # nodes are sure to run the same code (empty: any version).
  moduleHash @3 :Data;
  # The arguments: a term's words, as Envelope.term.
  args @4 :Data;
  # The shared binaries that args references, as Envelope.binaries.
  binaries @5 :List(Data);
  # The actor asking; it is linked to the new one when link is set.
  parent @6 :Term.Pid;
  link @7 :Bool;
  # The new actor starts monitored by parent under this ref, or not at all.
  monitor :union {
    none @8 :Void;
    ref @9 :Term.Ref;
  }
}

struct SpawnReply {
  # The requestId of the SpawnRequest answered.
  requestId @0 :UInt64;
  result :union {
    # The new actor.
    pid @1 :Term.Pid;
    # Why none was started.
    error @2 :Text;
  }
}

# Empty for now; a struct so that fields can be added.
struct Heartbeat {}

struct NodeInfo {
  # The id that pids and refs of that node carry.
  node @0 :UInt32;
  # Its full name, name@host:port.
  name @1 :Text;
  # Its current incarnation.
  creation @2 :UInt32;
}

struct Goodbye {
  # Why the sender is leaving, for the peer's log.
  reason @0 :Text;
}
