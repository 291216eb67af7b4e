#include "sahelmap/core/allocator.hpp"

#include <malloc.h>

namespace sahelmap {

void keep_freed_memory()
{
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 64 << 20);
}

HeapUse heap_use()
{
    struct mallinfo2 const info = ::mallinfo2();
    return {info.uordblks + info.hblkhd, info.fordblks};
}

} // namespace sahelmap
