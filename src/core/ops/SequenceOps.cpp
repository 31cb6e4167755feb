#include "core/ops/SequenceOps.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "core/ops/OpsSupport.h"

namespace toccata::core {

using ops_detail::floorMod;
using ops_detail::number;

namespace {

Status checkPitchRange(int minPitch, int maxPitch, const char* function) {
    auto inMidi = [](int p) { return p >= kMinMidiPitch && p <= kMaxMidiPitch; };
    if (!inMidi(minPitch) || !inMidi(maxPitch) || minPitch > maxPitch) {
        return Status::failure(std::string(function) + ": pitch range [" +
                               std::to_string(minPitch) + ", " + std::to_string(maxPitch) +
                               "] must lie within 0..127 with minPitch <= maxPitch");
    }
    return Status::success();
}

template <typename F>
void forEachTimedEvent(NoteSequence& s, F&& f) {
    for (TimeSignature& e : s.timeSignatures) f(e.time);
    for (KeySignature& e : s.keySignatures) f(e.time);
    for (Tempo& e : s.tempos) f(e.time);
    for (PitchBend& e : s.pitchBends) f(e.time);
    for (ControlChange& e : s.controlChanges) f(e.time);
    for (TextAnnotation& e : s.textAnnotations) f(e.time);
}

template <typename Event>
void dropRedundant(std::vector<Event>& events) {
    std::stable_sort(events.begin(), events.end(),
                     [](const Event& a, const Event& b) { return a.time < b.time; });
    std::vector<Event> kept;
    for (size_t i = 0; i < events.size(); ++i) {
        if (i > 0) {
            Event moved = events[i];
            moved.time = events[i - 1].time;
            if (moved == events[i - 1]) continue;  // differs only by time
        }
        kept.push_back(events[i]);
    }
    events = std::move(kept);
}

template <typename T>
void append(std::vector<T>& to, const std::vector<T>& from) {
    to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

Result<Transposition> transpose(const NoteSequence& sequence, int semitones, int minPitch,
                                int maxPitch) {
    if (Status s = checkPitchRange(minPitch, maxPitch, "transpose"); !s) return s.error();
    Transposition result;
    result.sequence = sequence;
    NoteSequence& out = result.sequence;
    out.notes.clear();
    double endTime = 0.0;
    for (const Note& note : sequence.notes) {
        const int64_t pitch = int64_t{note.pitch} + semitones;
        if (!note.isDrum && (pitch < minPitch || pitch > maxPitch)) {
            ++result.deletedNotes;
            continue;
        }
        endTime = std::max(endTime, note.endTime);
        Note moved = note;
        if (!note.isDrum) moved.pitch = static_cast<int>(pitch);
        out.notes.push_back(moved);
    }
    out.totalTime = endTime;
    for (KeySignature& ks : out.keySignatures) {
        ks.key = static_cast<int>(floorMod(int64_t{ks.key} + semitones, 12));
    }
    return result;
}

Result<TranspositionBatch> transpositionPipeline(const NoteSequence& sequence,
                                                 const std::vector<int>& amounts, int minPitch,
                                                 int maxPitch) {
    if (Status s = checkPitchRange(minPitch, maxPitch, "transpositionPipeline"); !s) {
        return s.error();
    }
    TranspositionBatch batch;
    for (int amount : amounts) {
        bool outOfRange = false;
        for (const Note& note : sequence.notes) {
            const int64_t pitch = int64_t{note.pitch} + amount;
            if (!note.isDrum && (pitch < minPitch || pitch > maxPitch)) outOfRange = true;
        }
        if (outOfRange) {
            ++batch.skippedDueToRangeExceeded;
            continue;
        }
        auto moved = transpose(sequence, amount, minPitch, maxPitch);
        if (!moved) return moved.error();
        // The pipeline copies the sequence and moves pitches only: totalTime stays.
        moved->sequence.totalTime = sequence.totalTime;
        batch.sequences.push_back(std::move(moved->sequence));
    }
    batch.transpositionsGenerated = static_cast<int64_t>(batch.sequences.size());
    return batch;
}

Result<NoteSequence> stretch(const NoteSequence& sequence, double factor) {
    if (!(factor > 0.0) || !std::isfinite(factor)) {
        return Error{"stretch: factor must be a positive, finite number, got " + number(factor)};
    }
    if (sequence.isQuantized()) {
        return Error{
            "stretch: the sequence is quantized; only unquantized sequences can be "
            "stretched"};
    }
    NoteSequence out = sequence;
    if (factor == 1.0) return out;
    for (Note& note : out.notes) {
        note.startTime *= factor;
        note.endTime *= factor;
    }
    out.totalTime *= factor;
    forEachTimedEvent(out, [factor](double& time) { time *= factor; });
    for (Tempo& tempo : out.tempos) tempo.qpm /= factor;
    return out;
}

Result<NoteSequence> shiftSequenceTimes(const NoteSequence& sequence, double shiftSeconds) {
    if (!(shiftSeconds > 0.0) || !std::isfinite(shiftSeconds)) {
        return Error{"shiftSequenceTimes: shiftSeconds must be a positive, finite number, got " +
                     number(shiftSeconds)};
    }
    if (sequence.isQuantized()) {
        return Error{
            "shiftSequenceTimes: the sequence is quantized; only unquantized sequences "
            "can be shifted"};
    }
    NoteSequence out = sequence;
    for (Note& note : out.notes) {
        note.startTime += shiftSeconds;
        note.endTime += shiftSeconds;
    }
    forEachTimedEvent(out, [shiftSeconds](double& time) { time += shiftSeconds; });
    out.totalTime += shiftSeconds;
    return out;
}

Result<NoteSequence> trimNoteSequence(const NoteSequence& sequence, double startTime,
                                      double endTime) {
    if (!std::isfinite(startTime) || !std::isfinite(endTime) || endTime < startTime) {
        return Error{"trimNoteSequence: the range [" + number(startTime) + ", " + number(endTime) +
                     "] s must be finite with startTime <= endTime"};
    }
    if (sequence.isQuantized()) {
        return Error{
            "trimNoteSequence: the sequence is quantized; only unquantized sequences "
            "can be trimmed"};
    }
    NoteSequence out = sequence;
    out.notes.clear();
    for (const Note& note : sequence.notes) {
        if (note.startTime < startTime || note.startTime >= endTime) continue;
        Note kept = note;
        kept.endTime = std::min(note.endTime, endTime);
        out.notes.push_back(kept);
    }
    out.totalTime = std::min(sequence.totalTime, endTime);
    return out;
}

NoteSequence removeRedundantData(const NoteSequence& sequence) {
    NoteSequence out = sequence;
    dropRedundant(out.timeSignatures);
    dropRedundant(out.keySignatures);
    dropRedundant(out.tempos);
    return out;
}

Result<NoteSequence> concatenate(const std::vector<NoteSequence>& sequences,
                                 const std::vector<double>& durations) {
    const bool explicitDurations = !durations.empty();
    if (explicitDurations && durations.size() != sequences.size()) {
        return Error{"concatenate: " + std::to_string(durations.size()) + " durations given for " +
                     std::to_string(sequences.size()) +
                     " sequences; give one per sequence or none"};
    }
    NoteSequence out;
    out.ticksPerQuarter = 0;  // set by the parts, as protobuf MergeFrom would
    double offset = 0.0;
    for (size_t i = 0; i < sequences.size(); ++i) {
        const NoteSequence& part = sequences[i];
        const std::string which = "part #" + std::to_string(i);
        if (part.isQuantized()) {
            return Error{"concatenate: " + which +
                         " is quantized; concatenate unquantized sequences, then quantize"};
        }
        if (explicitDurations && (!std::isfinite(durations[i]) || durations[i] < part.totalTime)) {
            return Error{"concatenate: the duration of " + which + " (" + number(durations[i]) +
                         " s) must be a finite number no less than its totalTime (" +
                         number(part.totalTime) + " s)"};
        }
        NoteSequence shifted = part;
        if (offset > 0.0) {
            auto moved = shiftSequenceTimes(part, offset);
            if (!moved) return Error{"concatenate: " + which + ": " + moved.errorMessage()};
            shifted = std::move(*moved);
        }
        append(out.notes, shifted.notes);
        append(out.tempos, shifted.tempos);
        append(out.timeSignatures, shifted.timeSignatures);
        append(out.keySignatures, shifted.keySignatures);
        append(out.controlChanges, shifted.controlChanges);
        append(out.pitchBends, shifted.pitchBends);
        append(out.textAnnotations, shifted.textAnnotations);
        for (const InstrumentInfo& info : shifted.instrumentInfos) {
            if (std::find(out.instrumentInfos.begin(), out.instrumentInfos.end(), info) ==
                out.instrumentInfos.end()) {
                out.instrumentInfos.push_back(info);
            }
        }
        if (shifted.totalTime != 0.0) out.totalTime = shifted.totalTime;
        if (shifted.ticksPerQuarter != 0) out.ticksPerQuarter = shifted.ticksPerQuarter;
        if (!shifted.filename.empty()) out.filename = shifted.filename;
        if (!shifted.title.empty()) out.title = shifted.title;
        offset = explicitDurations ? offset + durations[i] : out.totalTime;
    }
    if (out.ticksPerQuarter == 0) out.ticksPerQuarter = kDefaultTicksPerQuarter;
    return removeRedundantData(out);
}

Result<NoteSequence> mergeInstruments(const NoteSequence& sequence,
                                      const MergeInstrumentsOptions& options) {
    if (options.targetInstrument < 0) {
        return Error{"mergeInstruments: targetInstrument must not be negative, got " +
                     std::to_string(options.targetInstrument)};
    }
    if (options.program && (*options.program < 0 || *options.program > 127)) {
        return Error{"mergeInstruments: program must be within 0..127, got " +
                     std::to_string(*options.program)};
    }
    auto merges = [&](bool isDrum) { return options.includeDrums || !isDrum; };
    int program = options.program.value_or(0);
    if (!options.program) {
        const Note* earliest = nullptr;
        for (const Note& n : sequence.notes) {
            if (merges(n.isDrum) && (earliest == nullptr || n.startTime < earliest->startTime)) {
                earliest = &n;
            }
        }
        if (earliest != nullptr) program = earliest->program;
    }
    NoteSequence out = sequence;
    std::set<int> merged;
    auto move = [&](auto& event) {
        if (!merges(event.isDrum)) return;
        merged.insert(event.instrument);
        event.instrument = options.targetInstrument;
        event.program = program;
    };
    for (Note& n : out.notes) move(n);
    for (ControlChange& cc : out.controlChanges) move(cc);
    for (PitchBend& pb : out.pitchBends) move(pb);

    // Instruments that still hold events (drums kept apart) keep their infos.
    std::set<int> remaining;
    for (const Note& n : out.notes) remaining.insert(n.instrument);
    for (const ControlChange& cc : out.controlChanges) remaining.insert(cc.instrument);
    for (const PitchBend& pb : out.pitchBends) remaining.insert(pb.instrument);
    // The target keeps its own info, else takes the first merged instrument's; infos of merged
    // instruments that no longer hold events disappear; the rest stay.
    const InstrumentInfo* targetInfo = nullptr;
    for (const InstrumentInfo& info : sequence.instrumentInfos) {
        if (info.instrument == options.targetInstrument) targetInfo = &info;
    }
    for (const InstrumentInfo& info : sequence.instrumentInfos) {
        if (targetInfo == nullptr && merged.count(info.instrument) != 0) targetInfo = &info;
    }
    std::vector<InstrumentInfo> infos;
    if (targetInfo != nullptr) {
        InstrumentInfo info = *targetInfo;
        info.instrument = options.targetInstrument;
        infos.push_back(info);
    }
    for (const InstrumentInfo& info : sequence.instrumentInfos) {
        if (info.instrument == options.targetInstrument) continue;
        if (merged.count(info.instrument) != 0 && remaining.count(info.instrument) == 0) continue;
        infos.push_back(info);
    }
    out.instrumentInfos = std::move(infos);
    return out;
}

Result<NoteSequence> extractDrums(const NoteSequence& sequence) {
    int drumInstrument = -1;
    for (const Note& n : sequence.notes) {
        if (n.isDrum && (drumInstrument < 0 || n.instrument < drumInstrument)) {
            drumInstrument = n.instrument;
        }
    }
    if (drumInstrument < 0) {
        return Error{"extractDrums: the sequence" +
                     (sequence.filename.empty() ? std::string() : " '" + sequence.filename + "'") +
                     " has no drum notes"};
    }
    NoteSequence out = sequence;
    out.notes.clear();
    out.controlChanges.clear();
    out.pitchBends.clear();
    for (const Note& n : sequence.notes) {
        if (!n.isDrum) continue;
        Note drum = n;
        drum.instrument = drumInstrument;
        drum.program = 0;
        out.notes.push_back(drum);
    }
    for (const ControlChange& cc : sequence.controlChanges) {
        if (!cc.isDrum) continue;
        ControlChange kept = cc;
        kept.instrument = drumInstrument;
        kept.program = 0;
        out.controlChanges.push_back(kept);
    }
    for (const PitchBend& pb : sequence.pitchBends) {
        if (!pb.isDrum) continue;
        PitchBend kept = pb;
        kept.instrument = drumInstrument;
        kept.program = 0;
        out.pitchBends.push_back(kept);
    }
    out.instrumentInfos.clear();
    for (const InstrumentInfo& info : sequence.instrumentInfos) {
        if (info.instrument == drumInstrument) out.instrumentInfos.push_back(info);
    }
    out.recomputeTotalTime();
    return out;
}

}  // namespace toccata::core
