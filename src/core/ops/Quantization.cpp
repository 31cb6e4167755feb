#include "core/ops/Quantization.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/ops/OpsSupport.h"

namespace toccata::core {

using ops_detail::fixed;
using ops_detail::number;

namespace {

// Beyond this many steps a double no longer converts safely to int64_t.
constexpr double kMaxAbsSteps = 1e15;

bool isPowerOfTwo(int x) { return x > 0 && (x & (x - 1)) == 0; }

std::string signatureText(const TimeSignature& ts) {
    return std::to_string(ts.numerator) + "/" + std::to_string(ts.denominator);
}

/// Step of `seconds`, or an error naming `what` when the time is unusable or lands before 0.
Result<int64_t> checkedStep(double seconds, double stepsPerSecond, const std::string& what) {
    if (!std::isfinite(seconds)) return Error{what + " has a non-finite time"};
    if (std::abs(seconds * stepsPerSecond) > kMaxAbsSteps) {
        return Error{what + " at " + number(seconds) + " s is too far from 0 to quantize"};
    }
    return secondsToStep(seconds, stepsPerSecond);
}

/// Magenta's _quantize_notes: note steps (minimum one step), totalQuantizedSteps extended by
/// note ends, and quantizedStep for control changes, pitch bends and text annotations.
Status quantizeEvents(NoteSequence& q, double stepsPerSecond, const char* function) {
    const std::string prefix = std::string(function) + ": ";
    for (size_t i = 0; i < q.notes.size(); ++i) {
        Note& note = q.notes[i];
        const std::string what =
            "note #" + std::to_string(i) + " (pitch " + std::to_string(note.pitch) + ")";
        auto start = checkedStep(note.startTime, stepsPerSecond, what);
        if (!start) return Status::failure(prefix + start.errorMessage());
        auto end = checkedStep(note.endTime, stepsPerSecond, what);
        if (!end) return Status::failure(prefix + end.errorMessage());
        note.quantizedStartStep = *start;
        note.quantizedEndStep = *end;
        if (note.quantizedEndStep == note.quantizedStartStep) ++note.quantizedEndStep;
        if (note.quantizedStartStep < 0 || note.quantizedEndStep < 0) {
            return Status::failure(prefix + what + " starting at " + fixed(note.startTime, 4) +
                                   " s and ending at " + fixed(note.endTime, 4) +
                                   " s falls on a negative step (start step " +
                                   std::to_string(note.quantizedStartStep) + ", end step " +
                                   std::to_string(note.quantizedEndStep) + ")");
        }
        q.totalQuantizedSteps = std::max(q.totalQuantizedSteps, note.quantizedEndStep);
    }
    auto quantizeList = [&](auto& events, const char* kind) -> Status {
        for (size_t i = 0; i < events.size(); ++i) {
            const std::string what = std::string(kind) + " #" + std::to_string(i);
            auto step = checkedStep(events[i].time, stepsPerSecond, what);
            if (!step) return Status::failure(prefix + step.errorMessage());
            if (*step < 0) {
                return Status::failure(prefix + what + " at " + fixed(events[i].time, 4) +
                                       " s falls on a negative step (" + std::to_string(*step) +
                                       ")");
            }
            events[i].quantizedStep = *step;
        }
        return Status::success();
    };
    if (Status s = quantizeList(q.controlChanges, "control change"); !s) return s;
    if (Status s = quantizeList(q.pitchBends, "pitch bend"); !s) return s;
    return quantizeList(q.textAnnotations, "text annotation");
}

template <typename Event>
std::vector<Event> sortedByTime(std::vector<Event> events) {
    std::stable_sort(events.begin(), events.end(),
                     [](const Event& a, const Event& b) { return a.time < b.time; });
    return events;
}

/// Leaves exactly one time signature at time 0, or explains the change that prevents it.
Status settleTimeSignature(NoteSequence& q) {
    if (q.timeSignatures.empty()) {
        q.timeSignatures = {TimeSignature{0.0, 4, 4}};
    } else {
        const std::vector<TimeSignature> sorted = sortedByTime(q.timeSignatures);
        const TimeSignature& first = sorted.front();
        if (first.time != 0.0 && !(first.numerator == 4 && first.denominator == 4)) {
            return Status::failure(
                "quantizeNoteSequence: time signature change from the implicit initial 4/4 to " +
                signatureText(first) + " at " + fixed(first.time) +
                " s; relative quantization needs a single time signature "
                "(split the sequence on time changes first)");
        }
        for (size_t i = 1; i < sorted.size(); ++i) {
            const TimeSignature& ts = sorted[i];
            if (ts.numerator != first.numerator || ts.denominator != first.denominator) {
                return Status::failure("quantizeNoteSequence: time signature change from " +
                                       signatureText(first) + " to " + signatureText(ts) + " at " +
                                       fixed(ts.time) +
                                       " s; relative quantization needs a single time "
                                       "signature (split the sequence on time changes first)");
            }
        }
        TimeSignature only = first;
        only.time = 0.0;
        q.timeSignatures = {only};
    }
    const TimeSignature& ts = q.timeSignatures.front();
    if (!isPowerOfTwo(ts.denominator)) {
        return Status::failure("quantizeNoteSequence: bad time signature " + signatureText(ts) +
                               ": the denominator is not a power of 2");
    }
    if (ts.numerator <= 0) {
        return Status::failure("quantizeNoteSequence: bad time signature " + signatureText(ts) +
                               ": the numerator must be positive");
    }
    return Status::success();
}

/// Leaves exactly one tempo at time 0, or explains the change that prevents it.
Status settleTempo(NoteSequence& q) {
    if (q.tempos.empty()) {
        q.tempos = {Tempo{0.0, kDefaultQpm}};
        return Status::success();
    }
    const std::vector<Tempo> sorted = sortedByTime(q.tempos);
    const Tempo& first = sorted.front();
    if (first.time != 0.0 && first.qpm != kDefaultQpm) {
        return Status::failure("quantizeNoteSequence: tempo change from the implicit initial " +
                               fixed(kDefaultQpm, 1) + " QPM to " + fixed(first.qpm, 1) +
                               " QPM at " + fixed(first.time) +
                               " s; relative quantization needs a single tempo "
                               "(split the sequence on time changes first)");
    }
    for (size_t i = 1; i < sorted.size(); ++i) {
        if (sorted[i].qpm != first.qpm) {
            return Status::failure("quantizeNoteSequence: tempo change from " +
                                   fixed(first.qpm, 1) + " QPM to " + fixed(sorted[i].qpm, 1) +
                                   " QPM at " + fixed(sorted[i].time) +
                                   " s; relative quantization needs a single tempo "
                                   "(split the sequence on time changes first)");
        }
    }
    if (!(first.qpm > 0.0) || !std::isfinite(first.qpm)) {
        return Status::failure("quantizeNoteSequence: tempo " + number(first.qpm) +
                               " QPM is not a positive, finite number");
    }
    q.tempos = {Tempo{0.0, first.qpm}};
    return Status::success();
}

}  // namespace

double stepsPerQuarterToStepsPerSecond(int stepsPerQuarter, double qpm) {
    return stepsPerQuarter * qpm / 60.0;
}

int64_t secondsToStep(double seconds, double stepsPerSecond, double cutoff) {
    return static_cast<int64_t>(std::trunc(seconds * stepsPerSecond + (1.0 - cutoff)));
}

double stepToSeconds(int64_t step, double stepsPerSecond) {
    return static_cast<double>(step) / stepsPerSecond;
}

double secondsPerStep(int stepsPerQuarter, double qpm) { return 60.0 / qpm / stepsPerQuarter; }

Result<NoteSequence> quantizeNoteSequence(const NoteSequence& sequence, int stepsPerQuarter) {
    if (stepsPerQuarter <= 0) {
        return Error{"quantizeNoteSequence: stepsPerQuarter must be positive, got " +
                     std::to_string(stepsPerQuarter)};
    }
    NoteSequence q = sequence;
    q.quantizationInfo = QuantizationInfo{stepsPerQuarter, 0};
    q.totalQuantizedSteps = 0;
    if (Status s = settleTimeSignature(q); !s) return s.error();
    if (Status s = settleTempo(q); !s) return s.error();

    const double stepsPerSecond = stepsPerQuarterToStepsPerSecond(stepsPerQuarter, q.tempos[0].qpm);
    auto total = checkedStep(q.totalTime, stepsPerSecond, "totalTime");
    if (!total) return Error{"quantizeNoteSequence: " + total.errorMessage()};
    q.totalQuantizedSteps = *total;
    if (Status s = quantizeEvents(q, stepsPerSecond, "quantizeNoteSequence"); !s) {
        return s.error();
    }
    return q;
}

Result<NoteSequence> quantizeNoteSequenceAbsolute(const NoteSequence& sequence,
                                                  int stepsPerSecond) {
    if (stepsPerSecond <= 0) {
        return Error{"quantizeNoteSequenceAbsolute: stepsPerSecond must be positive, got " +
                     std::to_string(stepsPerSecond)};
    }
    NoteSequence q = sequence;
    q.quantizationInfo = QuantizationInfo{0, stepsPerSecond};
    auto total = checkedStep(q.totalTime, stepsPerSecond, "totalTime");
    if (!total) return Error{"quantizeNoteSequenceAbsolute: " + total.errorMessage()};
    q.totalQuantizedSteps = *total;
    if (Status s = quantizeEvents(q, stepsPerSecond, "quantizeNoteSequenceAbsolute"); !s) {
        return s.error();
    }
    return q;
}

Result<double> stepsPerBarFloat(const NoteSequence& quantized) {
    if (!quantized.isRelativeQuantized()) {
        return Error{
            "stepsPerBar: the sequence is not quantized relative to tempo "
            "(stepsPerQuarter is " +
            std::to_string(quantized.quantizationInfo.stepsPerQuarter) + ")"};
    }
    const TimeSignature ts =
        quantized.timeSignatures.empty() ? TimeSignature{} : quantized.timeSignatures.front();
    if (ts.numerator <= 0 || ts.denominator <= 0) {
        return Error{"stepsPerBar: bad time signature " + signatureText(ts)};
    }
    const double quartersPerBeat = 4.0 / ts.denominator;
    const double quartersPerBar = quartersPerBeat * ts.numerator;
    return quantized.quantizationInfo.stepsPerQuarter * quartersPerBar;
}

Result<int> stepsPerBar(const NoteSequence& quantized) {
    auto steps = stepsPerBarFloat(quantized);
    if (!steps) return steps.error();
    if (std::fmod(*steps, 1.0) != 0.0) {
        const TimeSignature ts =
            quantized.timeSignatures.empty() ? TimeSignature{} : quantized.timeSignatures.front();
        return Error{"stepsPerBar: there are " + number(*steps) +
                     " steps per bar, not a whole number (time signature " + signatureText(ts) +
                     ", " + std::to_string(quantized.quantizationInfo.stepsPerQuarter) +
                     " steps per quarter)"};
    }
    return static_cast<int>(*steps);
}

}  // namespace toccata::core
