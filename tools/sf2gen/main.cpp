// toccata-sf2gen OUTPUT.sf2: writes Toccata's synthesised test SoundFont (see TestSounds.h).
// Writes to a temporary file beside OUTPUT and renames it, so a build never sees half a file.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "TestSounds.h"

int main(int argc, char** argv) {
    if (argc != 2 || std::string(argv[1]) == "--help") {
        std::fprintf(stderr, "usage: toccata-sf2gen OUTPUT.sf2\n");
        return argc == 2 ? 0 : 2;
    }
    const std::filesystem::path output = argv[1];
    std::error_code ec;
    if (output.has_parent_path()) std::filesystem::create_directories(output.parent_path(), ec);
    if (ec) {
        std::fprintf(stderr, "toccata-sf2gen: cannot create folder '%s': %s\n",
                     output.parent_path().string().c_str(), ec.message().c_str());
        return 1;
    }
    const std::vector<uint8_t> bytes = toccata::sf2gen::buildTestSoundFont();
    const std::filesystem::path temporary = output.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(bytes.data()),
                  static_cast<std::streamsize>(bytes.size()));
        if (!out) {
            std::fprintf(stderr, "toccata-sf2gen: cannot write '%s'\n", temporary.string().c_str());
            return 1;
        }
    }
    std::filesystem::rename(temporary, output, ec);
    if (ec) {
        std::fprintf(stderr, "toccata-sf2gen: cannot rename '%s' to '%s': %s\n",
                     temporary.string().c_str(), output.string().c_str(), ec.message().c_str());
        std::filesystem::remove(temporary, ec);
        return 1;
    }
    return 0;
}
