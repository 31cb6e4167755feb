// Helpers shared by the audio tests: the generated test SoundFont, small sequences, levels.
#pragma once

#include <QFile>
#include <QString>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "core/NoteSequence.h"

namespace toccata::test {

/// The SoundFont tools/sf2gen generated in this build tree.
inline std::string testSoundFontPath() {
    return toStd(buildDir() + "/soundfonts/toccata-test.sf2");
}

/// Fails the current test when the generated SoundFont is missing.
#define TOCCATA_REQUIRE_TEST_SOUNDFONT()                                                \
    QVERIFY2(QFile::exists(QString::fromStdString(toccata::test::testSoundFontPath())), \
             "the test SoundFont was not generated (build target toccata_test_soundfont)")

inline core::Note makeNote(int pitch, double start, double end, int program = 0,
                           bool isDrum = false, int instrument = 0, int velocity = 100) {
    core::Note note;
    note.pitch = pitch;
    note.startTime = start;
    note.endTime = end;
    note.program = program;
    note.isDrum = isDrum;
    note.instrument = instrument;
    note.velocity = velocity;
    return note;
}

inline core::NoteSequence makeSequence(std::vector<core::Note> notes) {
    core::NoteSequence sequence;
    sequence.notes = std::move(notes);
    sequence.recomputeTotalTime();
    return sequence;
}

/// RMS of samples [begin, end) of one channel.
inline double rms(const std::vector<float>& samples, int64_t begin, int64_t end) {
    begin = std::clamp<int64_t>(begin, 0, int64_t(samples.size()));
    end = std::clamp<int64_t>(end, begin, int64_t(samples.size()));
    if (end == begin) return 0.0;
    double sum = 0.0;
    for (int64_t i = begin; i < end; ++i) sum += double(samples[size_t(i)]) * samples[size_t(i)];
    return std::sqrt(sum / double(end - begin));
}

inline double peak(const std::vector<float>& samples, int64_t begin, int64_t end) {
    double p = 0.0;
    for (int64_t i = std::max<int64_t>(0, begin); i < std::min<int64_t>(end, samples.size()); ++i)
        p = std::max(p, double(std::abs(samples[size_t(i)])));
    return p;
}

/// First frame whose magnitude exceeds `threshold`, or -1.
inline int64_t firstAbove(const std::vector<float>& samples, double threshold, int64_t from = 0) {
    for (int64_t i = std::max<int64_t>(0, from); i < int64_t(samples.size()); ++i)
        if (std::abs(samples[size_t(i)]) > threshold) return i;
    return -1;
}

/// Fundamental estimate from rising zero crossings over [begin, end).
inline double zeroCrossingHz(const std::vector<float>& samples, int64_t begin, int64_t end,
                             int sampleRate) {
    int64_t first = -1, last = -1, count = 0;
    for (int64_t i = std::max<int64_t>(1, begin); i < end && i < int64_t(samples.size()); ++i) {
        if (samples[size_t(i - 1)] < 0.0f && samples[size_t(i)] >= 0.0f) {
            if (first < 0) first = i;
            last = i;
            ++count;
        }
    }
    return count > 1 ? double(count - 1) * sampleRate / double(last - first) : 0.0;
}

inline void writeBytes(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

}  // namespace toccata::test
