// SoundFontLocator: which SoundFont Toccata plays with when the user has not said, and the
// up-front check that a file really is a SoundFont (so errors name the file and the problem).
// [any] thread: pure functions of the file system and the environment.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/Result.h"

namespace toccata::audio {

/// File name of the SoundFont generated at build time (tools/sf2gen); only the last resort.
inline constexpr const char* kTestSoundFontName = "toccata-test.sf2";

/// Checks that `path` exists, is a readable regular file and is a complete RIFF 'sfbk'
/// (SoundFont 2/3) file with INFO, sdta and pdta lists. The error names the file and says
/// exactly what is wrong (missing, a folder, unreadable, not a SoundFont, truncated).
core::Status checkSoundFontFile(const std::string& path);

struct LocatedSoundFont {
    std::string path;
    std::string source;  // where it came from, e.g. "$TOCCATA_SOUNDFONT", "system SoundFont"
    bool isTestSoundFont = false;  // true when only the generated test SoundFont was found
    /// Candidates that were set but unusable (e.g. the user's file no longer exists), each
    /// with the reason; worth a warning in the UI.
    std::vector<std::string> skipped;
};

class SoundFontLocator {
public:
    /// Every place the lookup looks, in order. defaultPlaces() fills it for this machine;
    /// tests build their own.
    struct Places {
        std::string userSetting;                 // explicit setting (--sf2, preferences)
        std::string environmentValue;            // value of $TOCCATA_SOUNDFONT
        std::vector<std::string> userFolders;    // every *.sf2/*.sf3 inside, alphabetically
        std::vector<std::string> systemFiles;    // standard distribution paths
        std::vector<std::string> fallbackFiles;  // the generated test SoundFont
    };

    /// User setting, $TOCCATA_SOUNDFONT, the installed and the source-tree soundfonts/
    /// folders, the standard system paths (FluidR3_GM, default-GM, FluidSynth's own default),
    /// then the generated test SoundFont (install folder, then this build's folder).
    static Places defaultPlaces(const std::string& userSetting = {});

    explicit SoundFontLocator(Places places) : m_places(std::move(places)) {}
    SoundFontLocator() : SoundFontLocator(defaultPlaces()) {}

    const Places& places() const { return m_places; }

    /// The first usable SoundFont. The error lists every place searched.
    core::Result<LocatedSoundFont> locate() const;

private:
    Places m_places;
};

}  // namespace toccata::audio
