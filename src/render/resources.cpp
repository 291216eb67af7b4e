#include "sahelmap/render/resources.hpp"

#include "label_rasters.hpp"
#include "placement_cache.hpp"
#include "text.hpp"

#include <algorithm>
#include <thread>

namespace sahelmap::render {

RenderResources::RenderResources()
    : m_text_shaper(std::make_unique<detail::TextShaper>()), m_label_rasters(std::make_shared<detail::LabelRasters>()),
      m_placements(std::make_unique<detail::PlacementCache>()),
      m_spare_threads(std::make_unique<SpareThreads>(std::max(1u, std::thread::hardware_concurrency()) - 1))
{
}

RenderResources::~RenderResources() = default;

void RenderResources::clear_label_rasters() const
{
    m_label_rasters->clear();
}

} // namespace sahelmap::render
