// NoteSequence <-> JSON with the field names and units of Magenta.js's INoteSequence (the
// protobuf JSON mapping of Magenta's NoteSequence): camelCase names, seconds, 0-based programs.
// Reading also accepts Python's snake_case names and int64 fields written as strings.
#pragma once

#include <string>
#include <vector>

#include "core/Json.h"
#include "core/NoteSequence.h"
#include "core/Result.h"

namespace toccata::core {

JsonValue noteSequenceToJson(const NoteSequence& sequence);
JsonValue tempoToJson(const Tempo& tempo);
JsonValue timeSignatureToJson(const TimeSignature& signature);
JsonValue keySignatureToJson(const KeySignature& signature);

/// A JSON array of `items`, each converted by `toJson`.
template <typename T, typename ToJson>
JsonValue jsonArray(const std::vector<T>& items, ToJson toJson) {
    JsonValue array = JsonValue::array();
    for (const T& item : items) array.push(toJson(item));
    return array;
}
/// Validates ranges; errors name the field, e.g. "notes[3].pitch must be 0..127, got 200".
Result<NoteSequence> noteSequenceFromJson(const JsonValue& json);

Result<NoteSequence> readNoteSequenceJson(const std::string& path);
Status writeNoteSequenceJson(const NoteSequence& sequence, const std::string& path);

}  // namespace toccata::core
