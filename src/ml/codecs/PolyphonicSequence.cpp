#include "ml/codecs/PolyphonicSequence.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace toccata::ml {

int64_t polyphonicNumSteps(const std::vector<PolyphonicEvent>& events) {
    return std::count_if(events.begin(), events.end(), [](const PolyphonicEvent& e) {
        return e.type == PolyphonicEvent::kStepEnd;
    });
}

std::vector<std::vector<PolyphonicEvent>> polyphonicStepNotes(
    const std::vector<PolyphonicEvent>& events) {
    std::vector<std::vector<PolyphonicEvent>> steps;
    std::vector<PolyphonicEvent> current;
    for (const PolyphonicEvent& e : events) {
        if (e.isNote()) {
            current.push_back(e);
        } else if (e.type == PolyphonicEvent::kStepEnd) {
            steps.push_back(std::move(current));
            current.clear();
        }
    }
    return steps;
}

std::vector<PolyphonicEvent> primerNotesForStep(const std::vector<PolyphonicEvent>& primer,
                                                int64_t injectStartStep, int64_t generatedSteps) {
    // Magenta walks the primer counting STEP_ENDs from injectStartStep and copies the events
    // after the first position where the count equals the generated step count, up to the
    // next STEP_END.
    int64_t count = injectStartStep;
    for (size_t j = 0; j < primer.size(); ++j) {
        if (primer[j].type == PolyphonicEvent::kStepEnd) ++count;
        if (count != generatedSteps) continue;
        std::vector<PolyphonicEvent> out;
        for (size_t k = j + 1; k < primer.size(); ++k) {
            if (primer[k].type == PolyphonicEvent::kStepEnd ||
                primer[k].type == PolyphonicEvent::kEnd)
                break;
            if (primer[k].isNote()) out.push_back(primer[k]);
        }
        return out;
    }
    return {};
}

core::Result<PolyphonicSequence> PolyphonicSequence::fromQuantizedSequence(
    const core::NoteSequence& quantized, int64_t startStep) {
    if (!quantized.isRelativeQuantized())
        return core::Error{"PolyphonicSequence: the sequence" +
                           (quantized.filename.empty() ? "" : " " + quantized.filename) +
                           " is not quantized relative to tempo (steps per quarter)"};
    std::map<int64_t, std::vector<int>> starts, ends;
    for (const core::Note& n : quantized.notes) {
        if (n.quantizedStartStep < startStep) continue;
        if (n.pitch < 0 || n.pitch > 127)
            return core::Error{"PolyphonicSequence: note pitch " + std::to_string(n.pitch) +
                               " at step " + std::to_string(n.quantizedStartStep) +
                               " is outside 0..127"};
        starts[n.quantizedStartStep].push_back(n.pitch);
        ends[n.quantizedEndStep].push_back(n.pitch);
    }
    PolyphonicSequence seq(quantized.quantizationInfo.stepsPerQuarter, startStep);
    std::vector<int> active;  // a list: one pitch may sound more than once
    std::vector<PolyphonicEvent> stepEvents;
    for (int64_t step = startStep; step < quantized.totalQuantizedSteps; ++step) {
        stepEvents.clear();
        if (auto it = ends.find(step); it != ends.end()) {
            for (int pitch : it->second) {
                auto a = std::find(active.begin(), active.end(), pitch);
                if (a != active.end()) active.erase(a);
            }
        }
        for (int pitch : active) stepEvents.push_back(PolyphonicEvent::continuedNote(pitch));
        if (auto it = starts.find(step); it != starts.end()) {
            for (int pitch : it->second) {
                active.push_back(pitch);
                stepEvents.push_back(PolyphonicEvent::newNote(pitch));
            }
        }
        // Python's sorted(reverse=True) is stable: equal pitches keep their order.
        std::stable_sort(
            stepEvents.begin(), stepEvents.end(),
            [](const PolyphonicEvent& a, const PolyphonicEvent& b) { return a.pitch > b.pitch; });
        seq.m_events.insert(seq.m_events.end(), stepEvents.begin(), stepEvents.end());
        seq.m_events.push_back(PolyphonicEvent::stepEnd());
    }
    seq.m_events.push_back(PolyphonicEvent::end());
    return seq;
}

core::Result<core::NoteSequence> PolyphonicSequence::toSequence(
    int velocity, int instrument, int program, double qpm, const core::NoteSequence* base) const {
    if (!(qpm > 0.0) || !std::isfinite(qpm))
        return core::Error{"PolyphonicSequence::toSequence: qpm must be positive, got " +
                           std::to_string(qpm)};
    if (velocity < 1 || velocity > 127)
        return core::Error{"PolyphonicSequence::toSequence: velocity must be within 1..127, got " +
                           std::to_string(velocity)};
    if (m_stepsPerQuarter < 1)
        return core::Error{"PolyphonicSequence::toSequence: steps per quarter must be >= 1"};
    const double secondsPerStep = 60.0 / qpm / m_stepsPerQuarter;
    const double startTime = static_cast<double>(m_startStep) * secondsPerStep;

    core::NoteSequence out;
    if (base != nullptr) {
        out = *base;
        if (out.tempos.empty() || out.tempos.front().qpm != qpm)
            return core::Error{"PolyphonicSequence::toSequence: qpm " + std::to_string(qpm) +
                               " does not match the base sequence's tempo"};
    } else {
        out.tempos.push_back({0.0, qpm});
    }

    int64_t step = 0;
    std::vector<std::pair<int, int64_t>> started;  // (pitch, start step), in order
    std::vector<int> toEnd;
    for (size_t i = 0; i < m_events.size(); ++i) {
        const PolyphonicEvent& e = m_events[i];
        const bool last = i + 1 == m_events.size();
        switch (e.type) {
            case PolyphonicEvent::kStart: break;  // ignored anywhere
            case PolyphonicEvent::kNewNote:
                if (e.pitch < 0 || e.pitch > 127)
                    return core::Error{"PolyphonicSequence::toSequence: event " +
                                       std::to_string(i) + " has pitch " + std::to_string(e.pitch)};
                started.emplace_back(e.pitch, step);
                break;
            case PolyphonicEvent::kContinuedNote: {
                // Continuing a silent pitch is ignored.
                auto it = std::find(toEnd.begin(), toEnd.end(), e.pitch);
                if (it != toEnd.end()) toEnd.erase(it);
                break;
            }
            case PolyphonicEvent::kEnd:
                if (!last) break;  // an END before the end is ignored
                [[fallthrough]];
            case PolyphonicEvent::kStepEnd: {
                for (size_t k = 0; k < started.size();) {
                    auto it = std::find(toEnd.begin(), toEnd.end(), started[k].first);
                    if (it == toEnd.end()) {
                        ++k;
                        continue;
                    }
                    toEnd.erase(it);
                    core::Note n;
                    n.pitch = started[k].first;
                    n.startTime =
                        static_cast<double>(started[k].second) * secondsPerStep + startTime;
                    n.endTime = static_cast<double>(step) * secondsPerStep + startTime;
                    n.velocity = velocity;
                    n.instrument = instrument;
                    n.program = program;
                    out.notes.push_back(n);
                    started.erase(started.begin() + static_cast<std::ptrdiff_t>(k));
                }
                ++step;
                toEnd.clear();
                for (const auto& s : started) toEnd.push_back(s.first);
                break;
            }
            default:
                return core::Error{"PolyphonicSequence::toSequence: event " + std::to_string(i) +
                                   " has an unknown type"};
        }
    }
    if (!started.empty())
        return core::Error{
            "PolyphonicSequence::toSequence: the sequence ended with notes still sounding (no "
            "STEP_END before its end; call setLength first)"};
    out.totalTime = secondsPerStep * static_cast<double>(step - 1) + startTime;
    return out;
}

void PolyphonicSequence::trimTrailingEndEvents() {
    while (!m_events.empty() && m_events.back().type == PolyphonicEvent::kEnd) m_events.pop_back();
}

void PolyphonicSequence::setLength(int64_t steps) {
    trimTrailingEndEvents();
    m_events.push_back(PolyphonicEvent::stepEnd());
    const int64_t now = numSteps();
    if (now < steps) {
        for (int64_t i = now; i < steps; ++i) m_events.push_back(PolyphonicEvent::stepEnd());
    } else if (now > steps) {
        // Magenta's _trim_steps: cut after the STEP_END that leaves `steps` steps, or back to
        // just START when none does.
        const int64_t toTrim = now - steps;
        int64_t trimmed = 0;
        for (size_t i = m_events.size(); i-- > 0;) {
            if (m_events[i].type == PolyphonicEvent::kStepEnd) {
                if (trimmed == toTrim) {
                    m_events.resize(i + 1);
                    break;
                }
                ++trimmed;
            } else if (i == 0) {
                m_events.assign(1, PolyphonicEvent::start());
                break;
            }
        }
    }
    m_events.push_back(PolyphonicEvent::end());
}

std::vector<int64_t> PolyphonicSequence::steps() const {
    std::vector<int64_t> out;
    out.reserve(m_events.size());
    int64_t step = m_startStep;
    for (const PolyphonicEvent& e : m_events) {
        out.push_back(step);
        if (e.type == PolyphonicEvent::kStepEnd) ++step;
    }
    return out;
}

}  // namespace toccata::ml
