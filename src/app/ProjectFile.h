// ProjectFile: the .toccata project format — JSON {"format":"toccata-project","version":1,
// "sequence": <NoteSequence JSON>, "tracks": [{instrument, colour, muted, soloed}]} and, in
// recovery files, "originalPath". Written atomically (core::writeFileAtomic). [any]
#pragma once

#include <QString>

#include <vector>

#include "app/TrackState.h"
#include "core/NoteSequence.h"
#include "core/Result.h"

namespace toccata::app {

inline constexpr const char* kProjectFormat = "toccata-project";
inline constexpr int kProjectVersion = 1;
inline constexpr const char* kProjectSuffix = "toccata";

struct ProjectData {
    core::NoteSequence sequence;
    std::vector<TrackState> tracks;
    QString originalPath;  // recovery files only: the document's own file, if any
};

class ProjectFile {
public:
    static std::string toJson(const ProjectData& data);
    /// `nameForErrors` names the file in messages.
    static core::Result<ProjectData> fromJson(const std::string& text,
                                              const QString& nameForErrors);
    static core::Result<ProjectData> read(const QString& path);
    static core::Status write(const ProjectData& data, const QString& path);
    /// True for paths ending in .toccata (case-insensitive).
    static bool isProjectPath(const QString& path);
};

}  // namespace toccata::app
