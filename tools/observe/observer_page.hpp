// observer_page.hpp: the web observer's page (page/observer.html), built
// into the binary so that it works offline, with no file beside the
// program to lose: one HTML file with its own CSS and JavaScript, no CDN.
// The page must never load anything from another origin.
#pragma once
#include <string_view>

namespace weft::tools::observe {

std::string_view observer_page() noexcept;

}  // namespace weft::tools::observe
