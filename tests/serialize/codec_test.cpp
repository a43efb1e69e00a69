// codec_test.cpp: our term.capnp codec against libcapnp, the oracle.
//
// Both directions for every kind of value: libcapnp builds, we decode; we
// encode, libcapnp reads. Where both lay the same value out depth-first, the
// words must be identical. Plus the shared-binary path and deep values.
#include <gtest/gtest.h>

#include <capnp/schema.h>

#include "serialize/codec.hpp"
#include "serialize/layout.hpp"
#include "serialize/term_view.hpp"
#include "serialize/validate.hpp"
#include "support.hpp"

using namespace weft;
using namespace weft::test;

namespace {

std::vector<term> samples() {
    std::byte mag[12] = {std::byte{1}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, std::byte{9}};
    std::vector<term> v;
    v.push_back(term());
    v.push_back(term(true));
    v.push_back(term(false));
    v.push_back(term(0));
    v.push_back(term(-1));
    v.push_back(term(std::numeric_limits<std::int64_t>::min()));
    v.push_back(term::bignum(false, mag));
    v.push_back(term::bignum(true, mag));
    v.push_back(term(1.5));
    v.push_back(term(-0.0));
    v.push_back(term(NAN));
    v.push_back(term::str(""));
    v.push_back(term::str("ping"));
    v.push_back(term::str("exactly8"));
    v.push_back(term::str(std::string(40, 'm')));
    v.push_back(term::str(std::string(64, 's')));  // shared
    v.push_back(term::bytes(""));
    v.push_back(term::bytes("abc"));
    v.push_back(term::bytes(std::string(8, '\0')));
    v.push_back(term::bytes(std::string(300, 'b')));  // shared
    v.push_back(term(pid{0x1a2b, 3, 17}));
    v.push_back(term(ref{7, 8, 0xffffffffffffull}));
    v.push_back(term(port{9, 10, (std::uint64_t(2) << 56) | 11}));
    v.push_back(term::tuple({}));
    v.push_back(term::tuple({term::str("ping"), term(pid{1, 2, 3}), term(42)}));
    v.push_back(term::list({term(1), term::list({term(2), term::list({})}), term::str("x")}));
    v.push_back(term::dict({}));
    v.push_back(term::set({}));
    v.push_back(term::set({term(1), term::str("x"), term::frozenset({term(2), term::tuple({term(3)})})}));
    v.push_back(term::frozenset({}));
    v.push_back(term::dict({{term::str("k"), term(2)}, {term(3), term::list({term(), term(true)})}}));
    v.push_back(term::function("mod", 4, "f", {}));
    v.push_back(term::function("mod", 4, "f", {term(1), term::tuple({term::str(std::string(70, 'c'))})}));
    v.push_back(term::tuple({term::dict({{term::tuple({term(1)}), term::function("m", 0, "g", {term(2.5)})}}),
                             term::bytes(std::string(100, 'y')), term::str(std::string(100, 'y'))}));
    return v;
}

// Our encoding, checked three ways against libcapnp.
void check_both_directions(const term& t) {
    SCOPED_TRACE(t.repr().substr(0, 300));
    scoped_envelope env;
    encode(t, *env);
    auto ours = env->words();
    ASSERT_FALSE(validate(ours, env->binaries().size()).has_value()) << validate(ours, env->binaries().size())->message;

    // (b) we encode, libcapnp reads.
    auto flat = framed(ours);
    capnp::FlatArrayMessageReader reader(kj::arrayPtr(flat.data(), flat.size()), generous());
    auto diff = differ(reader.getRoot<schema_term>(), t, env->binaries());
    ASSERT_FALSE(diff.has_value()) << *diff;

    // (a) libcapnp builds (sharing the same binaries), we decode.
    binaries_holder table;
    capnp::MallocMessageBuilder mb(static_cast<unsigned>(ours.size() * 2 + 64));
    fill(mb.initRoot<schema_term>(), t, &table.v);
    auto theirs = single_segment(mb);
    ASSERT_FALSE(theirs.empty());
    ASSERT_FALSE(validate(theirs, table.v.size()).has_value()) << validate(theirs, table.v.size())->message;
    term back = decode(theirs, table.v);
    ASSERT_TRUE(back == t) << back.repr();

    // Same layout order, same bytes.
    ASSERT_EQ(theirs.size(), ours.size());
    for (std::size_t i = 0; i < ours.size(); ++i) ASSERT_EQ(theirs[i], ours[i]) << "word " << i;

    // And through libcapnp's own flat-array framing, which the wire uses.
    auto their_flat = capnp::messageToFlatArray(mb);
    ASSERT_EQ(their_flat.size(), ours.size() + 1);

    // Our own round trip.
    term again = decode(*env);
    ASSERT_TRUE(again == t) << again.repr();
    ASSERT_TRUE(term_view::root(*env) == t);
}

TEST(Codec, EveryKindBothDirections) {
    for (const term& t : samples()) check_both_directions(t);
}

TEST(Codec, RandomTermsBothDirections) {
    int checked = 0;
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        random_terms gen(seed);
        for (int i = 0; i < 1000; ++i) {
            check_both_directions(gen.make(1 + i % 6));
            ++checked;
            if (HasFatalFailure()) return;
        }
    }
    EXPECT_EQ(checked, 3000);
}

TEST(Codec, PingLayoutIsTheExpectedWords) {
    scoped_envelope env;
    encode(term::tuple({term::str("ping"), term(pid{1, 2, 3}), term(42)}), *env);
    using namespace layout;
    std::vector<std::uint64_t> expect = {
        root_pointer,
        tag_tuple, 0, list_pointer(0, elem_composite, 9),
        composite_tag(3, 2, 1),
        tag_str, 0, list_pointer(6, elem_byte, 5),
        tag_pid, 0, struct_pointer(4, 2, 0),
        tag_int, 42, 0,
        0x00000000676e6970ull,  // "ping\0"
        1 | std::uint64_t(2) << 32, 3,
    };
    ASSERT_EQ(std::vector<std::uint64_t>(env->words().begin(), env->words().end()), expect);
}

// layout.hpp against the schema's own reflection data (offsets, discriminants).
TEST(Codec, LayoutMatchesSchemaReflection) {
    auto s = capnp::Schema::from<schema_term>();
    auto st = s.getProto().getStruct();
    EXPECT_EQ(st.getDataWordCount(), layout::term_data_words);
    EXPECT_EQ(st.getPointerCount(), layout::term_pointers);
    EXPECT_EQ(st.getDiscriminantOffset() * 16, layout::term_tag_word * 64);  // in 16-bit units
    for (auto f : s.getFields()) {
        auto name = std::string(f.getProto().getName().cStr());
        auto slot = f.getProto().getSlot();
        auto type = slot.getType().which();
        SCOPED_TRACE(name);
        if (name == "bool") {
            EXPECT_EQ(slot.getOffset(), layout::term_bool_bit);
        }
        if (type == capnp::schema::Type::INT64 || type == capnp::schema::Type::FLOAT64) {
            EXPECT_EQ(slot.getOffset(), layout::term_value_word);
        }
        if (type == capnp::schema::Type::UINT32) {
            EXPECT_EQ(slot.getOffset() * 32, layout::term_value_word * 64);
        }
        if (type == capnp::schema::Type::TEXT || type == capnp::schema::Type::DATA ||
            type == capnp::schema::Type::LIST || type == capnp::schema::Type::STRUCT) {
            EXPECT_EQ(slot.getOffset(), layout::term_pointer);
        }
    }
    EXPECT_EQ(s.getFieldByName("function").getProto().getDiscriminantValue(), layout::tag_function);
    EXPECT_EQ(s.getFieldByName("sharedStr").getProto().getDiscriminantValue(), layout::tag_shared_str);
    auto fn = capnp::Schema::from<weft::schema::Function>();
    EXPECT_EQ(fn.getFieldByName("module").getProto().getSlot().getOffset(), layout::function_module);
    EXPECT_EQ(fn.getFieldByName("name").getProto().getSlot().getOffset(), layout::function_name);
    EXPECT_EQ(fn.getFieldByName("captures").getProto().getSlot().getOffset(), layout::function_captures);
    EXPECT_EQ(fn.getFieldByName("index").getProto().getSlot().getOffset(), 0u);
    auto p = capnp::Schema::from<weft::schema::Pid>();
    EXPECT_EQ(p.getFieldByName("node").getProto().getSlot().getOffset(), 0u);      // bits 0..31
    EXPECT_EQ(p.getFieldByName("creation").getProto().getSlot().getOffset(), 1u);  // bits 32..63
    EXPECT_EQ(p.getFieldByName("serial").getProto().getSlot().getOffset(), 1u);    // word 1
    auto e = capnp::Schema::from<weft::schema::Entry>();
    EXPECT_EQ(e.getFieldByName("key").getProto().getSlot().getOffset(), 0u);
    EXPECT_EQ(e.getFieldByName("value").getProto().getSlot().getOffset(), 1u);
}

TEST(Codec, BigBinaryTravelsByReference) {
    std::string mib(1 << 20, 'x');
    shared_binary* own = shared_binary::make(as_span(mib));
    {
        term t = term::tuple({term::str("data"), term::shared_bytes(own)});
        EXPECT_EQ(own->use_count(), 2u);
        envelope* env = envelope::acquire();
        encode(t, *env);
        EXPECT_LT(env->words().size(), 32u);  // not a MiB of words
        ASSERT_EQ(env->binaries().size(), 1u);
        EXPECT_EQ(env->binaries()[0], own);
        EXPECT_EQ(own->use_count(), 3u);
        term back = decode(*env);
        EXPECT_EQ(back[1].as_bytes().data(), own->data());  // the very same bytes
        EXPECT_EQ(own->use_count(), 4u);
        EXPECT_EQ(term_view::root(*env)[1].as_bytes().data(), own->data());
        envelope::release(env);
        EXPECT_EQ(own->use_count(), 3u);
    }
    EXPECT_EQ(own->use_count(), 1u);  // every holder is gone but ours
    own->release();
}

TEST(Codec, ShareThresholdMaxInlinesEverything) {
    term t = term::list({term::str(std::string(500, 'a')), term::bytes(std::string(70, 'b'))});
    scoped_envelope env;
    encode(t, *env, SIZE_MAX);
    EXPECT_EQ(env->binaries().size(), 0u);
    EXPECT_FALSE(validate(env->words(), 0).has_value());
    EXPECT_EQ(decode(*env), t);
    encode(term(1), *env);  // re-encoding replaces words and binaries
    EXPECT_EQ(decode(*env), term(1));
}

TEST(Codec, TenThousandDeepOnASmallStack) {
    run_with_stack(64 * 1024, [] {
        term deep = nested_list(10'000, term::str(std::string(80, 'd')));
        envelope* env = envelope::acquire();
        encode(deep, *env);
        EXPECT_FALSE(validate(env->words(), env->binaries().size()).has_value());
        term back = decode(*env);
        EXPECT_TRUE(back == deep);
        EXPECT_TRUE(term_view::root(*env) == deep);
        envelope::release(env);
    });
}

TEST(Codec, DeepDictsAndFunctionsOnASmallStack) {
    run_with_stack(64 * 1024, [] {
        term t = term(1);
        for (int i = 0; i < 20'000; ++i) {
            // Moved in through vectors: an initializer_list would copy the whole tree each time.
            if (i % 2) {
                std::vector<dict_entry> e;
                e.push_back({term(i), std::move(t)});
                t = term::dict(std::move(e));
            } else {
                std::vector<term> v;
                v.push_back(std::move(t));
                t = term::function("m", 0, "f", std::move(v));
            }
        }
        envelope* env = envelope::acquire();
        encode(t, *env);
        EXPECT_FALSE(validate(env->words(), 0).has_value());
        EXPECT_TRUE(decode(*env) == t);
        envelope::release(env);
    });
}

TEST(Codec, ViewReadsInPlace) {
    term big = term::str(std::string(100, 'B'));
    term t = term::tuple({term::str("ping"), term(pid{1, 2, 3}), term(42),
                          term::dict({{term::str("k"), term(2.5)}}), big,
                          term::function("mod", 9, "fn", {term(true)}), term(ref{4, 5, 6}), term(port{7, 8, 9})});
    scoped_envelope env;
    encode(t, *env);
    term_view v = term_view::root(*env);
    ASSERT_EQ(v.kind(), term_kind::tuple);
    ASSERT_EQ(v.size(), 8u);
    EXPECT_EQ(v[0].as_str(), "ping");
    EXPECT_EQ(v[0].size(), 4u);
    EXPECT_EQ(v[1].as_pid(), (pid{1, 2, 3}));
    EXPECT_EQ(v[2].as_int(), 42);
    EXPECT_EQ(v[3].key(0).as_str(), "k");
    EXPECT_EQ(v[3].value(0).as_float(), 2.5);
    EXPECT_EQ(v[4].kind(), term_kind::str);
    EXPECT_EQ(v[4].as_str().data(), big.as_str().data());
    EXPECT_EQ(v[5].function_module(), "mod");
    EXPECT_EQ(v[5].function_index(), 9u);
    EXPECT_EQ(v[5].function_name(), "fn");
    ASSERT_EQ(v[5].capture_count(), 1u);
    EXPECT_TRUE(v[5].capture(0).as_bool());
    EXPECT_EQ(v[6].as_ref(), (ref{4, 5, 6}));
    EXPECT_EQ(v[7].as_port(), (port{7, 8, 9}));
    EXPECT_EQ(v[7].as_ref(), ref{}) << "a port is no ref";
    // The wrong kind reads as zero/empty.
    EXPECT_EQ(v[0].as_int(), 0);
    EXPECT_EQ(v[2].as_str(), "");
    EXPECT_EQ(v[2].size(), 0u);
    EXPECT_TRUE(v[2][0].is(term_kind::none));
    EXPECT_TRUE(v == t);
    EXPECT_TRUE(v[3] == t[3]);
    EXPECT_FALSE(v[3] == t[4]);
    EXPECT_EQ(decode(v[3]), t[3]);
    EXPECT_TRUE(term_view().is(term_kind::none));
}

TEST(Codec, EmptyMessageIsNone) {
    EXPECT_TRUE(decode(std::span<const std::uint64_t>{}, {}).is_none());
    EXPECT_FALSE(validate({}, 0).has_value());
    EXPECT_TRUE(term_view::root({}, {}).is(term_kind::none));
}

TEST(Codec, NullPointersReadAsDefaults) {
    using namespace layout;
    // A tuple of: str, tuple, pid, function, each with a null pointer.
    std::vector<std::uint64_t> w = {
        root_pointer, tag_tuple, 0, list_pointer(0, elem_composite, 12), composite_tag(4, 2, 1),
        tag_str, 0, 0, tag_tuple, 0, 0, tag_pid, 0, 0, tag_function, 0, 0,
    };
    ASSERT_FALSE(validate(w, 0).has_value()) << validate(w, 0)->message;
    term t = decode(w, {});
    EXPECT_EQ(t.repr(), "('', (), <0.0.0>, <function .>)");
    EXPECT_TRUE(term_view::root(w, {}) == t);
}

TEST(Codec, LargeListGrowsTheBuffer) {
    std::vector<term> items;
    for (int i = 0; i < 10'000; ++i) items.push_back(term(i));
    term t = term::list(std::move(items));
    scoped_envelope env;
    encode(t, *env);
    EXPECT_EQ(env->words().size(), 1 + 3 + 1 + 3 * 10'000u);
    EXPECT_EQ(decode(*env), t);
    EXPECT_EQ(term_view::root(*env)[9'999].as_int(), 9'999);
}

}  // namespace
