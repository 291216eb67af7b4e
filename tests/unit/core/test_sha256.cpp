#include "sahelmap/core/sha256.hpp"

#include <catch2/catch.hpp>

using namespace sahelmap;

TEST_CASE("sha256: the FIPS 180-4 and NIST vectors", "[core][sha256]")
{
    struct Case {
        std::string input;
        char const* hex;
    };
    Case const cases[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrst"
         "nopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
        {std::string(1000000, 'a'), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
        // 55, 56 and 64 bytes: the padding's edges (one block, two blocks).
        {std::string(55, 'a'), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {std::string(56, 'a'), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {std::string(64, 'a'), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
    };
    for (auto const& c : cases) {
        INFO(c.input.size() << " bytes");
        CHECK(to_hex(sha256(c.input)) == c.hex);
    }
}

TEST_CASE("sha256: hex digests parse in either case and nothing else does", "[core][sha256]")
{
    auto const digest = sha256("secret");
    auto const hex = to_hex(digest);
    REQUIRE(digest_from_hex(hex));
    CHECK(*digest_from_hex(hex) == digest);
    std::string upper = hex;
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    CHECK(*digest_from_hex(upper) == digest);
    CHECK_FALSE(digest_from_hex(hex.substr(1)));
    CHECK_FALSE(digest_from_hex(hex.substr(1) + "g"));
    CHECK(equal_in_constant_time(digest, *digest_from_hex(hex)));
    auto other = digest;
    other[31] ^= 1;
    CHECK_FALSE(equal_in_constant_time(digest, other));
}
