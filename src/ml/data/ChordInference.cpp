#include "ml/data/ChordInference.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "ml/codecs/ChordSymbol.h"

namespace toccata::ml {

namespace {

struct ChordTemplate {
    const char* suffix;
    std::vector<int> intervals;  // semitones above the root, 0 first
};

// Fullest chords first, so a matching 7th chord wins over the triad inside it. Chords with
// the same pitch classes and different roots (C6 = Am7/C) are told apart by trying the bass
// as the root first.
const std::vector<ChordTemplate>& chordTemplates() {
    static const std::vector<ChordTemplate> templates = {
        {"9", {0, 2, 4, 7, 10}},  {"7", {0, 4, 7, 10}},   {"maj7", {0, 4, 7, 11}},
        {"m7", {0, 3, 7, 10}},    {"dim7", {0, 3, 6, 9}}, {"m7b5", {0, 3, 6, 10}},
        {"6", {0, 4, 7, 9}},      {"m6", {0, 3, 7, 9}},   {"7sus", {0, 5, 7, 10}},
        {"", {0, 4, 7}},          {"m", {0, 3, 7}},       {"dim", {0, 3, 6}},
        {"aug", {0, 4, 8}},       {"sus4", {0, 5, 7}},    {"sus2", {0, 2, 7}},
        {"7", {0, 4, 10}},        {"m7", {0, 3, 10}},     {"", {0, 4}},
        {"m", {0, 3}},            {"5", {0, 7}},
    };
    return templates;
}

constexpr std::array<const char*, 12> kRootNames = {"C",  "C#", "D",  "Eb", "E",  "F",
                                                    "F#", "G",  "Ab", "A",  "Bb", "B"};

std::string figureFor(int root, const char* suffix, int bass) {
    std::string figure = std::string(kRootNames[static_cast<size_t>(root)]) + suffix;
    if (bass != root) {
        const std::string slash = figure + "/" + kRootNames[static_cast<size_t>(bass)];
        if (ChordSymbol::parse(slash)) return slash;
    }
    return figure;
}

}  // namespace

std::string chordFigureForPitches(const std::vector<int>& pitches) {
    if (pitches.empty()) return kNoChord;
    std::set<int> classes;
    for (int p : pitches) classes.insert(((p % 12) + 12) % 12);
    if (classes.size() < 2) return kNoChord;
    const int bass = ((*std::min_element(pitches.begin(), pitches.end()) % 12) + 12) % 12;
    std::vector<int> roots = {bass};
    for (int pc : classes)
        if (pc != bass) roots.push_back(pc);

    auto intervalsFrom = [&](int root) {
        std::set<int> intervals;
        for (int pc : classes) intervals.insert((pc - root + 12) % 12);
        return intervals;
    };
    // Exact match first (bass-rooted preferred), then the largest chord kind contained in
    // the pitch classes (passing and doubled notes on top of a chord).
    for (int root : roots) {
        const std::set<int> intervals = intervalsFrom(root);
        for (const ChordTemplate& t : chordTemplates())
            if (std::set<int>(t.intervals.begin(), t.intervals.end()) == intervals)
                return figureFor(root, t.suffix, bass);
    }
    size_t bestSize = 0;
    std::string best = kNoChord;
    for (int root : roots) {
        const std::set<int> intervals = intervalsFrom(root);
        for (const ChordTemplate& t : chordTemplates()) {
            const bool contained = std::all_of(t.intervals.begin(), t.intervals.end(),
                                               [&](int i) { return intervals.count(i) > 0; });
            if (contained && t.intervals.size() >= 3 && t.intervals.size() > bestSize) {
                bestSize = t.intervals.size();
                best = figureFor(root, t.suffix, bass);
            }
        }
    }
    return best;
}

std::vector<core::TextAnnotation> inferChordAnnotations(const core::NoteSequence& chords,
                                                        double minSilenceSeconds) {
    // Sweep over note starts and ends; at each time the sounding set is the multiset below.
    std::map<double, std::vector<std::pair<int, int>>> changes;  // time -> (pitch, +1/-1)
    for (const core::Note& note : chords.notes) {
        if (note.isDrum || note.velocity <= 0 || note.endTime <= note.startTime) continue;
        changes[note.startTime].emplace_back(note.pitch, +1);
        changes[note.endTime].emplace_back(note.pitch, -1);
    }
    std::vector<core::TextAnnotation> out;
    std::map<int, int> sounding;
    auto emit = [&](double time, const std::string& figure) {
        if (!out.empty() && out.back().text == figure) return;
        core::TextAnnotation a;
        a.time = time;
        a.text = figure;
        a.annotationType = core::TextAnnotation::kChordSymbol;
        out.push_back(std::move(a));
    };
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        for (const auto& [pitch, delta] : it->second) {
            sounding[pitch] += delta;
            if (sounding[pitch] <= 0) sounding.erase(pitch);
        }
        const auto next = std::next(it);
        if (sounding.empty()) {
            const double gap = next == changes.end() ? minSilenceSeconds : next->first - it->first;
            if (gap >= minSilenceSeconds && !out.empty()) emit(it->first, kNoChord);
            continue;
        }
        std::vector<int> pitches;
        for (const auto& entry : sounding) pitches.push_back(entry.first);
        emit(it->first, chordFigureForPitches(pitches));
    }
    // A trailing N.C. after the last chord carries no information.
    if (!out.empty() && out.back().text == kNoChord) out.pop_back();
    return out;
}

}  // namespace toccata::ml
