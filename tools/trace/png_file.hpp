// png_file.hpp: `weft trace`'s PNG output, made from the SVG diagram by a
// packaged converter found on PATH: rsvg-convert (Debian's librsvg2-bin,
// preferred: small, and draws SVG faithfully), else ImageMagick's convert,
// else inkscape. We draw no pixels ourselves.
//
// A PNG appears at its path whole or not at all: the converter writes a
// temporary file beside it, which is renamed over the path only once the
// converter has succeeded. The converter runs by fork and exec, never
// through a shell, so no file name is ever parsed as a command.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace weft::tools {

// The Debian package to install when no converter is found.
inline constexpr const char* png_converter_package = "librsvg2-bin";

struct png_converter {
    std::string name;  // "rsvg-convert", "convert" or "inkscape"
    std::string path;  // the executable, as found on PATH
};

// The preferred converter among the executables in the directories of
// `path_var` (PATH's value), or nullopt.
std::optional<png_converter> find_png_converter(std::string_view path_var);

// The converter's command line: read `svg_file`, write `png_file`.
std::vector<std::string> converter_command(const png_converter& c, const std::string& svg_file,
                                           const std::string& png_file);

class png_file {
public:
    // Finds a converter and reserves a temporary file beside `path`, so
    // that a missing converter or an unwritable place is reported before a
    // program runs. The error names the cause (and the package to install).
    static std::variant<png_file, std::string> open(const std::string& path, std::string_view path_var);

    png_file(png_file&& o) noexcept
        : converter_(std::move(o.converter_)), path_(std::move(o.path_)), temp_png_(std::exchange(o.temp_png_, {})) {}
    png_file& operator=(png_file&&) = delete;
    ~png_file();  // removes what commit() did not rename

    const png_converter& converter() const noexcept { return converter_; }

    // Converts `svg` and puts the PNG at the path: "" on success, else
    // what went wrong (then nothing is at the path that was not there).
    std::string commit(std::string_view svg);

private:
    png_file() = default;
    png_converter converter_;
    std::string path_;
    std::string temp_png_;  // reserved beside path_; empty once renamed or removed
};

}  // namespace weft::tools
