#include "core/midi/SmfWriter.h"

#include <algorithm>
#include <numeric>
#include <string_view>

#include "core/FileIO.h"

namespace toccata::core {

namespace {

constexpr uint32_t kMaxVlq = 0x0FFFFFFF;

void appendBe32(std::vector<uint8_t>& out, uint32_t v) {
    out.push_back(static_cast<uint8_t>(v >> 24));
    out.push_back(static_cast<uint8_t>(v >> 16));
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}

void appendBe16(std::vector<uint8_t>& out, uint16_t v) {
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}

/// Appends one track chunk. `order` lists the events to write, sorted by tick.
void appendTrack(std::vector<uint8_t>& out, const MidiTrack& track,
                 const std::vector<size_t>& order, const SmfWriteOptions& options) {
    out.insert(out.end(), {'M', 'T', 'r', 'k', 0, 0, 0, 0});
    const size_t lengthAt = out.size() - 4;
    const size_t dataStart = out.size();
    int64_t previous = 0;
    uint8_t runningStatus = 0;
    auto appendDelta = [&](int64_t tick) {
        int64_t delta = std::max<int64_t>(0, tick - previous);
        previous = std::max(previous, tick);
        while (delta > kMaxVlq) {  // too long for one VLQ: bridge with empty text events
            SmfWriter::appendVlq(out, kMaxVlq);
            out.insert(out.end(), {status::kMeta, meta::kText, 0});
            runningStatus = 0;
            delta -= kMaxVlq;
        }
        SmfWriter::appendVlq(out, static_cast<uint32_t>(delta));
    };
    int64_t endTick = 0;
    for (size_t index : order) {
        const MidiEvent& e = track.events[index];
        endTick = std::max(endTick, e.tick);
        if (e.isMeta(meta::kEndOfTrack)) continue;  // written once, below
        if (e.isChannelMessage()) {
            appendDelta(e.tick);
            if (!options.runningStatus || e.status != runningStatus) out.push_back(e.status);
            runningStatus = e.status;
            out.push_back(e.data1 & 0x7F);
            if (channelDataLength(e.status) == 2) out.push_back(e.data2 & 0x7F);
        } else if (e.isMeta() || e.isSysEx()) {
            appendDelta(e.tick);
            out.push_back(e.status);
            if (e.isMeta()) out.push_back(e.metaType);
            const size_t size = std::min<size_t>(e.payload.size(), kMaxVlq);
            SmfWriter::appendVlq(out, static_cast<uint32_t>(size));
            out.insert(out.end(), e.payload.begin(), e.payload.begin() + size);
            runningStatus = 0;
        }
        // Anything else (status 0 or a system message) cannot be stored in an SMF: dropped.
    }
    appendDelta(endTick);
    out.insert(out.end(), {status::kMeta, meta::kEndOfTrack, 0});
    const size_t length = out.size() - dataStart;
    for (int i = 0; i < 4; ++i) out[lengthAt + i] = static_cast<uint8_t>(length >> (8 * (3 - i)));
}

}  // namespace

void SmfWriter::appendVlq(std::vector<uint8_t>& out, uint32_t value) {
    value = std::min(value, kMaxVlq);
    uint8_t groups[4];
    int count = 0;
    do {
        groups[count++] = static_cast<uint8_t>(value & 0x7F);
        value >>= 7;
    } while (value != 0);
    while (count > 1) out.push_back(groups[--count] | 0x80);
    out.push_back(groups[0]);
}

std::vector<uint8_t> SmfWriter::write(const MidiFile& file, const SmfWriteOptions& options) {
    std::vector<uint8_t> out;
    const size_t trackCount = std::min<size_t>(file.tracks.size(), 0xFFFF);
    out.insert(out.end(), {'M', 'T', 'h', 'd'});
    appendBe32(out, 6);
    appendBe16(out, static_cast<uint16_t>(std::clamp(file.format, 0, 2)));
    appendBe16(out, static_cast<uint16_t>(trackCount));
    appendBe16(out, static_cast<uint16_t>(std::clamp(file.ticksPerQuarter, 1, 0x7FFF)));
    std::vector<size_t> order;
    for (size_t t = 0; t < trackCount; ++t) {
        const MidiTrack& track = file.tracks[t];
        order.resize(track.events.size());
        std::iota(order.begin(), order.end(), size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
            return track.events[a].tick < track.events[b].tick;
        });
        appendTrack(out, track, order, options);
    }
    return out;
}

Status SmfWriter::writeFile(const MidiFile& file, const std::string& path,
                            const SmfWriteOptions& options) {
    const std::vector<uint8_t> bytes = write(file, options);
    return writeFileAtomic(
        path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace toccata::core
