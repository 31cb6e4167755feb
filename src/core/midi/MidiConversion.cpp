#include "core/midi/MidiConversion.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <map>
#include <set>

#include "core/TempoMap.h"

namespace toccata::core {

namespace {

constexpr int kChannels = 16;
constexpr int kPitches = 128;
constexpr int kDefaultVelocity = 100;           // written for notes without a velocity
constexpr int64_t kMaxTick = int64_t{1} << 40;  // far beyond any real file; keeps maths exact
constexpr double kMicrosecondsPerMinute = 60e6;

// ----- reading --------------------------------------------------------------------------------

/// Converts the tracks one by one into a NoteSequence.
class SequenceBuilder {
public:
    SequenceBuilder(const MidiFile& file, NoteSequence& out)
        : m_file(file), m_out(out), m_tempo(out.tempos), m_ppq(std::max(1, file.ticksPerQuarter)) {}

    void addTrack(int trackIndex, const std::vector<MidiEvent>& events);

private:
    struct OpenNote {
        int64_t startTick;
        size_t noteIndex;
    };
    double seconds(int64_t tick) const { return m_tempo.ticksToSeconds(tick, m_ppq); }
    int instrumentFor(int trackIndex, int channel);

    const MidiFile& m_file;
    NoteSequence& m_out;
    TempoMap m_tempo;
    int m_ppq;
    std::array<int, kChannels> m_instrument{};
    std::array<int, kChannels> m_program{};
    std::vector<std::vector<OpenNote>> m_open =
        std::vector<std::vector<OpenNote>>(kChannels * kPitches);
};

int SequenceBuilder::instrumentFor(int trackIndex, int channel) {
    if (m_instrument[channel] < 0) {
        const int id = static_cast<int>(m_out.instrumentInfos.size());
        m_out.instrumentInfos.push_back({id, {}, channel, trackIndex});
        m_instrument[channel] = id;
    }
    return m_instrument[channel];
}

void SequenceBuilder::addTrack(int trackIndex, const std::vector<MidiEvent>& events) {
    m_instrument.fill(-1);
    m_program.fill(0);
    const size_t firstInstrument = m_out.instrumentInfos.size();
    int64_t lastTick = 0;
    for (const MidiEvent& e : events) {
        lastTick = std::max(lastTick, e.tick);
        if (e.isChannelMessage()) {
            const int ch = e.channel();
            const bool drum = ch == kDrumChannel;
            switch (e.kind()) {
                case status::kNoteOn:
                case status::kNoteOff: {
                    std::vector<OpenNote>& open = m_open[ch * kPitches + e.data1];
                    if (e.isNoteOn()) {
                        const double t = seconds(e.tick);
                        Note note;
                        note.pitch = e.data1;
                        note.velocity = e.data2;
                        note.startTime = note.endTime = t;
                        note.instrument = instrumentFor(trackIndex, ch);
                        note.program = m_program[ch];
                        note.isDrum = drum;
                        open.push_back({e.tick, m_out.notes.size()});
                        m_out.notes.push_back(note);
                    } else if (!open.empty()) {
                        // Open notes are in start order, so the front is the oldest one that
                        // started earlier or, when all started at this tick, the oldest of those.
                        m_out.notes[open.front().noteIndex].endTime = seconds(e.tick);
                        open.erase(open.begin());
                    }
                    break;
                }
                case status::kControlChange:
                    m_out.controlChanges.push_back({seconds(e.tick), 0, e.data1, e.data2,
                                                    instrumentFor(trackIndex, ch), m_program[ch],
                                                    drum});
                    break;
                case status::kProgramChange: m_program[ch] = e.data1; break;
                case status::kPitchBend:
                    m_out.pitchBends.push_back(
                        {seconds(e.tick), 0, ((e.data2 << 7) | e.data1) - 8192,
                         instrumentFor(trackIndex, ch), m_program[ch], drum});
                    break;
                default: break;  // aftertouch is not part of a NoteSequence
            }
        } else if (auto ts = timeSignatureOf(e)) {
            if (ts->denominatorPower <= 30)
                m_out.timeSignatures.push_back(
                    {seconds(e.tick), ts->numerator, 1 << ts->denominatorPower});
        } else if (auto ks = keySignatureOf(e)) {
            if (ks->sharpsOrFlats >= -7 && ks->sharpsOrFlats <= 7 && ks->minor >= 0 &&
                ks->minor <= 1)
                m_out.keySignatures.push_back(
                    {seconds(e.tick), keyFromSharpsOrFlats(ks->sharpsOrFlats, ks->minor == 1),
                     ks->minor == 1 ? KeySignature::kMinor : KeySignature::kMajor});
        }
    }
    const double end = seconds(lastTick);
    for (std::vector<OpenNote>& open : m_open) {
        for (const OpenNote& note : open) m_out.notes[note.noteIndex].endTime = end;
        open.clear();
    }
    const std::string name = m_file.tracks[trackIndex].name().value_or(std::string());
    for (size_t i = firstInstrument; i < m_out.instrumentInfos.size(); ++i)
        m_out.instrumentInfos[i].name = name;
}

// ----- writing --------------------------------------------------------------------------------

/// An event waiting to be placed: sorted by (tick, group, sequence number).
struct PendingEvent {
    int64_t tick;
    int group;
    size_t order;
    MidiEvent event;
};

// Same-tick order for instrument tracks (see noteSequenceToMidiFile).
enum Group { kNameGroup = -1, kOffGroup = 0, kControlGroup = 1, kOnGroup = 2, kZeroOffGroup = 3 };

class TrackBuilder {
public:
    void add(int64_t tick, int group, MidiEvent event) {
        event.tick = tick;
        m_pending.push_back({tick, group, m_pending.size(), std::move(event)});
    }
    MidiTrack finish() {
        std::sort(m_pending.begin(), m_pending.end(), [](const auto& a, const auto& b) {
            if (a.tick != b.tick) return a.tick < b.tick;
            if (a.group != b.group) return a.group < b.group;
            return a.order < b.order;
        });
        MidiTrack track;
        track.events.reserve(m_pending.size() + 1);
        for (PendingEvent& p : m_pending) track.events.push_back(std::move(p.event));
        track.events.push_back(MidiEvent::endOfTrack(track.lastTick()));
        return track;
    }

private:
    std::vector<PendingEvent> m_pending;
};

class FileBuilder {
public:
    explicit FileBuilder(const NoteSequence& sequence)
        : m_sequence(sequence),
          m_tempo(sequence.tempos),
          m_ppq(sequence.ticksPerQuarter >= 1 && sequence.ticksPerQuarter <= 0x7FFF
                    ? sequence.ticksPerQuarter
                    : kDefaultTicksPerQuarter) {}

    MidiFile build();

private:
    struct Instrument {
        int id = 0;
        const InstrumentInfo* info = nullptr;
        int channel = -1;
        bool drum = false;
    };
    int64_t tick(double seconds) const;
    MidiTrack conductorTrack() const;
    std::vector<Instrument> instruments() const;
    MidiTrack instrumentTrack(const Instrument& instrument) const;

    const NoteSequence& m_sequence;
    TempoMap m_tempo;
    int m_ppq;
};

int64_t FileBuilder::tick(double seconds) const {
    if (!(seconds > 0.0)) return 0;  // also NaN
    const double quarters = m_tempo.secondsToQuarters(seconds) * m_ppq;
    if (!(quarters < static_cast<double>(kMaxTick))) return kMaxTick;
    return std::clamp<int64_t>(m_tempo.secondsToTicks(seconds, m_ppq), 0, kMaxTick);
}

MidiTrack FileBuilder::conductorTrack() const {
    TrackBuilder track;
    if (!m_sequence.title.empty())
        track.add(0, kNameGroup, MidiEvent::textEvent(0, meta::kTrackName, m_sequence.title));
    std::vector<TimeSignature> signatures = m_sequence.timeSignatures;
    std::stable_sort(signatures.begin(), signatures.end(),
                     [](const auto& a, const auto& b) { return a.time < b.time; });
    for (const TimeSignature& ts : signatures) {
        const int numerator = std::clamp(ts.numerator, 1, 255);
        int power = 0;
        while (power < 30 && (1 << (power + 1)) <= ts.denominator) ++power;
        track.add(tick(ts.time), kControlGroup,
                  MidiEvent::metaEvent(
                      0, meta::kTimeSignature,
                      {static_cast<uint8_t>(numerator), static_cast<uint8_t>(power), 24, 8}));
    }
    std::vector<KeySignature> keys = m_sequence.keySignatures;
    std::stable_sort(keys.begin(), keys.end(),
                     [](const auto& a, const auto& b) { return a.time < b.time; });
    for (const KeySignature& ks : keys) {
        const bool minor = ks.mode == KeySignature::kMinor;
        const int sf = sharpsOrFlatsFromKey(ks.key, minor);
        track.add(tick(ks.time), kControlGroup,
                  MidiEvent::metaEvent(0, meta::kKeySignature,
                                       {static_cast<uint8_t>(static_cast<int8_t>(sf)),
                                        static_cast<uint8_t>(minor ? 1 : 0)}));
    }
    std::vector<Tempo> tempos = m_sequence.tempos;
    std::stable_sort(tempos.begin(), tempos.end(),
                     [](const auto& a, const auto& b) { return a.time < b.time; });
    for (const Tempo& t : tempos) {
        if (!(t.qpm > 0.0) || !std::isfinite(t.qpm)) continue;
        const double us = std::clamp(std::round(kMicrosecondsPerMinute / t.qpm), 1.0, 16777215.0);
        track.add(tick(t.time), kControlGroup, MidiEvent::tempoEvent(0, static_cast<uint32_t>(us)));
    }
    return track.finish();
}

std::vector<FileBuilder::Instrument> FileBuilder::instruments() const {
    std::map<int, Instrument> byId;
    for (const Note& n : m_sequence.notes) {
        Instrument& inst = byId[n.instrument];
        inst.drum = inst.drum || n.isDrum;
    }
    for (const ControlChange& c : m_sequence.controlChanges) byId[c.instrument];
    for (const PitchBend& p : m_sequence.pitchBends) byId[p.instrument];
    std::vector<Instrument> list;
    for (auto& [id, inst] : byId) {
        inst.id = id;
        for (const InstrumentInfo& info : m_sequence.instrumentInfos) {
            if (info.instrument == id) {
                inst.info = &info;
                break;
            }
        }
        list.push_back(inst);
    }
    auto trackOf = [](const Instrument& i) {
        return i.info != nullptr && i.info->midiTrack >= 0 ? i.info->midiTrack : INT_MAX;
    };
    std::stable_sort(list.begin(), list.end(), [&](const Instrument& a, const Instrument& b) {
        return trackOf(a) != trackOf(b) ? trackOf(a) < trackOf(b) : a.id < b.id;
    });
    // Channels: the recorded ones first, then drums on 9 and the rest on the next free one.
    std::set<int> used;
    for (Instrument& inst : list) {
        if (inst.info != nullptr && inst.info->midiChannel >= 0 &&
            inst.info->midiChannel < kChannels) {
            inst.channel = inst.info->midiChannel;
            used.insert(inst.channel);
        }
    }
    int next = 0;
    for (Instrument& inst : list) {
        if (inst.channel >= 0) continue;
        if (inst.drum) {
            inst.channel = kDrumChannel;
            continue;
        }
        int tries = 0;
        while ((next == kDrumChannel || used.count(next) > 0) && tries++ < kChannels)
            next = (next + 1) % kChannels;
        if (next == kDrumChannel) next = (next + 1) % kChannels;  // all taken: share one
        inst.channel = next;
        used.insert(next);
        next = (next + 1) % kChannels;
    }
    return list;
}

MidiTrack FileBuilder::instrumentTrack(const Instrument& instrument) const {
    const int ch = instrument.channel;
    TrackBuilder track;
    if (instrument.info != nullptr && !instrument.info->name.empty())
        track.add(0, kNameGroup, MidiEvent::textEvent(0, meta::kTrackName, instrument.info->name));

    struct Placed {
        const Note* note;
        int64_t on;
        int64_t off;
    };
    std::vector<Placed> notes;
    for (const Note& n : m_sequence.notes) {
        if (n.instrument != instrument.id) continue;
        const int64_t on = tick(n.startTime);
        notes.push_back({&n, on, std::max(on, tick(n.endTime))});
    }
    std::stable_sort(notes.begin(), notes.end(), [](const Placed& a, const Placed& b) {
        return a.on != b.on ? a.on < b.on : a.off < b.off;
    });

    int program = 0;
    if (!notes.empty()) {
        program = notes.front().note->program;
    } else {
        for (const ControlChange& c : m_sequence.controlChanges)
            if (c.instrument == instrument.id) {
                program = c.program;
                break;
            }
    }
    program = std::clamp(program, 0, 127);
    track.add(0, kControlGroup, MidiEvent::channelMessage(0, status::kProgramChange, ch, program));

    for (const ControlChange& c : m_sequence.controlChanges) {
        if (c.instrument != instrument.id) continue;
        track.add(tick(c.time), kControlGroup,
                  MidiEvent::channelMessage(0, status::kControlChange, ch,
                                            std::clamp(c.controlNumber, 0, 127),
                                            std::clamp(c.controlValue, 0, 127)));
    }
    for (const PitchBend& p : m_sequence.pitchBends) {
        if (p.instrument != instrument.id) continue;
        const int value = std::clamp(p.bend + 8192, 0, 16383);
        track.add(tick(p.time), kControlGroup,
                  MidiEvent::channelMessage(0, status::kPitchBend, ch, value & 0x7F, value >> 7));
    }

    // Note-ons tick by tick; in a tick, notes on the current program go first, then the others
    // grouped by program, each group after its program change.
    for (size_t begin = 0; begin < notes.size();) {
        size_t end = begin;
        while (end < notes.size() && notes[end].on == notes[begin].on) ++end;
        std::vector<int> programOrder;
        for (size_t i = begin; i < end; ++i) {
            const int p = std::clamp(notes[i].note->program, 0, 127);
            if (p != program &&
                std::find(programOrder.begin(), programOrder.end(), p) == programOrder.end())
                programOrder.push_back(p);
        }
        std::stable_sort(
            notes.begin() + begin, notes.begin() + end, [&](const Placed& a, const Placed& b) {
                auto rank = [&](const Placed& x) {
                    const int p = std::clamp(x.note->program, 0, 127);
                    if (p == program) return -1;
                    return static_cast<int>(std::find(programOrder.begin(), programOrder.end(), p) -
                                            programOrder.begin());
                };
                return rank(a) < rank(b);
            });
        for (size_t i = begin; i < end; ++i) {
            const Placed& n = notes[i];
            const int p = std::clamp(n.note->program, 0, 127);
            if (p != program) {
                program = p;
                track.add(n.on, kOnGroup,
                          MidiEvent::channelMessage(0, status::kProgramChange, ch, p));
            }
            const int pitch = std::clamp(n.note->pitch, 0, 127);
            const int velocity =
                n.note->velocity <= 0 ? kDefaultVelocity : std::min(n.note->velocity, 127);
            track.add(n.on, kOnGroup,
                      MidiEvent::channelMessage(0, status::kNoteOn, ch, pitch, velocity));
            track.add(n.off, n.off > n.on ? kOffGroup : kZeroOffGroup,
                      MidiEvent::channelMessage(0, status::kNoteOff, ch, pitch, 0));
        }
        begin = end;
    }
    return track.finish();
}

MidiFile FileBuilder::build() {
    MidiFile file;
    file.format = 1;
    file.ticksPerQuarter = m_ppq;
    file.tracks.push_back(conductorTrack());
    for (const Instrument& instrument : instruments())
        file.tracks.push_back(instrumentTrack(instrument));
    return file;
}

}  // namespace

std::vector<Tempo> temposOfMidiFile(const MidiFile& file) {
    struct Change {
        int64_t tick;
        uint32_t microseconds;
    };
    std::vector<Change> changes;
    for (const MidiTrack& track : file.tracks) {
        for (const MidiEvent& e : track.events) {
            const auto us = tempoMicroseconds(e);
            if (us && *us > 0) changes.push_back({e.tick, *us});
        }
    }
    std::stable_sort(changes.begin(), changes.end(),
                     [](const Change& a, const Change& b) { return a.tick < b.tick; });
    const double ppq = std::max(1, file.ticksPerQuarter);
    std::vector<Tempo> tempos;
    tempos.reserve(changes.size());
    double seconds = 0.0;
    int64_t previousTick = 0;
    double secondsPerTick = 60.0 / kDefaultQpm / ppq;
    for (const Change& c : changes) {
        seconds += static_cast<double>(c.tick - previousTick) * secondsPerTick;
        previousTick = c.tick;
        secondsPerTick = c.microseconds / 1e6 / ppq;
        tempos.push_back({seconds, kMicrosecondsPerMinute / c.microseconds});
    }
    return tempos;
}

NoteSequence midiFileToNoteSequence(const MidiFile& file, const std::string& filename) {
    NoteSequence out;
    out.filename = filename;
    out.ticksPerQuarter = std::max(1, file.ticksPerQuarter);
    out.tempos = temposOfMidiFile(file);
    SequenceBuilder builder(file, out);
    for (size_t t = 0; t < file.tracks.size(); ++t) {
        const std::vector<MidiEvent>& events = file.tracks[t].events;
        auto byTick = [](const MidiEvent& a, const MidiEvent& b) { return a.tick < b.tick; };
        if (std::is_sorted(events.begin(), events.end(), byTick)) {
            builder.addTrack(static_cast<int>(t), events);
        } else {  // only hand-built files get here: the reader always yields sorted ticks
            std::vector<MidiEvent> sorted = events;
            std::stable_sort(sorted.begin(), sorted.end(), byTick);
            builder.addTrack(static_cast<int>(t), sorted);
        }
    }
    if (!file.tracks.empty()) out.title = file.tracks.front().name().value_or(std::string());
    auto byTime = [](const auto& a, const auto& b) { return a.time < b.time; };
    std::stable_sort(out.timeSignatures.begin(), out.timeSignatures.end(), byTime);
    std::stable_sort(out.keySignatures.begin(), out.keySignatures.end(), byTime);
    out.recomputeTotalTime();
    return out;
}

MidiFile noteSequenceToMidiFile(const NoteSequence& sequence) {
    return FileBuilder(sequence).build();
}

int keyFromSharpsOrFlats(int sharpsOrFlats, bool minor) {
    const int major = ((sharpsOrFlats * 7) % 12 + 12) % 12;
    return minor ? (major + 9) % 12 : major;
}

int sharpsOrFlatsFromKey(int key, bool minor) {
    const int pitchClass = ((key % 12) + 12) % 12;
    const int low = minor ? -6 : -5;
    for (int sf = low; sf < low + 12; ++sf) {
        if (keyFromSharpsOrFlats(sf, minor) == pitchClass) return sf;
    }
    return 0;
}

}  // namespace toccata::core
