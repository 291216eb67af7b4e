#pragma once
/// Dynamically typed value: feature attributes and expression results.
#include "sahelmap/core/color.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sahelmap {

struct Value;
using ValueArray = std::vector<Value>;

/// null, boolean, number, string, colour or array — the JSON-like values that
/// MapLibre-style expressions work on.
struct Value {
    using Storage = std::variant<std::monostate, bool, double, std::string, Color, ValueArray>;
    Storage data;

    Value() = default;
    Value(std::nullptr_t) {}
    Value(bool b) : data(b) {}
    Value(double d) : data(d) {}
    Value(int i) : data(static_cast<double>(i)) {}
    Value(long long i) : data(static_cast<double>(i)) {}
    Value(long i) : data(static_cast<double>(i)) {}
    Value(std::string s) : data(std::move(s)) {}
    Value(char const* s) : data(std::string(s)) {}
    Value(Color c) : data(c) {}
    Value(ValueArray a) : data(std::move(a)) {}

    bool is_null() const noexcept { return std::holds_alternative<std::monostate>(data); }
    bool is_bool() const noexcept { return std::holds_alternative<bool>(data); }
    bool is_number() const noexcept { return std::holds_alternative<double>(data); }
    bool is_string() const noexcept { return std::holds_alternative<std::string>(data); }
    bool is_color() const noexcept { return std::holds_alternative<Color>(data); }
    bool is_array() const noexcept { return std::holds_alternative<ValueArray>(data); }

    bool const* as_bool() const noexcept { return std::get_if<bool>(&data); }
    double const* as_number() const noexcept { return std::get_if<double>(&data); }
    std::string const* as_string() const noexcept { return std::get_if<std::string>(&data); }
    Color const* as_color() const noexcept { return std::get_if<Color>(&data); }
    ValueArray const* as_array() const noexcept { return std::get_if<ValueArray>(&data); }

    /// The name of the type as expressions report it: null, boolean, number, string, color, array.
    std::string_view type_name() const noexcept;
    /// Text form used by `to-string`, labels and CSV (numbers without trailing zeros).
    std::string to_string() const;

    friend bool operator==(Value const& a, Value const& b) { return a.data == b.data; }
};

} // namespace sahelmap
