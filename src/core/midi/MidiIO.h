// MidiIO: the convenience API for Standard MIDI Files <-> NoteSequence. Everything else in
// Toccata reads and writes MIDI through these four functions. [any] thread; no exceptions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/NoteSequence.h"
#include "core/Result.h"

namespace toccata::core {

/// Reads and converts an SMF. The error message names `path`, the byte offset and the problem.
Result<NoteSequence> readMidiFile(const std::string& path);

/// Parses and converts SMF bytes already in memory; `nameForErrors` is used in messages and
/// becomes the sequence's filename.
Result<NoteSequence> parseMidiBytes(const std::vector<uint8_t>& bytes,
                                    const std::string& nameForErrors);

/// Writes `sequence` as a format-1 SMF, atomically (temporary file in the same folder + rename).
Status writeMidiFile(const NoteSequence& sequence, const std::string& path);

/// The bytes writeMidiFile would write.
std::vector<uint8_t> midiBytesFromSequence(const NoteSequence& sequence);

}  // namespace toccata::core
