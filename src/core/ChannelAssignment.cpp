#include "core/ChannelAssignment.h"

#include <array>
#include <map>
#include <utility>

namespace toccata::core {

namespace {

using Key = std::pair<int, bool>;  // (instrument, isDrum)

int explicitChannel(const NoteSequence& sequence, int instrument) {
    for (const InstrumentInfo& info : sequence.instrumentInfos)
        if (info.instrument == instrument && info.midiChannel >= 0 && info.midiChannel < 16)
            return info.midiChannel;
    return -1;
}

}  // namespace

std::vector<ChannelAssignment> assignChannels(const NoteSequence& sequence, int melodicChannel,
                                              std::vector<std::string>* warnings) {
    std::map<Key, int> keys;  // sorted by instrument, melodic before drums
    for (const Note& n : sequence.notes) keys[{n.instrument, n.isDrum}] = -1;
    for (const ControlChange& c : sequence.controlChanges) keys[{c.instrument, c.isDrum}] = -1;
    for (const PitchBend& b : sequence.pitchBends) keys[{b.instrument, b.isDrum}] = -1;

    std::vector<ChannelAssignment> out;
    if (melodicChannel >= 0 && melodicChannel < 16) {
        for (const auto& [key, unused] : keys)
            out.push_back({key.first, key.second, key.second ? kDrumChannel : melodicChannel});
        return out;
    }
    std::array<int, 16> role{};  // 0 free, 1 melodic, 2 drums
    role[kDrumChannel] = 2;
    for (auto& [key, channel] : keys) {
        if (!key.second) continue;
        const int wanted = explicitChannel(sequence, key.first);
        channel = wanted >= 0 && role[wanted] != 1 ? wanted : kDrumChannel;
        role[channel] = 2;
    }
    for (auto& [key, channel] : keys) {
        if (key.second) continue;
        const int wanted = explicitChannel(sequence, key.first);
        if (wanted >= 0 && role[wanted] != 2) {
            channel = wanted;
            role[wanted] = 1;
        }
    }
    int shared = 0;
    for (auto& [key, channel] : keys) {
        if (key.second || channel >= 0) continue;
        for (int c = 0; c < 16 && channel < 0; ++c)
            if (role[c] == 0) channel = c;
        if (channel < 0) {  // every channel is taken: share the melodic ones in turn
            std::vector<int> melodic;
            for (int c = 0; c < 16; ++c)
                if (role[c] == 1) melodic.push_back(c);
            channel = melodic.empty() ? 0 : melodic[shared % melodic.size()];
            if (shared++ == 0 && warnings)
                warnings->emplace_back("More instruments than MIDI channels: some share a channel");
        }
        role[channel] = 1;
    }
    for (const auto& [key, channel] : keys) out.push_back({key.first, key.second, channel});
    return out;
}

int channelFor(const std::vector<ChannelAssignment>& channels, int instrument, bool isDrum) {
    for (const ChannelAssignment& a : channels)
        if (a.instrument == instrument && a.isDrum == isDrum) return a.channel;
    return isDrum ? kDrumChannel : 0;
}

}  // namespace toccata::core
