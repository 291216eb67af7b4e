#pragma once
// The HTML representation of the API's documents, for people browsing the
// API: the links, then the collections or features as tables.
#include <nlohmann/json.hpp>

#include <string>

namespace sahelmap::features::detail {

std::string html_page(std::string const& title, nlohmann::ordered_json const& doc);

} // namespace sahelmap::features::detail
