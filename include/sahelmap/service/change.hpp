#pragma once
/// A change map's data: what differs between two dates, as layers a style
/// draws like any other (the embedded `change` style; print, CLI and the
/// change tiles share it).
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/feature.hpp"
#include "sahelmap/influence/model.hpp"

#include <memory>
#include <string_view>

namespace sahelmap::service {

/// The two dates of a change map, earlier first, whichever order they came in.
struct ChangeSpan {
    Date from;
    Date to;
};

/// Orders the dates of a change map; throws BadRequest when they are the same day.
ChangeSpan change_span(Date time, Date compare);

/// Words for a change value ("Now Russia", "Opened", ...), shared by the
/// legend and the data's own notes so both say the same.
std::string_view change_words(std::string_view value) noexcept;

/// The layers of a change map from `span.from` to `span.to`:
/// - `regions`: the admin regions in force at `to`, with `name`, `iso3`,
///   `code`, `before` and `now` (the dominant bloc at each date: a bloc,
///   "contested" or "none"), `change` (`unchanged`, or `to_<now>`) and `was`
///   ("was western", empty when unchanged). Absent without an influence model.
/// - `sites`: every site in force at either date with its own fields plus
///   `change` (`opened`, `closed` or `kept`) and `change_note` ("opened
///   2025-06-01", "left 2024-12-26", empty when kept); the validity is
///   cleared so the map draws each one whatever its dates.
/// - `countries`, `borders` and `places` as they are, for orientation.
std::shared_ptr<FeatureStore const> change_store(FeatureStore const& store, influence::InfluenceModel const* model,
                                                 ChangeSpan span);

} // namespace sahelmap::service
