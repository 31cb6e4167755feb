#include "audio/SoundFontLocator.h"

#include <fluidsynth.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace toccata::audio {
namespace {

namespace fs = std::filesystem;

uint32_t readU32(const char* bytes) {
    const auto* b = reinterpret_cast<const unsigned char*>(bytes);
    return uint32_t(b[0]) | (uint32_t(b[1]) << 8) | (uint32_t(b[2]) << 16) | (uint32_t(b[3]) << 24);
}

/// A four-character code as text, with unprintable bytes shown as '?'.
std::string fourcc(const char* bytes) {
    std::string text(bytes, 4);
    for (char& c : text)
        if (!std::isprint(static_cast<unsigned char>(c))) c = '?';
    return text;
}

std::string inQuotes(const std::string& path) { return "'" + path + "'"; }

/// Record sizes of the pdta sub-chunks (SF2.04, 7.2-7.10); each list ends with a terminal.
constexpr std::array<std::pair<const char*, uint32_t>, 9> kPdtaRecords = {{{"phdr", 38},
                                                                           {"pbag", 4},
                                                                           {"pmod", 10},
                                                                           {"pgen", 4},
                                                                           {"inst", 22},
                                                                           {"ibag", 4},
                                                                           {"imod", 10},
                                                                           {"igen", 4},
                                                                           {"shdr", 46}}};

core::Status checkPdta(std::ifstream& in, const std::string& path, uint64_t start, uint64_t end) {
    std::vector<std::string> found;
    uint64_t offset = start;
    while (offset + 8 <= end) {
        char header[8];
        in.seekg(static_cast<std::streamoff>(offset));
        if (!in.read(header, 8)) break;
        const std::string id = fourcc(header);
        const uint32_t size = readU32(header + 4);
        if (offset + 8 + size > end)
            return core::Status::failure("SoundFont " + inQuotes(path) + " is corrupt: its '" + id +
                                         "' chunk at byte " + std::to_string(offset) +
                                         " runs past the end of the 'pdta' list");
        for (const auto& [name, recordSize] : kPdtaRecords) {
            if (id != name) continue;
            if (size % recordSize != 0 || size < recordSize)
                return core::Status::failure("SoundFont " + inQuotes(path) + " is corrupt: its '" +
                                             id + "' chunk has " + std::to_string(size) +
                                             " bytes, not a whole number of " +
                                             std::to_string(recordSize) + "-byte records");
            found.push_back(id);
        }
        offset += 8 + size + (size % 2);
    }
    for (const auto& [name, recordSize] : kPdtaRecords)
        if (std::find(found.begin(), found.end(), name) == found.end())
            return core::Status::failure("SoundFont " + inQuotes(path) +
                                         " is corrupt: its 'pdta' list has no '" + name +
                                         "' chunk");
    return core::Status::success();
}

/// The check of one candidate path: "" when usable, else the reason.
std::string problemWith(const std::string& path) {
    const core::Status status = checkSoundFontFile(path);
    return status.ok() ? std::string() : status.errorMessage();
}

bool isSoundFontName(const fs::path& file) {
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return (ext == ".sf2" || ext == ".sf3") && file.filename() != kTestSoundFontName;
}

std::vector<std::string> soundFontsIn(const std::string& folder) {
    std::vector<std::string> files;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
        if (isSoundFontName(it->path())) files.push_back(it->path().string());
    std::sort(files.begin(), files.end());
    return files;
}

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
}

/// FluidSynth's own configured default ("synth.default-soundfont"), or "".
std::string fluidSynthDefaultSoundFont() {
    fluid_settings_t* settings = new_fluid_settings();
    if (!settings) return {};
    std::string result;
    char* value = nullptr;
    if (fluid_settings_dupstr(settings, "synth.default-soundfont", &value) == FLUID_OK && value) {
        result = value;
        fluid_free(value);
    }
    delete_fluid_settings(settings);
    return result;
}

}  // namespace

core::Status checkSoundFontFile(const std::string& path) {
    if (path.empty()) return core::Status::failure("No SoundFont file was given");
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (!fs::exists(status))
        return core::Status::failure("SoundFont " + inQuotes(path) + " does not exist");
    if (fs::is_directory(status))
        return core::Status::failure("SoundFont " + inQuotes(path) + " is a folder, not a file");
    if (!fs::is_regular_file(status))
        return core::Status::failure("SoundFont " + inQuotes(path) + " is not a regular file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return core::Status::failure("SoundFont " + inQuotes(path) +
                                     " cannot be read: " + std::strerror(errno));
    const uint64_t fileSize = fs::file_size(path, ec);
    char header[12] = {};
    if (ec || fileSize < 12 || !in.read(header, 12))
        return core::Status::failure("SoundFont " + inQuotes(path) +
                                     " is not a SoundFont: it has only " +
                                     std::to_string(fileSize) + " bytes");
    if (std::memcmp(header, "RIFF", 4) != 0)
        return core::Status::failure("SoundFont " + inQuotes(path) +
                                     " is not a SoundFont: it does not start with a RIFF header "
                                     "(found '" +
                                     fourcc(header) + "')");
    if (std::memcmp(header + 8, "sfbk", 4) != 0)
        return core::Status::failure("SoundFont " + inQuotes(path) +
                                     " is not a SoundFont: it is a RIFF '" + fourcc(header + 8) +
                                     "' file, not 'sfbk'");
    const uint64_t riffEnd = uint64_t(readU32(header + 4)) + 8;
    if (riffEnd > fileSize)
        return core::Status::failure(
            "SoundFont " + inQuotes(path) + " is truncated: its header declares " +
            std::to_string(riffEnd) + " bytes but the file has " + std::to_string(fileSize));
    bool hasInfo = false, hasSdta = false, hasPdta = false;
    uint64_t offset = 12;
    while (offset + 8 <= riffEnd) {
        char chunk[12];
        in.seekg(static_cast<std::streamoff>(offset));
        if (!in.read(chunk, 8)) break;
        const uint32_t size = readU32(chunk + 4);
        const uint64_t end = offset + 8 + size;
        if (end > riffEnd)
            return core::Status::failure(
                "SoundFont " + inQuotes(path) + " is truncated: the '" + fourcc(chunk) +
                "' chunk at byte " + std::to_string(offset) + " declares " + std::to_string(size) +
                " bytes but only " + std::to_string(riffEnd - offset - 8) + " remain");
        if (std::memcmp(chunk, "LIST", 4) == 0 && size >= 4 && in.read(chunk + 8, 4)) {
            const std::string type = fourcc(chunk + 8);
            hasInfo = hasInfo || type == "INFO";
            hasSdta = hasSdta || type == "sdta";
            if (type == "pdta") {
                hasPdta = true;
                if (core::Status pdta = checkPdta(in, path, offset + 12, end); !pdta.ok())
                    return pdta;
            }
        }
        offset = end + (size % 2);
    }
    for (const auto& [has, name] :
         {std::pair{hasInfo, "INFO"}, std::pair{hasSdta, "sdta"}, std::pair{hasPdta, "pdta"}})
        if (!has)
            return core::Status::failure("SoundFont " + inQuotes(path) +
                                         " is incomplete: it has no '" + name + "' list");
    return core::Status::success();
}

SoundFontLocator::Places SoundFontLocator::defaultPlaces(const std::string& userSetting) {
    Places places;
    places.userSetting = userSetting;
    places.environmentValue = environment("TOCCATA_SOUNDFONT");

    std::string dataHome = environment("XDG_DATA_HOME");
    if (dataHome.empty() && !environment("HOME").empty())
        dataHome = environment("HOME") + "/.local/share";
    if (!dataHome.empty()) places.userFolders.push_back(dataHome + "/toccata/soundfonts");
    places.userFolders.emplace_back(TOCCATA_SOUNDFONT_INSTALL_DIR);
    places.userFolders.emplace_back(TOCCATA_SOUNDFONT_SOURCE_DIR);

    places.systemFiles = {
        "/usr/share/sounds/sf2/FluidR3_GM.sf2",   "/usr/share/sounds/sf2/default-GM.sf2",
        "/usr/share/soundfonts/default.sf2",      "/usr/share/soundfonts/FluidR3_GM.sf2",
        "/usr/share/sounds/sf3/default-GM.sf3",   "/usr/share/sounds/sf2/TimGM6mb.sf2",
        "/usr/local/share/soundfonts/default.sf2"};
    const std::string fluidDefault = fluidSynthDefaultSoundFont();
    if (!fluidDefault.empty() && std::find(places.systemFiles.begin(), places.systemFiles.end(),
                                           fluidDefault) == places.systemFiles.end())
        places.systemFiles.push_back(fluidDefault);

    places.fallbackFiles = {std::string(TOCCATA_SOUNDFONT_INSTALL_DIR) + "/" + kTestSoundFontName,
                            TOCCATA_TEST_SOUNDFONT_PATH};
    return places;
}

core::Result<LocatedSoundFont> SoundFontLocator::locate() const {
    LocatedSoundFont found;
    std::vector<std::string> searched;  // one line per place, with what was wrong there

    // Returns true (and fills `found`) when `path` is usable.
    auto tryFile = [&](const std::string& path, const std::string& source, bool reportMissing) {
        const std::string problem = problemWith(path);
        if (problem.empty()) {
            found.path = path;
            found.source = source;
            return true;
        }
        searched.push_back(source + ": " + problem);
        std::error_code ec;
        if (reportMissing || fs::exists(path, ec)) found.skipped.push_back(source + ": " + problem);
        return false;
    };

    if (m_places.userSetting.empty())
        searched.emplace_back("user setting: not set");
    else if (tryFile(m_places.userSetting, "user setting", true))
        return found;

    if (m_places.environmentValue.empty())
        searched.emplace_back("$TOCCATA_SOUNDFONT: not set");
    else if (tryFile(m_places.environmentValue, "$TOCCATA_SOUNDFONT", true))
        return found;

    for (const std::string& folder : m_places.userFolders) {
        const std::vector<std::string> files = soundFontsIn(folder);
        if (files.empty()) {
            std::error_code ec;
            searched.push_back(folder + "/*.sf2: " +
                               (fs::is_directory(folder, ec) ? "no SoundFont in this folder"
                                                             : "folder does not exist"));
        }
        for (const std::string& file : files)
            if (tryFile(file, "SoundFont folder " + folder, false)) return found;
    }
    for (const std::string& file : m_places.systemFiles)
        if (tryFile(file, "system SoundFont", false)) return found;
    for (const std::string& file : m_places.fallbackFiles) {
        if (tryFile(file, "Toccata's test SoundFont", false)) {
            found.isTestSoundFont = true;
            return found;
        }
    }

    std::string message = "No SoundFont found. Searched, in this order:";
    for (const std::string& line : searched) message += "\n  - " + line;
    message +=
        "\nInstall a General MIDI SoundFont (Debian: apt install fluid-soundfont-gm), put a "
        ".sf2 file in one of the folders above, set $TOCCATA_SOUNDFONT or pass --sf2 FILE.";
    return core::Result<LocatedSoundFont>::failure(message);
}

}  // namespace toccata::audio
