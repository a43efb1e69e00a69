// top_view.cpp: see top_view.hpp.
#include "tools/observe/top_view.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace weft::tools::observe {

std::string human_bytes(std::uint64_t n) {
    static const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    double v = double(n);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    if (u == 0) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
    else std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
    return buf;
}

std::string human_count(double n) {
    char buf[32];
    if (n < 1000) std::snprintf(buf, sizeof buf, "%.0f", n);
    else if (n < 1e6) std::snprintf(buf, sizeof buf, "%.1fk", n / 1e3);
    else if (n < 1e9) std::snprintf(buf, sizeof buf, "%.1fM", n / 1e6);
    else std::snprintf(buf, sizeof buf, "%.1fG", n / 1e9);
    return buf;
}

namespace {

// Appends `text` as one screen line, cut to `cols`.
void line(std::vector<std::string>& out, std::string text, int cols) {
    if (cols > 0 && text.size() > std::size_t(cols)) text.resize(std::size_t(cols));
    out.push_back(std::move(text));
}

std::string cell(std::string text, std::size_t width, bool right = false) {
    if (text.size() > width) text = text.substr(0, width > 1 ? width - 1 : 0) + (width > 0 ? "~" : "");
    std::string pad(width - text.size(), ' ');
    return right ? pad + text : text + pad;
}

}  // namespace

std::string render_top(const sample& s, sort_key key, int rows, int cols) {
    const runtime_stats& st = s.stats;
    std::vector<std::string> out;
    line(out,
         "weft top  " + st.node_name + "   actors " + std::to_string(st.actors) + "   msgs/s " +
             human_count(s.messages_per_s) + "   reds/s " + human_count(s.reductions_per_s) + "   sort: " +
             sort_key_name(key),
         cols);
    line(out,
         "memory  heaps " + human_bytes(s.heap_bytes) + "   process rss " + human_bytes(st.rss_bytes) +
             "   queued messages " + std::to_string(s.queued_messages),
         cols);
    std::string workers = "workers";
    for (std::size_t k = 0; k < s.workers.size(); ++k) {
        int pct = int(s.workers[k].utilization * 100 + 0.5);
        int bars = std::clamp(pct / 10, 0, 10);
        workers += "  " + std::to_string(k + 1) + " [" + std::string(std::size_t(bars), '|') +
                   std::string(std::size_t(10 - bars), ' ') + "] " + std::to_string(pct) + "% q" +
                   std::to_string(s.workers[k].run_queue);
    }
    line(out, workers, cols);
    std::string nodes = "nodes  ";
    if (st.peers.empty()) nodes += " (none)";
    for (const peer_figures& p : st.peers)
        nodes += " " + p.name + (p.up ? " up in " + human_bytes(p.bytes_in) + " out " + human_bytes(p.bytes_out)
                                      : std::string(" down")) +
                 ";";
    line(out, nodes, cols);
    line(out, "", cols);
    line(out,
         cell("PID", 16) + cell("NAME", 18) + cell("INITIAL CALL", 18) + cell("LINE", 6, true) + " " +
             cell("STATUS", 9) + cell("QUEUE", 7, true) + cell("HEAP", 11, true) + cell("REDS", 10, true),
         cols);
    int room = rows - int(out.size()) - 1;  // the last line: the keys
    for (const actor_row& r : s.actors) {
        if (room-- <= 0) break;
        line(out,
             cell(r.pid_text, 16) + cell(r.name.value_or(""), 18) + cell(r.initial_call, 18) +
                 cell(std::to_string(r.current_line), 6, true) + " " + cell(run_state_name(r.status), 9) +
                 cell(std::to_string(r.queue_len), 7, true) + cell(human_bytes(r.heap_bytes), 11, true) +
                 cell(human_count(double(r.reductions_delta)), 10, true),
             cols);
    }
    while (rows > 0 && int(out.size()) < rows - 1) out.emplace_back();
    line(out, "keys: r reductions  m memory  l queue length  q quit", cols);
    std::string text;
    for (std::size_t k = 0; k < out.size(); ++k) {
        if (k) text += "\r\n";
        text += out[k];
    }
    return text;
}

}  // namespace weft::tools::observe
