#pragma once
/// Process-wide memory allocator settings.

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

} // namespace sahelmap
