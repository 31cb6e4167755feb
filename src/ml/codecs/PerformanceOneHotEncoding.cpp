#include "ml/codecs/PerformanceOneHotEncoding.h"

#include <string>

namespace toccata::ml {

core::Result<PerformanceOneHotEncoding> PerformanceOneHotEncoding::create(int numVelocityBins,
                                                                          int maxShiftSteps,
                                                                          int minPitch,
                                                                          int maxPitch) {
    if (numVelocityBins < 0 || numVelocityBins > 127)
        return core::Error{"PerformanceOneHotEncoding: velocity bins must be within 0..127, got " +
                           std::to_string(numVelocityBins)};
    if (maxShiftSteps < 1)
        return core::Error{"PerformanceOneHotEncoding: max shift steps must be >= 1, got " +
                           std::to_string(maxShiftSteps)};
    if (minPitch < 0 || maxPitch > 127 || minPitch > maxPitch)
        return core::Error{"PerformanceOneHotEncoding: pitch range " + std::to_string(minPitch) +
                           ".." + std::to_string(maxPitch) + " is not within 0..127"};
    PerformanceOneHotEncoding e;
    e.m_numVelocityBins = numVelocityBins;
    e.m_maxShiftSteps = maxShiftSteps;
    e.m_minPitch = minPitch;
    e.m_maxPitch = maxPitch;
    int offset = 0;
    auto add = [&](PerformanceEvent::Type type, int lo, int hi) {
        e.m_ranges.push_back({type, lo, hi, offset});
        offset += hi - lo + 1;
    };
    add(PerformanceEvent::kNoteOn, minPitch, maxPitch);
    add(PerformanceEvent::kNoteOff, minPitch, maxPitch);
    add(PerformanceEvent::kTimeShift, 1, maxShiftSteps);
    if (numVelocityBins > 0) add(PerformanceEvent::kVelocity, 1, numVelocityBins);
    return e;
}

PerformanceOneHotEncoding PerformanceOneHotEncoding::standard(bool withVelocity) {
    // The arguments are valid constants, so create() cannot fail here.
    return std::move(create(withVelocity ? kPerformanceVelocityBins : 0).value());
}

const PerformanceEventRange* PerformanceOneHotEncoding::range(PerformanceEvent::Type type) const {
    for (const PerformanceEventRange& r : m_ranges)
        if (r.type == type) return &r;
    return nullptr;
}

core::Result<int> PerformanceOneHotEncoding::encodeEvent(const PerformanceEvent& event) const {
    const PerformanceEventRange* r = range(event.type);
    if (r == nullptr)
        return core::Error{
            "PerformanceOneHotEncoding: no class for event type " +
            std::to_string(static_cast<int>(event.type)) +
            (event.type == PerformanceEvent::kVelocity ? " (no velocity bins)" : "")};
    if (event.value < r->minValue || event.value > r->maxValue)
        return core::Error{"PerformanceOneHotEncoding: value " + std::to_string(event.value) +
                           " of event type " + std::to_string(static_cast<int>(event.type)) +
                           " is outside " + std::to_string(r->minValue) + ".." +
                           std::to_string(r->maxValue)};
    return r->offset + event.value - r->minValue;
}

PerformanceEvent PerformanceOneHotEncoding::decodeEvent(int index) const {
    for (const PerformanceEventRange& r : m_ranges)
        if (r.containsClass(index)) return {r.type, r.minValue + index - r.offset};
    return defaultEvent();
}

core::Result<std::vector<int>> PerformanceOneHotEncoding::encodeEvents(
    const std::vector<PerformanceEvent>& events) const {
    std::vector<int> out;
    out.reserve(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
        auto c = encodeEvent(events[i]);
        if (!c) return core::Error{"event " + std::to_string(i) + ": " + c.errorMessage()};
        out.push_back(*c);
    }
    return out;
}

core::Result<std::vector<PerformanceEvent>> PerformanceOneHotEncoding::decodeEvents(
    const std::vector<int>& indices) const {
    std::vector<PerformanceEvent> out;
    out.reserve(indices.size());
    for (size_t i = 0; i < indices.size(); ++i) {
        if (indices[i] < 0 || indices[i] >= numClasses())
            return core::Error{"PerformanceOneHotEncoding: class " + std::to_string(indices[i]) +
                               " at position " + std::to_string(i) + " is outside 0.." +
                               std::to_string(numClasses() - 1)};
        out.push_back(decodeEvent(indices[i]));
    }
    return out;
}

}  // namespace toccata::ml
