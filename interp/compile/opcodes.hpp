// opcodes.hpp: the Weft VM's instruction set and its encoding.
//
// A register machine in the manner of Lua 5.4: instructions are 32-bit words
//
//     | C:8 | B:8 | A:8 | op:8 |        three register/small operands
//     |    Bx:16  | A:8 | op:8 |        Bx unsigned; sBx = Bx - 32767
//     |      sJ:24        | op:8 |      JMP's signed 24-bit offset
//
// Some instructions take one extra word after them (marked "+W" below): a
// 32-bit signed jump offset, or an index. Every jump offset counts words from
// the instruction that follows the jump (and its extra word).
//
// R[x] is a register of the current frame, K[x] a constant of its proto.
// This file must stay the one place that knows the bit layout.
#pragma once
#include <cstdint>

namespace weft::interp {

// X(name, description)
#define WEFT_OPCODES(X)                                                               \
    X(MOVE, "R[A] = R[B]")                                                            \
    X(LOADK, "R[A] = K[Bx]")                                                          \
    X(LOADI, "R[A] = sBx (a small int)")                                             \
    X(LOADNONE, "R[A] = None")                                                        \
    X(LOADTRUE, "R[A] = True")                                                        \
    X(LOADFALSE, "R[A] = False")                                                      \
    X(LOADEMPTY, "R[A] = unbound")                                                    \
    X(CHECKBOUND, "NameError unless R[A] is bound; K[Bx] is its name")               \
    X(GETGLOBAL, "R[A] = globals[Bx] (NameError when unbound)")                      \
    X(SETGLOBAL, "globals[Bx] = R[A] (a module body only)")                          \
    X(NEWCELL, "R[A] = a new cell holding R[A]")                                     \
    X(GETCELL, "R[A] = the value of the cell in R[B]; +W name constant")             \
    X(SETCELL, "the cell in R[A] = R[B]")                                            \
    X(GETFREE, "R[A] = the value of the closure's cell B; +W name constant")         \
    X(SETFREE, "the closure's cell B = R[A]")                                        \
    X(CLOSURE, "R[A] = a function of child proto Bx; defaults from R[A+1]...")       \
    X(ADD, "R[A] = R[B] + R[C]")                                                      \
    X(SUB, "R[A] = R[B] - R[C]")                                                      \
    X(MUL, "R[A] = R[B] * R[C]")                                                      \
    X(DIV, "R[A] = R[B] / R[C]")                                                      \
    X(FLOORDIV, "R[A] = R[B] // R[C]")                                                \
    X(MOD, "R[A] = R[B] % R[C]")                                                      \
    X(POW, "R[A] = R[B] ** R[C]")                                                     \
    X(LSHIFT, "R[A] = R[B] << R[C]")                                                  \
    X(RSHIFT, "R[A] = R[B] >> R[C]")                                                  \
    X(BAND, "R[A] = R[B] & R[C]")                                                     \
    X(BOR, "R[A] = R[B] | R[C]")                                                      \
    X(BXOR, "R[A] = R[B] ^ R[C]")                                                     \
    X(ADDI, "R[A] = R[B] + sC (C as a signed byte)")                                 \
    X(IADD, "R[A] = R[B] += R[C] (a list is extended in place)")                     \
    X(ISUB, "R[A] = R[B] -= R[C] (a set is changed in place)")                       \
    X(IBOR, "R[A] = R[B] |= R[C] (a set is changed in place)")                       \
    X(IBAND, "R[A] = R[B] &= R[C] (a set is changed in place)")                      \
    X(IBXOR, "R[A] = R[B] ^= R[C] (a set is changed in place)")                      \
    X(NEG, "R[A] = -R[B]")                                                            \
    X(POS, "R[A] = +R[B]")                                                            \
    X(INVERT, "R[A] = ~R[B]")                                                         \
    X(NOT, "R[A] = not R[B]")                                                         \
    X(EQ, "R[A] = R[B] == R[C]")                                                      \
    X(NE, "R[A] = R[B] != R[C]")                                                      \
    X(LT, "R[A] = R[B] < R[C]")                                                       \
    X(LE, "R[A] = R[B] <= R[C]")                                                      \
    X(GT, "R[A] = R[B] > R[C]")                                                       \
    X(GE, "R[A] = R[B] >= R[C]")                                                      \
    X(IN, "R[A] = R[B] in R[C]")                                                      \
    X(NOTIN, "R[A] = R[B] not in R[C]")                                               \
    X(IS, "R[A] = R[B] is R[C]")                                                      \
    X(ISNOT, "R[A] = R[B] is not R[C]")                                               \
    X(JMP, "pc += sJ")                                                                \
    X(JMPIF, "if R[A] is true: pc += sBx")                                           \
    X(JMPIFNOT, "if R[A] is false: pc += sBx")                                       \
    X(JNLT, "unless R[B] < R[C]: pc += W")                                           \
    X(JNLE, "unless R[B] <= R[C]: pc += W")                                          \
    X(JNGT, "unless R[B] > R[C]: pc += W")                                           \
    X(JNGE, "unless R[B] >= R[C]: pc += W")                                          \
    X(JNEQ, "unless R[B] == R[C]: pc += W")                                          \
    X(JNNE, "unless R[B] != R[C]: pc += W")                                          \
    X(BUILDTUPLE, "R[A] = (R[B], ... R[B+C-1])")                                     \
    X(BUILDLIST, "R[A] = [R[B], ... R[B+C-1]]")                                      \
    X(BUILDDICT, "R[A] = {R[B]: R[B+1], ...} (C pairs)")                             \
    X(LISTAPPEND, "R[A].append(R[B])")                                                \
    X(LISTEXTEND, "R[A].extend(R[B]) (any iterable)")                                 \
    X(LISTTOTUPLE, "R[A] = tuple(R[B]) (R[B] a list)")                               \
    X(DICTUPDATE, "R[A].update(R[B]) (R[B] a dict: {**d})")                         \
    X(KWUPDATE, "R[A].update(R[B]) for a call to R[C]: str keys, none twice")         \
    X(BUILDSET, "R[A] = {R[B], ... R[B+C-1]} (added in that order)")                \
    X(SETADD, "R[A].add(R[B])")                                                       \
    X(SETUPDATE, "R[A].update(R[B]) (any iterable)")                                 \
    X(GETITEM, "R[A] = R[B][R[C]]")                                                   \
    X(SETITEM, "R[A][R[B]] = R[C]")                                                   \
    X(DELITEM, "del R[A][R[B]]")                                                      \
    X(DELSLICE, "del R[A][R[B]:R[B+1]:R[B+2]]")                                      \
    X(SLICE, "R[A] = R[B][R[C]:R[C+1]:R[C+2]]")                                      \
    X(UNPACK, "R[A], ... R[A+C-1] = R[B] (exactly C items)")                         \
    X(UNPACKSTAR, "R[A] ... = R[B] with a starred target; +W before | after << 8")  \
    X(GETITER, "check that R[A] is iterable; R[A+1] = cursor 0")                    \
    X(FORITER, "if R[A] has a next item: R[A+2] = it, pc += sBx")                   \
    X(FORPREP, "R[A..A+2] = start, stop, step of range(); pc += sBx to FORLOOP")    \
    X(FORLOOP, "if R[A] has not passed R[A+1]: R[A+3] = R[A]; R[A] += step; pc += sBx") \
    X(CALL, "R[A] = R[A](R[A+1], ... R[A+B])")                                       \
    X(CALLEX, "R[A] = R[A](*R[A+1], **R[A+2]) (R[A+2] a dict or None)")             \
    X(TAILCALL, "return R[A](R[A+1], ... R[A+B]), reusing the frame (a builtin: as CALL, then the RETURN after it)")               \
    X(CALLMETHOD, "R[A] = R[A].attr(R[A+1], ... R[A+B]); +W attribute index")      \
    X(GETATTR, "R[A] = R[B].attr; +W attribute index")                               \
    X(RETURN, "return R[A]")                                                          \
    X(RETURNNONE, "return None")                                                      \
    X(RAISE, "raise R[A] (an exception or an exception class)")                     \
    X(RERAISE, "raise R[A] again, keeping its traceback")                            \
    X(WITHENTER, "R[A] = R[B].__enter__() (TypeError unless R[B] is a context manager)") \
    X(EXCMATCH, "R[A] = the exception R[B] is an instance of R[C] (class or tuple)") \
    X(ASSERTFAIL, "raise AssertionError(R[A]) (no argument when B is 0)")            \
    X(IMPORTFAIL, "raise ImportError for the module named K[Bx] (A=1: K[Bx] is the message)") \
    X(TOSTR, "R[A] = str(R[B])")                                                      \
    X(TOREPR, "R[A] = repr(R[B]), or ascii(R[B]) when C is 1")                      \
    X(FORMAT, "R[A] = format(R[B], R[C]) (R[C] a str spec)")                         \
    X(CONCAT, "R[A] = R[B] + ... + R[B+C-1] (all str)")                             \
    X(TESTSEQ, "unless R[A] is a tuple or list of length B (C=1: at least B): pc += W") \
    X(TESTTYPE, "unless R[A] has type_tag B: pc += W")                               \
    X(TESTDICT, "unless R[A] is a dict: pc += W")                                    \
    X(INDEXSEQ, "R[A] = R[B][C] (R[B] a tuple or list known long enough)")          \
    X(INDEXSEQEND, "R[A] = R[B][len - C]")                                           \
    X(SLICESEQ, "R[A] = list(R[B][B' : len - C']); +W: B' | C' << 8")               \
    X(DICTLOOKUP, "R[A] = R[B][R[C]], or pc += W when absent")                       \
    X(DICTREST, "R[A] = a copy of dict R[B] without the keys in tuple R[C]")        \
    X(RECVBEGIN, "start a receive (Bx: its table); R[A] is its `after` timeout (A=255: none)") \
    X(RECVMATCH, "next message matching a case of table Bx: captures set, pc = its case; none: wait, or pc = after") \
    X(RECVTAKE, "take the message the last RECVMATCH matched off the mailbox")

enum class op : std::uint8_t {
#define WEFT_OPCODE_ENUM(name, doc) name,
    WEFT_OPCODES(WEFT_OPCODE_ENUM)
#undef WEFT_OPCODE_ENUM
};

const char* opcode_name(op o) noexcept;

namespace instr {
using word = std::uint32_t;
inline constexpr int sbx_bias = 0x7fff;
inline constexpr std::int32_t sbx_max = 0xffff - sbx_bias;
inline constexpr std::int32_t sbx_min = -sbx_bias;
inline constexpr std::int32_t sj_max = (1 << 23) - 1;
inline constexpr std::int32_t sj_min = -(1 << 23);

constexpr word abc(op o, unsigned a, unsigned b, unsigned c) noexcept {
    return word(o) | (word(a) << 8) | (word(b) << 16) | (word(c) << 24);
}
constexpr word abx(op o, unsigned a, unsigned bx) noexcept { return word(o) | (word(a) << 8) | (word(bx) << 16); }
constexpr word asbx(op o, unsigned a, std::int32_t sbx) noexcept { return abx(o, a, unsigned(sbx + sbx_bias)); }
constexpr word sj(op o, std::int32_t offset) noexcept { return word(o) | (word(offset) << 8); }

constexpr op opcode(word i) noexcept { return op(i & 0xff); }
constexpr unsigned a(word i) noexcept { return (i >> 8) & 0xff; }
constexpr unsigned b(word i) noexcept { return (i >> 16) & 0xff; }
constexpr unsigned c(word i) noexcept { return i >> 24; }
constexpr int sc(word i) noexcept { return std::int8_t(i >> 24); }
constexpr unsigned bx(word i) noexcept { return i >> 16; }
constexpr std::int32_t sbx(word i) noexcept { return std::int32_t(i >> 16) - sbx_bias; }
constexpr std::int32_t sj(word i) noexcept { return std::int32_t(i) >> 8; }
}  // namespace instr

}  // namespace weft::interp
