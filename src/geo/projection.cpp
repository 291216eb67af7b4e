#include "sahelmap/geo/projection.hpp"

#include "sahelmap/core/error.hpp"

#include <proj.h>

#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace sahelmap::geo {

namespace {

struct ContextDeleter {
    void operator()(PJ_CONTEXT* c) const noexcept { proj_context_destroy(c); }
};
struct PjDeleter {
    void operator()(PJ* p) const noexcept { proj_destroy(p); }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

/// PROJ objects are not thread-safe, so each thread owns a context and the
/// transforms it created; they die with the thread.
class ThreadProj {
public:
    ThreadProj() : m_ctx(proj_context_create())
    {
        // PROJ would print "proj_create: crs not found" and the like on
        // stderr; every failure reaches the user as our own sentence instead.
        proj_log_func(m_ctx.get(), nullptr, [](void*, int, char const*) {});
    }
    ~ThreadProj() { m_cache.clear(); } // transforms before their context

    PJ_CONTEXT* ctx() const noexcept { return m_ctx.get(); }

    PJ* transform(std::string const& key, std::string const& src, std::string const& dst)
    {
        auto it = m_cache.find(key);
        if (it != m_cache.end()) return it->second.get();
        PjPtr raw(proj_create_crs_to_crs(ctx(), src.c_str(), dst.c_str(), nullptr));
        if (!raw) return nullptr;
        // Normalise to x = easting/longitude whatever the CRS's official axis order.
        PjPtr norm(proj_normalize_for_visualization(ctx(), raw.get()));
        if (!norm) return nullptr;
        return m_cache.emplace(key, std::move(norm)).first->second.get();
    }

    PJ* crs(std::string const& def)
    {
        auto it = m_crs.find(def);
        if (it != m_crs.end()) return it->second.get();
        PjPtr p(proj_create(ctx(), def.c_str()));
        if (!p) return nullptr;
        auto type = proj_get_type(p.get());
        bool const is_crs = type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS ||
                            type == PJ_TYPE_GEOCENTRIC_CRS || type == PJ_TYPE_PROJECTED_CRS ||
                            type == PJ_TYPE_COMPOUND_CRS || type == PJ_TYPE_BOUND_CRS ||
                            type == PJ_TYPE_GEOGRAPHIC_CRS || type == PJ_TYPE_OTHER_CRS;
        if (!is_crs) return nullptr;
        return m_crs.emplace(def, std::move(p)).first->second.get();
    }

private:
    std::unique_ptr<PJ_CONTEXT, ContextDeleter> m_ctx;
    std::unordered_map<std::string, PjPtr> m_cache;
    std::unordered_map<std::string, PjPtr> m_crs;
};

ThreadProj& thread_proj()
{
    thread_local ThreadProj proj;
    return proj;
}

PJ* checked_transform(std::string const& key, std::string const& src, std::string const& dst)
{
    auto& tp = thread_proj();
    if (PJ* p = tp.transform(key, src, dst)) return p;
    // Name the culprit: whichever CRS PROJ cannot build on its own.
    for (auto const* def : {&src, &dst})
        if (!tp.crs(*def)) throw BadRequest("unknown coordinate reference system '" + *def + "'");
    throw BadRequest("no transformation from " + src + " to " + dst);
}

void run(PJ* pj, PJ_DIRECTION dir, double* x, double* y, std::size_t n)
{
    proj_trans_generic(pj, dir, x, sizeof(double), n, y, sizeof(double), n, nullptr, 0, 0, nullptr, 0, 0);
    for (std::size_t i = 0; i < n; ++i)
        if (x[i] == HUGE_VAL || y[i] == HUGE_VAL || std::isnan(x[i]) || std::isnan(y[i]))
            x[i] = y[i] = std::numeric_limits<double>::infinity();
    proj_errno_reset(pj);
}

/// Names WMS clients use that PROJ spells differently.
std::string normalize_crs(std::string crs)
{
    if (crs == "CRS:84") return "OGC:CRS84";
    if (crs == "EPSG:900913") return "EPSG:3857";
    return crs;
}

} // namespace

Transform::Transform(std::string source_crs, std::string target_crs)
    : m_source(normalize_crs(std::move(source_crs))), m_target(normalize_crs(std::move(target_crs))),
      m_key(m_source + "\n" + m_target)
{
    checked_transform(m_key, m_source, m_target); // validate now, not on first use
}

void Transform::apply(double* x, double* y, std::size_t n) const
{
    run(checked_transform(m_key, m_source, m_target), PJ_FWD, x, y, n);
}

void Transform::apply_inverse(double* x, double* y, std::size_t n) const
{
    run(checked_transform(m_key, m_source, m_target), PJ_INV, x, y, n);
}

Projected Transform::apply(double x, double y) const
{
    apply(&x, &y, 1);
    return {x, y};
}

BBox Transform::apply(BBox const& box, int densify) const
{
    std::vector<double> xs, ys;
    for (int i = 0; i <= densify; ++i) {
        double t = static_cast<double>(i) / densify;
        double x = box.minx + t * box.width();
        double y = box.miny + t * box.height();
        xs.insert(xs.end(), {x, x, box.minx, box.maxx});
        ys.insert(ys.end(), {box.miny, box.maxy, y, y});
    }
    apply(xs.data(), ys.data(), xs.size());
    BBox out;
    for (std::size_t i = 0; i < xs.size(); ++i)
        if (std::isfinite(xs[i]) && std::isfinite(ys[i])) out.expand(xs[i], ys[i]);
    return out;
}

namespace {
Transform const& wgs84_to_mercator()
{
    static Transform const t("EPSG:4326", "EPSG:3857");
    return t;
}
} // namespace

Mercator to_mercator(LonLat p)
{
    auto r = wgs84_to_mercator().apply(p.lon, p.lat);
    return {r.x, r.y};
}

LonLat to_lonlat(Mercator p)
{
    double x = p.x, y = p.y;
    wgs84_to_mercator().apply_inverse(&x, &y, 1);
    return {x, y};
}

namespace {
PJ* checked_crs(std::string const& crs)
{
    PJ* p = thread_proj().crs(normalize_crs(crs));
    if (!p) throw BadRequest("unknown coordinate reference system '" + crs + "'");
    return p;
}
} // namespace

std::string crs_name(std::string const& crs)
{
    char const* name = proj_get_name(checked_crs(crs));
    return name ? name : crs;
}

namespace {
/// The coordinate system of a CRS, looking through compound/bound wrappers.
PjPtr coordinate_system(PJ* crs)
{
    auto* ctx = thread_proj().ctx();
    PjPtr cs(proj_crs_get_coordinate_system(ctx, crs));
    return cs;
}
} // namespace

bool crs_is_northing_first(std::string const& crs)
{
    auto cs = coordinate_system(checked_crs(crs));
    if (!cs) return false;
    char const* dir = nullptr;
    proj_cs_get_axis_info(thread_proj().ctx(), cs.get(), 0, nullptr, nullptr, &dir, nullptr, nullptr, nullptr,
                          nullptr);
    return dir && (std::string(dir) == "north" || std::string(dir) == "south");
}

bool crs_is_geographic(std::string const& crs)
{
    auto type = proj_get_type(checked_crs(crs));
    return type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS ||
           type == PJ_TYPE_GEOGRAPHIC_CRS;
}

} // namespace sahelmap::geo
