#include "core/ops/SequenceSplitting.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "core/TempoMap.h"
#include "core/ops/OpsSupport.h"

namespace toccata::core {

using ops_detail::number;

namespace {

template <typename Event>
std::vector<Event> sortedByTime(std::vector<Event> events) {
    std::stable_sort(events.begin(), events.end(),
                     [](const Event& a, const Event& b) { return a.time < b.time; });
    return events;
}

/// Stateful events (time/key signatures, tempos, chord symbols): those inside a piece are kept
/// (shifted); the one in force at a piece's start is re-emitted at 0; one exactly on a
/// boundary belongs to the next piece. `member` names the list the events go to.
template <typename Event>
void distributeStateful(const std::vector<Event>& events, const std::vector<double>& splits,
                        std::vector<NoteSequence>& pieces,
                        std::vector<Event> NoteSequence::*member) {
    const auto last = static_cast<int64_t>(splits.size()) - 1;
    const Event* previous = nullptr;
    int64_t piece = -1;
    auto emitState = [&](int64_t index) {
        if (previous == nullptr) return;
        Event state = *previous;
        state.time = 0.0;
        (pieces[index].*member).push_back(state);
    };
    for (const Event& event : events) {  // already in time order
        if (event.time <= splits[0]) {
            previous = &event;
            continue;
        }
        while (piece < last && event.time > splits[piece + 1]) {
            ++piece;
            if (piece == last) break;
            emitState(piece);
        }
        if (piece == last) break;
        if (event.time < splits[piece + 1]) {
            Event shifted = event;
            shifted.time -= splits[piece];
            (pieces[piece].*member).push_back(shifted);
        }
        previous = &event;
    }
    while (piece < last - 1) emitState(++piece);
}

/// Pedal-like control changes: as distributeStateful, but the state is kept per
/// (instrument, control number), re-emitted in order of first appearance.
void distributePedals(const std::vector<ControlChange>& pedals, const std::vector<double>& splits,
                      std::vector<NoteSequence>& pieces) {
    const auto last = static_cast<int64_t>(splits.size()) - 1;
    std::vector<std::pair<std::pair<int, int>, const ControlChange*>> state;
    auto remember = [&](const ControlChange& cc) {
        const std::pair<int, int> key{cc.instrument, cc.controlNumber};
        for (auto& entry : state) {
            if (entry.first == key) {
                entry.second = &cc;
                return;
            }
        }
        state.emplace_back(key, &cc);
    };
    auto emitState = [&](int64_t index) {
        for (const auto& entry : state) {
            ControlChange cc = *entry.second;
            cc.time = 0.0;
            pieces[index].controlChanges.push_back(cc);
        }
    };
    int64_t piece = -1;
    for (const ControlChange& cc : pedals) {
        if (cc.time <= splits[0]) {
            remember(cc);
            continue;
        }
        while (piece < last && cc.time > splits[piece + 1]) {
            ++piece;
            if (piece == last) break;
            emitState(piece);
        }
        if (piece == last) break;
        if (cc.time < splits[piece + 1]) {
            ControlChange shifted = cc;
            shifted.time -= splits[piece];
            pieces[piece].controlChanges.push_back(shifted);
        }
        remember(cc);
    }
    while (piece < last - 1) emitState(++piece);
}

/// Magenta's split_note_sequence loop: which candidate times survive skipSplitsInsideNotes,
/// plus 0 at the front and totalTime at the back.
std::vector<double> validSplitTimes(const NoteSequence& sequence,
                                    const std::vector<double>& candidates,
                                    bool skipSplitsInsideNotes) {
    std::vector<Note> notes = sequence.notes;
    std::stable_sort(notes.begin(), notes.end(),
                     [](const Note& a, const Note& b) { return a.startTime < b.startTime; });
    size_t next = 0;
    std::vector<const Note*> crossing;
    std::vector<double> valid{0.0};
    for (double time : candidates) {
        while (next < notes.size() && notes[next].startTime < time)
            crossing.push_back(&notes[next++]);
        std::erase_if(crossing, [time](const Note* n) { return !(n->endTime > time); });
        if (!(skipSplitsInsideNotes && !crossing.empty())) valid.push_back(time);
    }
    if (sequence.totalTime > valid.back()) valid.push_back(sequence.totalTime);
    return valid;
}

Status checkSplits(const NoteSequence& sequence, const std::vector<double>& splits,
                   const std::string& function) {
    if (sequence.isQuantized()) {
        return Status::failure(function +
                               ": the sequence is quantized; only unquantized sequences can "
                               "be sliced or split");
    }
    if (splits.size() < 2) {
        return Status::failure(function + ": need at least a start and an end time, got " +
                               std::to_string(splits.size()) + " time(s)");
    }
    for (size_t i = 0; i < splits.size(); ++i) {
        if (!std::isfinite(splits[i])) {
            return Status::failure(function + ": time #" + std::to_string(i) + " (" +
                                   number(splits[i]) + ") is not finite");
        }
        if (i > 0 && splits[i - 1] > splits[i]) {
            return Status::failure(function + ": times must be sorted, but " + number(splits[i]) +
                                   " s follows " + number(splits[i - 1]) + " s");
        }
        if (i + 1 < splits.size() && splits[i] >= sequence.totalTime) {
            return Status::failure(function + ": cannot start a piece at " + number(splits[i]) +
                                   " s, at or past the end of the sequence (totalTime " +
                                   number(sequence.totalTime) + " s)");
        }
    }
    return Status::success();
}

Result<std::vector<NoteSequence>> extractPieces(const NoteSequence& sequence,
                                                const std::vector<double>& splits,
                                                const std::vector<int>& preserveControlNumbers,
                                                const std::string& function) {
    if (Status s = checkSplits(sequence, splits, function); !s) return s.error();

    NoteSequence base = sequence;
    base.totalTime = 0.0;
    base.notes.clear();
    base.timeSignatures.clear();
    base.keySignatures.clear();
    base.tempos.clear();
    base.textAnnotations.clear();
    base.controlChanges.clear();
    base.pitchBends.clear();
    std::vector<NoteSequence> pieces(splits.size() - 1, base);
    const auto last = static_cast<int64_t>(splits.size()) - 1;

    std::vector<Note> notes = sequence.notes;
    std::stable_sort(notes.begin(), notes.end(),
                     [](const Note& a, const Note& b) { return a.startTime < b.startTime; });
    int64_t piece = -1;
    for (const Note& note : notes) {
        if (note.startTime < splits[0]) continue;
        while (piece < last && note.startTime >= splits[piece + 1]) ++piece;
        if (piece == last) break;
        Note cut = note;
        cut.startTime -= splits[piece];
        cut.endTime = std::min(note.endTime, splits[piece + 1]) - splits[piece];
        NoteSequence& target = pieces[piece];
        target.notes.push_back(cut);
        target.totalTime = std::max(target.totalTime, cut.endTime);
    }

    distributeStateful(sortedByTime(sequence.timeSignatures), splits, pieces,
                       &NoteSequence::timeSignatures);
    distributeStateful(sortedByTime(sequence.keySignatures), splits, pieces,
                       &NoteSequence::keySignatures);
    distributeStateful(sortedByTime(sequence.tempos), splits, pieces, &NoteSequence::tempos);
    std::vector<TextAnnotation> chords;
    std::vector<TextAnnotation> beats;
    for (const TextAnnotation& ta : sequence.textAnnotations) {
        if (ta.annotationType == TextAnnotation::kChordSymbol) chords.push_back(ta);
        if (ta.annotationType == TextAnnotation::kBeat) beats.push_back(ta);
    }
    distributeStateful(sortedByTime(std::move(chords)), splits, pieces,
                       &NoteSequence::textAnnotations);

    piece = -1;  // beats are stateless: kept where they fall, never re-emitted
    for (const TextAnnotation& beat : sortedByTime(std::move(beats))) {
        if (beat.time < splits[0]) continue;
        while (piece < last && beat.time >= splits[piece + 1]) ++piece;
        if (piece == last) break;
        TextAnnotation shifted = beat;
        shifted.time -= splits[piece];
        pieces[piece].textAnnotations.push_back(shifted);
    }

    std::vector<ControlChange> pedals;
    for (const ControlChange& cc : sequence.controlChanges) {
        if (std::find(preserveControlNumbers.begin(), preserveControlNumbers.end(),
                      cc.controlNumber) != preserveControlNumbers.end()) {
            pedals.push_back(cc);
        }
    }
    distributePedals(sortedByTime(std::move(pedals)), splits, pieces);
    return pieces;
}

Result<std::vector<NoteSequence>> splitAt(const NoteSequence& sequence,
                                          const std::vector<double>& valid,
                                          const std::string& function) {
    if (valid.size() < 2) return std::vector<NoteSequence>{};
    return extractPieces(sequence, valid, kDefaultPreserveControlNumbers, function);
}

}  // namespace

Result<std::vector<NoteSequence>> extractSubsequences(
    const NoteSequence& sequence, const std::vector<double>& splitTimes,
    const std::vector<int>& preserveControlNumbers) {
    return extractPieces(sequence, splitTimes, preserveControlNumbers, "extractSubsequences");
}

Result<NoteSequence> extractSubsequence(const NoteSequence& sequence, double startTime,
                                        double endTime,
                                        const std::vector<int>& preserveControlNumbers) {
    if (std::isfinite(startTime) && std::isfinite(endTime) && endTime < startTime) {
        return Error{"extractSubsequence: endTime " + number(endTime) + " s is before startTime " +
                     number(startTime) + " s"};
    }
    auto pieces =
        extractPieces(sequence, {startTime, endTime}, preserveControlNumbers, "extractSubsequence");
    if (!pieces) return pieces.error();
    return std::move(pieces->front());
}

Result<NoteSequence> extractBars(const NoteSequence& sequence, int64_t startBar, int64_t endBar) {
    if (startBar < 0) {
        return Error{"extractBars: startBar must not be negative, got " + std::to_string(startBar)};
    }
    if (endBar <= startBar) {
        return Error{"extractBars: endBar " + std::to_string(endBar) + " must be after startBar " +
                     std::to_string(startBar)};
    }
    const MeterMap meter(sequence);
    const int64_t bars = meter.barCount(sequence.totalTime);
    if (startBar >= bars) {
        return Error{"extractBars: startBar " + std::to_string(startBar) +
                     " is out of range; the sequence has " + std::to_string(bars) + " bar(s)"};
    }
    auto piece = extractSubsequence(sequence, meter.barStartSeconds(startBar),
                                    meter.barStartSeconds(endBar));
    if (!piece) return Error{"extractBars: " + piece.errorMessage()};
    return piece;
}

Result<std::vector<NoteSequence>> splitAtTimes(const NoteSequence& sequence,
                                               std::vector<double> times,
                                               bool skipSplitsInsideNotes) {
    for (double t : times) {
        if (!std::isfinite(t))
            return Error{"splitAtTimes: split time " + number(t) + " is not finite"};
    }
    std::sort(times.begin(), times.end());
    return splitAt(sequence, validSplitTimes(sequence, times, skipSplitsInsideNotes),
                   "splitAtTimes");
}

Result<std::vector<NoteSequence>> splitEvery(const NoteSequence& sequence, double hopSeconds,
                                             bool skipSplitsInsideNotes) {
    if (!(hopSeconds > 0.0) || !std::isfinite(hopSeconds)) {
        return Error{"splitEvery: hopSeconds must be a positive number, got " + number(hopSeconds)};
    }
    // numpy.arange(hop, totalTime, hop): ceil((stop - start) / step) values start + i * step.
    std::vector<double> times;
    const double count = std::ceil((sequence.totalTime - hopSeconds) / hopSeconds);
    for (int64_t i = 0; i < static_cast<int64_t>(count); ++i) {
        times.push_back(hopSeconds + static_cast<double>(i) * hopSeconds);
    }
    return splitAt(sequence, validSplitTimes(sequence, times, skipSplitsInsideNotes), "splitEvery");
}

Result<std::vector<NoteSequence>> splitOnTimeChanges(const NoteSequence& sequence,
                                                     bool skipSplitsInsideNotes) {
    struct Change {
        double time;
        const TimeSignature* signature;
        const Tempo* tempo;
    };
    std::vector<Change> changes;
    for (const TimeSignature& ts : sequence.timeSignatures)
        changes.push_back({ts.time, &ts, nullptr});
    for (const Tempo& t : sequence.tempos) changes.push_back({t.time, nullptr, &t});
    std::stable_sort(changes.begin(), changes.end(),
                     [](const Change& a, const Change& b) { return a.time < b.time; });

    std::vector<Note> notes = sequence.notes;
    std::stable_sort(notes.begin(), notes.end(),
                     [](const Note& a, const Note& b) { return a.startTime < b.startTime; });
    size_t next = 0;
    std::vector<const Note*> crossing;
    int numerator = 4;
    int denominator = 4;
    double qpm = kDefaultQpm;
    std::vector<double> valid{0.0};
    for (const Change& change : changes) {
        if (!(change.time < sequence.totalTime)) continue;
        if (change.signature != nullptr) {
            if (change.signature->numerator == numerator &&
                change.signature->denominator == denominator) {
                continue;  // no real change
            }
        } else if (change.tempo->qpm == qpm) {
            continue;
        }
        while (next < notes.size() && notes[next].startTime < change.time) {
            crossing.push_back(&notes[next++]);
        }
        const double time = change.time;
        std::erase_if(crossing, [time](const Note* n) { return !(n->endTime > time); });
        if (time > valid.back() && !(skipSplitsInsideNotes && !crossing.empty())) {
            valid.push_back(time);
        }
        // The value in force changes even where no split was made.
        if (change.signature != nullptr) {
            numerator = change.signature->numerator;
            denominator = change.signature->denominator;
        } else {
            qpm = change.tempo->qpm;
        }
    }
    if (sequence.totalTime > valid.back()) valid.push_back(sequence.totalTime);
    return splitAt(sequence, valid, "splitOnTimeChanges");
}

}  // namespace toccata::core
