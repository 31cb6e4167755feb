// NoteSequence <-> JSON with the field names and units of Magenta.js's INoteSequence (the
// protobuf JSON mapping of Magenta's NoteSequence): camelCase names, seconds, 0-based programs.
// Reading also accepts Python's snake_case names and int64 fields written as strings.
#pragma once

#include <string>

#include "core/Json.h"
#include "core/NoteSequence.h"
#include "core/Result.h"

namespace toccata::core {

JsonValue noteSequenceToJson(const NoteSequence& sequence);
/// Validates ranges; errors name the field, e.g. "notes[3].pitch must be 0..127, got 200".
Result<NoteSequence> noteSequenceFromJson(const JsonValue& json);

Result<NoteSequence> readNoteSequenceJson(const std::string& path);
Status writeNoteSequenceJson(const NoteSequence& sequence, const std::string& path);

}  // namespace toccata::core
