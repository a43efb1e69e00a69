// exit_reason.cpp: see exit_reason.hpp.
#include "actors/exit_reason.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <new>
#include <typeinfo>

namespace weft::exit_reason {

term from_exception(const std::exception& e) {
    if (dynamic_cast<const std::bad_alloc*>(&e)) return memory_error();
    const char* mangled = typeid(e).name();
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> readable(abi::__cxa_demangle(mangled, nullptr, nullptr, &status),
                                                    std::free);
    return error(status == 0 && readable ? readable.get() : mangled, e.what(), "");
}

term memory_error() { return error("MemoryError", "", ""); }

bool is_normal(const term& reason) { return reason.is_str() && reason.as_str() == "normal"; }

bool is_error(const term& reason) {
    if (!reason.is_str()) return true;
    auto s = reason.as_str();
    return s != "normal" && s != "killed" && s != "shutdown";
}

std::optional<std::string> error_report(const term& reason) {
    if (!reason.is_tuple() || reason.size() != 4 || !reason[0].is_str() || reason[0].as_str() != "error") return {};
    for (std::size_t k = 1; k < 4; ++k)
        if (!reason[k].is_str()) return {};
    if (!reason[3].as_str().empty()) {
        std::string tb(reason[3].as_str());
        if (tb.back() != '\n') tb += '\n';
        return tb;
    }
    std::string line(reason[1].as_str());
    if (!reason[2].as_str().empty()) line += ": " + std::string(reason[2].as_str());
    return line + "\n";
}

}  // namespace weft::exit_reason
