#include "core/midi/SmfReader.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <utility>

#include "core/FileIO.h"

namespace toccata::core {

namespace {

constexpr size_t kChunkHeaderBytes = 8;
constexpr size_t kMinHeaderLength = 6;
constexpr int kMaxVlqBytes = 4;

std::string hexByte(uint8_t b) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%02X", b);
    return text;
}

uint32_t readBe32(const uint8_t* p) {
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

uint16_t readBe16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }

bool isChunkIdByte(uint8_t b) { return b >= 0x20 && b < 0x7F; }

std::string chunkIdText(const uint8_t* p) {
    std::string id;
    for (int i = 0; i < 4; ++i) {
        if (isChunkIdByte(p[i])) {
            id += static_cast<char>(p[i]);
        } else {
            id += "\\x";
            id += hexByte(p[i]).substr(2);
        }
    }
    return id;
}

/// One parse of one buffer. Every read is bounded by the end of the current chunk.
class Parser {
public:
    Parser(const uint8_t* data, size_t size, const std::string& name)
        : m_data(data), m_size(size), m_name(name) {}

    Result<MidiFile> run();

private:
    bool fail(size_t offset, const std::string& what) {
        if (!m_error) m_error = Error{m_name + ": offset " + std::to_string(offset) + ": " + what};
        return false;
    }
    bool readHeader(MidiFile& file, size_t& trackCount);
    bool readTrack(size_t begin, size_t end, MidiTrack& track);
    bool readVlq(size_t end, uint32_t& value);
    bool readPayload(size_t end, const char* what, std::vector<uint8_t>& payload);

    const uint8_t* m_data;
    size_t m_size;
    const std::string& m_name;
    size_t m_pos = 0;
    std::optional<Error> m_error;
};

Result<MidiFile> Parser::run() {
    MidiFile file;
    size_t trackCount = 0;
    if (!readHeader(file, trackCount)) return *m_error;
    file.tracks.reserve(trackCount);  // bounded by the bytes left (readHeader checks)
    while (file.tracks.size() < trackCount) {
        const size_t left = m_size - m_pos;
        if (left == 0) {
            fail(m_pos, "the file ends after " + std::to_string(file.tracks.size()) + " of the " +
                            std::to_string(trackCount) + " tracks its header declares");
            return *m_error;
        }
        if (left < kChunkHeaderBytes) {
            fail(m_pos,
                 "truncated chunk header (" + std::to_string(left) + " bytes left, 8 needed)");
            return *m_error;
        }
        const uint8_t* header = m_data + m_pos;
        for (int i = 0; i < 4; ++i) {
            if (!isChunkIdByte(header[i])) {
                fail(m_pos, "expected a chunk ID such as 'MTrk', found bytes '" +
                                chunkIdText(header) + "'");
                return *m_error;
            }
        }
        const uint32_t length = readBe32(header + 4);
        if (length > left - kChunkHeaderBytes) {
            fail(m_pos + 4, "chunk '" + chunkIdText(header) + "' length " + std::to_string(length) +
                                " runs past the end of the file (" +
                                std::to_string(left - kChunkHeaderBytes) + " bytes left)");
            return *m_error;
        }
        const size_t begin = m_pos + kChunkHeaderBytes;
        const size_t end = begin + length;
        if (std::equal(header, header + 4, "MTrk")) {
            file.tracks.emplace_back();
            if (!readTrack(begin, end, file.tracks.back())) return *m_error;
        }
        m_pos = end;  // unknown chunk types are skipped
    }
    return file;
}

bool Parser::readHeader(MidiFile& file, size_t& trackCount) {
    if (m_size > SmfReader::kMaxFileBytes)
        return fail(0, "the file is " + std::to_string(m_size) +
                           " bytes; MIDI files larger than 64 MiB are not read");
    if (m_size < 4 || !std::equal(m_data, m_data + 4, "MThd"))
        return fail(0, "not a Standard MIDI File (it does not start with 'MThd')");
    if (m_size < kChunkHeaderBytes + kMinHeaderLength)
        return fail(m_size, "the file ends inside the 'MThd' header (" + std::to_string(m_size) +
                                " bytes, 14 needed)");
    const uint32_t headerLength = readBe32(m_data + 4);
    if (headerLength < kMinHeaderLength)
        return fail(4, "header chunk length " + std::to_string(headerLength) +
                           " is shorter than the 6 bytes it needs");
    if (headerLength > m_size - kChunkHeaderBytes)
        return fail(4, "header chunk length " + std::to_string(headerLength) +
                           " runs past the end of the file (" + std::to_string(m_size) + " bytes)");
    const uint16_t format = readBe16(m_data + 8);
    const uint16_t tracks = readBe16(m_data + 10);
    const uint16_t division = readBe16(m_data + 12);
    if (format > 2)
        return fail(8, "unknown SMF format " + std::to_string(format) + " (expected 0, 1 or 2)");
    if (division & 0x8000) {
        const int fps = -static_cast<int8_t>(division >> 8);
        return fail(12, "SMPTE time division (" + std::to_string(fps) + " frames/s, " +
                            std::to_string(division & 0xFF) +
                            " ticks per frame) is not supported; only ticks per quarter note");
    }
    if (division == 0) return fail(12, "time division is 0 ticks per quarter note");
    m_pos = kChunkHeaderBytes + headerLength;
    const size_t left = m_size - m_pos;
    if (size_t{tracks} * kChunkHeaderBytes > left)
        return fail(10, "the header declares " + std::to_string(tracks) + " tracks but only " +
                            std::to_string(left) + " bytes follow (each track needs at least 8)");
    file.format = format;
    file.ticksPerQuarter = division;
    trackCount = tracks;
    return true;
}

bool Parser::readVlq(size_t end, uint32_t& value) {
    const size_t start = m_pos;
    value = 0;
    for (int i = 0; i < kMaxVlqBytes; ++i) {
        if (m_pos >= end)
            return fail(start, "a variable-length number runs past the end of the track chunk");
        const uint8_t b = m_data[m_pos++];
        value = (value << 7) | (b & 0x7F);
        if (!(b & 0x80)) return true;
    }
    return fail(start, "variable-length number longer than 4 bytes");
}

bool Parser::readPayload(size_t end, const char* what, std::vector<uint8_t>& payload) {
    const size_t lengthOffset = m_pos;
    uint32_t length = 0;
    if (!readVlq(end, length)) return false;
    if (length > end - m_pos)
        return fail(lengthOffset, std::string(what) + " length " + std::to_string(length) +
                                      " runs past the end of the track chunk (" +
                                      std::to_string(end - m_pos) + " bytes left)");
    payload.assign(m_data + m_pos, m_data + m_pos + length);
    m_pos += length;
    return true;
}

bool Parser::readTrack(size_t begin, size_t end, MidiTrack& track) {
    m_pos = begin;
    int64_t tick = 0;
    uint8_t runningStatus = 0;  // 0: none in effect
    while (m_pos < end) {
        uint32_t delta = 0;
        if (!readVlq(end, delta)) return false;
        tick += delta;
        if (m_pos >= end)
            return fail(m_pos, "the track chunk ends after a delta time, without its event");
        const size_t statusOffset = m_pos;
        uint8_t statusByte = m_data[m_pos];
        if (statusByte < 0x80) {
            if (runningStatus == 0)
                return fail(m_pos, "data byte " + hexByte(statusByte) +
                                       " where a status byte is needed (no running status)");
            statusByte = runningStatus;
        } else {
            ++m_pos;
        }

        MidiEvent event;
        event.tick = tick;
        event.status = statusByte;
        if (statusByte < 0xF0) {
            const int count = channelDataLength(statusByte);
            if (end - m_pos < static_cast<size_t>(count))
                return fail(statusOffset, "channel message " + hexByte(statusByte) +
                                              " runs past the end of the track chunk");
            for (int i = 0; i < count; ++i) {
                const uint8_t b = m_data[m_pos];
                if (b >= 0x80)
                    return fail(m_pos, "expected a data byte after status " + hexByte(statusByte) +
                                           ", found " + hexByte(b));
                (i == 0 ? event.data1 : event.data2) = b;
                ++m_pos;
            }
            runningStatus = statusByte;
            track.events.push_back(std::move(event));
        } else if (statusByte == status::kMeta) {
            runningStatus = 0;
            if (m_pos >= end)
                return fail(statusOffset, "meta event runs past the end of the track chunk");
            event.metaType = m_data[m_pos++];
            if (!readPayload(end, "meta event", event.payload)) return false;
            const bool endOfTrack = event.metaType == meta::kEndOfTrack;
            track.events.push_back(std::move(event));
            if (endOfTrack) break;  // anything after End-of-Track is ignored
        } else if (statusByte == status::kSysEx || statusByte == status::kSysExEscape) {
            runningStatus = 0;
            if (!readPayload(end, "SysEx event", event.payload)) return false;
            track.events.push_back(std::move(event));
        } else {
            return fail(statusOffset, "status byte " + hexByte(statusByte) +
                                          " (a system common/real-time message) is not "
                                          "allowed in a MIDI file");
        }
    }
    return true;
}

}  // namespace

Result<MidiFile> SmfReader::parse(const uint8_t* data, size_t size,
                                  const std::string& nameForErrors) {
    if (data == nullptr) size = 0;
    static const uint8_t kEmpty = 0;
    return Parser(data != nullptr ? data : &kEmpty, size, nameForErrors).run();
}

Result<MidiFile> SmfReader::readFile(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxFileBytes)
        return Error{path + ": offset 0: the file is " + std::to_string(size) +
                     " bytes; MIDI files larger than 64 MiB are not read"};
    Result<std::string> bytes = readFileBytes(path, kMaxFileBytes);
    if (!bytes) return bytes.error();
    const std::string& data = bytes.value();
    return parse(reinterpret_cast<const uint8_t*>(data.data()), data.size(), path);
}

}  // namespace toccata::core
