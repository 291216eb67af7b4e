#pragma once
/// Process-wide memory allocator settings and figures.

#include <cstddef>

namespace sahelmap {

/// Keeps freed blocks of up to 32 MiB in the heap for reuse, and up to
/// 256 MiB of free heap before returning any to the kernel. A map or print
/// allocates buffers of several MiB (a 1024×768 WMS map: two 3 MiB surfaces,
/// the scanlines, the PNG); by default glibc maps each anew and unmaps it on
/// free, so every request faults its pages in again, which on this project's
/// virtual machines cost more than the drawing (wms_bench: 24 ms a map
/// without, 16 ms with). Called once by the command line and the benchmarks,
/// before any thread starts.
void keep_freed_memory();

/// What the allocator holds, summed over its arenas: the bytes the program
/// uses and the bytes it freed that the allocator keeps for reuse. Tells a
/// growing RSS that is retention (in use grows) from one that is the heap's
/// fragmentation (free grows). Locks every arena while it counts: for a
/// metrics scrape, not for a request path.
struct HeapUse {
    std::size_t in_use = 0; ///< allocated and not freed, mapped chunks included
    std::size_t free = 0;   ///< freed, kept by the allocator
};
HeapUse heap_use();

} // namespace sahelmap
