#pragma once
/// Questions about a parsed style that its readers outside the renderer ask
/// (the legend, the QGIS export): which field a property matches on, with
/// which outputs; which values a filter pins; which fields an expression
/// reads; and, for translating an expression into another language, its
/// operator and operands. Answered from the parsed expressions, so no stage
/// re-reads the style's JSON and each reads it as the renderer does.
#include "sahelmap/style/style.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::style {

/// One branch of a `match`: the labels that select it, in document order
/// (numbers or strings), and what it gives.
struct MatchArm {
    std::vector<Value> labels;
    bool listed = false; ///< written as an array of labels (even of one)
    ExpressionPtr output;
};

/// A `match`: ["match", input, labels, output, …, otherwise].
struct Match {
    ExpressionPtr input;
    std::vector<MatchArm> arms; ///< in document order
    ExpressionPtr otherwise;
};

/// `e` as a `match`; nullopt for any other expression.
std::optional<Match> as_match(Expression const& e);

/// A `match` on a feature field: ["match", ["get", field], labels, output, …, otherwise].
struct FieldMatch {
    std::string field;
    std::vector<MatchArm> arms; ///< in document order
    ExpressionPtr otherwise;

    /// Every label of every arm, in document order.
    std::vector<Value> labels() const;
};

/// Every `match` on a feature field inside `e`, in document order, an outer
/// one before those in its outputs.
std::vector<FieldMatch> field_matches(Expression const& e);

/// How a filter compares a field with constants.
enum class Relation {
    equal,    ///< ["==", ["get", F], v]
    at_least, ///< [">=", ["get", F], v]
    at_most,  ///< ["<=", ["get", F], v]
    one_of,   ///< ["in", ["get", F], ["literal", [v, …]]]
};

/// One comparison of a feature field with constants; `values` holds one
/// value, or the list for `one_of` (never empty).
struct FieldConstraint {
    std::string field;
    Relation relation = Relation::equal;
    std::vector<Value> values;
};

/// The constraint when `e` itself is one comparison of a field with
/// constants (scalars; an array is no `==` constant); nullopt otherwise.
std::optional<FieldConstraint> as_constraint(Expression const& e);

/// What a filter pins: itself as one constraint, or each operand of an
/// `all` (nested ones too) that is one, in document order. Anything else
/// (`any`, `!`, `<`, two fields compared) pins nothing and is left out.
std::vector<FieldConstraint> constraints(Expression const& filter);

/// An `interpolate` (of any kind: linear, exponential, cubic-bezier): its
/// input, stop inputs and stop outputs.
struct Ramp {
    bool linear = true; ///< ["linear"]; false for exponential and cubic-bezier
    ExpressionPtr input;
    std::vector<double> stops;
    std::vector<ExpressionPtr> outputs;
};

/// `e` as the ramp of an `interpolate`; nullopt for any other expression.
std::optional<Ramp> as_ramp(Expression const& e);

/// A `step`: ["step", input, outputs[0], stops[0], outputs[1], …];
/// `outputs` has one more item than `stops`.
struct Steps {
    ExpressionPtr input;
    std::vector<double> stops;
    std::vector<ExpressionPtr> outputs;
};

/// `e` as a `step`; nullopt for any other expression.
std::optional<Steps> as_step(Expression const& e);

/// The operator `e` was written with ("get", "==", "match", "interpolate",
/// …), "literal" for a constant, and empty for a type check or colour
/// conversion the parser added around an operand, whose one operand is
/// what the style wrote.
std::string_view operator_name(Expression const& e);

/// The operands of `e` in document order: a call's arguments; a match's
/// input, arms' outputs and default; an interpolate's or step's input and
/// outputs. Views into `e`, valid while it lives.
std::vector<Expression const*> operands(Expression const& e);

/// F when `e` is ["get", F] with a literal name.
std::optional<std::string> get_field(Expression const& e);

/// The fields `e` reads with ["get", F], each once, in document order.
std::vector<std::string> fields_read(Expression const& e);

/// The value of `e` when it is a constant (a literal), else nullopt. A
/// colour string where a colour is expected was parsed on load: a Color.
std::optional<Value> literal_value(Expression const& e);

/// Where a property is written in a style layer.
enum class PropertySection { layout, paint };

/// A property of a layer that is an expression, named as the style names it.
struct PropertyExpression {
    std::string_view name; ///< "icon-color"; static storage
    PropertySection section = PropertySection::paint;
    ExpressionPtr expression; ///< never null
};

/// Every property of `layer` that is an expression (one reading zoom or
/// the feature; constants were folded when the style loaded), in a fixed
/// order per layer type, not the document's.
std::vector<PropertyExpression> property_expressions(StyleLayer const& layer);

} // namespace sahelmap::style
