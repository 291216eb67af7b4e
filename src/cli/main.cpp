#include "sahelmap/cli/commands.hpp"

#include <iostream>

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    return sahelmap::cli::run(args, std::cout, std::cerr);
}
