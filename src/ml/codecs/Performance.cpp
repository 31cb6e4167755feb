#include "ml/codecs/Performance.h"

#include <algorithm>
#include <array>
#include <deque>
#include <string>
#include <tuple>

#include "core/ops/Quantization.h"
#include "core/ops/SequenceOps.h"

namespace toccata::ml {

namespace {

constexpr int kMaxVelocityBins = 127;

core::Status checkSettings(const char* where, int numVelocityBins, int maxShiftSteps) {
    if (numVelocityBins < 0 || numVelocityBins > kMaxVelocityBins)
        return core::Status::failure(std::string(where) + ": velocity bins must be within 0.." +
                                     std::to_string(kMaxVelocityBins) + ", got " +
                                     std::to_string(numVelocityBins));
    if (maxShiftSteps < 1)
        return core::Status::failure(std::string(where) + ": max shift steps must be >= 1, got " +
                                     std::to_string(maxShiftSteps));
    return {};
}

std::string eventText(const PerformanceEvent& e) {
    static constexpr std::array<const char*, 5> kNames = {"?", "NOTE_ON", "NOTE_OFF", "TIME_SHIFT",
                                                          "VELOCITY"};
    const int t = static_cast<int>(e.type);
    return std::string(t >= 1 && t <= 4 ? kNames[static_cast<size_t>(t)] : "?") + " " +
           std::to_string(e.value);
}

}  // namespace

int velocityBinSize(int numVelocityBins) {
    if (numVelocityBins <= 0) return 1;
    return (kMaxVelocityBins + numVelocityBins - 1) / numVelocityBins;
}

int velocityToBin(int velocity, int numVelocityBins) {
    return (velocity - 1) / velocityBinSize(numVelocityBins) + 1;
}

int velocityBinToVelocity(int bin, int numVelocityBins) {
    return 1 + (bin - 1) * velocityBinSize(numVelocityBins);
}

std::vector<PerformanceEvent> extractPerformanceEvents(
    const std::vector<QuantizedPerformanceNote>& sortedNotes, int64_t startStep,
    int numVelocityBins, int maxShiftSteps) {
    // (step, note index, is offset): at one step Magenta's tuple sort puts lower note indices
    // first, and a note's onset before its own offset.
    std::vector<std::tuple<int64_t, uint32_t, bool>> marks;
    marks.reserve(sortedNotes.size() * 2);
    for (size_t i = 0; i < sortedNotes.size(); ++i) {
        const QuantizedPerformanceNote& n = sortedNotes[i];
        if (n.startStep < startStep) continue;
        marks.emplace_back(n.startStep, static_cast<uint32_t>(i), false);
        marks.emplace_back(n.endStep, static_cast<uint32_t>(i), true);
    }
    std::sort(marks.begin(), marks.end());

    std::vector<PerformanceEvent> events;
    events.reserve(marks.size() * 3 / 2 + 8);
    int64_t current = startStep;
    int currentBin = 0;
    for (const auto& [step, index, isOffset] : marks) {
        if (step > current) {
            while (step > current + maxShiftSteps) {
                events.push_back(PerformanceEvent::timeShift(maxShiftSteps));
                current += maxShiftSteps;
            }
            events.push_back(PerformanceEvent::timeShift(static_cast<int>(step - current)));
            current = step;
        }
        const QuantizedPerformanceNote& note = sortedNotes[index];
        if (numVelocityBins > 0 && !isOffset) {
            const int bin = velocityToBin(note.velocity, numVelocityBins);
            if (bin != currentBin) {
                currentBin = bin;
                events.push_back(PerformanceEvent::velocity(bin));
            }
        }
        events.push_back(isOffset ? PerformanceEvent::noteOff(note.pitch)
                                  : PerformanceEvent::noteOn(note.pitch));
    }
    return events;
}

core::Result<Performance> Performance::fromQuantizedSequence(const core::NoteSequence& quantized,
                                                             int64_t startStep, int numVelocityBins,
                                                             int maxShiftSteps,
                                                             std::optional<int> instrument) {
    if (!quantized.isAbsoluteQuantized())
        return core::Error{"Performance: the sequence" +
                           (quantized.filename.empty() ? "" : " " + quantized.filename) +
                           " is not quantized on absolute time (steps per second)"};
    if (core::Status s = checkSettings("Performance", numVelocityBins, maxShiftSteps); !s)
        return s.error();

    std::vector<const core::Note*> notes;
    bool allDrums = true, noDrums = true;
    std::vector<int> programs;
    for (const core::Note& n : quantized.notes) {
        if (instrument && n.instrument != *instrument) continue;
        if (n.pitch < 0 || n.pitch > 127)
            return core::Error{"Performance: note pitch " + std::to_string(n.pitch) + " at " +
                               std::to_string(n.startTime) + " s is outside 0..127"};
        (n.isDrum ? noDrums : allDrums) = false;
        if (!n.isDrum && std::find(programs.begin(), programs.end(), n.program) == programs.end())
            programs.push_back(n.program);
        if (n.quantizedStartStep >= startStep) notes.push_back(&n);
    }
    // Magenta sorts by (start_time, pitch); a stable sort keeps its tie order.
    std::stable_sort(notes.begin(), notes.end(), [](const core::Note* a, const core::Note* b) {
        return a->startTime < b->startTime || (a->startTime == b->startTime && a->pitch < b->pitch);
    });
    std::vector<QuantizedPerformanceNote> steps;
    steps.reserve(notes.size());
    for (const core::Note* n : notes)
        steps.push_back({n->quantizedStartStep, n->quantizedEndStep, n->pitch, n->velocity});

    Performance p(quantized.quantizationInfo.stepsPerSecond, numVelocityBins, maxShiftSteps,
                  startStep);
    p.m_events = extractPerformanceEvents(steps, startStep, numVelocityBins, maxShiftSteps);
    // Magenta: one program only for all-non-drum notes of a single program. (Magenta calls an
    // empty performance a drum one; Toccata does not, so generated notes stay pitched.)
    if (!quantized.notes.empty() && noDrums && programs.size() == 1) p.m_program = programs[0];
    p.m_isDrum = allDrums && !noDrums;
    return p;
}

core::Result<Performance> Performance::fromNoteSequence(const core::NoteSequence& sequence,
                                                        const PerformanceOptions& options) {
    const std::string name = sequence.filename.empty() ? "the sequence" : sequence.filename;
    if (sequence.isQuantized())
        return core::Error{"Performance: " + name + " is already quantized"};
    if (options.stepsPerSecond < 1)
        return core::Error{"Performance: steps per second must be >= 1, got " +
                           std::to_string(options.stepsPerSecond)};
    if (core::Status s =
            checkSettings("Performance", options.numVelocityBins, options.maxShiftSteps);
        !s)
        return s.error();

    core::NoteSequence working = sequence;
    if (!options.includeDrums) {
        std::erase_if(working.notes, [](const core::Note& n) { return n.isDrum; });
        working.recomputeTotalTime();
    }
    if (options.applySustain) {
        auto sustained = core::applySustainControlChanges(working);
        if (!sustained) return core::Error{name + ": " + sustained.errorMessage()};
        working = std::move(*sustained);
    }
    auto quantized = core::quantizeNoteSequenceAbsolute(working, options.stepsPerSecond);
    if (!quantized) return core::Error{name + ": " + quantized.errorMessage()};
    auto p = fromQuantizedSequence(*quantized, 0, options.numVelocityBins, options.maxShiftSteps);
    if (!p) return core::Error{name + ": " + p.errorMessage()};
    return p;
}

core::Result<core::NoteSequence> Performance::toSequence(int velocity, int instrument,
                                                         std::optional<int> program,
                                                         double maxNoteSeconds) const {
    if (velocity < 1 || velocity > 127)
        return core::Error{"Performance::toSequence: velocity must be within 1..127, got " +
                           std::to_string(velocity)};
    const int prog = program ? *program : m_program.value_or(0);
    if (prog < 0 || prog > 127)
        return core::Error{"Performance::toSequence: program must be within 0..127, got " +
                           std::to_string(prog)};
    if (m_stepsPerSecond < 1)
        return core::Error{"Performance::toSequence: steps per second must be >= 1, got " +
                           std::to_string(m_stepsPerSecond)};
    const double secondsPerStep = 1.0 / m_stepsPerSecond;
    const double startTime = static_cast<double>(m_startStep) * secondsPerStep;

    core::NoteSequence out;
    // Sounding notes per pitch, earliest first: a NOTE_OFF ends the earliest one.
    std::array<std::deque<std::pair<int64_t, int>>, 128> sounding;
    std::vector<int> pitchOrder;  // pitches in first-touch order (Magenta's dict order)
    std::array<bool, 128> touched{};
    auto touch = [&](int pitch) {
        if (!touched[static_cast<size_t>(pitch)]) {
            touched[static_cast<size_t>(pitch)] = true;
            pitchOrder.push_back(pitch);
        }
    };
    auto addNote = [&](int pitch, int64_t from, int64_t to, int vel) {
        if (to == from) return;  // zero duration: dropped, as Magenta does
        core::Note n;
        n.pitch = pitch;
        n.velocity = vel;
        n.startTime = static_cast<double>(from) * secondsPerStep + startTime;
        n.endTime = static_cast<double>(to) * secondsPerStep + startTime;
        if (maxNoteSeconds > 0.0 && n.endTime - n.startTime > maxNoteSeconds)
            n.endTime = n.startTime + maxNoteSeconds;
        n.instrument = instrument;
        n.program = prog;
        n.isDrum = m_isDrum;
        out.totalTime = std::max(out.totalTime, n.endTime);
        out.notes.push_back(n);
    };

    int64_t step = 0;
    int currentVelocity = velocity;
    for (size_t i = 0; i < m_events.size(); ++i) {
        const PerformanceEvent& e = m_events[i];
        switch (e.type) {
            case PerformanceEvent::kNoteOn:
            case PerformanceEvent::kNoteOff: {
                if (e.value < 0 || e.value > 127)
                    return core::Error{"Performance::toSequence: event " + std::to_string(i) +
                                       " (" + eventText(e) + ") has a pitch outside 0..127"};
                touch(e.value);
                auto& queue = sounding[static_cast<size_t>(e.value)];
                if (e.type == PerformanceEvent::kNoteOn) {
                    queue.emplace_back(step, currentVelocity);
                } else if (!queue.empty()) {  // a NOTE_OFF of a silent pitch is ignored
                    const auto [from, vel] = queue.front();
                    queue.pop_front();
                    addNote(e.value, from, step, vel);
                }
                break;
            }
            case PerformanceEvent::kTimeShift:
                if (e.value < 0)
                    return core::Error{"Performance::toSequence: event " + std::to_string(i) +
                                       " is a negative time shift"};
                step += e.value;
                break;
            case PerformanceEvent::kVelocity:
                if (m_numVelocityBins <= 0 || e.value < 1 || e.value > m_numVelocityBins)
                    return core::Error{"Performance::toSequence: event " + std::to_string(i) +
                                       " (" + eventText(e) + ") is not a velocity bin of 1.." +
                                       std::to_string(m_numVelocityBins)};
                currentVelocity = velocityBinToVelocity(e.value, m_numVelocityBins);
                break;
            default:
                return core::Error{"Performance::toSequence: event " + std::to_string(i) +
                                   " has an unknown type"};
        }
    }
    for (int pitch : pitchOrder)
        for (const auto& [from, vel] : sounding[static_cast<size_t>(pitch)])
            addNote(pitch, from, step, vel);
    return out;
}

void Performance::truncate(size_t numEvents) {
    if (numEvents < m_events.size()) m_events.resize(numEvents);
}

int64_t Performance::numSteps() const {
    int64_t steps = 0;
    for (const PerformanceEvent& e : m_events)
        if (e.type == PerformanceEvent::kTimeShift) steps += e.value;
    return steps;
}

std::vector<int64_t> Performance::steps() const {
    std::vector<int64_t> out;
    out.reserve(m_events.size());
    int64_t step = m_startStep;
    for (const PerformanceEvent& e : m_events) {
        out.push_back(step);
        if (e.type == PerformanceEvent::kTimeShift) step += e.value;
    }
    return out;
}

void Performance::appendSteps(int64_t steps) {
    if (!m_events.empty() && m_events.back().type == PerformanceEvent::kTimeShift &&
        m_events.back().value < m_maxShiftSteps) {
        const int64_t added = std::min<int64_t>(steps, m_maxShiftSteps - m_events.back().value);
        m_events.back().value += static_cast<int>(added);
        steps -= added;
    }
    while (steps >= m_maxShiftSteps) {
        m_events.push_back(PerformanceEvent::timeShift(m_maxShiftSteps));
        steps -= m_maxShiftSteps;
    }
    if (steps > 0) m_events.push_back(PerformanceEvent::timeShift(static_cast<int>(steps)));
}

void Performance::setLength(int64_t steps) {
    const int64_t now = numSteps();
    if (now < steps) {
        appendSteps(steps - now);
        return;
    }
    int64_t toTrim = now - steps;
    int64_t trimmed = 0;
    while (!m_events.empty() && trimmed < toTrim) {
        PerformanceEvent& last = m_events.back();
        if (last.type == PerformanceEvent::kTimeShift) {
            if (trimmed + last.value > toTrim) {
                last.value -= static_cast<int>(toTrim - trimmed);
                trimmed = toTrim;
            } else {
                trimmed += last.value;
                m_events.pop_back();
            }
        } else {
            m_events.pop_back();
        }
    }
}

}  // namespace toccata::ml
