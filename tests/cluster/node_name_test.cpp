// node_name_test.cpp: parse_node_name on good and bad names (every message), node_id.
#include "cluster/node_name.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace weft::cluster {
namespace {

node_name parsed(std::string_view text) {
    node_name_result r = parse_node_name(text);
    EXPECT_TRUE(r) << text << ": " << r.error;
    EXPECT_EQ(r.error, "");
    return r.value.value_or(node_name{});
}

TEST(NodeName, ParsesDnsHost) {
    node_name n = parsed("alpha@example.org:4370");
    EXPECT_EQ(n.name, "alpha");
    EXPECT_EQ(n.host, "example.org");
    EXPECT_EQ(n.port, 4370);
}

TEST(NodeName, ParsesSingleLabelHost) {
    node_name n = parsed("a_b-C9@localhost:1");
    EXPECT_EQ(n.name, "a_b-C9");
    EXPECT_EQ(n.host, "localhost");
    EXPECT_EQ(n.port, 1);
}

TEST(NodeName, ParsesIpv4Host) {
    node_name n = parsed("n@127.0.0.1:65535");
    EXPECT_EQ(n.host, "127.0.0.1");
    EXPECT_EQ(n.port, 65535);
    parsed("n@255.255.255.255:1");
    parsed("n@0.0.0.0:1");
}

TEST(NodeName, ParsesBracketedIpv6Host) {
    node_name n = parsed("n@[::1]:9000");
    EXPECT_EQ(n.host, "[::1]");
    EXPECT_EQ(n.port, 9000);
    EXPECT_EQ(parsed("n@[fe80::1:2]:1").host, "[fe80::1:2]");
    EXPECT_EQ(parsed("n@[::ffff:10.0.0.1]:1").host, "[::ffff:10.0.0.1]");
}

TEST(NodeName, PortZeroMeansPickAFreePort) { EXPECT_EQ(parsed("n@h:0").port, 0); }

TEST(NodeName, LongestPartsAreAccepted) {
    std::string name(64, 'x');
    std::string label(63, 'h');
    parsed(name + "@" + label + ":1");
    parsed("n@" + label + "." + label + "." + label + ".abc:1");
}

TEST(NodeName, FullGivesTheTextBack) {
    for (const char* text : {"alpha@example.org:4370", "n@[::1]:0", "x-y@10.1.2.3:80", "Q@a-b.c:65535"}) {
        EXPECT_EQ(parsed(text).full(), text);
    }
}

struct bad_name {
    std::string text;
    std::string error;
};

TEST(NodeName, EveryErrorNamesTheTextAndTheCause) {
    const std::string long_name(65, 'n');
    const std::string long_label(64, 'h');
    const std::string long_text = "n@" + std::string(299, 'h') + ":1";
    std::string long_host;
    for (int i = 0; i < 5; ++i) long_host += std::string(50, 'h') + ".";
    long_host += "abc";  // 258 characters, over the DNS limit of 253
    const std::vector<bad_name> cases = {
        {"", "node name '' is empty: expected name@host:port"},
        {"x", "node name 'x' has no '@': expected name@host:port"},
        {long_text, "node name '" + std::string("n@") + std::string(78, 'h') + "...' is 303 bytes long: at most 300"},
        {"a@b@h:1", "node name 'a@b@h:1' has more than one '@'"},
        {"@h:1", "node name '@h:1' has an empty name before '@'"},
        {long_name + "@h:1", "node name '" + long_name + "@h:1' has a name of 65 characters: at most 64"},
        {"a b@h:1", "node name 'a b@h:1' has ' ' in its name: only letters, digits, '_' and '-' may appear"},
        {"a.b@h:1", "node name 'a.b@h:1' has '.' in its name: only letters, digits, '_' and '-' may appear"},
        {"a\x01@h:1",
         "node name 'a\\x01@h:1' has '\\x01' in its name: only letters, digits, '_' and '-' may appear"},
        {"a'@h:1", "node name 'a\\'@h:1' has '\\'' in its name: only letters, digits, '_' and '-' may appear"},
        {"n@h", "node name 'n@h' has no port: expected name@host:port"},
        {"n@:1", "node name 'n@:1' has an empty host"},
        {"n@h:", "node name 'n@h:' has an empty port after ':'"},
        {"n@h:8x", "node name 'n@h:8x' has port '8x', which is not a number"},
        {"n@h:-1", "node name 'n@h:-1' has port '-1', which is not a number"},
        {"n@h:080", "node name 'n@h:080' has port '080' with a leading zero"},
        {"n@h:65536", "node name 'n@h:65536' has port '65536': ports go from 0 to 65535"},
        {"n@h:99999999999999999999", "node name 'n@h:99999999999999999999' has port '99999999999999999999': ports go from 0 to 65535"},
        {"n@::1:80", "node name 'n@::1:80' has an IPv6 address without brackets: write the host as [::1]"},
        {"n@[::1", "node name 'n@[::1' has '[' without a closing ']'"},
        {"n@[::1]", "node name 'n@[::1]' has no port: expected name@host:port"},
        {"n@[::1]80", "node name 'n@[::1]80' has '80' after ']': expected ':' and a port"},
        {"n@[zz]:80", "node name 'n@[zz]:80' has host '[zz]', which is not an IPv6 address"},
        {"n@[]:80", "node name 'n@[]:80' has host '[]', which is not an IPv6 address"},
        {"n@[fe80::1%eth0]:80", "node name 'n@[fe80::1%eth0]:80' has host '[fe80::1%eth0]', which is not an IPv6 address"},
        {"n@1.2.3:80",
         "node name 'n@1.2.3:80' has host '1.2.3', which is not an IPv4 address (four numbers 0-255, no leading zeros)"},
        {"n@1.2.3.256:80",
         "node name 'n@1.2.3.256:80' has host '1.2.3.256', which is not an IPv4 address (four numbers 0-255, no "
         "leading zeros)"},
        {"n@1.2.3.04:80",
         "node name 'n@1.2.3.04:80' has host '1.2.3.04', which is not an IPv4 address (four numbers 0-255, no "
         "leading zeros)"},
        {"n@1..3.4:80",
         "node name 'n@1..3.4:80' has host '1..3.4', which is not an IPv4 address (four numbers 0-255, no leading "
         "zeros)"},
        {"n@" + long_host + ":1", "node name 'n@" + long_host.substr(0, 78) + "...' has a host of 258 characters: at most 253"},
        {"n@h_x:1", "node name 'n@h_x:1' has '_' in its host: only letters, digits, '-' and '.' may appear"},
        {"n@a..b:1", "node name 'n@a..b:1' has host 'a..b' with an empty label"},
        {"n@a.b.:1", "node name 'n@a.b.:1' has host 'a.b.' with an empty label"},
        {"n@.a:1", "node name 'n@.a:1' has host '.a' with an empty label"},
        {"n@" + long_label + ".org:1",
         "node name 'n@" + long_label + ".org:1' has a host label of 64 characters: at most 63"},
        {"n@-a.org:1", "node name 'n@-a.org:1' has host label '-a', which starts or ends with '-'"},
        {"n@a.org-:1", "node name 'n@a.org-:1' has host label 'org-', which starts or ends with '-'"},
    };
    for (const bad_name& c : cases) {
        node_name_result r = parse_node_name(c.text);
        EXPECT_FALSE(r) << c.text;
        EXPECT_EQ(r.error, c.error) << c.text;
    }
}

TEST(NodeId, IsFnv1aOfTheFullName) {
    // FNV-1a's published test vectors.
    EXPECT_EQ(node_id_of("a"), 0xe40c292cu);
    EXPECT_EQ(node_id_of("foobar"), 0xbf9cf968u);
    // The runtime hashes its own name the same way; its default name:
    std::uint32_t h = 2166136261u;
    for (unsigned char c : std::string("nonode@nohost")) h = (h ^ c) * 16777619u;
    EXPECT_EQ(node_id_of("nonode@nohost"), h);
}

TEST(NodeId, IsNeverZero) {
    // FNV-1a of the empty string is the offset basis, not 0; 0 is reserved for "no node".
    EXPECT_EQ(node_id_of(""), 2166136261u);
    for (int i = 0; i < 100000; ++i) EXPECT_NE(node_id_of("n" + std::to_string(i) + "@h:1"), 0u);
}

TEST(NodeId, DiffersForNearbyNames) {
    EXPECT_NE(node_id_of("a@h:1"), node_id_of("a@h:2"));
    EXPECT_NE(node_id_of("a@h:1"), node_id_of("b@h:1"));
    EXPECT_NE(node_id_of("a@h:1"), node_id_of("a@H:1"));
}

}  // namespace
}  // namespace weft::cluster
