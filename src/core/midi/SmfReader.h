// SmfReader: bytes of a Standard MIDI File -> MidiFile. [any] thread, no exceptions.
//
// Reads format 0, 1 and 2 (format 2 tracks come back as independent tracks), any PPQ, header
// chunks longer than 6 bytes, unknown chunks (skipped), running status (cancelled by meta and
// SysEx events, as the SMF spec says), every meta event (unknown ones kept raw) and SysEx F0/F7.
// A track without End-of-Track ends at its chunk's end; bytes after End-of-Track are ignored.
//
// Bad input never crashes, hangs or allocates from a length field: every error names the file,
// the byte offset and what was wrong ("song.mid: offset 42: ...").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/Result.h"
#include "core/midi/MidiFile.h"

namespace toccata::core {

class SmfReader {
public:
    static constexpr size_t kMaxFileBytes = size_t{64} * 1024 * 1024;

    /// Parses `size` bytes at `data`; `nameForErrors` starts every error message.
    static Result<MidiFile> parse(const uint8_t* data, size_t size,
                                  const std::string& nameForErrors);
    static Result<MidiFile> parse(const std::vector<uint8_t>& bytes,
                                  const std::string& nameForErrors) {
        return parse(bytes.data(), bytes.size(), nameForErrors);
    }

    /// Reads and parses the file at `path` (at most kMaxFileBytes).
    static Result<MidiFile> readFile(const std::string& path);
};

}  // namespace toccata::core
