# term.capnp: the wire shape of every value an actor can send.
#
# A message's root is a Term. serialize/codec.cpp writes and reads this layout
# directly (libcapnp stays the oracle in tests), so any change here must be
# matched in serialize/layout.hpp; tests/serialize checks that they agree.
# Never renumber or reorder fields: the union's discriminants are on the wire.
@0xade3ece955a83cc7;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("weft::schema");

struct Term {
  union {
    none @0 :Void;
    bool @1 :Bool;
    int @2 :Int64;
    # An integer outside Int64: first byte is the sign (0 = positive,
    # 1 = negative), then the magnitude in little-endian bytes with no
    # high zero bytes. Writers only use it for values that do not fit Int64.
    bignum @3 :Data;
    float @4 :Float64;
    str @5 :Text;
    bytes @6 :Data;
    # Index into the envelope's table of shared binaries (strings and bytes of
    # 64 bytes or more travel by reference inside a node, never copied).
    sharedStr @7 :UInt32;
    sharedBytes @8 :UInt32;
    tuple @9 :List(Term);
    list @10 :List(Term);
    # Ordered; keys are not deduplicated here.
    dict @11 :List(Entry);
    pid @12 :Pid;
    ref @13 :Ref;
    function @14 :Function;
    # A socket of a node (io/tcp.hpp): held by actors, sent in messages.
    port @15 :Port;
    # Sets, in the sender's iteration order (the receiver hashes them anew).
    set @16 :List(Term);
    frozenset @17 :List(Term);
  }
}

struct Entry {
  key @0 :Term;
  value @1 :Term;
}

struct Pid {
  node @0 :UInt32;
  creation @1 :UInt32;
  serial @2 :UInt64;
}

struct Ref {
  node @0 :UInt32;
  creation @1 :UInt32;
  serial @2 :UInt64;
}

struct Port {
  node @0 :UInt32;
  creation @1 :UInt32;
  # The top byte says what it is (io/tcp.hpp: 1 listener, 2 conn).
  serial @2 :UInt64;
}

# A function value: its module, its index in that module's function table,
# its name (for printing and checks) and the values it captured.
struct Function {
  module @0 :Text;
  index @1 :UInt32;
  name @2 :Text;
  captures @3 :List(Term);
}
