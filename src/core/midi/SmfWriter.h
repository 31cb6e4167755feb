// SmfWriter: MidiFile -> bytes of a Standard MIDI File. [any] thread, no exceptions.
//
// Events are written in their order (a track whose ticks go backwards is stably sorted by tick
// first), every track ends with exactly one End-of-Track (End-of-Track events inside the list
// are dropped and one is written at the last tick), SysEx/meta payloads get correct VLQ lengths.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Result.h"
#include "core/midi/MidiFile.h"

namespace toccata::core {

struct SmfWriteOptions {
    bool runningStatus = true;  // omit repeated channel status bytes
};

class SmfWriter {
public:
    static std::vector<uint8_t> write(const MidiFile& file, const SmfWriteOptions& options = {});
    /// Writes atomically (temporary file in the same folder + rename).
    static Status writeFile(const MidiFile& file, const std::string& path,
                            const SmfWriteOptions& options = {});

    /// Appends `value` (0..0x0FFFFFFF; larger values are clamped) as a variable-length number.
    static void appendVlq(std::vector<uint8_t>& out, uint32_t value);
};

}  // namespace toccata::core
