// Reading and writing a sequence by file type: .mid/.midi/.smf (Standard MIDI File) or
// .json (NoteSequence JSON). The one place that maps extensions to formats.
#pragma once

#include <string>

#include "core/NoteSequence.h"
#include "core/Result.h"

namespace toccata::core {

enum class SequenceFileKind { Midi, NoteSequenceJson, Unknown };

SequenceFileKind sequenceFileKind(const std::string& path);
/// Errors name the file; an unknown extension is an error too.
Result<NoteSequence> readSequenceFile(const std::string& path);
Status writeSequenceFile(const NoteSequence& sequence, const std::string& path);

}  // namespace toccata::core
