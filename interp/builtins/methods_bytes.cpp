// methods_bytes.cpp: text <-> bytes methods: bytes.decode (the only bytes
// method) and str.encode, with CPython 3.11's arguments and messages; the
// codecs themselves are text_codec.cpp.
//
// The receiver's contents are handed to the codec (which never allocates on
// a Weft heap) and the result is allocated afterwards.
#include <string>

#include "interp/builtins/internal.hpp"
#include "interp/objects/text_codec.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::bi {
namespace {

// The (encoding='utf-8', errors='strict') arguments of encode and decode.
void codec_args(const char* fname, value* argv, std::uint32_t argc, value kwargs, std::string& encoding,
                std::string& errors) {
    value kw[2];
    parse_kwargs(kwargs, fname, {"encoding", "errors"}, kw);
    takes_args(fname, argc - 1 + (kwargs.is_none() ? 0 : heap::dict_len(kwargs)), 0, 2);
    value enc = merge_arg(fname, argv + 1, argc - 1, 0, kw[0], "encoding");
    value err = merge_arg(fname, argv + 1, argc - 1, 1, kw[1], "errors");
    auto text = [&](value v, const char* pname, const char* dflt) {
        if (v.is_empty()) return std::string(dflt);
        if (!is_str(v))
            type_error(std::string(fname) + "() argument '" + pname + "' must be str, not " + type_name_of(v));
        return std::string(str_view(v));
    };
    encoding = text(enc, "encoding", "utf-8");
    errors = text(err, "errors", "strict");
}

value bytes_decode(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    std::string encoding, errors;
    codec_args("decode", argv, argc, kwargs, encoding, errors);
    return new_str(m, decode_bytes(bytes_view(argv[0]), encoding, errors));
}

value str_encode(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    std::string encoding, errors;
    codec_args("encode", argv, argc, kwargs, encoding, errors);
    return m.heap().alloc_bytes(encode_text(str_view(argv[0]), encoding, errors));
}

constexpr builtin_def bytes_decode_def{"decode", bytes_decode};

}  // namespace

const builtin_def str_encode_def{"encode", str_encode};

const builtin_def* find_bytes_method(std::string_view name) noexcept {
    return name == bytes_decode_def.name ? &bytes_decode_def : nullptr;
}

}  // namespace weft::interp::bi
