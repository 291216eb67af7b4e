#pragma once
// Scratch files and processes for tests.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace sahelmap::test {

/// A fresh folder under the test's working directory, removed at the end.
class ScratchDir {
public:
    explicit ScratchDir(std::string const& name) : m_path(std::filesystem::current_path() / ("scratch-" + name))
    {
        std::filesystem::remove_all(m_path);
        std::filesystem::create_directories(m_path);
    }
    ~ScratchDir() { std::filesystem::remove_all(m_path); }
    std::filesystem::path operator/(std::string const& f) const { return m_path / f; }
    std::filesystem::path const& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

inline void write_text(std::filesystem::path const& p, std::string const& text) { std::ofstream(p, std::ios::binary) << text; }

inline std::string read_bytes(std::filesystem::path const& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct RunResult {
    int exit_code = -1;
    std::string out; ///< stdout and stderr together
};

/// Runs a shell command, capturing its output.
inline RunResult run_command(std::string const& cmd)
{
    RunResult r;
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return r;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int status = ::pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

} // namespace sahelmap::test
