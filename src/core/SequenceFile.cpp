#include "core/SequenceFile.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/NoteSequenceJson.h"
#include "core/midi/MidiIO.h"

namespace toccata::core {

namespace {
std::string unknownKind(const std::string& path) {
    return path + ": unknown file type (expected .mid, .midi or .json)";
}
}  // namespace

SequenceFileKind sequenceFileKind(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".mid" || ext == ".midi" || ext == ".smf") return SequenceFileKind::Midi;
    if (ext == ".json") return SequenceFileKind::NoteSequenceJson;
    return SequenceFileKind::Unknown;
}

Result<NoteSequence> readSequenceFile(const std::string& path) {
    switch (sequenceFileKind(path)) {
        case SequenceFileKind::Midi: return readMidiFile(path);
        case SequenceFileKind::NoteSequenceJson: return readNoteSequenceJson(path);
        case SequenceFileKind::Unknown: break;
    }
    return Result<NoteSequence>::failure(unknownKind(path));
}

Status writeSequenceFile(const NoteSequence& sequence, const std::string& path) {
    switch (sequenceFileKind(path)) {
        case SequenceFileKind::Midi: return writeMidiFile(sequence, path);
        case SequenceFileKind::NoteSequenceJson: return writeNoteSequenceJson(sequence, path);
        case SequenceFileKind::Unknown: break;
    }
    return Status::failure(unknownKind(path));
}

}  // namespace toccata::core
