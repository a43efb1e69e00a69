// error.cpp: script exceptions inside the VM: turning C++ errors into
// exception values, raising, unwinding to handlers, and tracebacks.
//
// A traceback is a list of locations (code.hpp: proto and line packed in a
// small int) on the exception, innermost first: the raise point, then each
// call site the exception passed on its way out. Recording one may fail when
// the heap is full; the exception is raised all the same, with a shorter
// traceback. Nothing here may throw past unwind(): it is called from the
// dispatch loop's catch handler.
#include <new>

#include "interp/objects/natives.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp {

void vm::raise_exception(value exc) { raise_value(exc, false); }

void vm::raise_value(value v, bool keep_traceback) {
    value exc = v;
    if (is_native(v, native_kind::builtin) && builtin_of(v)->type == type_tag::exception) {
        rooted cls(heap_, v);
        value args = heap_.alloc_tuple(0);
        exc = make_exception(builtin_of(cls), args);
    } else if (!is_native(v, native_kind::exception)) {
        throw_script_error("TypeError", "exceptions must derive from BaseException");
    }
    if (!keep_traceback && !exc.as_obj()->frozen()) as_native(exc)->slots()[exc_slot::traceback] = value::none();
    held_[pending_slot] = exc;
    reraising_ = keep_traceback;
    throw script_exception{};
}

void vm::catch_current_exception(bool locate) {
    auto make = [&](const char* kind, const std::string& message) {
        const builtin_def* cls = prog_.exception_class_for(kind);
        try {
            value text = heap_.alloc_str(message);
            value args = heap_.alloc_tuple(std::span<const value>(&text, 1));
            held_[pending_slot] = make_exception(cls, args);
        } catch (...) {
            held_[pending_slot] = prog_.memory_error();
        }
    };
    // (errno, strerror[, filename]): os_error.hpp.
    auto make_os_error = [&](const script_error& e) {
        const builtin_def* cls = prog_.exception_class_for(e.kind);
        try {
            value items[4] = {value::from_int(e.os_errno), value::none(), value::none(), value::none()};
            root_scope keep(heap_, items, 4);
            items[1] = heap_.alloc_str(e.message);
            if (e.filename) items[2] = heap_.alloc_str(*e.filename);
            if (e.filename2) items[3] = heap_.alloc_str(*e.filename2);
            std::size_t n = e.filename2 ? 4 : e.filename ? 3 : 2;
            value args = heap_.alloc_tuple(std::span<const value>(items, n));
            held_[pending_slot] = make_exception(cls, args);
        } catch (...) {
            held_[pending_slot] = prog_.memory_error();
        }
    };
    bool keep = false;
    try {
        throw;
    } catch (const script_exception&) {
        keep = reraising_;  // held_[pending_slot] is set
    } catch (const script_error& e) {
        if (e.os_errno) make_os_error(e);
        else make(e.kind.c_str(), e.message);
    } catch (const heap_exhausted&) {
        make("MemoryError", "");
    } catch (const std::bad_alloc&) {
        make("MemoryError", "");
    } catch (const frozen_value_error&) {
        make("TypeError", "cannot modify a frozen value (module-level values are read-only)");
    } catch (const unhashable_key& e) {
        // "unhashable type: list" -> Python's "unhashable type: 'list'"
        std::string what = e.what();
        auto colon = what.find(": ");
        make("TypeError", colon == std::string::npos ? what : what.substr(0, colon + 2) + "'" + what.substr(colon + 2) + "'");
    } catch (const std::exception& e) {
        make("RuntimeError", std::string("internal error: ") + e.what());
    }
    reraising_ = false;
    if (locate && !keep && !frames_.empty()) add_location(frames_.back(), frames_.back().pc);
}

void vm::add_location(const frame& f, const std::uint32_t* pc) {
    std::uint32_t offset = pc > f.p->code.data() ? std::uint32_t(pc - f.p->code.data() - 1) : 0;
    add_traceback_entry(pack_location(f.p->id, f.p->line_at(offset)));
}

void vm::add_traceback_entry(std::int64_t location) {
    if (held_[pending_slot].as_obj()->frozen()) return;  // the preallocated MemoryError
    value loc = value::from_int(location);
    try {
        value& tb = as_native(held_[pending_slot])->slots()[exc_slot::traceback];
        if (tb.is_none()) {
            value list = heap_.alloc_list(4);
            as_native(held_[pending_slot])->slots()[exc_slot::traceback] = list;
        }
        heap_.list_append(as_native(held_[pending_slot])->slots()[exc_slot::traceback], loc);
    } catch (...) {
        // Out of memory: the traceback stays shorter.
    }
}

bool vm::unwind(std::size_t stop_depth) {
    while (frames_.size() > stop_depth) {
        frame& f = frames_.back();
        std::uint32_t offset = f.pc > f.p->code.data() ? std::uint32_t(f.pc - f.p->code.data() - 1) : 0;
        for (const handler_entry& h : f.p->handlers) {
            if (offset >= h.start && offset < h.end) {
                stack_[f.base + h.reg] = held_[pending_slot];
                f.pc = f.p->code.data() + h.target;
                if (frames_.size() <= receive_depth_) receiving_ = false;  // the exception left a receive's guard
                return true;
            }
        }
        frames_.pop_back();
        if (frames_.size() > stop_depth) add_location(frames_.back(), frames_.back().pc);
    }
    return false;
}

// CPython's traceback printing: a line repeated more than three times in a
// row (a recursion) prints three times, then "[Previous line repeated N more
// times]". Then only the innermost max_traceback_frames printed frames stay,
// so that a deep recursion through several functions (which does not fold)
// still gives an exit reason of a few kilobytes, not of megabytes.
std::string vm::format_exception(value exc) {
    constexpr int recursive_cutoff = 3;  // CPython's traceback._RECURSIVE_CUTOFF
    struct block {
        std::string text;
        std::size_t calls;  // the frames of the stack it stands for
        bool frame;         // a frame's two lines, or a "repeated" note
    };
    std::vector<block> blocks;
    value tb = is_native(exc, native_kind::exception) ? as_native(exc)->slots()[exc_slot::traceback] : value::none();
    std::uint32_t length = is_kind(tb, obj_kind::list) ? as_list(tb)->length : 0;
    auto note_repeats = [&](std::size_t count) {
        if (count <= recursive_cutoff) return;
        std::size_t more = count - recursive_cutoff;
        blocks.push_back({"  [Previous line repeated " + std::to_string(more) + " more time" + (more > 1 ? "s" : "") +
                              "]\n",
                          more, false});
    };
    std::int64_t last = -1;
    std::size_t count = 0;
    for (std::uint32_t k = length; k-- > 0;) {  // outermost first
        std::int64_t loc = as_list(tb)->slots()[k].as_int();
        if (loc == last) {
            if (++count > recursive_cutoff) continue;
        } else {
            note_repeats(count);
            last = loc;
            count = 1;
        }
        const proto& p = prog_.proto_by_id(location_proto(loc));
        std::uint32_t line = location_line(loc);
        std::string text = "  File \"" + p.mod->file + "\", line " + std::to_string(line) + ", in " + p.name + "\n";
        if (std::string_view src = p.mod->source_line(line); !src.empty()) {
            text += "    ";
            text += src;
            text += "\n";
        }
        blocks.push_back({std::move(text), 1, true});
    }
    note_repeats(count);

    std::size_t first = blocks.size(), frames = 0, omitted = 0;
    while (first > 0 && frames < max_traceback_frames) {
        --first;
        frames += blocks[first].frame;
    }
    while (first < blocks.size() && !blocks[first].frame) ++first;  // a note whose line was cut
    for (std::size_t b = 0; b < first; ++b) omitted += blocks[b].calls;
    std::string out;
    if (length > 0) out += "Traceback (most recent call last):\n";
    if (omitted > 0) out += "  [" + std::to_string(omitted) + " outer frames not kept]\n";
    for (std::size_t b = first; b < blocks.size(); ++b) out += blocks[b].text;
    out += exception_summary(exc);
    out += "\n";
    return out;
}

}  // namespace weft::interp
