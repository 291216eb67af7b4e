#include "sahelmap/cli/commands.hpp"
#include "sahelmap/core/allocator.hpp"

#include <iostream>

int main(int argc, char** argv)
{
    sahelmap::keep_freed_memory();
    std::vector<std::string> args(argv + 1, argv + argc);
    return sahelmap::cli::run(args, std::cout, std::cerr);
}
